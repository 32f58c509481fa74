#!/usr/bin/env bash
# The execution benchmark: builds the three programs of Benchmarks/Programs with the real IA-64
# binutils, runs each to its `done` symbol on a release build, checks r20 against the value Ski
# gives, and prints MIPS. Each program runs in ROUNDS separate processes, interleaved (the speed
# of a process on this kind of machine varies by several percent from one process to the next);
# the summary gives the median and the range. Usage: Benchmarks/run.sh [ROUNDS] (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: ROUNDS must be a positive number" >&2; exit 2; }
scripts/setup.sh
swift build -c release --product xdbg-bench >&2
mkdir -p out/bench
for p in int_loop call_fib fp_kernel; do
  ia64-linux-gnu-as -x -o out/bench/$p.o Benchmarks/Programs/$p.S
  ia64-linux-gnu-ld -static -e _start -o out/bench/$p out/bench/$p.o
done
declare -A expected=([int_loop]=0x00017af4c52732c0 [call_fib]=0x213d05 [fp_kernel]=0x4256bcea44400000)
declare -A figures=()
status=0
for ((i = 1; i <= rounds; i++)); do
  for p in int_loop call_fib fp_kernel; do
    line=$(.build/release/xdbg-bench program out/bench/$p "${expected[$p]}") || status=1
    echo "$line"
    figures[$p]+="$(sed -E 's/.* = ([0-9.]+) MIPS.*/\1/' <<<"$line") "
  done
done
echo "summary over $rounds rounds (median, range):"
for p in int_loop call_fib fp_kernel; do
  tr ' ' '\n' <<<"${figures[$p]}" | grep . | sort -n |
    awk -v p=$p '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%s: %.1f MIPS (%.1f-%.1f)\n", p, m, v[1], v[NR]}'
done
exit $status
