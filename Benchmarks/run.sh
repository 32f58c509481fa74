#!/usr/bin/env bash
# The execution benchmark: builds the three programs of Benchmarks/Programs with the real IA-64
# binutils, runs each to its `done` symbol on a release build, checks r20 against the value Ski
# gives, and prints MIPS. Usage: Benchmarks/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product xdbg-bench >&2
mkdir -p out/bench
for p in int_loop call_fib fp_kernel; do
  ia64-linux-gnu-as -x -o out/bench/$p.o Benchmarks/Programs/$p.S
  ia64-linux-gnu-ld -static -e _start -o out/bench/$p out/bench/$p.o
done
status=0
.build/release/xdbg-bench program out/bench/int_loop 0x00017af4c52732c0 || status=1
.build/release/xdbg-bench program out/bench/call_fib 0x213d05 || status=1
.build/release/xdbg-bench program out/bench/fp_kernel 0x4256bcea44400000 || status=1
exit $status
