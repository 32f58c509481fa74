// oops.s: the Linux/ia64 (2.6.18) oops printer: die()'s banner and show_regs() for a kernel
// mode fault, and the pieces of show_stack()'s call trace. Hypervisor independent: output
// goes through print.s (console_write), symbols through symbols.s (symbolize).
//
//   oops_print(in0 = pt_regs, in1 = str ("Oops"), in2 = err (signed), in3 = die counter)
//       prints, as Linux's die() then show_regs() (kernel mode, before show_stack()):
//         <comm>[<pid>]: <str> <err %ld> [<counter>]
//         Modules linked in:
//         (empty line)
//         Pid: <pid>, CPU <cpu>, comm: <comm %20s>
//         psr : %016lx ifs : %016lx ip  : [<%016lx>]    Not tainted
//         ip is at <symbol>
//         unat/pfs/rsc, rnat/bsps/pr, ldrs/ccv/fpsr, csd/ssd, b0/b6/b7 lines (%016lx),
//         f6/f7, f8/f9, f10/f11 lines (%05lx%016lx of the spill image's high and low words),
//         r1/r2/r3, r8/r9/r10, r11/r12/r13, ... r29/r30/r31 lines (%016lx)
//       where ip = iip + psr.ri (psr bits 42:41), each label is 4 characters then ": ".
//   oops_call_trace_header()                    "\nCall Trace:\n"
//   oops_backtrace_frame(in0 = ip, in1 = sp, in2 = bsp)
//         " [<%016lx>] <symbol>\n" then 32 spaces and "sp=%016lx bsp=%016lx\n"
//   print_symbol(in0 = address)                 Linux's print_symbol("%s"): name+0xoff/0xsize
//                                               (%#lx, so 0 prints as 0x0), or 0x<address>
//                                               (%lx) when no symbol holds it
//
// pt_regs layout (this kernel's own, 512 bytes, 16-byte aligned; all fields 8 bytes except
// the floating-point spill images, which are 16: stf.spill's image, low word = significand,
// high word = sign and 17-bit exponent):
//     0 cr.ipsr      8 cr.ifs      16 cr.iip     24 ar.unat    32 ar.pfs     40 ar.rsc
//    48 ar.rnat     56 ar.bspstore 64 pr         72 loadrs     80 ar.ccv     88 ar.fpsr
//    96 ar.csd     104 ar.ssd     112 b0        120 b6        128 b7
//   136 comm (address of the task's NUL-terminated name)  144 pid   152 cpu
//   160 f6  176 f7  192 f8  208 f9  224 f10  240 f11
//   256 r1, 264 r2, ... 256 + 8 * (n - 1) rn ... 496 r31 (r4-r7 are stored but, as in
//   Linux's pt_regs, not printed)  504 (pad)

	.equ PT_IPSR, 0
	.equ PT_IFS, 8
	.equ PT_IIP, 16
	.equ PT_UNAT, 24
	.equ PT_PFS, 32
	.equ PT_RSC, 40
	.equ PT_RNAT, 48
	.equ PT_BSPSTORE, 56
	.equ PT_PR, 64
	.equ PT_LOADRS, 72
	.equ PT_CCV, 80
	.equ PT_FPSR, 88
	.equ PT_CSD, 96
	.equ PT_SSD, 104
	.equ PT_B0, 112
	.equ PT_B6, 120
	.equ PT_B7, 128
	.equ PT_COMM, 136
	.equ PT_PID, 144
	.equ PT_CPU, 152
	.equ PT_F6, 160
	.equ PT_R1, 256
	.equ PT_SIZE, 512

// print_str of a literal. Needs out0 and the caller's rp saved.
	.macro PSTR text
	.pushsection .data.oops_strings, "aw"
.Lstr\@:
	.asciz "\text"
	.popsection
	movl out0 = .Lstr\@
	;;
	br.call.sptk.many b0 = print_str
	;;
	.endm

// print_hex(value, 16) of a register.
	.macro PHEX16 reg
	mov out0 = \reg
	mov out1 = 16
	;;
	br.call.sptk.many b0 = print_hex
	;;
	.endm

// print_sdec of the pt_regs field at `off` (pt_regs in in0).
	.macro PSDEC_FIELD off
	adds r14 = \off, in0
	;;
	ld8 out0 = [r14]
	;;
	br.call.sptk.many b0 = print_sdec
	;;
	.endm

// The show_regs fields after "ip is at": label, pt_regs offset, kind (bit 0: last on its
// line; bit 1: a floating-point spill image).
	.macro FIELD label, off, kind
	.pushsection .data.oops_strings, "aw"
