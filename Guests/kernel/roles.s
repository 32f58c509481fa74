// roles.s: what the kernel does as Dom0 and as a DomU, and its memory setup.
//   Dom0: brings up its vCPUs, sets each DomU's balloon target over the control channel,
//         waits for their answers and for them to shut down.
//   DomU: publishes its control channel, reads its disk (io=N: then the I/O load, blkfront.s),
//         brings up its vCPUs, runs the workloads (compute, shared-memory and sort), hot-plugs
//         a vCPU, obeys the balloon target.
	.include "xen.inc"

	.data
	.align 8
	.global free_base
free_base:	data8 0
	.global free_pages
free_pages:	data8 0
str_mem1:	stringz "memory: "
str_mem2:	stringz " free pages at 0x"
str_work1:	stringz "workload "
str_work2:	stringz ": checksum "
str_compute:	stringz "compute"
str_compute_opt:	stringz "compute="
str_shared:	stringz "shared"
str_io_opt:	stringz "io="
str_sort:	stringz "sort"
str_wait:	stringz "dom0: waiting for the guests to shut down\n"
str_alldown:	stringz "dom0: all guests have shut down\n"

	.text
// memory_init(): the page allocator gets every page between the end of the kernel image
// (and Dom0's start_info) and the last usable page (a DomU keeps its last three: start_info,
// xenstore, console), at most 1 GiB (the identity mapping).
	.global memory_init
	.proc memory_init
memory_init:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 4, 2, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = _end
	movl r15 = start_info
	movl r16 = 16383
	;;
	ld8 r15 = [r15]
	add r14 = r14, r16
	;;
	andcm r14 = r14, r16            // page-align the end of the image
	adds r17 = 0x20, r15
	;;
	ld8 r17 = [r17]                 // nr_pages
	movl r24 = console_is_dom0
	;;
	ld8 r24 = [r24]
	;;
	cmp.ne p6, p7 = r24, r0
	mov r23 = 16384
	;;
(p6)	add r14 = r15, r23              // Dom0: after start_info, which follows the image
(p6)	shl r18 = r17, PAGE_SHIFT       //       up to the end of memory
(p7)	mov r18 = r15                   // DomU: up to start_info
	movl r19 = 0x40000000
	;;
	cmp.ltu p8, p0 = r19, r18
	;;
(p8)	mov r18 = r19
	;;
	sub r20 = r18, r14
	;;
	shr.u r34 = r20, PAGE_SHIFT
	mov r35 = r14
	movl r21 = free_base
	movl r22 = free_pages
	;;
	st8 [r21] = r14
	st8 [r22] = r34
	mov out0 = r14
	mov out1 = r34
	br.call.sptk.many b0 = page_alloc_init
	;;
	movl out0 = str_mem1
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r34
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_mem2
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r35
	mov out1 = 1
	br.call.sptk.many b0 = print_hex
	;;
	br.call.sptk.many b0 = print_nl
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp memory_init

	.global dom0_main
	.proc dom0_main
dom0_main:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 4, 2, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	br.call.sptk.many b0 = smp_boot
	;;
	br.call.sptk.many b0 = control_dom0
	;;
	movl out0 = str_wait
	br.call.sptk.many b0 = print_str
	;;
	// Wait until no DomU is running any more.
1:
	mov r34 = 1
	;;
2:
	movl r14 = domu_count
	;;
	ld8 r14 = [r14]
	;;
	cmp.ltu p6, p0 = r14, r34
(p6)	br.cond.dpnt.few 4f             // every DomU checked: all down
	mov out0 = r34
	br.call.sptk.many b0 = domain_state
	;;
	// Gone, shut down (XEN_DOMINF_shutdown, bit 2) or dying (bit 0): next one.
	// Otherwise wait and rescan.
	tbit.z p7, p0 = r8, 31
	and r14 = 5, r8
	;;
(p7)	br.cond.dpnt.few 3f
	cmp.ne p8, p0 = r14, r0
(p8)	br.cond.dpnt.few 3f
	br.call.sptk.many b0 = wait_tick
	;;
	br.sptk.many 1b
	;;
3:
	adds r34 = 1, r34
	br.sptk.many 2b
	;;
4:
	movl out0 = str_alldown
	br.call.sptk.many b0 = print_str
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp dom0_main

	.global domu_main
	.proc domu_main
domu_main:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 6, 3, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	br.call.sptk.many b0 = control_init_domu
	;;
	// The virtual disk, read through the block front end on the boot vCPU.
	br.call.sptk.many b0 = blk_init
	;;
	br.call.sptk.many b0 = blk_demo
	;;
	// The I/O load (io=N rounds), still on the boot vCPU alone.
	movl r14 = start_info
	;;
	ld8 r14 = [r14]
	;;
	adds out0 = 0x80, r14
	movl out1 = str_io_opt
	br.call.sptk.many b0 = find_param
	;;
	cmp.eq p6, p0 = r8, r0
(p6)	br.cond.dptk.few 7f
	mov out0 = r8
	br.call.sptk.many b0 = parse_dec
	;;
	mov out0 = r8
	br.call.sptk.many b0 = blk_ioload
	;;
7:
	br.call.sptk.many b0 = smp_boot
	;;
	// Workloads: compute (compute=N iterations, 20000 by default), then shared-memory
	// traffic and a sort on allocated pages.
	movl r14 = start_info
	;;
	ld8 r14 = [r14]
	;;
	adds out0 = 0x80, r14
	movl out1 = str_compute_opt
	br.call.sptk.many b0 = find_param
	;;
	mov out0 = 20000
	cmp.eq p6, p0 = r8, r0
	;;
(p6)	br.cond.dptk.few 1f
	mov out0 = r8
	br.call.sptk.many b0 = parse_dec
	;;
	mov out0 = r8
1:
	br.call.sptk.many b0 = work_compute
	;;
	mov out0 = r8
	movl out1 = str_compute
	br.call.sptk.many b0 = report_work
	;;
	mov out0 = 4                    // 16 pages = 256 KiB
	br.call.sptk.many b0 = page_alloc
	;;
	mov r34 = r8
	mov out0 = r8
	movl out1 = 262144
	mov out2 = 8
	br.call.sptk.many b0 = work_shared
	;;
	mov out0 = r8
	movl out1 = str_shared
	br.call.sptk.many b0 = report_work
	;;
	// Sort 4096 keys made by the shared workload's buffer contents.
	mov out0 = r34
	mov out1 = 4096
	br.call.sptk.many b0 = work_sort
	;;
	mov out0 = r8
	movl out1 = str_sort
	br.call.sptk.many b0 = report_work
	;;
	mov out0 = r34
	mov out1 = 4
	br.call.sptk.many b0 = page_free
	;;
	br.call.sptk.many b0 = hotplug_demo
	;;
	br.call.sptk.many b0 = control_balloon_domu
	;;
	br.call.sptk.many b0 = balloon_up_check
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp domu_main

// report_work(in0 = checksum, in1 = name)
	.proc report_work
report_work:
	.prologue
	.save ar.pfs, r34
	alloc r34 = ar.pfs, 2, 2, 2, 0
	.save rp, r35
	mov r35 = b0
	.body
	;;
	movl out0 = str_work1
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = in1
	br.call.sptk.many b0 = print_str
	;;
	movl out0 = str_work2
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = in0
	mov out1 = 16
	br.call.sptk.many b0 = print_hex
	;;
	br.call.sptk.many b0 = print_nl
	;;
	mov ar.pfs = r34
	mov b0 = r35
	br.ret.sptk.many b0
	.endp report_work
