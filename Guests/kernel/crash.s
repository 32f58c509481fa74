// crash.s: crash on request, for reproducing the failures xdbg is built to debug. The
// kernel command line's crash= chooses how, after the tasks have run:
//   crash=null   a store through a NULL pointer in the idle task (swapper oops)
//   crash=bug    BUG(): break 0 ("bugcheck!")
//   crash=fatal  an illegal opcode with interruption collection off, which the hypervisor
//                cannot reflect: it logs "fatal opcode" and crashes the domain
	.include "xen.inc"

	.data
str_crash:	stringz "crash="
str_going:	stringz "crash: as requested on the command line ("
str_close:	stringz ")\n"

	.text
	.global crash_check
	.proc crash_check
crash_check:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 3, 2, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = start_info
	;;
	ld8 r14 = [r14]
	;;
	adds out0 = 0x80, r14
	movl out1 = str_crash
	br.call.sptk.many b0 = find_param
	;;
	cmp.eq p6, p0 = r8, r0
(p6)	br.cond.dptk.few done
	mov r34 = r8
	movl out0 = str_going
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r34
	br.call.sptk.many b0 = print_word
	;;
	movl out0 = str_close
	br.call.sptk.many b0 = print_str
	;;
	ld1 r14 = [r34]
	;;
	cmp.eq p7, p0 = 'n', r14
	cmp.eq p8, p0 = 'b', r14
	cmp.eq p9, p0 = 'f', r14
	;;
(p7)	br.cond.dpnt.few null_store
(p8)	br.cond.dpnt.few bug
(p9)	br.cond.dpnt.few fatal
	br.sptk.many done
	;;
null_store:
	mov r15 = 0x2a
	;;
	st8 [r0] = r15                  // swapper[0]: Oops, a kernel-mode write fault
	;;
	br.sptk.many done
	;;
bug:
	break.m 0                       // BUG()
	;;
	br.sptk.many done
	;;
fatal:
	movl r14 = XSI_PSR_IC
	;;
	st4 [r14] = r0                  // interruption collection off (virtual psr.ic = 0)
	movl r15 = reserved_bundle
	;;
	mov b6 = r15
	;;
	br.sptk.many b6
	;;
done:
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp crash_check

// print_word(in0 = string): prints up to the first space or NUL.
	.proc print_word
print_word:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 3, 2, 0
	.save rp, r34
	mov r34 = b0
	.body
	;;
	mov r35 = 0
	;;
1:
	add r14 = in0, r35
	;;
	ld1 r15 = [r14]
	;;
	cmp.eq p6, p0 = r15, r0
	cmp.eq p7, p0 = 32, r15
	;;
(p6)	br.cond.dpnt.few 2f
(p7)	br.cond.dpnt.few 2f
	adds r35 = 1, r35
	br.sptk.many 1b
	;;
2:
	mov out0 = in0
	mov out1 = r35
	br.call.sptk.many b0 = console_write
	;;
	mov ar.pfs = r33
	mov b0 = r34
	br.ret.sptk.many b0
	.endp print_word

// A bundle with a reserved template (0x1e): executing it is an Illegal Operation fault.
	.align 16
	.global reserved_bundle
reserved_bundle:
	data8 0x000000000000001e
	data8 0x0000000000000000
	.align 16
