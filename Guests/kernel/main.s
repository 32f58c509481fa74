// main.s: the kernel proper, in virtual mode. vCPU 0 arrives at virtual_start_boot: it moves
// the XSI area to XSI_BASE, installs the vector table and the event callback, sets up the
// console, prints the boot banner and runs the kernel; secondary vCPUs arrive at
// virtual_start_secondary.
	.include "xen.inc"

	.data
	.align 8
	.global current_comm
current_comm:	data8 comm_swapper
	.global current_pid
current_pid:	data8 0
	.global domain_id
domain_id:	data8 0
	.global vcpu_count
vcpu_count:	data8 0
	.global start_info
start_info:	data8 0
	.global memory_mb
memory_mb:	data8 0
	.align 16
callback_op:	data2 0		// CALLBACKTYPE_event
		data2 0
		data4 0
		data8 event_callback
bind_virq_op:	data4 VIRQ_ITC
		data4 0
		data4 0
		data4 0
shutdown_op:	data4 SHUTDOWN_poweroff
		data4 0

comm_swapper:	stringz "swapper"
str_banner1:	stringz "xdbg ia64 PV kernel: domain "
str_banner2:	stringz ", "
str_banner3:	stringz " vCPU(s), "
str_banner4:	stringz " MB\n"
str_dom0:	stringz " (dom0)"
str_domid:	stringz "domid="
str_ticks:	stringz "timer ticks: "
str_shutdown:	stringz "shutting down\n"

	.text
// virtual_start_boot: vCPU 0, first instructions in virtual mode.
	.global virtual_start_boot
	.proc virtual_start_boot
virtual_start_boot:
	.prologue
	.body
	// The XSI area where Linux and Mini-OS put it.
	movl r28 = XSI_BASE
	mov r2 = FW_HYPERCALL_SET_SHARED_INFO_VA
	;;
	break.m 0x1000
	;;
	movl r14 = ivt
	movl r15 = 0x0009804c0270033f   // Linux's default fpsr: traps disabled
	;;
	mov cr.iva = r14
	mov ar.fpsr = r15
	;;
	alloc r14 = ar.pfs, 0, 0, 0, 0
	;;
	br.call.sptk.many b0 = kernel_main
	;;
1:	br.sptk.many 1b
	;;
	.endp virtual_start_boot

	.proc kernel_main
kernel_main:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 4, 6, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	// start_info, from shared_info.arch.start_info_pfn.
	movl r14 = SI_START_INFO_PFN
	;;
	ld8 r14 = [r14]
	movl r15 = start_info
	;;
	shl r14 = r14, PAGE_SHIFT
	;;
	st8 [r15] = r14
	mov out0 = r14
	br.call.sptk.many b0 = console_init
	;;
	// Events: the upcall entry, then interruption collection on.
	movl out0 = callback_op
	br.call.sptk.many b0 = xen_inline
	;;
	mov out0 = CALLBACKOP_register
	mov out1 = r8
	mov out5 = HYPERVISOR_callback_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	movl r14 = XSI_PSR_IC
	mov r15 = 1
	;;
	st4 [r14] = r15
	br.call.sptk.many b0 = probe_machine
	;;
	br.call.sptk.many b0 = print_banner
	;;
	br.call.sptk.many b0 = timer_init
	;;
	br.call.sptk.many b0 = console_input_init
	;;
	br.call.sptk.many b0 = events_enable
	;;
	br.call.sptk.many b0 = memory_init
	;;
	br.call.sptk.many b0 = memzone_init
	;;
	br.call.sptk.many b0 = platform_init
	;;
	// Kernel tasks under the timer-preempted scheduler, the idle task being swapper.
	br.call.sptk.many b0 = sched_demo
	;;
	br.call.sptk.many b0 = crash_check
	;;
	movl r14 = console_is_dom0
	;;
	ld8 r14 = [r14]
	;;
	cmp.eq p6, p0 = r14, r0
(p6)	br.cond.dptk.few 1f
	br.call.sptk.many b0 = dom0_main
	;;
	br.sptk.many 2f
	;;
1:
	br.call.sptk.many b0 = domu_main
	;;
2:
	br.call.sptk.many b0 = idle_check
	;;
	br.call.sptk.many b0 = console_input_poll   // input that came since the last block
	;;
	movl out0 = str_ticks
	br.call.sptk.many b0 = print_str
	;;
	movl r14 = ticks
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = print_dec
	;;
	br.call.sptk.many b0 = print_nl
	;;
	movl out0 = str_shutdown
	br.call.sptk.many b0 = print_str
	;;
	movl out0 = shutdown_op
	br.call.sptk.many b0 = xen_inline
	;;
	mov out0 = SCHEDOP_shutdown
	mov out1 = r8
	mov out5 = HYPERVISOR_sched_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp kernel_main

// probe_machine: domain id (from the command line's domid=), vCPU count (VCPUOP_is_up
// until -ENOENT), memory (start_info.nr_pages).
	.proc probe_machine
probe_machine:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 4, 6, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = start_info
	;;
	ld8 r34 = [r14]
	;;
	adds r15 = 0x20, r34
	;;
	ld8 r15 = [r15]
	movl r16 = memory_mb
	;;
	shr.u r15 = r15, 6              // 16 KiB pages -> MB
	;;
	st8 [r16] = r15
	adds out0 = 0x80, r34
	movl out1 = str_domid
	br.call.sptk.many b0 = find_param
	;;
	cmp.eq p6, p0 = r8, r0
(p6)	br.cond.dpnt.few 1f
	mov out0 = r8
	br.call.sptk.many b0 = parse_dec
	;;
	movl r14 = domain_id
	;;
	st8 [r14] = r8
