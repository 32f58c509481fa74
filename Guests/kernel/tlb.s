// tlb.s: data TLB misses. Region 0 is identity-mapped on demand, as Linux maps its regions:
// the Alternate Data TLB handler inserts a translation for the faulting page (16 KiB pages
// below 16 MiB, 16 MiB pages above, up to 1 GiB) with the ITC_D hyperprivop. The first page
// (NULL) and anything outside that range is a kernel paging fault: the oops path.
// Runs with virtual bank 0 and collection off; touches only r16-r31 (r8, which ITC_D takes,
// is saved around it) and the XSI area, which the hypervisor keeps mapped.
	.include "xen.inc"

	XSI_IFA = XSI_MAPPED + 0x8a0
	XSI_ITIR = XSI_MAPPED + 0x8a8
	HYPERPRIVOP_ITC_D = 0x5

	.text
	.align 32
	.global alt_dtlb_miss
	.proc alt_dtlb_miss
alt_dtlb_miss:
	.prologue
	.body
	mov r16 = pr
	movl r17 = XSI_IFA
	;;
	ld8 r18 = [r17]                 // the faulting address
	movl r20 = 16384
	movl r21 = 0x40000000
	;;
	shr.u r19 = r18, 61
	cmp.ltu p7, p0 = r18, r20       // the NULL page
	cmp.geu p8, p0 = r18, r21       // beyond the identity map
	;;
	cmp.ne p6, p0 = r19, r0         // not region 0
(p7)	br.cond.dpnt.few bad
(p8)	br.cond.dpnt.few bad
(p6)	br.cond.dpnt.few bad
	movl r22 = 0x1000000
	;;
	cmp.ltu p9, p10 = r18, r22
	;;
(p9)	mov r23 = 14 << 2               // below 16 MiB: 16 KiB pages
(p10)	mov r23 = 24 << 2               // above: 16 MiB pages
(p9)	movl r24 = ~0x3fff
	;;
(p10)	movl r24 = ~0xffffff
	;;
	and r25 = r18, r24              // page base = physical address (identity)
	movl r26 = XSI_ITIR
	;;
	st8 [r26] = r23
	st8 [r17] = r25
	movl r27 = 0x661                // present, write-back, accessed, dirty, RWX (pl 0)
	;;
	or r27 = r27, r25
	mov r28 = r8
	;;
	mov r8 = r27
	;;
	break.m HYPERPRIVOP_ITC_D
	;;
	mov r8 = r28
	mov pr = r16, -1
	;;
	break.m HYPERPRIVOP_RFI
	;;
bad:
	mov pr = r16, -1
	mov r16 = 0x1000                // the oops path, as the Alternate Data TLB vector
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.endp alt_dtlb_miss
