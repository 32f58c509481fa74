// sched_demo.s: the scheduler's demonstration. sched_demo() creates three CPU-bound tasks
// on the current vCPU ("compute", "shared", "sort": loops over lib/workloads.s routines
// that never call schedule()), runs the idle loop until all three have exited and reports:
//
//   sched: 3 tasks, <preemptions> preemptions, checksums <c0> <c1> <c2>      (%016lx)
//   sched: <name> pid <pid>: <slices> slices, <iterations> iterations        (each task)
//   sched: slices before the first exit: <s0> <s1> <s2> (interleaved|NOT interleaved)
//
// The checksums (the Swift tests recompute them):
//   compute: c = 0; for k in 0..<COMPUTE_ITERS: c = rotl(c, 7) + work_compute(1000 + 100 k)
//   shared:  c = 0; for k in 0..<SHARED_ITERS:  c = rotl(c, 7) + work_shared(buf, 4096, 1 + (k & 3))
//   sort:    c = 0; for k in 0..<SORT_ITERS:
//              x = k + 1; for i in 0..<SORT_COUNT: x = x * 6364136223846793005
//              + 1442695040888963407; a[i] = x >> 16        (mod 2^64)
//              c = rotl(c, 7) + work_sort(a, SORT_COUNT)
// "Interleaved": each task had more than one time slice before the first one finished.
	.include "xen.inc"

	COMPUTE_ITERS = 12
	SHARED_ITERS = 24
	SORT_ITERS = 5
	SORT_COUNT = 200

	.data
	.align 8
	.global demo_pids
demo_pids:	.skip 8 * 3
	.global demo_checksums
demo_checksums:	.skip 8 * 3
	.global demo_progress
demo_progress:	.skip 8 * 3
	.global demo_slices
demo_slices:	.skip 8 * 3		// each task's slices when it finished
	.global demo_first_slices
demo_first_slices:	.skip 8 * 3	// every task's slices when the first one finished
demo_finished:	data8 0
demo_entries:	data8 demo_compute, demo_shared, demo_sort
demo_names:	data8 str_compute, str_shared, str_sort
str_compute:	stringz "compute"
str_shared:	stringz "shared"
str_sort:	stringz "sort"
str_head:	stringz "sched: 3 tasks, "
str_preempt:	stringz " preemptions, checksums "
str_sp:		stringz " "
str_sched:	stringz "sched: "
str_pid:	stringz " pid "
str_slices:	stringz ": "
str_slices2:	stringz " slices, "
str_iters:	stringz " iterations\n"
str_first:	stringz "sched: slices before the first exit:"
str_ok:		stringz " (interleaved)\n"
str_bad:	stringz " (NOT interleaved)\n"

	.bss
	.align 16
demo_buffer:	.skip 4096
demo_array:	.skip 8 * SORT_COUNT

	.text
// sched_demo()
	.global sched_demo
	.proc sched_demo
sched_demo:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 8, 4, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	br.call.sptk.many b0 = sched_init_cpu
	;;
	// A fresh record (the demo may run more than once).
	movl r14 = demo_progress
	movl r15 = demo_first_slices
	movl r16 = demo_finished
	;;
	st8 [r14] = r0, 8
	st8 [r15] = r0, 8
	st8 [r16] = r0
	;;
	st8 [r14] = r0, 8
	st8 [r15] = r0, 8
	;;
	st8 [r14] = r0
	st8 [r15] = r0
	br.call.sptk.many b0 = sched_cpu_id
	;;
	mov r34 = r8			// cpu
	mov out0 = r8
	br.call.sptk.many b0 = sched_preemptions
	;;
	mov r35 = r8			// preemptions before
	mov r36 = 0			// i
	;;
1:
	movl r14 = demo_entries
	movl r15 = demo_names
	;;
	shladd r14 = r36, 3, r14
	shladd r15 = r36, 3, r15
	;;
	mov out0 = r34
	ld8 out1 = [r14]
	mov out2 = r36
	ld8 out3 = [r15]
	br.call.sptk.many b0 = task_create
	;;
	movl r14 = demo_pids
	;;
	shladd r14 = r36, 3, r14
	adds r36 = 1, r36
	;;
	st8 [r14] = r8
	cmp.ne p6, p0 = 3, r36