1:
	mov r35 = 0
	;;
2:
	mov out0 = VCPUOP_is_up
	mov out1 = r35
	mov out2 = 0
	mov out5 = HYPERVISOR_vcpu_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	cmp.lt p6, p0 = r8, r0
(p6)	br.cond.dpnt.few 3f
	adds r35 = 1, r35
	br.sptk.many 2b
	;;
3:
	movl r14 = vcpu_count
	;;
	st8 [r14] = r35
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp probe_machine

	.proc print_banner
print_banner:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 2, 2, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl out0 = str_banner1
	br.call.sptk.many b0 = print_str
	;;
	movl r14 = domain_id
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = print_dec
	;;
	movl r14 = console_is_dom0
	;;
	ld8 r14 = [r14]
	;;
	cmp.eq p6, p0 = r14, r0
(p6)	br.cond.dptk.few 1f
	movl out0 = str_dom0
	br.call.sptk.many b0 = print_str
	;;
1:
	movl out0 = str_banner2
	br.call.sptk.many b0 = print_str
	;;
	movl r14 = vcpu_count
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_banner3
	br.call.sptk.many b0 = print_str
	;;
	movl r14 = memory_mb
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_banner4
	br.call.sptk.many b0 = print_str
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp print_banner

// timer_init: VIRQ_ITC bound on this vCPU, cr.itv unmasked, the first deadline armed.
	.global timer_init
	.proc timer_init
timer_init:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 3, 6, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	mov r34 = cr.lid
	;;
	extr.u r34 = r34, 24, 8
	movl r14 = bind_virq_op
	;;
	adds r15 = 4, r14
	;;
	st4 [r15] = r34                 // vcpu
	mov out0 = r14
	br.call.sptk.many b0 = xen_inline
	;;
	mov out0 = EVTCHNOP_bind_virq
	mov out1 = r8
	mov out5 = HYPERVISOR_event_channel_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	movl r14 = bind_virq_op + 8
	movl r15 = timer_port
	;;
	ld4 r14 = [r14]
	shladd r15 = r34, 3, r15
	;;
	st8 [r15] = r14
	mov r16 = IA64_TIMER_VECTOR
	;;
	mov cr.itv = r16
	movl r17 = tick_interval
	;;
	ld8 r17 = [r17]
	mov r18 = ar.itc
	;;
	add r8 = r17, r18
	;;
	break.m HYPERPRIVOP_SET_ITM
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp timer_init

// events_enable: virtual psr.i = 1 (the mask byte), then SSM_I if something is pending.
	.global events_enable
	.proc events_enable
events_enable:
	.prologue
	.body
	movl r14 = XSI_PSR_I_ADDR
	;;
	ld8 r14 = [r14]
	;;
	st1.rel [r14] = r0
	adds r15 = -1, r14
	;;
	ld1 r15 = [r15]
	;;
	cmp.eq p6, p0 = r15, r0
(p6)	br.ret.sptk.many b0
	;;
	break.m HYPERPRIVOP_SSM_I
	;;
	br.ret.sptk.many b0
	.endp events_enable

// idle_until_ticks: the idle loop (swapper): block until 5 timer ticks have been seen.
	.proc idle_until_ticks
idle_until_ticks:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 2, 6, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
1:
	movl r14 = ticks
	;;
	ld8 r14 = [r14]
	;;
	cmp.leu p6, p0 = 5, r14
(p6)	br.cond.dpnt.few 2f
	mov out0 = SCHEDOP_block
	mov out1 = 0
	mov out5 = HYPERVISOR_sched_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	br.sptk.many 1b
	;;
2:
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp idle_until_ticks

// find_param(in0 = string, in1 = key) -> r8 = the character after the first occurrence of
// key, or 0.
	.global find_param
	.proc find_param
find_param:
	.prologue
	.save ar.pfs, r34
	alloc r34 = ar.pfs, 2, 1, 0, 0
	.body
	;;
	mov r14 = in0
	;;
1:
	mov r15 = r14
	mov r16 = in1
	;;
2:
	ld1 r17 = [r16]
	ld1 r18 = [r15]
	;;
	cmp.eq p6, p0 = r17, r0
(p6)	br.cond.dpnt.few 3f             // whole key matched
	cmp.ne p7, p0 = r17, r18
(p7)	br.cond.dptk.few 4f
	adds r15 = 1, r15
	adds r16 = 1, r16
	br.sptk.many 2b
	;;
3:
	mov r8 = r15
	mov ar.pfs = r34
	br.ret.sptk.many b0
	;;
4:
	ld1 r18 = [r14]
	;;
	cmp.eq p8, p0 = r18, r0
	adds r14 = 1, r14
(p8)	br.cond.dpnt.few 5f
	br.sptk.many 1b
	;;
5:
	mov r8 = 0
	mov ar.pfs = r34
	br.ret.sptk.many b0
	.endp find_param

// parse_dec(in0 = string) -> r8 = the decimal number at its start.
	.global parse_dec
	.proc parse_dec
parse_dec:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 1, 0, 0
	.body
	;;
	mov r8 = 0
	mov r14 = in0
	;;
1:
	ld1 r15 = [r14], 1
	;;
	adds r16 = -48, r15
	;;
	cmp.ltu p6, p0 = 9, r16
(p6)	br.cond.dpnt.few 2f
	shladd r17 = r8, 2, r8          // × 5
	;;
	shladd r8 = r17, 1, r16         // × 2 + digit
	br.sptk.many 1b
	;;
2:
	mov ar.pfs = r33
	br.ret.sptk.many b0
	.endp parse_dec

