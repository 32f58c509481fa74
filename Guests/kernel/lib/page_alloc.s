// page_alloc.s: a buddy page allocator over one region of 16 KiB pages. Hypervisor
// independent; uses no other routine.
//
//   page_alloc_init(in0 = region base (16 KiB aligned), in1 = pages)   at most 65536 pages
//                                              (more are ignored); every page starts free
//   page_alloc(in0 = order) -> r8 = address of 2^order pages (aligned to their size
//                                              relative to the base), or 0 when none
//   page_free(in0 = address, in1 = order)      returns a block; merges with free buddies
//   page_free_count() -> r8 = free pages
//
// Orders 0..10 (a larger order allocates nothing and frees nothing). Deterministic: an
// allocation takes the smallest order that has a free block, the lowest-addressed such block,
// and splitting keeps the lower half (the upper halves become free blocks). So, absent any
// larger-order fragmentation, addresses come out lowest first.
//
// Metadata (static, 16 KiB + a few words): one bitmap per order, bit i of order k set when
// the block of pages [i * 2^k, (i + 1) * 2^k) is free as a whole. Order k's bitmap has
// 1024 >> k words and starts at pa_bitmap_end - (16384 >> k). Bits outside the region are
// never set, so a buddy beyond the region is never merged with. Not thread safe.
//
// Scratch only: r8, r14-r31, p6-p7.

	.equ PA_MAX_ORDER, 10
	.equ PA_PAGE_SHIFT, 14

	.bss
	.align 16
pa_bitmap:
	.skip 16384
pa_bitmap_end:
pa_count:				// free blocks per order, 0..10
	.skip 8 * (PA_MAX_ORDER + 1)
pa_count_end:
pa_base:
	.skip 8
pa_pages:
	.skip 8
pa_free:				// free pages
	.skip 8

// waddr = the bitmap word holding block idx of order k, bit = its bit number; t scratch.
	.macro PA_WORD waddr, bit, k, idx, t, bmend
	mov \t = 16384
	shr.u \waddr = \idx, 6
	and \bit = 63, \idx
	;;
	shr.u \t = \t, \k
	shladd \waddr = \waddr, 3, \bmend
	;;
	sub \waddr = \waddr, \t
	;;
	.endm

// Sets block idx's bit in order k's bitmap and counts it. Clobbers r26, r27, r29-r31.
	.macro PA_SET_FREE k, idx, t, bmend, counts
	PA_WORD r26, r27, \k, \idx, \t, \bmend
	ld8 r30 = [r26]
	mov r31 = 1
	shladd r29 = \k, 3, \counts
	;;
	shl r31 = r31, r27
	;;
	or r30 = r30, r31
	;;
	st8 [r26] = r30
	ld8 r30 = [r29]
	;;
	adds r30 = 1, r30
	;;
	st8 [r29] = r30
	;;
	.endm

	.text

	.global page_alloc_init
	.proc page_alloc_init
page_alloc_init:
	.prologue
	.save ar.pfs, r34
	alloc r34 = ar.pfs, 2, 1, 0, 0
	.body
	movl r14 = pa_bitmap
	movl r15 = pa_count_end
	;;
.Linit_clear:				// bitmaps and counts
	st8 [r14] = r0, 8
	;;
	cmp.ltu p6, p0 = r14, r15
(p6)	br.cond.sptk.few .Linit_clear
	;;
	mov r16 = in1				// n
	movl r17 = 65536
	;;
	cmp.ltu p6, p0 = r17, r16
	;;
(p6)	mov r16 = r17
	movl r18 = pa_base
	;;
	st8 [r18] = in0, 8
	;;
	st8 [r18] = r16, 8			// pa_pages
	;;
	st8 [r18] = r16				// pa_free
	movl r19 = pa_bitmap_end
	movl r20 = pa_count
	mov r21 = 0				// p: the first page not yet given out
	;;
.Linit_fill:
	cmp.geu p6, p0 = r21, r16
(p6)	br.ret.sptk.many b0
	mov r22 = PA_MAX_ORDER			// k: the largest block that fits at p
	;;
.Linit_order:
	mov r23 = 1
	;;
	shl r23 = r23, r22			// 2^k
	;;
	adds r24 = -1, r23
	add r25 = r21, r23
	;;
	and r24 = r24, r21			// p misaligned for 2^k?
	cmp.ltu p7, p0 = r16, r25		// or beyond the region?
	;;
	cmp.ne.or p7, p0 = 0, r24
	;;
(p7)	adds r22 = -1, r22
(p7)	br.cond.dptk.few .Linit_order
	;;
	shr.u r28 = r21, r22			// block index
	;;
	PA_SET_FREE r22, r28, r17, r19, r20
	add r21 = r21, r23
	br.cond.sptk.few .Linit_fill
	;;
	.endp page_alloc_init

	.global page_alloc
	.proc page_alloc
