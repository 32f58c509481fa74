// fib.s: a small IA-64 program for `xdbg dis` (and later for record/replay): computes fib(20)
// recursively with register-stack frames, leaves it in r8 and exits via the Linux syscall ABI.
	.text
	.global _start
	.proc _start
_start:
	alloc r32 = ar.pfs, 0, 3, 1, 0
	mov r35 = 20
	;;
	br.call.sptk.many b0 = fib
	;;
	mov r20 = r8
	mov r15 = 1025            // exit
	;;
	break.i 0x100000
	.endp _start

	.global fib
	.proc fib
fib:
	alloc r33 = ar.pfs, 1, 4, 1, 0
	mov r34 = b0
	cmp.gtu p6, p7 = 2, r32
	;;
(p6)	mov r8 = r32
(p6)	br.cond.dpnt.few .Lout
	adds r36 = -1, r32
	;;
	br.call.sptk.many b0 = fib
	;;
	mov r35 = r8
	adds r36 = -2, r32
	;;
	br.call.sptk.many b0 = fib
	;;
	add r8 = r8, r35
.Lout:
	mov ar.pfs = r33
	mov b0 = r34
	;;
	br.ret.sptk.many b0
	.endp fib
