#!/usr/bin/env bash
# Builds the guest kernel with the real IA-64 binutils: OUT/xenkernel (ELF, DWARF line info,
# unwind tables, a kallsyms table for its oops messages). Two links, as Linux does: the first
# without symbols, the second with the table generated from the first (text addresses do not
# move: the table lives in .data, after the code).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: build.sh OUTDIR}"
mkdir -p "$out/obj"
AS="ia64-linux-gnu-as -x --gdwarf-5 --fatal-warnings -I $here"
LD="ia64-linux-gnu-ld -static -e _start -Ttext=0x100000 -Tdata=0x1000000"
objs=()
for s in xen boot events console console_input ivt fault main control balloon_up wait smp roles platform crash tlb memzones idle sched sched_demo blkfront lib/print lib/oops lib/symbols lib/page_alloc lib/workloads; do
  o="$out/obj/$(basename "$s").o"
  $AS -o "$o" "$here/$s.s"
  objs+=("$o")
done
$AS -o "$out/obj/kallsyms_empty.o" "$here/kallsyms_empty.s"
$LD -o "$out/xenkernel.pass1" "${objs[@]}" "$out/obj/kallsyms_empty.o"
{
  echo "	.data"
  echo "	.align 8"
  echo "	.global kallsyms_count"
  echo "	.global kallsyms_table"
  ia64-linux-gnu-nm -n -S --defined-only "$out/xenkernel.pass1" |
    awk '$3 ~ /^[Tt]$/ && NF == 4 { n++; a[n] = $1; s[n] = $2; name[n] = $4 }
         END {
           print "kallsyms_count:\tdata8 " n
           print "kallsyms_table:"
           for (i = 1; i <= n; i++) printf "\tdata8 0x%s, 0x%s, ksym_%d\n", a[i], s[i], i
           for (i = 1; i <= n; i++) printf "ksym_%d:\tstringz \"%s\"\n", i, name[i]
         }'
} > "$out/obj/kallsyms.s"
$AS -o "$out/obj/kallsyms.o" "$out/obj/kallsyms.s"
$LD -o "$out/xenkernel" "${objs[@]}" "$out/obj/kallsyms.o"
rm -f "$out/xenkernel.pass1"
