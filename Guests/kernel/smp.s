// smp.s: secondary vCPUs, brought up the Xen/ia64 way: the boot rendezvous entry is
// registered with SAL_SET_VECTORS (type 2) and each vCPU is started with the boot
// rendezvous IPI (FW_HYPERCALL_IPI, vector 0xf3). vCPU hot-plug uses VCPUOP_down/up.
	.include "xen.inc"

	.data
	.align 8
	.global cpus_up
cpus_up:	data8 1		// vCPU 0 is up
	.global cpu_work_done
cpu_work_done:	data8 0
cpu_callback_op:	data2 0
		data2 0
		data4 0
		data8 event_callback
str_up1:	stringz "vcpu "
str_up2:	stringz " up: compute checksum "
str_down:	stringz " offline (VCPUOP_down), is_up = "
str_again:	stringz " online again (VCPUOP_up)\n"

	.text
// smp_boot(): start vCPUs 1..vcpu_count-1 and wait until all have checked in.
	.global smp_boot
	.proc smp_boot
smp_boot:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 4, 4, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = vcpu_count
	;;
	ld8 r34 = [r14]
	;;
	cmp.geu p6, p0 = 1, r34
(p6)	br.cond.dpnt.few 3f
	// SAL_SET_VECTORS(BOOT_RENDEZ = 2, entry, gp) through the SAL stub.
	movl r14 = SAL_ENTRY
	;;
	mov b6 = r14
	movl out0 = SAL_SET_VECTORS
	mov out1 = 2
	movl out2 = secondary_start
	mov out3 = 0
	br.call.sptk.many b0 = b6
	;;
	mov r35 = 1
	;;
1:
	cmp.geu p7, p0 = r35, r34
(p7)	br.cond.dpnt.few 2f
	mov r14 = r35
	mov r15 = XEN_SAL_BOOT_RENDEZ_VEC
	mov r2 = FW_HYPERCALL_IPI
	;;
	break.m 0x1000
	;;
	adds r35 = 1, r35
	br.sptk.many 1b
	;;
2:
	// Wait for every vCPU to check in.
	movl r14 = cpus_up
	;;
	ld8.acq r15 = [r14]
	;;
	cmp.geu p8, p0 = r15, r34
(p8)	br.cond.dptk.few 3f
	br.call.sptk.many b0 = wait_tick
	;;
	br.sptk.many 2b
	;;
3:
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp smp_boot

// virtual_start_secondary: a secondary vCPU, in virtual mode on its own stacks.
	.global virtual_start_secondary
	.proc virtual_start_secondary
virtual_start_secondary:
	.prologue
	.body
	movl r14 = ivt
	movl r15 = 0x0009804c0270033f
	;;
	mov cr.iva = r14
	mov ar.fpsr = r15
	;;
	alloc r14 = ar.pfs, 0, 0, 0, 0
	;;
	br.call.sptk.many b0 = secondary_main
	;;
1:	br.sptk.many 1b
	;;
	.endp virtual_start_secondary

	.proc secondary_main
secondary_main:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 4, 6, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl out0 = cpu_callback_op
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
	br.call.sptk.many b0 = timer_init
	;;
	br.call.sptk.many b0 = events_enable
	;;
	mov r34 = cr.lid
	;;
	extr.u r34 = r34, 24, 8
	// Some work of its own, then check in.
	mov out0 = 3000
	br.call.sptk.many b0 = work_compute
	;;
	mov r35 = r8
	movl out0 = str_up1
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r34
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_up2
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r35
	mov out1 = 16
	br.call.sptk.many b0 = print_hex
	;;
	br.call.sptk.many b0 = print_nl
	;;
	movl r14 = cpus_up
	;;
	fetchadd8.rel r15 = [r14], 1
	;;
	// Idle from now on.
1:
	br.call.sptk.many b0 = wait_tick
	;;
	br.sptk.many 1b
	;;
	.endp secondary_main

// hotplug_demo(): take the last vCPU down, check it is down, bring it back up.
	.global hotplug_demo
	.proc hotplug_demo
hotplug_demo:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 5, 6, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = vcpu_count
	;;
	ld8 r34 = [r14]
	;;
	cmp.geu p6, p0 = 1, r34
(p6)	br.cond.dpnt.few 9f
	adds r34 = -1, r34              // the last vCPU
	;;
	mov out0 = VCPUOP_down
	mov out1 = r34
	mov out2 = 0
	mov out5 = HYPERVISOR_vcpu_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	movl r14 = cpus_up
	;;
	fetchadd8.rel r15 = [r14], -1
	mov out0 = VCPUOP_is_up
	mov out1 = r34
	mov out2 = 0
	mov out5 = HYPERVISOR_vcpu_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	mov r35 = r8
	movl out0 = str_up1
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r34
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_down
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r35
	br.call.sptk.many b0 = print_dec
	;;
	br.call.sptk.many b0 = print_nl
	;;
	mov out0 = VCPUOP_up
	mov out1 = r34
	mov out2 = 0
	mov out5 = HYPERVISOR_vcpu_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	// It boots again through the rendezvous entry and checks in.
	movl r14 = vcpu_count
	;;
	ld8 r36 = [r14]
	;;
1:
	movl r14 = cpus_up
	;;
	ld8.acq r15 = [r14]
	;;
	cmp.geu p7, p0 = r15, r36
(p7)	br.cond.dptk.few 2f
	br.call.sptk.many b0 = wait_tick
	;;
	br.sptk.many 1b
	;;
2:
	movl out0 = str_up1
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r34
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_again
	br.call.sptk.many b0 = print_str
	;;
9:
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp hotplug_demo
