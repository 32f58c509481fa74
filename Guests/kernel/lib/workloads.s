// workloads.s: AIM7-flavoured kernel workloads and the string/memory primitives they use.
// Hypervisor independent; nothing here calls the platform.
//
//   memcpy(in0 = dst, in1 = src, in2 = n) -> r8 = dst      8 bytes at a time when dst, src
//                                                          and n are all multiples of 8
//   memset(in0 = dst, in1 = byte, in2 = n) -> r8 = dst
//   strlen(in0 = string) -> r8 = length
//   work_compute(in0 = n) -> r8 = checksum     integer + FP: an LCG feeding a cubic
//                                              polynomial evaluated with fma (Horner)
//   work_shared(in0 = buf, in1 = bytes, in2 = n) -> r8 = checksum   memset/mix/memcpy/sum
//                                              over the buffer (8-byte aligned)
//   work_sort(in0 = array, in1 = count) -> r8 = checksum   sorts 64-bit unsigned keys
//                                              ascending in place (insertion sort)
//
// The exact definitions (a checksum is only useful if it can be recomputed elsewhere):
//
//   work_compute(n): x = 0x0123456789abcdef, isum = 0, acc = +0.0
//     for i in 0..<n:
//       x = x * 6364136223846793005 + 1442695040888963407            (mod 2^64)
//       isum += (x >> 32) * (i | 1)                                   (mod 2^64)
//       t = double(x >> 11) * 2^-53                                   (exact, in [0, 1))
//       p = fma(fma(fma(1.5, t, -2.25), t, 0.7), t, 3.1)              (fma(a,b,c) = a*b+c,
//       acc = fma(p, t, acc)                                           one double rounding)
//     return x ^ isum ^ bits(acc)
//
//   work_shared(buf, bytes, n): half = (bytes / 16) * 8, W = half / 8, sum = 0
//     for it in 0..<n:
//       memset(buf, (it + 1) & 0xff, half)
//       for w in 0..<W: buf64[w] = (buf64[w] + (w << 12)) ^ it
//       memcpy(buf + half, buf, half)
//       for w in 0..<W: sum = rotl(sum, 7) + buf64[W + w]
//     return sum
//
//   work_sort(a, count): sort a[0..<count] ascending (unsigned), then
//     sum = 0; for i in 0..<count: sum = rotl(sum, 7) + a[i]; return sum
//
// Scratch only: r8, r14-r20, p6-p8, f6-f15, f32-f35; no ar.lc (no counted loops).

	.text

	.global strlen
	.proc strlen
strlen:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 1, 0, 0
	.body
	mov r14 = in0
	mov r8 = 0
	;;
.Lsl_loop:
	ld1 r15 = [r14], 1
	;;
	cmp.eq p6, p0 = 0, r15
	;;
(p6)	br.ret.sptk.many b0
	adds r8 = 1, r8
	br.cond.sptk.few .Lsl_loop
	;;
	.endp strlen

	.global memcpy
	.proc memcpy
memcpy:
	.prologue
	.save ar.pfs, r35
	alloc r35 = ar.pfs, 3, 1, 0, 0
	.body
	mov r8 = in0
	mov r14 = in0				// dst
	mov r15 = in1				// src
	mov r16 = in2				// bytes left
	or r17 = in0, in1
	;;
	or r17 = r17, in2
	;;
	and r17 = 7, r17
	;;
	cmp.eq p6, p0 = 0, r17
(p6)	br.cond.dptk.few .Lmc_words
	;;
.Lmc_bytes:
	cmp.eq p7, p0 = 0, r16
	;;
(p7)	br.ret.sptk.many b0
	ld1 r18 = [r15], 1
	adds r16 = -1, r16
	;;
	st1 [r14] = r18, 1
	br.cond.sptk.few .Lmc_bytes
	;;
.Lmc_words:
	cmp.eq p7, p0 = 0, r16
	;;
(p7)	br.ret.sptk.many b0
	ld8 r18 = [r15], 8
	adds r16 = -8, r16
	;;
	st8 [r14] = r18, 8
	br.cond.sptk.few .Lmc_words
	;;
	.endp memcpy

	.global memset
	.proc memset
memset:
	.prologue
	.save ar.pfs, r35
	alloc r35 = ar.pfs, 3, 1, 0, 0
	.body
	mov r8 = in0
	mov r14 = in0				// dst
	zxt1 r15 = in1			// the byte
	mov r16 = in2				// bytes left
	or r17 = in0, in2
	;;
	mux1 r18 = r15, @brcst			// the byte in all 8 lanes
	and r17 = 7, r17
	;;
	cmp.eq p6, p0 = 0, r17
(p6)	br.cond.dptk.few .Lms_words
	;;
.Lms_bytes:
	cmp.eq p7, p0 = 0, r16
	;;
(p7)	br.ret.sptk.many b0
	adds r16 = -1, r16
	st1 [r14] = r15, 1
	br.cond.sptk.few .Lms_bytes
	;;
.Lms_words:
	cmp.eq p7, p0 = 0, r16
	;;
(p7)	br.ret.sptk.many b0
	adds r16 = -8, r16
	st8 [r14] = r18, 8
	br.cond.sptk.few .Lms_words
	;;
	.endp memset

	.global work_compute
	.proc work_compute