.Llabel\@:
	.asciz "\label"
	.popsection
	data8 .Llabel\@, \off, \kind
	.endm


	.data
	.align 8
oops_fields:
	FIELD "unat: ", PT_UNAT, 0
	FIELD "pfs : ", PT_PFS, 0
	FIELD "rsc : ", PT_RSC, 1
	FIELD "rnat: ", PT_RNAT, 0
	FIELD "bsps: ", PT_BSPSTORE, 0
	FIELD "pr  : ", PT_PR, 1
	FIELD "ldrs: ", PT_LOADRS, 0
	FIELD "ccv : ", PT_CCV, 0
	FIELD "fpsr: ", PT_FPSR, 1
	FIELD "csd : ", PT_CSD, 0
	FIELD "ssd : ", PT_SSD, 1
	FIELD "b0  : ", PT_B0, 0
	FIELD "b6  : ", PT_B6, 0
	FIELD "b7  : ", PT_B7, 1
	FIELD "f6  : ", PT_F6, 2
	FIELD "f7  : ", PT_F6 + 16, 3
	FIELD "f8  : ", PT_F6 + 32, 2
	FIELD "f9  : ", PT_F6 + 48, 3
	FIELD "f10 : ", PT_F6 + 64, 2
	FIELD "f11 : ", PT_F6 + 80, 3
	FIELD "r1  : ", PT_R1, 0
	FIELD "r2  : ", PT_R1 + 8, 0
	FIELD "r3  : ", PT_R1 + 16, 1
	FIELD "r8  : ", PT_R1 + 8 * 7, 0
	FIELD "r9  : ", PT_R1 + 8 * 8, 0
	FIELD "r10 : ", PT_R1 + 8 * 9, 1
	FIELD "r11 : ", PT_R1 + 8 * 10, 0
	FIELD "r12 : ", PT_R1 + 8 * 11, 0
	FIELD "r13 : ", PT_R1 + 8 * 12, 1
	FIELD "r14 : ", PT_R1 + 8 * 13, 0
	FIELD "r15 : ", PT_R1 + 8 * 14, 0
	FIELD "r16 : ", PT_R1 + 8 * 15, 1
	FIELD "r17 : ", PT_R1 + 8 * 16, 0
	FIELD "r18 : ", PT_R1 + 8 * 17, 0
	FIELD "r19 : ", PT_R1 + 8 * 18, 1
	FIELD "r20 : ", PT_R1 + 8 * 19, 0
	FIELD "r21 : ", PT_R1 + 8 * 20, 0
	FIELD "r22 : ", PT_R1 + 8 * 21, 1
	FIELD "r23 : ", PT_R1 + 8 * 22, 0
	FIELD "r24 : ", PT_R1 + 8 * 23, 0
	FIELD "r25 : ", PT_R1 + 8 * 24, 1
	FIELD "r26 : ", PT_R1 + 8 * 25, 0
	FIELD "r27 : ", PT_R1 + 8 * 26, 0
	FIELD "r28 : ", PT_R1 + 8 * 27, 1
	FIELD "r29 : ", PT_R1 + 8 * 28, 0
	FIELD "r30 : ", PT_R1 + 8 * 29, 0
	FIELD "r31 : ", PT_R1 + 8 * 30, 1
	data8 0, 0, 0

	.text

	.global oops_print
	.proc oops_print
oops_print:
	.prologue
	.save ar.pfs, r36
	alloc r36 = ar.pfs, 4, 6, 2, 0		// loc: pfs r36, rp r37, field r38, addr/ip r39,
	.save rp, r37				//      kind r40, comm r41
	mov r37 = b0
	.body
	adds r14 = PT_COMM, in0
	;;
	ld8 r41 = [r14]
	;;
	mov out0 = r41				// die(): "%s[%d]: %s %ld [%d]\n"
	;;
	br.call.sptk.many b0 = print_str
	;;
	PSTR "["
	PSDEC_FIELD PT_PID
	PSTR "]: "
	mov out0 = in1
	;;
	br.call.sptk.many b0 = print_str
	;;
	PSTR " "
	mov out0 = in2
	;;
	br.call.sptk.many b0 = print_sdec
	;;
	PSTR " ["
	mov out0 = in3
	;;
	br.call.sptk.many b0 = print_sdec
	;;
	PSTR "]\nModules linked in:\n\nPid: "	// show_regs(): print_modules(), then the task
	PSDEC_FIELD PT_PID
	PSTR ", CPU "
	PSDEC_FIELD PT_CPU
	PSTR ", comm: "
	mov out0 = r41
	mov out1 = 20
	;;
	br.call.sptk.many b0 = print_padded
	;;
	PSTR "\npsr : "
	adds r14 = PT_IPSR, in0
	;;
	ld8 r39 = [r14]
	;;
	PHEX16 r39
	PSTR " ifs : "
	adds r14 = PT_IFS, in0
	;;
	ld8 r39 = [r14]
	;;
	PHEX16 r39
	PSTR " ip  : [<"
	adds r14 = PT_IPSR, in0
	adds r15 = PT_IIP, in0
	;;
	ld8 r14 = [r14]
	ld8 r15 = [r15]
	;;
	extr.u r14 = r14, 41, 2			// psr.ri
	;;
	add r39 = r14, r15			// ip = iip + ri
	;;
	PHEX16 r39
	PSTR ">]    Not tainted\nip is at "
	mov out0 = r39
	;;
	br.call.sptk.many b0 = print_symbol
	;;
	PSTR "\n"
	movl r38 = oops_fields
	;;
