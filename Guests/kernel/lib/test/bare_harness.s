// bare_harness.s: a bare-metal host for the guest kernel library's tests.
//
// Runs on BareMetalMachine (physical addressing, privilege level 0, linked with
// -Ttext=0x100000 -Tdata=0x200000). `_start` gives the library what the kernel's platform
// layer would: a memory stack (r12), a register stack backing store (ar.bspstore), the
// Linux default floating-point status (ar.fpsr: all traps disabled, sf0 round-to-nearest)
// and `console_write`. It then calls `lib_test_main` (provided by each test) and halts the
// machine with its r8 as exit code.
//
// console_write(in0 = buffer, in1 = length): stores each byte to the console port.

	.equ CONSOLE_PORT, 0xffff0000
	.equ HALT_PORT, 0xffff0008

	.bss
	.align 16
harness_rbs:				// register stack backing store: grows up
	.skip 65536
harness_stack:				// memory stack: grows down from harness_stack_top
	.skip 65536
harness_stack_top:
	.skip 16

	.text
	.global _start
	.proc _start
_start:
	.prologue
	.save rp, r0				// the outermost frame: a NULL rp ends unwinding
	.body
	movl r12 = harness_stack_top - 16	// 16 bytes of scratch area for callees
	mov ar.rsc = 0				// enforced lazy: bspstore may be written
	;;
	movl r14 = harness_rbs
	movl r15 = 0x0009804c0270033f		// the Linux default FPSR
	;;
	mov ar.bspstore = r14
	mov ar.fpsr = r15
	;;
	mov ar.rsc = 3				// eager
	mov r1 = r0				// no gp: the library never uses it
	;;
	br.call.sptk.many b0 = lib_test_main
	;;
	movl r14 = HALT_PORT
	;;
	st8 [r14] = r8				// halts: exit code = lib_test_main's result
	;;
.Lhang:
	br.cond.sptk.few .Lhang
	;;
	.endp _start

	.global console_write
	.proc console_write
console_write:
	.prologue
	.save ar.pfs, r34
	alloc r34 = ar.pfs, 2, 1, 0, 0
	.body
	movl r14 = CONSOLE_PORT
	mov r15 = in0
	mov r16 = in1
	;;
.Lcw_loop:
	cmp.eq p6, p0 = 0, r16
	;;
(p6)	br.ret.sptk.many b0
	ld1 r17 = [r15], 1
	adds r16 = -1, r16
	;;
	st1 [r14] = r17
	br.cond.sptk.few .Lcw_loop
	;;
	.endp console_write
