// fault.s: the fatal-fault path. Entered from the vector table with r16 = the vector's
// offset, collection off and virtual bank 0. Builds a pt_regs record (layout in lib/oops.s)
// below the interrupted stack pointer, prints the Linux/ia64 oops for it and crashes the
// domain with SCHEDOP_shutdown(crash).
	.include "xen.inc"

	PT_SIZE = 512

	.data
str_oops:	stringz "Oops"
str_bugcheck:	stringz "bugcheck!"
str_illegal:	stringz "IA-64 Illegal operation fault"
str_paging:	stringz "Unable to handle kernel paging request at virtual address "
str_null:	stringz "Unable to handle kernel NULL pointer dereference (address "
str_close:	stringz ")\n"
str_panic:	stringz "Kernel panic - not syncing: Attempted to kill the idle task!\n"
str_fault:	stringz "Fault "
str_mca:	stringz "MCA"
str_init:	stringz "INIT"
str_mca_panic:	stringz "Kernel panic - not syncing: MCA: unrecoverable machine check\n"
str_delay:	stringz "Delaying for 5 seconds...\n"
str_init_done:	stringz "INIT dump complete.  Please reboot now.\n"
	.align 8
	.global die_counter
die_counter:	data8 0
shutdown_reason:	data4 SHUTDOWN_crash
	.align 8
fault_ifa:	data8 0
fault_isr:	data8 0
fault_iim:	data8 0
	.align 8

	.text
	.global fatal_fault
	.proc fatal_fault
fatal_fault:
	.prologue
	.body
	// The interrupted frame stays intact: cover it, then work in a fresh one.
	break.m HYPERPRIVOP_COVER
	;;
	adds r17 = -PT_SIZE - 64, r12
	;;
	// r1-r15 are still the interrupted values.
	adds r18 = 256, r17
	;;
	st8 [r18] = r1, 8
	;;
	st8 [r18] = r2, 8
	;;
	st8 [r18] = r3, 8
	;;
	st8 [r18] = r4, 8
	;;
	st8 [r18] = r5, 8
	;;
	st8 [r18] = r6, 8
	;;
	st8 [r18] = r7, 8
	;;
	st8 [r18] = r8, 8
	;;
	st8 [r18] = r9, 8
	;;
	st8 [r18] = r10, 8
	;;
	st8 [r18] = r11, 8
	;;
	st8 [r18] = r12, 8
	;;
	st8 [r18] = r13, 8
	;;
	st8 [r18] = r14, 8
	;;
	st8 [r18] = r15, 8
	// r16-r31 of the interrupted bank, as the hypervisor saved them.
	movl r19 = XSI_MAPPED + 0x400
	mov r20 = 16
	;;
1:
	ld8 r21 = [r19], 8
	adds r20 = -1, r20
	;;
	st8 [r18] = r21, 8
	cmp.ne p6, p0 = r20, r0
(p6)	br.cond.sptk.few 1b
	;;
	// Control state.
	movl r19 = XSI_IPSR
	movl r20 = XSI_IIP
	movl r21 = XSI_IFS
	;;
	ld8 r19 = [r19]
	ld8 r20 = [r20]
	ld8 r21 = [r21]
	;;
	st8 [r17] = r19                 // ipsr
	adds r22 = 8, r17
	adds r23 = 16, r17
	;;
	st8 [r22] = r21                 // ifs
	st8 [r23] = r20                 // iip
	mov r24 = ar.unat
	mov r25 = ar.pfs
	mov r26 = ar.rsc
	adds r22 = 24, r17
	;;
	st8 [r22] = r24, 8
	;;
	st8 [r22] = r25, 8
	;;
	st8 [r22] = r26, 8
	mov r24 = ar.rnat
	mov r25 = ar.bspstore
	mov r26 = pr
	;;
	st8 [r22] = r24, 8
	;;
	st8 [r22] = r25, 8
	;;
	st8 [r22] = r26, 8
	mov r24 = ar.ccv
	mov r25 = ar.fpsr
	;;
	st8 [r22] = r0, 8               // loadrs
	;;
	st8 [r22] = r24, 8
	;;
	st8 [r22] = r25, 8
	mov r24 = b0
	mov r25 = b6
	mov r26 = b7
	;;
	st8 [r22] = r0, 8               // csd
	;;
	st8 [r22] = r0, 8               // ssd
	;;
	st8 [r22] = r24, 8
	;;
	st8 [r22] = r25, 8
	;;
	st8 [r22] = r26, 8
	// comm, pid, cpu of this vCPU's current task (sched.s's per-vCPU values).
	mov r25 = cr.lid
	movl r24 = percpu_current_comm
	movl r26 = percpu_current_pid
	;;
	extr.u r25 = r25, 24, 8
	;;
	shladd r24 = r25, 3, r24
	shladd r26 = r25, 3, r26
	;;
	ld8 r24 = [r24]
	ld8 r26 = [r26]
	;;
	st8 [r22] = r24, 8
	;;
	st8 [r22] = r26, 8
	;;
	st8 [r22] = r25, 8
	;;
	adds r22 = 160, r17
	;;
	stf.spill [r22] = f6, 16
	;;
	stf.spill [r22] = f7, 16
	;;
	stf.spill [r22] = f8, 16
	;;
	stf.spill [r22] = f9, 16
	;;
	stf.spill [r22] = f10, 16
	;;
	stf.spill [r22] = f11, 16
	// Continue on the stack below the record.
	adds r12 = -16, r17
	mov r4 = r17                    // pt_regs
	mov r5 = r16                    // vector offset
	movl r8 = XSI_MAPPED + 0x8a0    // ifa, kept before collection goes back on
	movl r9 = fault_ifa
	;;
	ld8 r8 = [r8]
	movl r10 = XSI_MAPPED + 0x888   // isr
	movl r11 = XSI_MAPPED + 0x8c0   // iim
	;;
	st8 [r9] = r8
	ld8 r10 = [r10]
	ld8 r11 = [r11]
	movl r14 = fault_isr
	movl r15 = fault_iim
	;;
	st8 [r14] = r10
	st8 [r15] = r11
	// Collection back on: printing may take TLB misses (the console ring), which the
	// hypervisor reflects only with psr.ic set.
	movl r14 = XSI_PSR_IC
	mov r15 = 1
	;;
	st4 [r14] = r15
	;;
	alloc r14 = ar.pfs, 0, 0, 4, 0
	;;
	// Machine check and INIT (pseudo vectors from platform.s): their own header.
	movl r9 = 0x10000
	;;
	cmp.eq p6, p0 = r9, r5
	adds r9 = 1, r9
	;;
	cmp.eq p7, p0 = r9, r5
