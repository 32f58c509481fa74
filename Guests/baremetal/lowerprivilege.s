// lowerprivilege.s: with psr.lp set, a br.ret that lowers the privilege level (ar.pfs.ppl = 3)
// completes, then takes a Lower-Privilege Transfer trap (vector 0x5e00) at the target.
	.text
	.global _start
	.proc _start
_start:
	movl r2 = ivt
	;;
	mov cr.iva = r2
	movl r3 = user
	movl r4 = 3 << 62               // ar.pfs: previous privilege level 3, empty frame
	;;
	mov b0 = r3
	mov ar.pfs = r4
	;;
	mov r5 = psr
	;;
	dep r5 = -1, r5, 25, 1          // psr.lp (above ssm's reach: through psr.l)
	;;
	dep r5 = -1, r5, 13, 1          // psr.ic
	;;
	mov psr.l = r5
	;;
	srlz.d
	;;
	br.ret.sptk.many b0
	;;
	.global user
user:
	nop.m 0
	;;
	.endp _start

	.align 32768
ivt:
	.org ivt + 0x5e00               // Lower-Privilege Transfer trap vector
	mov r20 = cr.iip
	mov r21 = cr.isr
	mov r22 = cr.ipsr
	movl r23 = 0xffff0008
	;;
	st8 [r23] = r0
	;;
	.org ivt + 0x8000
