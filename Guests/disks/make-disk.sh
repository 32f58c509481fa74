#!/usr/bin/env bash
# Writes OUT/NAME.img: 2048 sectors (1 MiB) of deterministic contents. Sector s is one
# 512-byte line: "xdbg NAME sector SSSSSS " then hex filler, then "\n".
set -euo pipefail
name="${1:?usage: make-disk.sh NAME OUT}"
out="${2:?usage: make-disk.sh NAME OUT}"
mkdir -p "$out"
awk -v name="$name" 'BEGIN {
  for (s = 0; s < 2048; s++) {
    line = sprintf("xdbg %s sector %06d ", name, s)
    while (length(line) < 511) line = line sprintf("%02x", (s * 7 + length(line)) % 256)
    print substr(line, 1, 511)
  }
}' > "$out/$name.img.tmp"
mv "$out/$name.img.tmp" "$out/$name.img"