(p6)	br.cond.dpnt.few mca_path
(p7)	br.cond.dpnt.few init_path
	// The cause line, then die(): Oops for translation faults, bugcheck for break,
	// the illegal-operation text for a General Exception with ISR.code 0.
	movl r6 = str_oops
	movl r7 = fault_isr
	;;
	ld8 r7 = [r7]
	movl r9 = 0x2c00
	movl r10 = 0x5400
	;;
	cmp.eq p6, p0 = r9, r5
	cmp.eq p7, p0 = r10, r5
	;;
(p6)	movl r6 = str_bugcheck
	;;
(p6)	movl r7 = fault_iim
	;;
(p6)	ld8 r7 = [r7]
	;;
	extr.u r8 = r7, 4, 4
	;;
	cmp.eq.and p7, p0 = r8, r0
	;;
(p7)	movl r6 = str_illegal
	;;
(p7)	mov r7 = 0
	mov r9 = 0x1400
	;;
	cmp.ltu p8, p0 = r9, r5         // vectors up to 0x1400: TLB misses
	;;
(p8)	br.cond.dptk.few 2f
	movl r8 = fault_ifa
	;;
	ld8 r9 = [r8]
	mov r10 = 16384
	;;
	cmp.ltu p9, p10 = r9, r10
	;;
(p9)	movl out0 = str_null
(p10)	movl out0 = str_paging
	;;
	br.call.sptk.many b0 = print_str
	;;
	movl r8 = fault_ifa
	;;
	ld8 out0 = [r8]
	mov out1 = 16
	br.call.sptk.many b0 = print_hex
	;;
	movl r8 = fault_ifa
	;;
	ld8 r9 = [r8]
	mov r10 = 16384
	;;
	cmp.ltu p9, p10 = r9, r10
	;;
(p9)	movl out0 = str_close
	;;
(p9)	br.call.sptk.many b0 = print_str
	;;
(p10)	br.call.sptk.many b0 = print_nl
	;;
	br.sptk.many 2f
	;;
mca_path:
	br.call.sptk.many b0 = mca_report
	;;
	movl r6 = str_mca
	mov r7 = 0
	br.sptk.many 2f
	;;
init_path:
	movl out0 = str_delay
	br.call.sptk.many b0 = print_str
	;;
	movl r6 = str_init
	mov r7 = 0
	;;
2:
	movl r8 = die_counter
	;;
	ld8 r9 = [r8]
	;;
	adds r9 = 1, r9
	;;
	st8 [r8] = r9
	mov out0 = r4
	mov out1 = r6
	mov out2 = r7
	mov out3 = r9
	br.call.sptk.many b0 = oops_print
	;;
	br.call.sptk.many b0 = oops_call_trace_header
	;;
	ld8 out0 = [r4], 16             // ip = iip + ri
	;;
	ld8 out0 = [r4]
	adds r4 = -16, r4
	;;
	ld8 r8 = [r4]                   // ipsr
	;;
	extr.u r8 = r8, 41, 2
	;;
	add out0 = out0, r8
	adds r8 = 256 + 8 * 11, r4      // r12
	;;
	ld8 out1 = [r8]
	mov out2 = ar.bsp
	br.call.sptk.many b0 = oops_backtrace_frame
	;;
	// Machine check: panic; INIT: the dump is complete.
	movl r9 = 0x10000
	;;
	cmp.eq p10, p0 = r9, r5
	adds r9 = 1, r9
	;;
	cmp.eq p11, p0 = r9, r5
(p10)	br.cond.dpnt.few mca_tail
(p11)	br.cond.dpnt.few init_tail
	adds r8 = 144, r4               // pt_regs pid
	;;
	ld8 r8 = [r8]
	;;
	cmp.ne p6, p0 = r8, r0
(p6)	br.cond.dpnt.few 3f
	movl out0 = str_panic
	br.call.sptk.many b0 = print_str
	;;
	br.sptk.many 3f
	;;
mca_tail:
	movl out0 = str_mca_panic
	br.call.sptk.many b0 = print_str
	;;
	br.sptk.many 3f
	;;
init_tail:
	movl out0 = str_init_done
	br.call.sptk.many b0 = print_str
	;;
3:
	movl out0 = shutdown_reason
	br.call.sptk.many b0 = xen_inline
	;;
	alloc r14 = ar.pfs, 0, 0, 6, 0
	;;
	mov out0 = SCHEDOP_shutdown
	mov out1 = r8
	mov out5 = HYPERVISOR_sched_op
	br.call.sptk.many b0 = xen_hypercall
	;;
4:
	br.sptk.many 4b
	;;
	.endp fatal_fault
