#!/usr/bin/env bash
# Builds the bundled guests with the real IA-64 binutils into out/guests/.
set -euo pipefail
cd "$(dirname "$0")/.."
Guests/kernel/build.sh out/guests
# Disk images for the bundled session: 2048 sectors (1 MiB) each, deterministic contents.
# Sector s is one 512-byte line: "xdbg NAME sector SSSSSS " then hex filler, then "\n".
make_disk() {
  awk -v name="$1" 'BEGIN {
    for (s = 0; s < 2048; s++) {
      line = sprintf("xdbg %s sector %06d ", name, s)
      while (length(line) < 511) line = line sprintf("%02x", (s * 7 + length(line)) % 256)
      print substr(line, 1, 511)
    }
  }' > "out/guests/$1.img.tmp"
  mv "out/guests/$1.img.tmp" "out/guests/$1.img"
}
make_disk disk1
make_disk disk2
