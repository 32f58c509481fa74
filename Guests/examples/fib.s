// fib.s: a small IA-64 program for `xdbg dis` and `xdbg run`: computes fib(20) = 6765 by
// recursion through register-stack frames (deep enough to spill and fill the register stack),
// leaves it in r20 and exits with status 0 through the Linux system call ABI.
	.text
	.global _start
	.proc _start
_start:
	alloc r32 = ar.pfs, 0, 3, 1, 0
	mov out0 = 20
	;;
	br.call.sptk.many b0 = fib
	;;
	mov r20 = r8
	mov r15 = 1025            // exit
	mov out0 = 0
	;;
	.global done
done:
	break.i 0x100000
	.endp _start

	.global fib
	.proc fib
fib:                          // fib(in0) in r8
	alloc loc0 = ar.pfs, 1, 3, 1, 0
	mov loc1 = b0
	cmp.gtu p6, p7 = 2, in0
	;;
(p6)	mov r8 = in0
(p6)	br.cond.dpnt.few .Lout
	adds out0 = -1, in0
	;;
	br.call.sptk.many b0 = fib
	;;
	mov loc2 = r8
	adds out0 = -2, in0
	;;
	br.call.sptk.many b0 = fib
	;;
	add r8 = r8, loc2
.Lout:
	mov ar.pfs = loc0
	mov b0 = loc1
	;;
	br.ret.sptk.many b0
	.endp fib
