#!/usr/bin/env bash
# Builds the bundled guests into OUT: the kernel (Guests/kernel/build.sh) and the disk images.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: Guests/build.sh OUT}"
"$here/kernel/build.sh" "$out"
"$here/disks/make-disk.sh" disk1 "$out"
"$here/disks/make-disk.sh" disk2 "$out"
# The io-load example gives each of its five DomUs a disk of its own.
for n in 3 4 5; do "$here/disks/make-disk.sh" "disk$n" "$out"; done
