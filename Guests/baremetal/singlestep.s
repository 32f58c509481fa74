// singlestep.s: a bare-metal program that single-steps itself. It returns with rfi into
// `stepped` with ipsr.ss set; every instruction there ends in a Single Step trap (vector
// 0x6000), whose handler counts it and, after four, clears ipsr.ss. Halts with the count.
	.text
	.global _start
	.proc _start
_start:
	movl r2 = ivt
	;;
	mov cr.iva = r2
	mov r8 = 0                      // single-step traps taken
	movl r20 = stepped
	;;
	mov cr.iip = r20
	mov r21 = psr
	;;
	dep r21 = -1, r21, 40, 1        // ipsr.ss
	;;
	dep r21 = -1, r21, 13, 1        // ipsr.ic
	;;
	mov cr.ipsr = r21
	mov cr.ifs = r0
	;;
	rfi
	;;
	.global stepped
stepped:
{ .mii
	mov r9 = 1
	mov r10 = 2
	mov r11 = 3
	;;
}
{ .mii
	mov r14 = 4
	mov r18 = 5                     // not stepped: ss is off by now
	nop.i 0
	;;
}
	movl r19 = 0xffff0008
	;;
	st8 [r19] = r8                  // halt with the number of traps
	;;
	.endp _start

	.align 32768
ivt:
	.org ivt + 0x6000               // Single Step trap vector
	adds r8 = 1, r8
	mov r15 = cr.isr
	mov r16 = cr.iip
	mov r17 = cr.ipsr
	;;
	cmp.eq p6, p0 = 4, r8
	;;
(p6)	dep r17 = 0, r17, 40, 1         // stop stepping after four
	;;
	mov cr.ipsr = r17
	;;
	rfi
	;;
	.org ivt + 0x8000
