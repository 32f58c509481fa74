// psrbits.s: a bare-metal program for the PSR bits that act on the next instruction only or
// gate an instruction: psr.da (an rfi past a Dirty Bit fault lets exactly one store through),
// psr.ed (a speculative load right after an rfi that set it defers without a memory
// reference; the one after it loads) and psr.di (br.ia raises Disabled Instruction Set
// Transition, a General Exception with ISR.code 0x40; without it, Illegal Operation).
// Results: r24/r25 the two General Exception ISRs, r26 the dirty-bit fault count, r9/r10
// the two speculative loads, r11/r12 their NaT bits, r13 the stored value read back.
	.text
	.global _start
	.proc _start
_start:
	movl r2 = ivt
	;;
	mov cr.iva = r2
	movl r3 = 0x4000000000000000    // region 2: RID 0x200, 16 KiB pages
	mov r4 = (0x200 << 8) | (14 << 2)
	;;
	mov rr[r3] = r4
	;;
	srlz.d
	mov r5 = 14 << 2
	mov r6 = 0
	mov r7 = 1
	;;
	mov cr.ifa = r3                 // dtr0: page 0 of region 2 at physical 0x300000, d = 0
	mov cr.itir = r5
	movl r8 = 0x300000 | (2 << 9) | (1 << 5) | 1
	;;
	itr.d dtr[r6] = r8
	;;
	movl r3 = 0x4000000000004000    // dtr1: the next page, at physical 0x304000, d = 0
	;;
	mov cr.ifa = r3
	movl r8 = 0x304000 | (2 << 9) | (1 << 5) | 1
	;;
	itr.d dtr[r7] = r8
	;;
	srlz.d
	movl r19 = main                 // rfi into `main` with psr.dt and psr.ic set
	mov r21 = psr
	;;
	dep r21 = -1, r21, 17, 1        // ipsr.dt
	;;
	dep r21 = -1, r21, 13, 1        // ipsr.ic
	;;
	mov cr.iip = r19
	mov cr.ipsr = r21
	mov cr.ifs = r0
	;;
	rfi
	;;
main:
	mov r26 = 0                     // dirty-bit faults
	mov r28 = 0                     // general exceptions
	movl r14 = 0x4000000000000000
	movl r15 = 0x4000000000004000
	mov r16 = 0x1234
	;;
	st8 [r14] = r16                 // Dirty Bit fault, then through with psr.da
	;;
	st8 [r15] = r16                 // psr.da is gone: a fault again
	;;
	{ .mii
	break.m 0x77                    // the handler sets ipsr.ed and resumes at the next bundle
	nop.i 0
	nop.i 0
	;;
	}
	{ .mii
	ld8.s r9 = [r14]                // deferred: psr.ed
	nop.i 0
	nop.i 0
	;;
	}
	ld8.s r10 = [r14]               // psr.ed is gone: a real load
	;;
	tnat.nz p6, p7 = r9
	tnat.nz p8, p9 = r10
	;;
(p6)	mov r11 = 1
(p7)	mov r11 = 0
(p8)	mov r12 = 1
(p9)	mov r12 = 0
	ld8 r13 = [r15]
	movl r27 = 1f                   // where the General Exception handler resumes
	movl r17 = 2f
	;;
	mov b6 = r17
	;;
	br.ia.sptk b6                   // Illegal Operation: no IA-32 instruction set
	;;
1:	movl r27 = 2f
	;;
	{ .mii
	break.m 0x78                    // the handler sets ipsr.di
	nop.i 0
	nop.i 0
	;;
	}
	br.ia.sptk b6                   // Disabled Instruction Set Transition
	;;
2:	movl r18 = 0xffff0008
	rsm 0x20000                     // psr.dt off: the halt port is physical
	;;
	srlz.d
	;;
	st8 [r18] = r0                  // halt
	;;
	.endp _start

	.align 32768
ivt:
	.org ivt + 0x2000               // Dirty Bit vector: count, and let the store through once
	adds r26 = 1, r26
	mov r29 = cr.ipsr
	;;
	dep r29 = -1, r29, 38, 1        // ipsr.da
	;;
	mov cr.ipsr = r29
	;;
	rfi
	;;
	.org ivt + 0x2c00               // Break vector: 0x77 sets ipsr.ed, 0x78 ipsr.di
	mov r29 = cr.ipsr
	mov r20 = cr.iim
	mov r22 = cr.iip
	;;
	cmp.eq p6, p7 = 0x77, r20
	adds r22 = 16, r22
	;;
(p6)	dep r29 = -1, r29, 43, 1        // ipsr.ed
(p7)	dep r29 = -1, r29, 22, 1        // ipsr.di
	;;
	dep r29 = 0, r29, 41, 2         // ipsr.ri: slot 0 of the next bundle
	;;
	mov cr.ipsr = r29
	mov cr.iip = r22
	;;
	rfi
	;;
	.org ivt + 0x5400               // General Exception: keep ISR, resume at r27
	mov r23 = cr.isr
	mov r29 = cr.ipsr
	;;
	cmp.eq p6, p7 = 0, r28
	dep r29 = 0, r29, 41, 2
	;;
(p6)	mov r24 = r23
(p7)	mov r25 = r23
	adds r28 = 1, r28
	mov cr.ipsr = r29
	mov cr.iip = r27
	;;
	rfi
	;;
	.org ivt + 0x8000
