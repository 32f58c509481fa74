// print.s: formatted console output for the guest kernel, over the platform's
// console_write(in0 = buffer, in1 = length). Hypervisor independent.
//
// Routines (IA-64 software conventions: arguments in in0.., result (none) in r8, return
// with br.ret b0; r4-r7, r12, r1 and the preserved FP/branch registers are untouched):
//   print_str(in0 = NUL-terminated string)
//   print_hex(in0 = value, in1 = digits)   lowercase hex, zero padded to at least `digits`
//                                          (clamped to 1..16) digits, like printf("%0*lx")
//   print_dec(in0 = value)                 unsigned decimal, like "%lu"
//   print_sdec(in0 = value)                signed decimal, like Linux "%ld"
//   print_nl()                             "\n"
//   print_padded(in0 = string, in1 = width) right-aligned in `width`, like "%*s"
//
// Not reentrant: numbers are formatted in one static buffer (print_buf).
// Uses f6-f8 (scratch) for the multiply-high of the decimal conversion.

	.data
	.align 16
print_buf:
	.skip 32
print_spaces:
	.ascii "                                "	// 32 spaces
print_minus:
	.ascii "-"
print_newline:
	.ascii "\n"

	.text

// print_str(in0 = string): strlen, then one console_write.
	.global print_str
	.proc print_str
print_str:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 2, 2, 0
	.save rp, r34
	mov r34 = b0
	.body
	mov out0 = in0
	;;
	br.call.sptk.many b0 = strlen
	;;
	mov out0 = in0
	mov out1 = r8
	br.call.sptk.many b0 = console_write
	;;
	mov ar.pfs = r33
	mov b0 = r34
	;;
	br.ret.sptk.many b0
	.endp print_str

// print_hex(in0 = value, in1 = minimum digits): digits are produced from the end of
// print_buf backwards until the value is exhausted and at least in1 digits are out.
	.global print_hex
	.proc print_hex
print_hex:
	.prologue
	.save ar.pfs, r34
	alloc r34 = ar.pfs, 2, 2, 2, 0
	.save rp, r35
	mov r35 = b0
	.body
	movl r14 = print_buf + 32		// one past the last digit
	mov r15 = in0				// remaining value
	mov r16 = 0				// digits produced
	mov r17 = in1
	;;
	cmp.gtu p6, p0 = 1, r17			// 0 digits: 1
	cmp.ltu p7, p0 = 16, r17		// more than 16: 16
	;;
(p6)	mov r17 = 1
	;;
(p7)	mov r17 = 16
	;;
.Lhex_loop:
	and r18 = 15, r15
	adds r14 = -1, r14
	adds r16 = 1, r16
	shr.u r15 = r15, 4
	;;
	cmp.ltu p6, p7 = 9, r18			// a digit above 9: a letter
	cmp.ne p8, p0 = 0, r15			// value left
	cmp.ltu p9, p0 = r16, r17		// padding left
	;;
(p6)	adds r18 = 87, r18			// 'a' - 10
(p7)	adds r18 = 48, r18			// '0'
	;;
	st1 [r14] = r18
(p8)	br.cond.dptk.few .Lhex_loop
(p9)	br.cond.dptk.few .Lhex_loop
	;;
	mov out0 = r14
	mov out1 = r16
	br.call.sptk.many b0 = console_write
	;;
	mov ar.pfs = r34
	mov b0 = r35
	;;
	br.ret.sptk.many b0
	.endp print_hex

// print_dec(in0 = unsigned value). No divide on IA-64: q = mulhi(v, 0xcccccccccccccccd) >> 3
// is v / 10 for every 64-bit v; the digit is v - 10q.
	.global print_dec
	.proc print_dec
print_dec:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 2, 2, 0
	.save rp, r34
	mov r34 = b0
	.body
	movl r14 = print_buf + 32
	movl r19 = 0xcccccccccccccccd
	mov r15 = in0				// remaining value
	mov r16 = 0				// digits produced
	;;
	setf.sig f7 = r19
	;;
.Ldec_loop:
	setf.sig f6 = r15
	;;
	xmpy.hu f8 = f6, f7
	;;
	getf.sig r17 = f8
	;;
	shr.u r17 = r17, 3			// q = v / 10
	;;
	shladd r18 = r17, 2, r17		// 5q
	;;
	add r18 = r18, r18			// 10q
	;;
	sub r18 = r15, r18			// v - 10q
	adds r14 = -1, r14
	adds r16 = 1, r16
	;;
	adds r18 = 48, r18
	mov r15 = r17
	cmp.ne p8, p0 = 0, r17
	;;
	st1 [r14] = r18
(p8)	br.cond.dptk.few .Ldec_loop
	;;
	mov out0 = r14
	mov out1 = r16
	br.call.sptk.many b0 = console_write
	;;
	mov ar.pfs = r33
	mov b0 = r34
	;;
	br.ret.sptk.many b0
	.endp print_dec

// print_sdec(in0 = signed value): "-" and the magnitude (0 - v, which is right for the
// most negative value too when taken as unsigned).
	.global print_sdec
	.proc print_sdec
print_sdec:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 2, 2, 0
	.save rp, r34
	mov r34 = b0
	.body
	cmp.gt p6, p0 = r0, in0			// negative?
	movl out0 = print_minus
	mov out1 = 1
	;;
(p6)	br.call.sptk.many b0 = console_write
	;;
	cmp.gt p6, p7 = r0, in0
	;;
(p6)	sub out0 = r0, in0
(p7)	mov out0 = in0
	br.call.sptk.many b0 = print_dec
	;;
	mov ar.pfs = r33
	mov b0 = r34
	;;
	br.ret.sptk.many b0
	.endp print_sdec

// print_nl()
	.global print_nl
	.proc print_nl
print_nl:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 2, 2, 0
	.save rp, r33
	mov r33 = b0
	.body
	movl out0 = print_newline
	mov out1 = 1
	;;
	br.call.sptk.many b0 = console_write
	;;
	mov ar.pfs = r32
	mov b0 = r33
	;;
	br.ret.sptk.many b0
	.endp print_nl

// print_padded(in0 = string, in1 = width): (width - strlen) spaces, 32 at a time, then the
// string. A width at or below the length (or negative) pads nothing, like "%*s".
	.global print_padded
	.proc print_padded
print_padded:
	.prologue
	.save ar.pfs, r34
	alloc r34 = ar.pfs, 2, 4, 2, 0
	.save rp, r35
	mov r35 = b0
	.body
	mov out0 = in0
	;;
	br.call.sptk.many b0 = strlen
	;;
	mov r36 = r8				// length
	;;
	sub r37 = in1, r36			// spaces to write
	;;
.Lpad_loop:
	cmp.ge p6, p0 = 0, r37			// none left
	;;
(p6)	br.cond.dpnt.few .Lpad_done
	cmp.lt p7, p8 = 32, r37
	movl out0 = print_spaces
	;;
(p7)	mov out1 = 32
(p8)	mov out1 = r37
	;;
	sub r37 = r37, out1
	br.call.sptk.many b0 = console_write
	;;
	br.cond.sptk.few .Lpad_loop
	;;
.Lpad_done:
	mov out0 = in0
	mov out1 = r36
	br.call.sptk.many b0 = console_write
	;;
	mov ar.pfs = r34
	mov b0 = r35
	;;
	br.ret.sptk.many b0
	.endp print_padded