(p6)	br.cond.sptk.few 1b
	;;
	br.call.sptk.many b0 = sched_idle_until_empty
	;;
	mov out0 = r34
	br.call.sptk.many b0 = sched_preemptions
	;;
	sub r35 = r8, r35
	movl out0 = str_head
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r35
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_preempt
	br.call.sptk.many b0 = print_str
	;;
	mov r36 = 0
	;;
2:
	movl r14 = demo_checksums
	;;
	shladd r14 = r36, 3, r14
	;;
	ld8 out0 = [r14]
	mov out1 = 16
	br.call.sptk.many b0 = print_hex
	;;
	adds r36 = 1, r36
	;;
	cmp.eq p6, p0 = 3, r36
(p6)	br.cond.dpnt.few 3f
	movl out0 = str_sp
	br.call.sptk.many b0 = print_str
	;;
	br.sptk.many 2b
	;;
3:
	br.call.sptk.many b0 = print_nl
	;;
	mov r36 = 0
	;;
4:
	movl out0 = str_sched
	br.call.sptk.many b0 = print_str
	;;
	movl r14 = demo_names
	;;
	shladd r14 = r36, 3, r14
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = print_str
	;;
	movl out0 = str_pid
	br.call.sptk.many b0 = print_str
	;;
	movl r14 = demo_pids
	;;
	shladd r14 = r36, 3, r14
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_slices
	br.call.sptk.many b0 = print_str
	;;
	movl r14 = demo_slices
	;;
	shladd r14 = r36, 3, r14
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_slices2
	br.call.sptk.many b0 = print_str
	;;
	movl r14 = demo_progress
	;;
	shladd r14 = r36, 3, r14
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_iters
	br.call.sptk.many b0 = print_str
	;;
	adds r36 = 1, r36
	;;
	cmp.ne p6, p0 = 3, r36
(p6)	br.cond.sptk.few 4b
	;;
	movl out0 = str_first
	br.call.sptk.many b0 = print_str
	;;
	mov r36 = 0
	mov r37 = 1			// interleaved so far
	;;
5:
	movl out0 = str_sp
	br.call.sptk.many b0 = print_str
	;;
	movl r14 = demo_first_slices
	;;
	shladd r14 = r36, 3, r14
	;;
	ld8 out0 = [r14]
	;;
	cmp.gtu p7, p0 = 2, out0
	;;
(p7)	mov r37 = 0
	br.call.sptk.many b0 = print_dec
	;;
	adds r36 = 1, r36
	;;
	cmp.ne p6, p0 = 3, r36
(p6)	br.cond.sptk.few 5b
	;;
	cmp.ne p8, p9 = r37, r0
	;;
(p8)	movl out0 = str_ok
(p9)	movl out0 = str_bad
	br.call.sptk.many b0 = print_str
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	;;
	.endp sched_demo

// demo_finish(in0 = task index, in1 = checksum): records the result; the first task to
// finish takes the snapshot of everyone's slices.
	.proc demo_finish
demo_finish:
	.prologue
	.save ar.pfs, r34
	alloc r34 = ar.pfs, 2, 4, 1, 0
	.save rp, r35
	mov r35 = b0
	.body
	;;
	br.call.sptk.many b0 = preempt_disable
	;;
	movl r14 = demo_checksums
	;;
	shladd r14 = in0, 3, r14
	;;
	st8 [r14] = in1
	br.call.sptk.many b0 = sched_current_pid
	;;
	mov out0 = r8
	br.call.sptk.many b0 = sched_task_slices
	;;
	movl r14 = demo_slices
	;;
	shladd r14 = in0, 3, r14
	;;
	st8 [r14] = r8
	movl r36 = demo_finished
	;;
	ld8 r15 = [r36]
	;;
	cmp.ne p6, p0 = r15, r0
(p6)	br.cond.dpnt.few 2f
	mov r37 = 0
	;;
1:
	movl r14 = demo_pids
	;;
	shladd r14 = r37, 3, r14
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = sched_task_slices
	;;
	movl r14 = demo_first_slices
	;;
	shladd r14 = r37, 3, r14
	adds r37 = 1, r37
	;;
	st8 [r14] = r8
	cmp.ne p7, p0 = 3, r37
(p7)	br.cond.sptk.few 1b
	;;
2:
	ld8 r15 = [r36]
	;;
	adds r15 = 1, r15
	;;
	st8 [r36] = r15
	br.call.sptk.many b0 = preempt_enable
	;;
	mov ar.pfs = r34
	mov b0 = r35
	br.ret.sptk.many b0
	;;
	.endp demo_finish

