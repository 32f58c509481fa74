#!/usr/bin/env bash
# The main job: set up, build xdbg and the bundled guests, boot the default session (Dom0 and
# two DomUs on the Xen/ia64-style hypervisor), record that session into a trace and replay
# it with every state check verified, and check the disassembler on the example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product xdbg >&2
XDBG=.build/release/xdbg
mkdir -p out
ia64-linux-gnu-as -x -o out/fib.o Guests/examples/fib.s
ia64-linux-gnu-ld -static -e _start -o out/fib out/fib.o
"$XDBG" dis out/fib
# Hold it next to the real objdump, as a user would.
if diff <("$XDBG" dis out/fib | sed -n '/^Disassembly/,$p') \
        <(ia64-linux-gnu-objdump -d out/fib | sed -n '/^Disassembly/,$p') >/dev/null; then
  echo "xdbg dis: identical to ia64-linux-gnu-objdump -d on out/fib" >&2
else
  echo "xdbg dis: DIFFERS from ia64-linux-gnu-objdump -d on out/fib" >&2
  exit 1
fi
# Run it on the emulated CPU: fib(20) = 6765 = 0x1a6d lands in r20.
"$XDBG" run out/fib --until done --state-json out/fib-state.json
grep -A0 '"r": 20,' out/fib-state.json
# The bundled guests: Dom0 and two DomUs boot, balloon, hot-plug a vCPU, run their workloads
# and shut down; the final machine state hash is printed.
scripts/build-guests.sh
"$XDBG" boot --hash
# Record the same session (every outside input logged to out/traces/default.trace), then
# replay it bit-identically, verifying every state check and the final state.
"$XDBG" record --quiet -o out/traces/default.trace
"$XDBG" replay out/traces/default.trace --verify
"$XDBG" info out/traces/default.trace
