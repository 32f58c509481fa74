// deferral.s: a bare-metal program for ISR.ed. A data translation fault reports in ISR.ed
// the exception-deferral bit (pte.ed) of the instruction TLB entry that maps the faulting
// instruction, and 0 when instruction translation is off. Three loads from region 2 (no
// translation, walker off) take Alternate Data TLB faults: with psr.it and an ed=1 code
// page, with psr.it and the code page re-inserted with ed=0, and with psr.it off. The
// handler keeps each cr.isr (r21, r22, r23) and resumes at r30.
	.text
	.global _start
	.proc _start
_start:
	movl r2 = ivt
	;;
	mov cr.iva = r2
	movl r25 = 0x4000000000000000   // region 2: its own RID (0x200), walker off
	mov r26 = (0x200 << 8) | (14 << 2)
	;;
	mov rr[r25] = r26
	;;
	srlz.d
	mov r16 = 0                     // region 0: identity, 16 MiB, RWX at level 0, ed
	mov r17 = 24 << 2
	;;
	mov cr.ifa = r16
	mov cr.itir = r17
	movl r18 = (1 << 52) | (3 << 9) | (1 << 6) | (1 << 5) | 1
	;;
	itr.i itr[r16] = r18
	;;
	srlz.i
	movl r19 = deferred             // rfi into `deferred` with psr.it, dt and ic set
	;;
	mov cr.iip = r19
	mov r21 = psr
	;;
	dep r21 = -1, r21, 36, 1        // ipsr.it
	;;
	dep r21 = -1, r21, 17, 1        // ipsr.dt
	;;
	dep r21 = -1, r21, 13, 1        // ipsr.ic
	;;
	mov cr.ipsr = r21
	mov cr.ifs = r0
	;;
	rfi
	;;
	.global deferred
deferred:
	movl r30 = 1f
	;;
	ld8 r9 = [r25]                  // fault: the code page has ed = 1
	;;
1:	mov r21 = r31
	rsm 0x2000                      // psr.ic off to replace the code page's translation
	;;
	srlz.d
	mov cr.ifa = r16
	mov cr.itir = r17
	movl r18 = (3 << 9) | (1 << 6) | (1 << 5) | 1
	;;
	ptr.i r16, r17
	;;
	itr.i itr[r16] = r18
	;;
	srlz.i
	ssm 0x2000
	;;
	srlz.d
	movl r30 = 2f
	;;
	ld8 r9 = [r25]                  // fault: the code page has ed = 0
	;;
2:	mov r22 = r31
	movl r30 = 3f
	movl r19 = untranslated         // rfi with psr.it off (identity fetches)
	;;
	rsm 0x2000
	;;
	srlz.d
	mov cr.iip = r19
	mov r27 = psr
	;;
	dep r27 = 0, r27, 36, 1         // ipsr.it
	;;
	dep r27 = -1, r27, 13, 1        // ipsr.ic
	;;
	mov cr.ipsr = r27
	mov cr.ifs = r0
	;;
	rfi
	;;
untranslated:
	ld8 r9 = [r25]                  // fault: no instruction translation
	;;
3:	mov r23 = r31
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
	.org ivt + 0x1000               // Alternate Data TLB vector
	mov r31 = cr.isr
	mov r29 = cr.ipsr
	;;
	dep r29 = 0, r29, 41, 2         // resume at slot 0 of r30's bundle
	;;
	mov cr.ipsr = r29
	mov cr.iip = r30
	;;
	rfi
	;;
	.org ivt + 0x8000
