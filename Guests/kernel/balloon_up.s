// balloon_up.s: growing a DomU past its boot memory, as a balloon driver does when the
// toolstack raises its target toward maxmem. Off by default; the command line's
//   balloon_up=N    grows the reservation to N MB
//   balloon_up=max  grows it to the domain's maxmem (XENMEM_maximum_reservation)
// Once Dom0's balloon target has been handled, the DomU asks Xen to populate the
// guest-physical pages above its boot memory, 512 per XENMEM_populate_physmap, reporting every
// 256 MB, until it reaches the target or Xen gives it fewer pages than asked.
	.include "xen.inc"

	XENMEM_maximum_reservation = 4
	GROW_BATCH = 512

	.data
	.align 16
grow_op:	data8 0			// xen_memory_reservation: extent_start, nr_extents,
		data8 0			// extent_order, address_bits, domid
		data4 0
		data4 0
		data2 DOMID_SELF
		data2 0
		data4 0
	.align 8
max_domid:	data2 DOMID_SELF
		data2 0
		data4 0
grow_list:	.skip 8 * GROW_BATCH

str_opt:	stringz "balloon_up="
str_grow1:	stringz "balloon: growing past the boot "
str_grow2:	stringz " MB toward "
str_grow3:	stringz " MB (balloon_up)\n"
str_at:		stringz "balloon: populated up to "
str_mb:		stringz " MB\n"
str_short:	stringz "balloon: Xen populated fewer pages than asked; stopping at "

	.text
// xen_memory_op(in0 = cmd, in1 = argument address) -> r8
	.proc xen_memory_op
xen_memory_op:
	.prologue
	.save ar.pfs, r34
	alloc r34 = ar.pfs, 2, 3, 6, 0
	.save rp, r35
	mov r35 = b0
	.body
	;;
	mov out0 = in1
	br.call.sptk.many b0 = xen_inline
	;;
	mov out0 = in0
	mov out1 = r8
	mov out5 = HYPERVISOR_memory_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	mov ar.pfs = r34
	mov b0 = r35
	br.ret.sptk.many b0
	.endp xen_memory_op

// balloon_up_check(): balloon_up= on the command line grows the domain (see above).
	.global balloon_up_check
	.proc balloon_up_check
balloon_up_check:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 6, 2, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = start_info
	;;
	ld8 r34 = [r14]
	;;
	adds out0 = 0x80, r34
	movl out1 = str_opt
	br.call.sptk.many b0 = find_param
	;;
	cmp.eq p6, p0 = r8, r0
(p6)	br.cond.dptk.few 9f
	ld1 r14 = [r8]
	mov r35 = r8
	;;
	cmp.eq p7, p0 = 'm', r14
	;;
(p7)	br.cond.dptk.few 1f
	mov out0 = r35
	br.call.sptk.many b0 = parse_dec
	;;
	shl r36 = r8, 6                 // MB -> 16 KiB pages
	br.sptk.many 2f
	;;
1:
	mov out0 = XENMEM_maximum_reservation
	movl out1 = max_domid
	br.call.sptk.many b0 = xen_memory_op
	;;
	mov r36 = r8                    // maxmem in pages
	;;
2:
	adds r14 = 0x20, r34
	;;
	ld8 r37 = [r14]                 // boot pages: growth starts above them
	;;
	cmp.leu p9, p0 = r36, r37
(p9)	br.cond.dpnt.few 9f
	movl out0 = str_grow1
	br.call.sptk.many b0 = print_str
	;;
	shr.u out0 = r37, 6
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_grow2
	br.call.sptk.many b0 = print_str
	;;
	shr.u out0 = r36, 6
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_grow3
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r37
	mov out1 = r36
	br.call.sptk.many b0 = balloon_grow
	;;
9:
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp balloon_up_check

// balloon_grow(in0 = first gpfn, in1 = end gpfn) -> r8 = the gpfn reached: populates
// in0..<in1 in batches, reporting each 256 MB boundary crossed.
	.global balloon_grow
	.proc balloon_grow
balloon_grow:
	.prologue
	.save ar.pfs, r34
	alloc r34 = ar.pfs, 2, 5, 2, 0
	.save rp, r35
	mov r35 = b0
	.body
	;;
	mov r36 = in0                   // next gpfn
	;;
grow_more:
	cmp.leu p6, p0 = in1, r36
(p6)	br.cond.dpnt.few grow_done
	sub r37 = in1, r36              // extents this time: min(GROW_BATCH, left)
	mov r14 = GROW_BATCH
	;;
	cmp.ltu p7, p0 = r14, r37
	;;
(p7)	mov r37 = r14
	mov r15 = 0
	movl r16 = grow_list
	;;
fill:
	cmp.eq p8, p0 = r15, r37
(p8)	br.cond.dpnt.few populate
	add r17 = r36, r15
	shladd r18 = r15, 3, r16
	;;
	st8 [r18] = r17
	adds r15 = 1, r15
	br.sptk.many fill
	;;
populate:
	movl r14 = grow_op
	dep.z r17 = 1, 63, 1
	;;
	or r16 = r16, r17               // inline xencomm handle of the list
	;;
	st8 [r14] = r16, 8
	;;
	st8 [r14] = r37
	mov out0 = XENMEM_populate_physmap
	movl out1 = grow_op
	br.call.sptk.many b0 = xen_memory_op
	;;
	cmp.lt p9, p0 = r8, r0
(p9)	br.cond.dpnt.few grow_short
	add r38 = r36, r8               // gpfn reached
	cmp.ne p10, p0 = r8, r37
	;;
	// A 256 MB boundary (16384 pages) crossed: report.
	xor r14 = r36, r38
	mov r36 = r38
	;;
	shr.u r14 = r14, 14
	;;
	cmp.eq p11, p0 = r14, r0
(p10)	br.cond.dpnt.few grow_short
(p11)	br.cond.dptk.few grow_more
	movl out0 = str_at
	br.call.sptk.many b0 = print_str
	;;
	shr.u out0 = r36, 6
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_mb
	br.call.sptk.many b0 = print_str
	;;
	br.sptk.many grow_more
	;;
grow_short:
	movl out0 = str_short
	br.call.sptk.many b0 = print_str
	;;
	shr.u out0 = r36, 6
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_mb
	br.call.sptk.many b0 = print_str
	;;
grow_done:
	mov r8 = r36
	mov ar.pfs = r34
	mov b0 = r35
	br.ret.sptk.many b0
	.endp balloon_grow
