// memzones.s: memory above the first GiB. boot.s maps instructions and tlb.s maps data for
// [0, 1 GiB) only; memzone_init gives the kernel the rest of its memory, one 1 GiB data
// translation register per further GiB (dtr 1, 2, 3), through a dispatch table indexed by
// the number of GiB zones, n = ceil(end of memory / 1 GiB): zone_table[n] (one bundle per
// entry) maps zones 1..n-1. Inserting translation registers needs interruption collection
// off, so the whole dispatch runs with (virtual) psr.ic = 0, as Linux's ia64_switch_mode and
// TR code do.
//
// The latent bug: the end of memory is kept in a 32-bit int (mem_end32: stored with st4 and
// read back with ld4 + sxt4, an `int` widened to a `long`). Up to 1 GiB (every DomU, the
// default session's 1 GB Dom0) the value is positive and the dispatch is right. From 2 GiB
// on bit 31 of the frame address is set and the 32-bit value is truncated: 2 and 3 GiB come
// back negative, 4 GiB as 0, so n is -2, -1 or 0 and the indirect branch lands on the
// guard bundles around the table, reserved encodings (template 0x1e). They execute with
// collection off: the hypervisor cannot reflect the Illegal Operation fault, logs
// "fatal opcode" with the ip, slot and bundle, and crashes the domain (Dom0: the machine).
	.include "xen.inc"

	.data
	.align 8
	.global mem_end32
mem_end32:	data4 0			// the end of memory, as an int (the bug)
		data4 0

	.text
	.global memzone_init
	.proc memzone_init
memzone_init:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 3, 0, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = start_info
	movl r16 = mem_end32
	;;
	ld8 r14 = [r14]
	;;
	adds r15 = 0x20, r14
	;;
	ld8 r15 = [r15]                 // nr_pages
	;;
	shl r15 = r15, PAGE_SHIFT       // the end of memory, a frame address
	;;
	st4 [r16] = r15                 // kept as a 32-bit int
	;;
	ld4 r17 = [r16]
	movl r18 = 0x3fffffff
	;;
	sxt4 r17 = r17                  // widened with its sign
	;;
	add r17 = r17, r18
	;;
	shr r34 = r17, 30               // n = ceil(end / 1 GiB), signed
	movl r19 = XSI_PSR_IC
	movl r20 = zone_table
	;;
	st4 [r19] = r0                  // collection off while the TRs go in
	shladd r20 = r34, 4, r20        // &zone_table[n]
	;;
	mov b6 = r20
	;;
	br.sptk.many b6
	;;
	.global memzone_map
memzone_map:                            // zones 1..n-1: dtr[k] = [k GiB, k+1 GiB)
	mov r21 = 1
	mov r22 = 30 << 2
	;;
1:
	cmp.leu p6, p0 = r34, r21
(p6)	br.cond.dpnt.few memzone_done
	shl r23 = r21, 30
	movl r24 = 0x661
	;;
	or r24 = r24, r23
	mov cr.ifa = r23
	mov cr.itir = r22
	;;
	itr.d dtr[r21] = r24
	adds r21 = 1, r21
	br.sptk.many 1b
	;;
	.global memzone_done
memzone_done:
	movl r19 = XSI_PSR_IC
	mov r20 = 1
	;;
	st4 [r19] = r20                 // collection back on
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp memzone_init

// The dispatch table, one bundle per zone count, with guard bundles (reserved encodings)
// where no count can be: below it and at n = 0.
	.align 16
	.global zone_guard
zone_guard:
	data8 0x000000000000001e
	data8 0x0000000000000000
	data8 0x000000000000001e
	data8 0x0000000000000000
	.global zone_table
zone_table:
	data8 0x000000000000001e        // n = 0: no memory at all
	data8 0x0000000000000000
	{ .mib                          // n = 1: nothing above the first GiB
	nop.m 0
	nop.i 0
	br.sptk.many memzone_done
	}
	{ .mib                          // n = 2, 3, 4
	nop.m 0
	nop.i 0
	br.sptk.many memzone_map
	}
	{ .mib
	nop.m 0
	nop.i 0
	br.sptk.many memzone_map
	}
	{ .mib
	nop.m 0
	nop.i 0
	br.sptk.many memzone_map
	}
