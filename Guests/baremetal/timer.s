// timer.s: a bare-metal program for `xdbg run --bare` that arms the interval timer (cr.itm,
// cr.itv), enables interrupts, spins until the timer interrupt arrives through the External
// Interrupt vector (0x3000), acknowledges it with cr.ivr and cr.eoi, returns with rfi, and
// halts with the number of interrupts taken as exit code.
	.text
	.global _start
	.proc _start
_start:
	movl r2 = ivt
	;;
	mov cr.iva = r2
	mov r8 = 0                      // interrupts taken
	mov r9 = 0xef                   // timer vector, unmasked
	;;
	mov cr.itv = r9
	mov r10 = ar.itc
	;;
	adds r10 = 1000, r10            // fire 1000 counts from now
	;;
	mov cr.itm = r10
	mov cr.tpr = r0
	;;
	ssm 0x6000                      // psr.ic and psr.i
	;;
	srlz.d
	;;
	.global spin
spin:
	cmp.eq p6, p0 = 0, r8
	;;
(p6)	br.cond.sptk.few spin
	;;
	movl r19 = 0xffff0008           // halt port
	;;
	.global done
done:
	st8 [r19] = r8
	;;
	.endp _start

	.align 32768
ivt:
	.org ivt + 0x3000               // External Interrupt vector
	mov r17 = ar.itc
	mov r14 = cr.ivr                // acknowledge: the timer's vector
	mov r15 = cr.iip
	mov r16 = cr.isr
	;;
	adds r8 = 1, r8
	mov cr.eoi = r0
	;;
	srlz.d
	;;
	rfi
	;;
	.org ivt + 0x8000
