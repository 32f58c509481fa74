// symbols.s: address to symbol lookup over a table the kernel build provides.
// Hypervisor independent; uses no other routine.
//
// The build provides (in any data section):
//   kallsyms_count: data8 N
//   kallsyms_table: N entries of three 8-byte words { start, size, name }, where name is the
//                   address of a NUL-terminated string. Any order; the first entry whose
//                   [start, start + size) holds the address wins (so zero-sized entries never
//                   match).
//
//   symbolize(in0 = address) -> r8 = name (0 when no symbol holds the address),
//                               r9 = address - start, r10 = size (both 0 without a symbol)
//
// Scratch only: r8-r10, r14-r19, p6-p7.

	.text
	.global symbolize
	.proc symbolize
symbolize:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 1, 0, 0
	.body
	movl r14 = kallsyms_table
	movl r15 = kallsyms_count
	mov r8 = 0
	mov r9 = 0
	mov r10 = 0
	;;
	ld8 r15 = [r15]				// entries left
	;;
.Lsym_loop:
	cmp.eq p6, p0 = 0, r15
(p6)	br.ret.spnt.many b0
	;;
	ld8 r16 = [r14], 8			// start
	;;
	ld8 r17 = [r14], 8			// size
	sub r18 = in0, r16			// offset (huge when below start)
	;;
	ld8 r19 = [r14], 8			// name
	adds r15 = -1, r15
	cmp.ltu p7, p0 = r18, r17
	;;
(p7)	mov r8 = r19
(p7)	mov r9 = r18
(p7)	mov r10 = r17
(p7)	br.ret.sptk.many b0
	br.cond.sptk.few .Lsym_loop
	;;
	.endp symbolize
