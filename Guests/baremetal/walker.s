// walker.s: a bare-metal program for the VHPT walker and instruction translation. Region 1
// has the walker enabled; the short-format VHPT is mapped by a data translation register,
// and a load from a page that only the VHPT describes succeeds without any fault. Then the
// program maps its own code with an instruction translation register (16 MiB identity page),
// turns on psr.it, and jumps to an unmapped address: an Alternate Instruction TLB fault (region
// 2 has the walker off) whose handler records cr.ifa and halts.
	.text
	.global _start
	.proc _start
_start:
	movl r2 = ivt
	;;
	mov cr.iva = r2
	movl r3 = 0x380020              // VHPT entry for page 4 of region 1 (see below)
	movl r4 = 0x30c000 | (2 << 9) | (1 << 6) | (1 << 5) | 1
	;;
	st8 [r3] = r4
	movl r5 = 0x30c008
	movl r6 = 0x777
	;;
	st8 [r5] = r6
	movl r7 = 0x2000000000000000    // region 1: rid 0x100, 16 KiB pages, walker on
	movl r8 = (0x100 << 8) | (14 << 2) | 1
	;;
	mov rr[r7] = r8
	movl r9 = 0x2000000000100000 | (15 << 2) | 1    // pta: base, 32 KiB table, enabled
	movl r25 = 0x4000000000000000   // region 2: its own RID (0x200), walker off
	mov r26 = (0x200 << 8) | (14 << 2)
	;;
	mov rr[r25] = r26
	mov cr.pta = r9
	movl r10 = 0x2000000000100000   // the VHPT's own page: data translation register 0
	mov r11 = 14 << 2
	;;
	mov cr.ifa = r10
	mov cr.itir = r11
	movl r12 = 0x380000 | (2 << 9) | (1 << 6) | (1 << 5) | 1
	mov r13 = 0
	;;
	itr.d dtr[r13] = r12
	;;
	srlz.d
	;;
	ssm 0x22000                     // psr.dt, psr.ic
	;;
	srlz.d
	movl r14 = 0x2000000000010008   // page 4: hash 0x2000000000100020
	;;
	.global walked
walked:
	ld8 r15 = [r14]                 // no fault: the walker inserts the VHPT's translation
	;;
	rsm 0x20000                     // data translation off again
	;;
	srlz.d
	mov r16 = 0                     // region 0: identity, 16 MiB, RWX at level 0
	mov r17 = 24 << 2
	;;
	rsm 0x2000                      // psr.ic off to insert
	;;
	srlz.d
	mov cr.ifa = r16
	mov cr.itir = r17
	movl r18 = (3 << 9) | (1 << 6) | (1 << 5) | 1
	;;
	itr.i itr[r16] = r18
	;;
	srlz.i
	movl r19 = translated           // rfi into `translated` with psr.it and psr.ic set
	;;
	mov cr.iip = r19
	mov r21 = psr
	;;
	dep r21 = -1, r21, 36, 1        // ipsr.it
	;;
	dep r21 = -1, r21, 13, 1        // ipsr.ic
	;;
	mov cr.ipsr = r21
	mov cr.ifs = r0
	;;
	rfi
	;;
	.global translated
translated:
	movl r22 = 0x4000000000000040   // region 2: nothing maps it, walker off
	;;
	mov b6 = r22
	;;
	br.cond.sptk.many b6
	;;
	.endp _start

	.align 32768
ivt:
	.org ivt + 0x0c00               // Alternate Instruction TLB vector
	mov r20 = cr.ifa
	mov r23 = cr.isr
	movl r24 = 0xffff0008
	;;
	st8 [r24] = r0                  // halt
	;;
	.org ivt + 0x8000
