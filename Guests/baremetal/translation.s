// translation.s: a bare-metal program that turns on data translation (psr.dt) with its own
// region register and TLB entries. A store goes through an inserted translation; a load from
// an unmapped page takes an Alternate Data TLB fault (the VHPT walker is off), whose handler
// inserts the translation from cr.ifa/cr.itir and returns to retry it; a store to a page
// whose dirty bit is clear takes a Dirty Bit fault, handled the same way.
	.text
	.global _start
	.proc _start
_start:
	movl r2 = ivt
	;;
	mov cr.iva = r2
	movl r10 = 0x304008             // physical data the mapped load will find
	movl r11 = 0x1234
	;;
	st8 [r10] = r11
	movl r2 = 0x2000000000000000    // region 1: rid 0x100, 16 KiB pages, walker off
	movl r3 = (0x100 << 8) | (14 << 2)
	;;
	mov rr[r2] = r3
	movl r4 = 0x2000000000004000
	mov r5 = 14 << 2
	;;
	mov cr.ifa = r4
	mov cr.itir = r5
	movl r6 = 0x300000 | (2 << 9) | (1 << 6) | (1 << 5) | 1   // ppn, ar RW, d, a, p
	;;
	itc.d r6
	;;
	srlz.d
	;;
	ssm 0x22000                     // psr.dt and psr.ic
	;;
	srlz.d
	movl r7 = 0x2000000000004010
	mov r8 = 0x55
	;;
	st8 [r7] = r8                   // through the inserted translation: physical 0x300010
	;;
	probe.r r25 = r7, 3             // read at level 3 of a level-0 page: not allowed (0)
	probe.w r26 = r7, 0             // write at level 0: allowed (1)
	movl r12 = 0x2000000000008008
	;;
	.global mapped_load
mapped_load:
	ld8 r9 = [r12]                  // unmapped: Alternate Data TLB fault, mapped, retried
	movl r13 = 0x200000000000c000
	mov r14 = 0x66
	;;
	.global dirty_store
dirty_store:
	st8 [r13] = r14                 // page inserted with d = 0 by the handler: Dirty Bit fault
	;;
	rsm 0x20000                     // back to physical addressing to halt
	;;
	srlz.d
	movl r15 = 0xffff0008
	;;
	st8 [r15] = r0
	;;
	.endp _start

	.align 32768
ivt:
	.org ivt + 0x1000               // Alternate Data TLB vector
	mov r20 = cr.ifa
	mov r21 = cr.itir
	mov r22 = cr.isr
	;;
	extr.u r16 = r20, 14, 2         // page 2 (0x8000) maps to 0x304000; page 3 (0xc000) to 0x308000, clean
	;;
	cmp.eq p6, p7 = 2, r16
	;;
(p6)	movl r17 = 0x304000 | (2 << 9) | (1 << 6) | (1 << 5) | 1
(p7)	movl r17 = 0x308000 | (2 << 9) | (1 << 5) | 1
	;;
	itc.d r17
	;;
	rfi
	;;
	.org ivt + 0x2000               // Dirty Bit vector
	mov r23 = cr.isr
	mov r24 = cr.ifa
	movl r17 = 0x308000 | (2 << 9) | (1 << 6) | (1 << 5) | 1
	;;
	itc.d r17                       // the same page, now dirty
	;;
	rfi
	;;
	.org ivt + 0x8000
