#!/usr/bin/env bash
# Builds the bundled guests (kernel and disk images) with the real IA-64 binutils into out/guests/.
set -euo pipefail
cd "$(dirname "$0")/.."
Guests/build.sh out/guests
