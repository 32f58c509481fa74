// breakpoints.s: debug registers. ibr0/ibr1 watch the bundle at `watched`; dbr0/dbr1 watch
// writes to `watched_data`. With psr.db set, reaching the bundle raises an Instruction Debug
// fault for each of its three instructions and the store a Data Debug fault (both vector
// 0x5900); the handler records cr.iip, cr.ifa and cr.isr and sets ipsr.id / ipsr.dd so the
// instruction runs on return.
	.text
	.global _start
	.proc _start
_start:
	movl r2 = ivt
	;;
	mov cr.iva = r2
	mov r8 = 0                      // debug faults taken
	movl r3 = watched
	movl r4 = (0xf << 56) | (1 << 63) | 0xfffffffffffff0     // all levels, execute, bundle mask
	mov r5 = 0
	mov r6 = 1
	;;
	mov ibr[r5] = r3
	;;
	mov ibr[r6] = r4
	movl r7 = watched_data
	movl r9 = (0xf << 56) | (1 << 62) | 0xfffffffffffff8     // all levels, write, doubleword
	;;
	mov dbr[r5] = r7
	;;
	mov dbr[r6] = r9
	;;
	mov r12 = psr
	;;
	dep r12 = -1, r12, 24, 1        // psr.db (above ssm's reach: through psr.l)
	;;
	dep r12 = -1, r12, 13, 1        // psr.ic
	;;
	mov psr.l = r12
	;;
	srlz.d
	;;
	.global watched
watched:
{ .mii
	mov r10 = 0x5a
	nop.i 0
	nop.i 0
	;;
}
	st8 [r7] = r10                  // watched write
	;;
	mov r12 = psr
	;;
	dep r12 = 0, r12, 24, 1         // psr.db off
	;;
	mov psr.l = r12
	;;
	movl r11 = 0xffff0008
	;;
	st8 [r11] = r8                  // halt with the number of debug faults
	;;
	.endp _start

	.align 32768
ivt:
	.org ivt + 0x5900               // Debug vector
	adds r8 = 1, r8
	mov r20 = cr.isr
	mov r21 = cr.iip
	mov r22 = cr.ifa
	mov r23 = cr.ipsr
	;;
	tbit.nz p6, p7 = r20, 32        // ISR.x: instruction breakpoint
	;;
(p6)	mov r24 = r21                   // remember the instruction one
(p6)	dep r23 = -1, r23, 37, 1        // ipsr.id
(p7)	mov r25 = r22                   // and the data one
(p7)	dep r23 = -1, r23, 39, 1        // ipsr.dd
	;;
	mov cr.ipsr = r23
	;;
	rfi
	;;
	.org ivt + 0x8000

	.data
	.align 8
	.global watched_data
watched_data:
	data8 0