work_compute:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 1, 0, 0
	.body
	movl r14 = 0x0123456789abcdef		// x
	mov r15 = 0				// isum
	mov r16 = 0				// i
	mov r17 = in0				// n
	movl r18 = 6364136223846793005		// LCG multiplier
	movl r19 = 1442695040888963407		// LCG increment
	;;
	setf.sig f6 = r18
	setf.sig f7 = r19
	movl r18 = 0x3ff8000000000000		// 1.5
	movl r19 = 0xc002000000000000		// -2.25
	;;
	setf.d f12 = r18
	setf.d f13 = r19
	movl r18 = 0x3fe6666666666666		// 0.7
	movl r19 = 0x4008cccccccccccd		// 3.1
	;;
	setf.d f14 = r18
	setf.d f15 = r19
	movl r18 = 0x3ca0000000000000		// 2^-53
	;;
	setf.d f32 = r18
	mov f11 = f0				// acc = +0.0
	;;
.Lwc_loop:
	cmp.eq p6, p0 = r16, r17
(p6)	br.cond.dpnt.few .Lwc_done
	;;
	setf.sig f8 = r14
	;;
	xma.l f8 = f8, f6, f7			// x * a + c
	;;
	getf.sig r14 = f8
	;;
	shr.u r18 = r14, 32
	shr.u r19 = r14, 11
	or r20 = 1, r16
	;;
	setf.sig f34 = r18
	setf.sig f33 = r20
	setf.sig f9 = r19
	;;
	xmpy.l f35 = f34, f33			// (x >> 32) * (i | 1)
	fcvt.xuf.d f9 = f9			// double(x >> 11)
	;;
	getf.sig r18 = f35
	fmpy.d f9 = f9, f32			// t
	;;
	add r15 = r15, r18
	fma.d f10 = f12, f9, f13		// 1.5 t - 2.25
	;;
	fma.d f10 = f10, f9, f14		// .. t + 0.7
	;;
	fma.d f10 = f10, f9, f15		// .. t + 3.1
	;;
	fma.d f11 = f10, f9, f11		// acc += p t
	adds r16 = 1, r16
	br.cond.sptk.few .Lwc_loop
	;;
.Lwc_done:
	getf.d r18 = f11
	xor r8 = r14, r15
	;;
	xor r8 = r8, r18
	br.ret.sptk.many b0
	;;
	.endp work_compute

	.global work_shared
	.proc work_shared
work_shared:
	.prologue
	.save ar.pfs, r35
	alloc r35 = ar.pfs, 3, 6, 3, 0		// loc: pfs r35, rp r36, half r37, it r38, sum r39, W r40
	.save rp, r36
	mov r36 = b0
	.body
	shr.u r40 = in1, 4			// W
	mov r38 = 0
	mov r39 = 0
	;;
	shl r37 = r40, 3			// half
	;;
.Lws_iter:
	cmp.eq p6, p0 = r38, in2
(p6)	br.cond.dpnt.few .Lws_done
	;;
	adds r14 = 1, r38
	mov out0 = in0
	mov out2 = r37
	;;
	zxt1 out1 = r14
	;;
	br.call.sptk.many b0 = memset
	;;
	mov r14 = in0
	mov r15 = 0				// w
	;;
.Lws_mix:
	cmp.eq p7, p0 = r15, r40
(p7)	br.cond.dpnt.few .Lws_copy
	;;
	ld8 r16 = [r14]
	shl r17 = r15, 12
	;;
	add r16 = r16, r17
	;;
	xor r16 = r16, r38
	adds r15 = 1, r15
	;;
	st8 [r14] = r16, 8
	br.cond.sptk.few .Lws_mix
	;;
.Lws_copy:
	add out0 = in0, r37
	mov out1 = in0
	mov out2 = r37
	;;
	br.call.sptk.many b0 = memcpy
	;;
	add r14 = in0, r37
	mov r15 = 0
	;;
.Lws_sum:
	cmp.eq p7, p0 = r15, r40
(p7)	br.cond.dpnt.few .Lws_next
	;;
	ld8 r16 = [r14], 8
	shrp r39 = r39, r39, 57			// rotl 7
	adds r15 = 1, r15
	;;
	add r39 = r39, r16
	br.cond.sptk.few .Lws_sum
	;;
.Lws_next:
	adds r38 = 1, r38
	br.cond.sptk.few .Lws_iter
	;;
.Lws_done:
	mov r8 = r39
	mov ar.pfs = r35
	mov b0 = r36
	;;
	br.ret.sptk.many b0
	.endp work_shared

	.global work_sort
	.proc work_sort
work_sort:
	.prologue
	.save ar.pfs, r34
	alloc r34 = ar.pfs, 2, 1, 0, 0
	.body
	shladd r20 = in1, 3, in0		// end
	adds r15 = 8, in0			// &a[i], i = 1
	;;
.Lsort_outer:
	cmp.geu p6, p0 = r15, r20
(p6)	br.cond.dpnt.few .Lsort_sum
	;;
	ld8 r16 = [r15]				// key
	mov r17 = r15				// hole
	;;
.Lsort_inner:
	cmp.eq p7, p0 = r17, in0
(p7)	br.cond.dpnt.few .Lsort_place
	;;
	adds r18 = -8, r17
	;;
	ld8 r19 = [r18]
	;;
	cmp.geu p8, p0 = r16, r19		// a[j-1] <= key: the hole is the place
(p8)	br.cond.dpnt.few .Lsort_place
	;;
	st8 [r17] = r19
	mov r17 = r18
	br.cond.sptk.few .Lsort_inner
	;;
.Lsort_place:
	st8 [r17] = r16
	adds r15 = 8, r15
	br.cond.sptk.few .Lsort_outer
	;;
.Lsort_sum:
	mov r8 = 0
	mov r15 = in0
	;;
.Lsort_sum_loop:
	cmp.geu p6, p0 = r15, r20
(p6)	br.ret.sptk.many b0
	;;
	ld8 r16 = [r15], 8
	shrp r8 = r8, r8, 57
	;;
	add r8 = r8, r16
	br.cond.sptk.few .Lsort_sum_loop
	;;
	.endp work_sort
