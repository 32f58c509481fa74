	.text
	.global _start
	.proc _start
_start:
	alloc r40 = ar.pfs, 0, 8, 1, 0
	;;
	br.call.sptk.many b0 = outer
	;;
	.global done
done:
	break.i 0x100000
	.endp _start

	.global outer
	.proc outer
outer:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 0, 4, 1, 0
	.save rp, r32
	mov r32 = b0
	.body
	;;
	br.call.sptk.many b0 = inner
	;;
	mov ar.pfs = r33
	mov b0 = r32
	;;
	br.ret.sptk.many b0
	.endp outer

	.global inner
	.proc inner
inner:
	.prologue
	.save ar.pfs, r34
	alloc r34 = ar.pfs, 0, 4, 0, 0
	.save rp, r35
	mov r35 = b0
	.fframe 32
	adds sp = -32, sp
	;;
	.body
	flushrs
	;;
	.global stop
stop:
	nop.m 0
	.restore sp
	adds sp = 32, sp
	mov ar.pfs = r34
	mov b0 = r35
	;;
	br.ret.sptk.many b0
	.endp inner

	.global leaf
	.proc leaf
leaf:
	nop.m 0
	br.ret.sptk.many b0
	.endp leaf
