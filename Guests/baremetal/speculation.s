// speculation.s: a bare-metal program for speculative-load deferral. Code runs through an
// instruction translation register with ed = 1, data through region 2 (one 16 KiB page
// mapped at 0x4000000000000000). (a) With cr.dcr = 0, ld8.s from an unmapped page raises the
// Alternate Data TLB fault with ISR.sp; the handler defers it the way an OS does (ipsr.ed on
// its rfi) and the load retires with NaT. (b) With dcr.dm set, the same load defers in
// hardware: no fault. (c) A misaligned ld8.s defers (psr.it and ITLB.ed). (d) Without
// instruction translation the misaligned ld8.s faults (Unaligned Data Reference, ISR.sp), and
// is deferred by the handler. Results: r26 faults taken, r21/r22 their ISRs, r11/r12/r15/r17
// the NaT bits of the four loads.
	.text
	.global _start
	.proc _start
_start:
	movl r2 = ivt
	;;
	mov cr.iva = r2
	movl r3 = 0x4000000000000000    // region 2: RID 0x200, 16 KiB pages, walker off
	mov r4 = (0x200 << 8) | (14 << 2)
	;;
	mov rr[r3] = r4
	;;
	srlz.d
	mov r5 = 14 << 2
	mov r6 = 0
	;;
	mov cr.ifa = r3                 // dtr0: region 2's first page at physical 0x300000
	mov cr.itir = r5
	movl r8 = 0x300000 | (2 << 9) | (1 << 6) | (1 << 5) | 1
	;;
	itr.d dtr[r6] = r8
	;;
	mov r16 = 0                     // itr0: region 0 identity, 16 MiB, RWX at level 0, ed
	mov r17 = 24 << 2
	;;
	mov cr.ifa = r16
	mov cr.itir = r17
	movl r18 = (1 << 52) | (3 << 9) | (1 << 6) | (1 << 5) | 1
	;;
	itr.i itr[r16] = r18
	;;
	srlz.i
	movl r19 = translated           // rfi with psr.it, psr.dt and psr.ic
	mov r20 = psr
	;;
	dep r20 = -1, r20, 36, 1
	;;
	dep r20 = -1, r20, 17, 1
	;;
	dep r20 = -1, r20, 13, 1
	;;
	mov cr.iip = r19
	mov cr.ipsr = r20
	mov cr.ifs = r0
	;;
	rfi
	;;
translated:
	mov r26 = 0
	movl r25 = 0x4000000000100000   // not mapped
	movl r14 = 0x4000000000000001   // mapped, misaligned for 8 bytes
	;;
	ld8.s r9 = [r25]                // (a) faults; deferred by the handler
	;;
	tnat.nz p6, p7 = r9
	;;
(p6)	mov r11 = 1
(p7)	mov r11 = 0
	mov r27 = 1 << 8                // dcr.dm: hardware defers TLB misses
	;;
	mov cr.dcr = r27
	;;
	srlz.d
	ld8.s r10 = [r25]               // (b) deferred, no fault
	;;
	tnat.nz p6, p7 = r10
	;;
(p6)	mov r12 = 1
(p7)	mov r12 = 0
	ld8.s r13 = [r14]               // (c) misaligned: deferred (psr.it, ITLB.ed)
	;;
	tnat.nz p6, p7 = r13
	;;
(p6)	mov r15 = 1
(p7)	mov r15 = 0
	rsm 0x2000                      // rfi with psr.it off for (d)
	;;
	srlz.d
	movl r19 = untranslated
	mov r20 = psr
	;;
	dep r20 = 0, r20, 36, 1
	;;
	dep r20 = -1, r20, 13, 1
	;;
	mov cr.iip = r19
	mov cr.ipsr = r20
	mov cr.ifs = r0
	;;
	rfi
	;;
untranslated:
	ld8.s r16 = [r14]               // (d) faults; deferred by the handler
	;;
	tnat.nz p6, p7 = r16
	;;
(p6)	mov r17 = 1
(p7)	mov r17 = 0
	movl r24 = 0xffff0008
	rsm 0x20000                     // psr.dt off: the halt port is physical
	;;
	srlz.d
	;;
	st8 [r24] = r0                  // halt
	;;
	.endp _start

	.align 32768
ivt:
	.org ivt + 0x1000               // Alternate Data TLB: keep ISR, defer (ipsr.ed), retry
	adds r26 = 1, r26
	mov r21 = cr.isr
	mov r29 = cr.ipsr
	;;
	dep r29 = -1, r29, 43, 1
	;;
	mov cr.ipsr = r29
	;;
	rfi
	;;
	.org ivt + 0x5a00               // Unaligned Data Reference: the same
	adds r26 = 1, r26
	mov r22 = cr.isr
	mov r29 = cr.ipsr
	;;
	dep r29 = -1, r29, 43, 1
	;;
	mov cr.ipsr = r29
	;;
	rfi
	;;
	.org ivt + 0x8000