page_alloc:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 1, 0, 0
	.body
	mov r8 = 0
	;;
	cmp.ltu p6, p0 = PA_MAX_ORDER, in0
(p6)	br.ret.spnt.many b0
	movl r19 = pa_bitmap_end
	movl r20 = pa_count
	mov r22 = in0				// k
	;;
.Lalloc_order:				// the smallest order with a free block
	cmp.ltu p6, p0 = PA_MAX_ORDER, r22
(p6)	br.ret.spnt.many b0			// none: 0
	shladd r29 = r22, 3, r20
	;;
	ld8 r30 = [r29]
	;;
	cmp.eq p7, p0 = 0, r30
	;;
(p7)	adds r22 = 1, r22
(p7)	br.cond.dptk.few .Lalloc_order
	;;
	adds r30 = -1, r30
	mov r23 = 16384
	;;
	st8 [r29] = r30
	shr.u r23 = r23, r22
	;;
	sub r21 = r19, r23			// order k's first word
	;;
	mov r24 = r21
	;;
.Lalloc_scan:				// the first nonzero word (the count says there is one)
	ld8 r25 = [r24]
	;;
	cmp.eq p7, p0 = 0, r25
	;;
(p7)	adds r24 = 8, r24
(p7)	br.cond.dptk.few .Lalloc_scan
	;;
	sub r26 = r0, r25
	adds r28 = -1, r25
	;;
	and r26 = r26, r25			// the lowest set bit
	and r25 = r25, r28			// cleared
	;;
	adds r26 = -1, r26
	st8 [r24] = r25
	sub r28 = r24, r21
	;;
	popcnt r27 = r26			// its number
	shl r28 = r28, 3			// word offset * 64 / 8
	;;
	add r28 = r28, r27			// block index at order k
	;;
.Lalloc_split:				// keep the lower half, free the upper
	cmp.eq p7, p0 = r22, in0
(p7)	br.cond.dpnt.few .Lalloc_done
	;;
	adds r22 = -1, r22
	shl r28 = r28, 1
	;;
	adds r18 = 1, r28
	;;
	PA_SET_FREE r22, r18, r23, r19, r20
	br.cond.sptk.few .Lalloc_split
	;;
.Lalloc_done:
	movl r14 = pa_base
	mov r17 = 1
	adds r18 = PA_PAGE_SHIFT, in0
	;;
	ld8 r15 = [r14], 16			// base; then pa_free
	shl r17 = r17, in0
	shl r28 = r28, r18
	;;
	ld8 r16 = [r14]
	add r8 = r15, r28
	;;
	sub r16 = r16, r17
	;;
	st8 [r14] = r16
	br.ret.sptk.many b0
	;;
	.endp page_alloc

	.global page_free
	.proc page_free
page_free:
	.prologue
	.save ar.pfs, r34
	alloc r34 = ar.pfs, 2, 1, 0, 0
	.body
	;;
	cmp.ltu p6, p0 = PA_MAX_ORDER, in1
(p6)	br.ret.spnt.many b0
	movl r14 = pa_base
	movl r19 = pa_bitmap_end
	movl r20 = pa_count
	mov r22 = in1				// k
	mov r18 = 1
	;;
	ld8 r15 = [r14], 16			// base; then pa_free
	shl r18 = r18, in1
	;;
	ld8 r17 = [r14]
	sub r16 = in0, r15
	;;
	add r17 = r17, r18
	shr.u r16 = r16, PA_PAGE_SHIFT		// page number
	;;
	st8 [r14] = r17
	shr.u r28 = r16, in1			// block index
	;;
.Lfree_merge:
	cmp.eq p7, p0 = PA_MAX_ORDER, r22
(p7)	br.cond.dpnt.few .Lfree_set
	xor r18 = 1, r28			// the buddy
	;;
	PA_WORD r26, r27, r22, r18, r23, r19
	ld8 r30 = [r26]
	;;
	shr.u r31 = r30, r27
	;;
	tbit.z p7, p0 = r31, 0			// buddy not free: stop here
(p7)	br.cond.dpnt.few .Lfree_set
	;;
	mov r31 = 1
	shladd r29 = r22, 3, r20
	;;
	shl r31 = r31, r27
	ld8 r25 = [r29]
	;;
	andcm r30 = r30, r31			// take the buddy off its order
	adds r25 = -1, r25
	;;
	st8 [r26] = r30
	st8 [r29] = r25
	shr.u r28 = r28, 1			// the merged block, one order up
	adds r22 = 1, r22
	br.cond.sptk.few .Lfree_merge
	;;
.Lfree_set:
	PA_SET_FREE r22, r28, r23, r19, r20
	br.ret.sptk.many b0
	;;
	.endp page_free

	.global page_free_count
	.proc page_free_count
page_free_count:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 1, 0, 0
	.body
	movl r14 = pa_free
	;;
	ld8 r8 = [r14]
	br.ret.sptk.many b0
	;;
	.endp page_free_count