.Loops_field:
	ld8 out0 = [r38], 8			// label
	;;
	cmp.eq p6, p0 = 0, out0
(p6)	br.cond.dpnt.few .Loops_done
	;;
	br.call.sptk.many b0 = print_str
	;;
	ld8 r14 = [r38], 8			// offset
	;;
	ld8 r40 = [r38], 8			// kind
	add r39 = in0, r14
	;;
	tbit.nz p7, p0 = r40, 1			// floating point: "%05lx" of the high word first
	adds r14 = 8, r39
	;;
(p7)	ld8 out0 = [r14]
(p7)	mov out1 = 5
	;;
(p7)	br.call.sptk.many b0 = print_hex
	;;
	ld8 out0 = [r39]
	mov out1 = 16
	;;
	br.call.sptk.many b0 = print_hex
	;;
	tbit.nz p6, p7 = r40, 0			// last on the line?
	;;
(p6)	br.call.sptk.many b0 = print_nl
	;;
	tbit.z p7, p0 = r40, 0
	;;
(p7)	movl out0 = oops_space
	;;
(p7)	br.call.sptk.many b0 = print_str
	;;					// (a call returns to the next bundle)
	br.cond.sptk.few .Loops_field
	;;
.Loops_done:
	mov ar.pfs = r36
	mov b0 = r37
	;;
	br.ret.sptk.many b0
	.endp oops_print

	.global oops_call_trace_header
	.proc oops_call_trace_header
oops_call_trace_header:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 2, 1, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	PSTR "\nCall Trace:\n"
	mov ar.pfs = r32
	mov b0 = r33
	;;
	br.ret.sptk.many b0
	.endp oops_call_trace_header

	.global oops_backtrace_frame
	.proc oops_backtrace_frame
oops_backtrace_frame:
	.prologue
	.save ar.pfs, r35
	alloc r35 = ar.pfs, 3, 2, 2, 0
	.save rp, r36
	mov r36 = b0
	.body
	;;
	PSTR " [<"
	PHEX16 in0
	PSTR ">] "
	mov out0 = in0
	;;
	br.call.sptk.many b0 = print_symbol
	;;
	PSTR "\n                                sp="
	PHEX16 in1
	PSTR " bsp="
	PHEX16 in2
	PSTR "\n"
	mov ar.pfs = r35
	mov b0 = r36
	;;
	br.ret.sptk.many b0
	.endp oops_backtrace_frame

	.global print_symbol
	.proc print_symbol
print_symbol:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 5, 2, 0		// loc: pfs r33, rp r34, name r35, offset r36, size r37
	.save rp, r34
	mov r34 = b0
	.body
	mov out0 = in0
	;;
	br.call.sptk.many b0 = symbolize
	;;
	mov r35 = r8
	mov r36 = r9
	mov r37 = r10
	cmp.eq p6, p0 = 0, r8
(p6)	br.cond.dpnt.few .Lps_raw
	;;
	mov out0 = r35
	;;
	br.call.sptk.many b0 = print_str
	;;
	PSTR "+0x"
	mov out0 = r36
	mov out1 = 1
	;;
	br.call.sptk.many b0 = print_hex
	;;
	PSTR "/0x"
	mov out0 = r37
	mov out1 = 1
	;;
	br.call.sptk.many b0 = print_hex
	;;
	br.cond.sptk.few .Lps_ret
	;;
.Lps_raw:
	PSTR "0x"
	mov out0 = in0
	mov out1 = 1
	;;
	br.call.sptk.many b0 = print_hex
	;;
.Lps_ret:
	mov ar.pfs = r33
	mov b0 = r34
	;;
	br.ret.sptk.many b0
	.endp print_symbol

	.data
oops_space:
	.asciz " "