// demo_progress_inc(in0 = task index)
	.proc demo_progress_inc
demo_progress_inc:
	.prologue
	.body
	movl r14 = demo_progress
	;;
	shladd r14 = r32, 3, r14
	;;
	ld8 r15 = [r14]
	;;
	adds r15 = 1, r15
	;;
	st8 [r14] = r15
	br.ret.sptk.many b0
	;;
	.endp demo_progress_inc

// The tasks: in0 = the task index.
	.proc demo_compute
demo_compute:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 4, 2, 0
	.save rp, r34
	mov r34 = b0
	.body
	mov r35 = 0			// k
	mov r36 = 0			// c
	;;
1:
	cmp.eq p6, p0 = COMPUTE_ITERS, r35
(p6)	br.cond.dpnt.few 2f
	;;
	mov r14 = 100
	;;
	setf.sig f6 = r14
	setf.sig f7 = r35
	;;
	xmpy.l f6 = f6, f7
	;;
	getf.sig r14 = f6
	;;
	adds out0 = 1000, r14
	br.call.sptk.many b0 = work_compute
	;;
	shrp r36 = r36, r36, 57
	;;
	add r36 = r36, r8
	mov out0 = in0
	br.call.sptk.many b0 = demo_progress_inc
	;;
	adds r35 = 1, r35
	br.sptk.many 1b
	;;
2:
	mov out0 = in0
	mov out1 = r36
	br.call.sptk.many b0 = demo_finish
	;;
	mov ar.pfs = r33
	mov b0 = r34
	br.ret.sptk.many b0
	;;
	.endp demo_compute

	.proc demo_shared
demo_shared:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 4, 3, 0
	.save rp, r34
	mov r34 = b0
	.body
	mov r35 = 0			// k
	mov r36 = 0			// c
	;;
1:
	cmp.eq p6, p0 = SHARED_ITERS, r35
(p6)	br.cond.dpnt.few 2f
	;;
	movl out0 = demo_buffer
	mov out1 = 4096
	and r14 = 3, r35
	;;
	adds out2 = 1, r14
	br.call.sptk.many b0 = work_shared
	;;
	shrp r36 = r36, r36, 57
	;;
	add r36 = r36, r8
	mov out0 = in0
	br.call.sptk.many b0 = demo_progress_inc
	;;
	adds r35 = 1, r35
	br.sptk.many 1b
	;;
2:
	mov out0 = in0
	mov out1 = r36
	br.call.sptk.many b0 = demo_finish
	;;
	mov ar.pfs = r33
	mov b0 = r34
	br.ret.sptk.many b0
	;;
	.endp demo_shared

	.proc demo_sort
demo_sort:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 4, 2, 0
	.save rp, r34
	mov r34 = b0
	.body
	mov r35 = 0			// k
	mov r36 = 0			// c
	;;
1:
	cmp.eq p6, p0 = SORT_ITERS, r35
(p6)	br.cond.dpnt.few 3f
	;;
	adds r14 = 1, r35		// x
	movl r15 = demo_array
	mov r16 = 0			// i
	mov r20 = SORT_COUNT
	movl r17 = 6364136223846793005
	movl r18 = 1442695040888963407
	;;
	setf.sig f32 = r17		// f32-f34: the registers work_compute keeps live too
	setf.sig f33 = r18
	;;
2:
	setf.sig f34 = r14
	;;
	xma.l f34 = f34, f32, f33
	;;
	getf.sig r14 = f34
	adds r16 = 1, r16
	;;
	shr.u r19 = r14, 16
	cmp.ne p7, p0 = r20, r16
	;;
	st8 [r15] = r19, 8
(p7)	br.cond.sptk.few 2b
	;;
	movl out0 = demo_array
	mov out1 = SORT_COUNT
	br.call.sptk.many b0 = work_sort
	;;
	shrp r36 = r36, r36, 57
	;;
	add r36 = r36, r8
	mov out0 = in0
	br.call.sptk.many b0 = demo_progress_inc
	;;
	adds r35 = 1, r35
	br.sptk.many 1b
	;;
3:
	mov out0 = in0
	mov out1 = r36
	br.call.sptk.many b0 = demo_finish
	;;
	mov ar.pfs = r33
	mov b0 = r34
	br.ret.sptk.many b0
	;;
	.endp demo_sort
