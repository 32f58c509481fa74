// sched.s: tasks and a round-robin scheduler with timer-driven preemption.
//
// Every vCPU has its own run queue (a ring of its runnable tasks), its own `current` and an
// idle task ("swapper", pid 0) that is the context sched_init_cpu() was called from. Tasks
// are created on one vCPU and stay there, so nothing here needs cross-CPU locking; the
// per-vCPU data is only touched with this vCPU's events masked. task_create() must be
// called on the vCPU the task is for (in0 = that vCPU's id).
//
//   sched_init_cpu()                         this context becomes the vCPU's idle task
//   task_create(in0 = cpu, in1 = entry, in2 = arg, in3 = name) -> r8 = pid (-1: no slot)
//                                            the task runs entry(arg), then task_exit()
//   schedule()                               voluntary switch: round robin among the
//                                            vCPU's runnable tasks; idle only if none
//   task_exit()                              marks current dead, never returns
//   sched_idle_loop()                        the idle task's loop: schedule() while tasks
//                                            exist, else SCHEDOP_block; never returns
//   sched_idle_until_empty()                 the same, returning once no task is left
//   sched_task_count(in0 = cpu) -> r8        live tasks on that vCPU (idle not counted)
//   sched_task_slices(in0 = pid) -> r8       time slices the live task has had (-1: none)
//   sched_preemptions(in0 = cpu) -> r8       timer preemptions on that vCPU so far
//   sched_current_pid() -> r8, sched_current_comm() -> r8
//   preempt_disable(), preempt_enable()      nestable; no timer preemption while > 0
//
// The per-vCPU arrays percpu_current_comm / percpu_current_pid (indexed by cr.lid bits
// 31:24) always hold the running task's name and pid (swapper / 0 before sched_init_cpu);
// fault.s reads them for its oops.
//
// Context switch (sched_switch_to, like Linux's ia64_switch_to): the callee-saved state of
// the software conventions (r4-r7 with their NaT bits, sp, r13, b0-b5, ar.pfs, ar.unat,
// ar.lc, pr, ar.fpsr, f2-f5, f16-f31) and the register stack: flushrs, ar.rsc = 0
// (enforced lazy), ar.bspstore/ar.rnat saved; then loadrs (discarding nothing: the dirty
// partition is empty), the new task's ar.bspstore, ar.rnat, ar.rsc. Its br.ret pops the
// new task's schedule() frame from its own backing store.
//
// Preemption: the event callback (events.s) ends in sched_event_exit. When the timer asked
// for a reschedule and the interrupted context is a task (not idle) running kernel code
// with preempt_count == 0, it saves the interrupted bank-1 r16-r31 (from the XSI area),
// iip and ipsr in a frame below the interrupted sp, points bank-1 r16 at that frame and
// makes the RFI go to preempt_trampoline (slot 0, events masked) instead. The trampoline
// saves everything else an arbitrary instruction may be using, calls schedule() through a
// helper whose br.call/br.ret pair (with a 96-register alloc in between) keeps the whole
// interrupted register-stack frame, CFM and ar.ec, restores everything and resumes the
// interrupted instruction with the RFI hyperprivop (bsw.0 first, so the RFI reloads bank 1
// from the XSI area).
	.include "xen.inc"

	MAX_CPUS = 8
	MAX_TASKS = 16
	TASK_STACK_SIZE = 0x10000	// per task: 32 KiB memory stack, then 32 KiB backing store
	MEM_STACK_SIZE = 0x8000

	// task_struct
	T_NEXT = 0			// the run-queue ring
	T_STATE = 8
	T_PID = 16
	T_COMM = 24
	T_CPU = 32
	T_SLICES = 40			// times switched to
	T_PREEMPTS = 48			// times preempted by the timer
	T_STACK = 56			// base of its stack area (0 for idle)
	T_CTX = 128			// the switch context
	TASK_SIZE = 640

	TASK_UNUSED = 0
	TASK_RUNNABLE = 1
	TASK_DEAD = 2
	TASK_ALLOC = 3

	// switch context, at T_CTX
	C_R4 = 0
	C_SP = 32
	C_R13 = 40
	C_B0 = 48
	C_PFS = 96
	C_UNAT = 104
	C_LC = 112
	C_PR = 120
	C_BSPSTORE = 128
	C_RNAT = 136
	C_RSC = 144
	C_NATS = 152
	C_FPSR = 160
	C_F = 176			// f2-f5, f16-f31: 20 spill images

	// preemption frame, below the interrupted sp
	A_R16 = 0			// bank-1 r16-r31 as interrupted
	A_NATS16 = 128			// their NaT bits (XSI bank-1 NaT word)
	A_IIP = 136
	A_IPSR = 144
	A_PR = 152
	A_UNAT = 160
	A_UNAT_SPILL = 168		// NaT bits of r1-r15
	A_B0 = 176			// b0-b7
	A_CCV = 240
	A_PFS = 248
	A_LC = 256
	A_FPSR = 264
	A_CSD = 272
	A_SSD = 280
	A_R1 = 288			// r1-r15
	A_F = 416			// f2-f127
	PREEMPT_FRAME = 2432

	XSI_BANK1_R16 = XSI_MAPPED + 0x400
	XSI_BANK1_NATS = XSI_MAPPED + 0x500
	PSR_IC_BIT = 13
	PSR_I_BIT = 14
	PSR_BN_BIT = 44

	.data
	.align 8
	.global percpu_current_comm
percpu_current_comm:
	.rept MAX_CPUS
	data8 sched_comm_swapper
	.endr
	.global percpu_current_pid
percpu_current_pid:
	.skip 8 * MAX_CPUS
	.global current_task
current_task:			// per vCPU: the running task (0 before sched_init_cpu)
	.skip 8 * MAX_CPUS
cpu_idle:			// per vCPU: its idle task
	.skip 8 * MAX_CPUS
rq_head:			// per vCPU: a task of the ring (0: empty)
	.skip 8 * MAX_CPUS
rq_last:			// per vCPU: the task picked last (the ring continues after it)
	.skip 8 * MAX_CPUS
nr_tasks:			// per vCPU: tasks in the ring
	.skip 8 * MAX_CPUS
	.global preempt_count
preempt_count:
	.skip 8 * MAX_CPUS
preemptions:
	.skip 8 * MAX_CPUS
next_pid:
	data8 1
sched_comm_swapper:
	stringz "swapper"

	.bss
	.align 16
idle_tasks:
	.skip TASK_SIZE * MAX_CPUS
	.align 16
tasks:
	.skip TASK_SIZE * MAX_TASKS
	.align 16384
task_stacks:
	.skip TASK_STACK_SIZE * MAX_TASKS

	.text

// sched_cpu_id() -> r8: this vCPU's id (cr.lid bits 31:24). A leaf without alloc.
	.global sched_cpu_id
	.proc sched_cpu_id
sched_cpu_id:
	.prologue
	.body
	mov r8 = cr.lid
	;;
	extr.u r8 = r8, 24, 8
	br.ret.sptk.many b0
	;;
	.endp sched_cpu_id

// sched_irq_save() -> r8 = the previous event mask byte; masks events. A leaf.
	.proc sched_irq_save
sched_irq_save:
	.prologue
	.body
	movl r14 = XSI_PSR_I_ADDR
	mov r15 = 1
	;;
	ld8 r14 = [r14]
	;;
	ld1 r8 = [r14]
	;;
	st1 [r14] = r15
	br.ret.sptk.many b0
	;;
	.endp sched_irq_save

// sched_irq_restore(in0 = mask byte from sched_irq_save). Unmasking delivers what is pending.
	.proc sched_irq_restore
sched_irq_restore:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 1, 0, 0
	.body
	movl r14 = XSI_PSR_I_ADDR
	;;
	ld8 r14 = [r14]
	cmp.ne p6, p0 = in0, r0
	;;
(p6)	st1 [r14] = in0
(p6)	br.ret.sptk.many b0
	;;
	st1.rel [r14] = r0
	adds r15 = -1, r14		// upcall_pending, just below the mask
	;;
	ld1 r15 = [r15]
	;;
	cmp.eq p7, p0 = r15, r0
(p7)	br.ret.sptk.many b0
	;;
	break.m HYPERPRIVOP_SSM_I
	;;
	br.ret.sptk.many b0
	;;
	.endp sched_irq_restore

// sched_init_cpu(): makes the running context this vCPU's idle task. Idempotent.
	.global sched_init_cpu
	.proc sched_init_cpu
sched_init_cpu:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 4, 1, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	br.call.sptk.many b0 = sched_irq_save
	;;
	mov r34 = r8
	mov r35 = cr.lid
	;;
	extr.u r35 = r35, 24, 8
	movl r14 = current_task
	;;
	shladd r14 = r35, 3, r14
	;;
	ld8 r15 = [r14]
	;;
	cmp.ne p6, p0 = r15, r0
(p6)	br.cond.dpnt.few 1f
	movl r16 = idle_tasks
	mov r17 = TASK_SIZE
	;;
	setf.sig f6 = r35
	setf.sig f7 = r17
	;;
	xmpy.l f6 = f6, f7
	;;
	getf.sig r17 = f6
	;;
	add r16 = r16, r17		// this vCPU's idle task
	;;
	st8 [r16] = r0			// next
	adds r17 = T_STATE, r16
	adds r18 = T_PID, r16
	;;
	mov r19 = TASK_RUNNABLE
	;;
	st8 [r17] = r19
	st8 [r18] = r0
	adds r17 = T_COMM, r16
	adds r18 = T_CPU, r16
	movl r19 = sched_comm_swapper
	;;
	st8 [r17] = r19
	st8 [r18] = r35
	adds r17 = T_SLICES, r16
	adds r18 = T_PREEMPTS, r16
	;;
	st8 [r17] = r0
	st8 [r18] = r0
	adds r17 = T_STACK, r16
	;;
	st8 [r17] = r0
	movl r17 = cpu_idle
	movl r18 = rq_head
	movl r19 = rq_last
	movl r20 = nr_tasks
	movl r21 = preempt_count
	movl r22 = preemptions
	;;
	shladd r17 = r35, 3, r17
	shladd r18 = r35, 3, r18
	shladd r19 = r35, 3, r19
	shladd r20 = r35, 3, r20
	shladd r21 = r35, 3, r21
	shladd r22 = r35, 3, r22
	;;
	st8 [r17] = r16
	st8 [r18] = r0
	st8 [r19] = r0
	st8 [r20] = r0
	st8 [r21] = r0
	st8 [r22] = r0
	;;
	st8 [r14] = r16			// current = idle
1:
	mov out0 = r34
	br.call.sptk.many b0 = sched_irq_restore
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	;;
	.endp sched_init_cpu

// task_create(in0 = cpu, in1 = entry, in2 = arg, in3 = name) -> r8 = pid, or -1
	.global task_create
	.proc task_create
task_create:
	.prologue
	.save ar.pfs, r36
	alloc r36 = ar.pfs, 4, 6, 1, 0
	.save rp, r37
	mov r37 = b0
	.body
	;;
	br.call.sptk.many b0 = sched_irq_save
	;;
	mov r38 = r8			// saved mask
	movl r39 = tasks		// the slot
	mov r40 = 0			// slot index
	mov r8 = -1
	;;
	// A free slot: its state UNUSED -> ALLOC.
1:
	cmp.eq p6, p0 = MAX_TASKS, r40
(p6)	br.cond.dpnt.few 9f
	adds r14 = T_STATE, r39
	mov ar.ccv = TASK_UNUSED
	mov r15 = TASK_ALLOC
	;;
	cmpxchg8.acq r16 = [r14], r15, ar.ccv
	;;
	cmp.eq p7, p0 = TASK_UNUSED, r16
(p7)	br.cond.dptk.few 2f
	adds r39 = TASK_SIZE, r39
	adds r40 = 1, r40
	br.sptk.many 1b
	;;
2:
	movl r14 = next_pid
	;;
	fetchadd8.acq r41 = [r14], 1	// the pid
	adds r15 = T_PID, r39
	adds r16 = T_COMM, r39
	;;
	st8 [r15] = r41
	st8 [r16] = in3
	adds r15 = T_CPU, r39
	adds r16 = T_SLICES, r39
	;;
	st8 [r15] = in0
	st8 [r16] = r0
	adds r15 = T_PREEMPTS, r39
	adds r16 = T_STACK, r39
	movl r17 = task_stacks
	;;
	shl r18 = r40, 16		// × TASK_STACK_SIZE
	st8 [r15] = r0
	;;
	add r17 = r17, r18		// stack area
	;;
	st8 [r16] = r17
	// The switch context: zeroes, then what task_start needs.
	adds r14 = T_CTX, r39
	mov r15 = 0
	;;
3:
	st8 [r14] = r0, 8
	adds r15 = 1, r15
	;;
	cmp.ne p6, p0 = (TASK_SIZE - T_CTX) / 8, r15
(p6)	br.cond.sptk.few 3b
	;;
	adds r14 = T_CTX + C_R4, r39
	adds r15 = T_CTX + C_R4 + 8, r39
	;;
	st8 [r14] = in1			// r4 = entry
	st8 [r15] = in2			// r5 = arg
	adds r14 = T_CTX + C_SP, r39
	movl r18 = MEM_STACK_SIZE - 16
	;;
	add r18 = r17, r18
	;;
	st8 [r14] = r18			// sp
	adds r14 = T_CTX + C_B0, r39
	movl r18 = task_start
	;;
	st8 [r14] = r18			// b0: where switch_to returns to
	adds r14 = T_CTX + C_PFS, r39
	mov r18 = ar.pfs
	;;
	dep r18 = 0, r18, 0, 62		// keep only ppl: an empty frame, ec = 0
	;;
	st8 [r14] = r18
	adds r14 = T_CTX + C_BSPSTORE, r39
	movl r18 = MEM_STACK_SIZE
	;;
	add r18 = r17, r18
	;;
	st8 [r14] = r18			// the backing store, above the memory stack
	adds r14 = T_CTX + C_RSC, r39
	mov r18 = 3			// eager
	;;
	st8 [r14] = r18
	adds r14 = T_CTX + C_FPSR, r39
	mov r18 = ar.fpsr
	;;
	st8 [r14] = r18
	// Into the vCPU's ring, at the tail (before the head).
	movl r14 = rq_head
	movl r15 = nr_tasks
	;;
	shladd r14 = in0, 3, r14
	shladd r15 = in0, 3, r15
	;;
	ld8 r16 = [r14]
	ld8 r17 = [r15]
	;;
	cmp.eq p6, p7 = r16, r0
	adds r17 = 1, r17
	;;
(p6)	st8 [r14] = r39			// the first: a ring of one
(p6)	st8 [r39] = r39
(p6)	br.cond.dpnt.few 5f
	mov r18 = r16
	;;
4:
	ld8 r19 = [r18]			// find the head's predecessor
	;;
	cmp.ne p8, p0 = r19, r16
	;;
(p8)	mov r18 = r19
(p8)	br.cond.sptk.few 4b
	;;
	st8 [r39] = r16			// new -> head
	;;
	st8 [r18] = r39			// tail -> new
5:
	st8 [r15] = r17
	adds r14 = T_STATE, r39
	mov r18 = TASK_RUNNABLE
	;;
	st8.rel [r14] = r18
	mov r8 = r41
	;;
9:
	mov r41 = r8
	mov out0 = r38
	br.call.sptk.many b0 = sched_irq_restore
	;;
	mov r8 = r41
	mov ar.pfs = r36
	mov b0 = r37
	br.ret.sptk.many b0
	;;
	.endp task_create

// task_start: a new task's first instructions, reached by sched_switch_to's br.ret with an
// empty frame, r8 = the previous task, r4 = entry, r5 = arg, events masked.
	.proc task_start
task_start:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 1, 1, 0
	.body
	;;
	mov out0 = r8
	br.call.sptk.many b0 = sched_switch_finish
	;;
	br.call.sptk.many b0 = events_enable
	;;
	mov out0 = r5
	mov b6 = r4
	;;
	br.call.sptk.many b0 = b6
	;;
	br.call.sptk.many b0 = task_exit
	;;
1:	br.sptk.many 1b
	;;
	.endp task_start

// sched_switch_finish(in0 = the task switched away from): the end of every switch, in the
// new task: frees a dead predecessor's slot, preempt_count--.
	.proc sched_switch_finish
sched_switch_finish:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 1, 0, 0
	.body
	adds r14 = T_STATE, in0
	;;
	ld8 r15 = [r14]
	;;
	cmp.eq p6, p0 = TASK_DEAD, r15
	;;
(p6)	st8.rel [r14] = r0		// TASK_UNUSED: its stack is no longer in use
	mov r16 = cr.lid
	;;
	extr.u r16 = r16, 24, 8
	movl r17 = preempt_count
	;;
	shladd r17 = r16, 3, r17
	;;
	ld8 r18 = [r17]
	;;
	adds r18 = -1, r18
	;;
	st8 [r17] = r18
	mov ar.pfs = r33
	br.ret.sptk.many b0
	;;
	.endp sched_switch_finish

// schedule(): picks the next runnable task of this vCPU (round robin after the last one
// picked; idle when none) and switches to it. Events are masked meanwhile and restored to
// what they were for this task when it runs again.
	.global schedule
	.proc schedule
schedule:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 6, 2, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	br.call.sptk.many b0 = sched_irq_save
	;;
	mov r34 = r8			// the mask to restore
	mov r35 = cr.lid
	;;
	extr.u r35 = r35, 24, 8		// cpu
	movl r14 = preempt_count
	movl r15 = need_resched
	;;
	shladd r14 = r35, 3, r14
	shladd r15 = r35, 3, r15
	;;
	ld8 r16 = [r14]
	st8 [r15] = r0
	;;
	adds r16 = 1, r16
	;;
	st8 [r14] = r16
	movl r14 = current_task
	movl r15 = rq_head
	movl r16 = rq_last
	movl r17 = cpu_idle
	;;
	shladd r14 = r35, 3, r14
	shladd r15 = r35, 3, r15
	shladd r16 = r35, 3, r16
	shladd r17 = r35, 3, r17
	;;
	ld8 r36 = [r14]			// prev
	ld8 r18 = [r15]			// head
	ld8 r19 = [r16]			// last
	ld8 r37 = [r17]			// idle: the choice if the ring is empty
	;;
	cmp.eq p6, p0 = r36, r0
(p6)	br.cond.dpnt.few 8f		// sched_init_cpu not called: nothing to do
	;;
	cmp.eq p6, p0 = r18, r0
(p6)	br.cond.dpnt.few 2f
	cmp.eq p7, p8 = r19, r0
	;;
(p7)	mov r20 = r18
(p8)	ld8 r20 = [r19]			// last->next
	;;
	mov r21 = r20			// where the search started
	;;
1:
	adds r22 = T_STATE, r20
	;;
	ld8 r22 = [r22]
	;;
	cmp.eq p9, p0 = TASK_RUNNABLE, r22
(p9)	br.cond.dptk.few 3f
	ld8 r20 = [r20]
	;;
	cmp.ne p10, p0 = r20, r21
(p10)	br.cond.sptk.few 1b
	br.sptk.many 2f
	;;
3:
	mov r37 = r20
	;;
	st8 [r16] = r20			// last = next
2:
	cmp.eq p6, p0 = r36, r37
(p6)	br.cond.dpnt.few 7f		// prev again: no switch
	// Switch: next is current from here on.
	st8 [r14] = r37
	adds r18 = T_SLICES, r37
	adds r19 = T_COMM, r37
	adds r20 = T_PID, r37
	;;
	ld8 r21 = [r18]
	ld8 r19 = [r19]
	ld8 r20 = [r20]
	movl r22 = percpu_current_comm
	movl r23 = percpu_current_pid
	;;
	adds r21 = 1, r21
	shladd r22 = r35, 3, r22
	shladd r23 = r35, 3, r23
	;;
	st8 [r18] = r21
	st8 [r22] = r19
	st8 [r23] = r20
	mov out0 = r36
	mov out1 = r37
	br.call.sptk.many b0 = sched_switch_to
	;;
	// Running again (r8 = the task we came from).
	mov out0 = r8
	br.call.sptk.many b0 = sched_switch_finish
	;;
	br.sptk.many 8f
	;;
7:
	movl r14 = preempt_count
	;;
	shladd r14 = r35, 3, r14
	;;
	ld8 r16 = [r14]
	;;
	adds r16 = -1, r16
	;;
	st8 [r14] = r16
8:
	mov out0 = r34
	br.call.sptk.many b0 = sched_irq_restore
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	;;
	.endp schedule

// sched_switch_to(r32 = prev, r33 = next) -> r8 = prev, in next's context. No alloc: the
// frame is schedule()'s two outputs, the same size in every task, so the backing store
// pointer saved here is where the new task's schedule() frame sits below.
	.proc sched_switch_to
sched_switch_to:
	.prologue
	.body
	adds r14 = T_CTX + C_R4, r32
	adds r15 = T_CTX + C_R4 + 8, r32
	mov r16 = ar.unat
	;;
	st8.spill [r14] = r4, 16
	;;
	st8.spill [r15] = r5, 16
	;;
	st8.spill [r14] = r6, 16
	;;
	st8.spill [r15] = r7, 16
	;;
	mov r17 = ar.unat		// the NaT bits of r4-r7
	st8 [r14] = r12, 16		// C_SP
	st8 [r15] = r13, 16		// C_R13
	mov r18 = b0
	mov r19 = b1
	;;
	st8 [r14] = r18, 16
	st8 [r15] = r19, 16
	mov r18 = b2
	mov r19 = b3
	;;
	st8 [r14] = r18, 16
	st8 [r15] = r19, 16
	mov r18 = b4
	mov r19 = b5
	;;
	st8 [r14] = r18, 16
	st8 [r15] = r19, 16
	mov r18 = ar.pfs
	;;
	st8 [r14] = r18, 16		// C_PFS
	st8 [r15] = r16, 16		// C_UNAT
	mov r18 = ar.lc
	mov r19 = pr
	;;
	st8 [r14] = r18, 16		// C_LC
	st8 [r15] = r19, 16		// C_PR
	mov r20 = ar.rsc
	;;
	flushrs
	;;
	mov ar.rsc = 0			// enforced lazy: bspstore and rnat are stable
	;;
	mov r18 = ar.bspstore
	mov r19 = ar.rnat
	;;
	st8 [r14] = r18, 16		// C_BSPSTORE
	st8 [r15] = r19, 16		// C_RNAT
	;;
	st8 [r14] = r20, 16		// C_RSC
	st8 [r15] = r17, 16		// C_NATS
	mov r18 = ar.fpsr
	;;
	st8 [r14] = r18			// C_FPSR
	adds r14 = T_CTX + C_F, r32
	adds r15 = T_CTX + C_F + 16, r32
	;;
	stf.spill [r14] = f2, 32
	stf.spill [r15] = f3, 32
	;;
	stf.spill [r14] = f4, 32
	stf.spill [r15] = f5, 32
	;;
	stf.spill [r14] = f16, 32
	stf.spill [r15] = f17, 32
	;;
	stf.spill [r14] = f18, 32
	stf.spill [r15] = f19, 32
	;;
	stf.spill [r14] = f20, 32
	stf.spill [r15] = f21, 32
	;;
	stf.spill [r14] = f22, 32
	stf.spill [r15] = f23, 32
	;;
	stf.spill [r14] = f24, 32
	stf.spill [r15] = f25, 32
	;;
	stf.spill [r14] = f26, 32
	stf.spill [r15] = f27, 32
	;;
	stf.spill [r14] = f28, 32
	stf.spill [r15] = f29, 32
	;;
	stf.spill [r14] = f30, 32
	stf.spill [r15] = f31, 32
	;;
	// The new task.
	adds r14 = T_CTX + C_F, r33
	adds r15 = T_CTX + C_F + 16, r33
	;;
	ldf.fill f2 = [r14], 32
	ldf.fill f3 = [r15], 32
	;;
	ldf.fill f4 = [r14], 32
	ldf.fill f5 = [r15], 32
	;;
	ldf.fill f16 = [r14], 32
	ldf.fill f17 = [r15], 32
	;;
	ldf.fill f18 = [r14], 32
	ldf.fill f19 = [r15], 32
	;;
	ldf.fill f20 = [r14], 32
	ldf.fill f21 = [r15], 32
	;;
	ldf.fill f22 = [r14], 32
	ldf.fill f23 = [r15], 32
	;;
	ldf.fill f24 = [r14], 32
	ldf.fill f25 = [r15], 32
	;;
	ldf.fill f26 = [r14], 32
	ldf.fill f27 = [r15], 32
	;;
	ldf.fill f28 = [r14], 32
	ldf.fill f29 = [r15], 32
	;;
	ldf.fill f30 = [r14], 32
	ldf.fill f31 = [r15], 32
	;;
	adds r14 = T_CTX + C_BSPSTORE, r33
	adds r15 = T_CTX + C_RNAT, r33
	;;
	ld8 r18 = [r14]
	ld8 r19 = [r15]
	;;
	loadrs				// rsc.loadrs = 0: no registers of prev's stack stay
	;;
	mov ar.bspstore = r18
	;;
	mov ar.rnat = r19
	adds r14 = T_CTX + C_NATS, r33
	adds r15 = T_CTX + C_RSC, r33
	;;
	ld8 r16 = [r14]
	ld8 r20 = [r15]
	;;
	mov ar.unat = r16
	adds r14 = T_CTX + C_R4, r33
	adds r15 = T_CTX + C_R4 + 8, r33
	;;
	ld8.fill r4 = [r14], 16
	ld8.fill r5 = [r15], 16
	;;
	ld8.fill r6 = [r14], 16
	ld8.fill r7 = [r15], 16
	;;
	ld8 r12 = [r14], 16		// C_SP
	ld8 r13 = [r15], 16		// C_R13
	;;
	ld8 r18 = [r14], 16
	ld8 r19 = [r15], 16
	;;
	mov b0 = r18
	mov b1 = r19
	ld8 r18 = [r14], 16
	ld8 r19 = [r15], 16
	;;
	mov b2 = r18
	mov b3 = r19
	ld8 r18 = [r14], 16
	ld8 r19 = [r15], 16
	;;
	mov b4 = r18
	mov b5 = r19
	ld8 r18 = [r14], 16		// C_PFS
	ld8 r19 = [r15], 16		// C_UNAT
	;;
	mov ar.pfs = r18
	mov ar.unat = r19
	ld8 r18 = [r14], 16		// C_LC
	ld8 r19 = [r15], 16		// C_PR
	;;
	mov ar.lc = r18
	mov pr = r19, -1
	adds r14 = T_CTX + C_FPSR, r33
	;;
	ld8 r18 = [r14]
	;;
	mov ar.fpsr = r18
	mov ar.rsc = r20
	mov r8 = r32
	;;
	br.ret.sptk.many b0
	;;
	.endp sched_switch_to

// task_exit(): the current task is dead; switches away for good.
	.global task_exit
	.proc task_exit
task_exit:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 4, 1, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	br.call.sptk.many b0 = sched_irq_save
	;;
	mov r34 = cr.lid
	;;
	extr.u r34 = r34, 24, 8
	movl r14 = current_task
	movl r15 = cpu_idle
	;;
	shladd r14 = r34, 3, r14
	shladd r15 = r34, 3, r15
	;;
	ld8 r16 = [r14]			// the dying task
	ld8 r17 = [r15]
	;;
	cmp.eq p6, p0 = r16, r17
(p6)	br.cond.dpnt.few 9f		// idle cannot exit
	;;
	cmp.eq p6, p0 = r16, r0
(p6)	br.cond.dpnt.few 9f
	adds r18 = T_STATE, r16
	mov r19 = TASK_DEAD
	;;
	st8 [r18] = r19
	// Out of the ring.
	movl r20 = rq_head
	movl r21 = rq_last
	movl r22 = nr_tasks
	;;
	shladd r20 = r34, 3, r20
	shladd r21 = r34, 3, r21
	shladd r22 = r34, 3, r22
	;;
	ld8 r23 = [r16]			// dying->next
	ld8 r24 = [r22]
	;;
	adds r24 = -1, r24
	cmp.eq p7, p8 = r23, r16
	;;
	st8 [r22] = r24
(p7)	st8 [r20] = r0			// it was alone
(p7)	st8 [r21] = r0
(p7)	br.cond.dpnt.few 3f
	mov r25 = r16
	;;
1:
	ld8 r26 = [r25]			// its predecessor
	;;
	cmp.ne p9, p0 = r26, r16
	;;
(p9)	mov r25 = r26
(p9)	br.cond.sptk.few 1b
	;;
	st8 [r25] = r23			// pred->next = dying->next
	ld8 r27 = [r20]
	ld8 r28 = [r21]
	;;
	cmp.eq p10, p0 = r27, r16
	cmp.eq p11, p0 = r28, r16
	;;
(p10)	st8 [r20] = r23
(p11)	st8 [r21] = r25
3:
	br.call.sptk.many b0 = schedule
	;;
9:
	br.sptk.many 9b
	;;
	.endp task_exit

// sched_idle_loop(): the idle task: schedule() while this vCPU has tasks, else block until
// an event. Never returns. sched_idle_until_empty(): the same, returning when no task is
// left.
	.global sched_idle_loop
	.proc sched_idle_loop
sched_idle_loop:
	.prologue
	.body
	mov r8 = 0
	br.sptk.many sched_idle_common
	;;
	.endp sched_idle_loop

	.global sched_idle_until_empty
	.proc sched_idle_until_empty
sched_idle_until_empty:
	.prologue
	.body
	mov r8 = 1
	br.sptk.many sched_idle_common
	;;
	.endp sched_idle_until_empty

	.proc sched_idle_common
sched_idle_common:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 4, 6, 0
	.save rp, r33
	mov r33 = b0
	.body
	mov r34 = r8			// return when empty
	mov r35 = cr.lid
	;;
	extr.u r35 = r35, 24, 8
	;;
1:
	movl r14 = nr_tasks
	;;
	shladd r14 = r35, 3, r14
	;;
	ld8 r14 = [r14]
	;;
	cmp.eq p6, p0 = r14, r0
(p6)	br.cond.dpnt.few 2f
	br.call.sptk.many b0 = schedule
	;;
	br.sptk.many 1b
	;;
2:
	cmp.ne p7, p0 = r34, r0
(p7)	br.cond.dpnt.few 3f
	mov out0 = SCHEDOP_block
	mov out1 = 0
	mov out5 = HYPERVISOR_sched_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	br.sptk.many 1b
	;;
3:
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	;;
	.endp sched_idle_common

// sched_task_count(in0 = cpu) -> r8
	.global sched_task_count
	.proc sched_task_count
sched_task_count:
	.prologue
	.body
	movl r14 = nr_tasks
	;;
	shladd r14 = r32, 3, r14
	;;
	ld8 r8 = [r14]
	br.ret.sptk.many b0
	;;
	.endp sched_task_count

// sched_preemptions(in0 = cpu) -> r8
	.global sched_preemptions
	.proc sched_preemptions
sched_preemptions:
	.prologue
	.body
	movl r14 = preemptions
	;;
	shladd r14 = r32, 3, r14
	;;
	ld8 r8 = [r14]
	br.ret.sptk.many b0
	;;
	.endp sched_preemptions

// sched_task_slices(in0 = pid) -> r8 = slices of the live task with that pid, or -1
	.global sched_task_slices
	.proc sched_task_slices
sched_task_slices:
	.prologue
	.body
	movl r14 = tasks
	mov r15 = 0
	mov r8 = -1
	;;
1:
	cmp.eq p6, p0 = MAX_TASKS, r15
(p6)	br.ret.dpnt.many b0
	adds r16 = T_STATE, r14
	adds r17 = T_PID, r14
	;;
	ld8 r16 = [r16]
	ld8 r17 = [r17]
	;;
	cmp.eq p7, p0 = TASK_RUNNABLE, r16
	;;
(p7)	cmp.eq.unc p8, p0 = r17, r32
	;;
(p8)	adds r18 = T_SLICES, r14
	;;
(p8)	ld8 r8 = [r18]
(p8)	br.ret.dpnt.many b0
	adds r14 = TASK_SIZE, r14
	adds r15 = 1, r15
	br.sptk.many 1b
	;;
	.endp sched_task_slices

// sched_current_pid() -> r8, sched_current_comm() -> r8: this vCPU's running task.
	.global sched_current_pid
	.proc sched_current_pid
sched_current_pid:
	.prologue
	.body
	mov r14 = cr.lid
	movl r15 = percpu_current_pid
	;;
	extr.u r14 = r14, 24, 8
	;;
	shladd r15 = r14, 3, r15
	;;
	ld8 r8 = [r15]
	br.ret.sptk.many b0
	;;
	.endp sched_current_pid

	.global sched_current_comm
	.proc sched_current_comm
sched_current_comm:
	.prologue
	.body
	mov r14 = cr.lid
	movl r15 = percpu_current_comm
	;;
	extr.u r14 = r14, 24, 8
	;;
	shladd r15 = r14, 3, r15
	;;
	ld8 r8 = [r15]
	br.ret.sptk.many b0
	;;
	.endp sched_current_comm

// preempt_disable() / preempt_enable(): this vCPU's preempt_count.
	.global preempt_disable
	.proc preempt_disable
preempt_disable:
	.prologue
	.body
	mov r14 = cr.lid
	movl r15 = preempt_count
	;;
	extr.u r14 = r14, 24, 8
	;;
	shladd r15 = r14, 3, r15
	;;
	ld8 r16 = [r15]
	;;
	adds r16 = 1, r16
	;;
	st8 [r15] = r16
	br.ret.sptk.many b0
	;;
	.endp preempt_disable

	.global preempt_enable
	.proc preempt_enable
preempt_enable:
	.prologue
	.body
	mov r14 = cr.lid
	movl r15 = preempt_count
	;;
	extr.u r14 = r14, 24, 8
	;;
	shladd r15 = r14, 3, r15
	;;
	ld8 r16 = [r15]
	;;
	adds r16 = -1, r16
	;;
	st8 [r15] = r16
	br.ret.sptk.many b0
	;;
	.endp preempt_enable

// sched_event_exit: the end of the event callback (events.s branches here once every event
// is acknowledged). Bank 0, collection off, events masked; r16 = the interrupted pr,
// r17 = the interrupted ar.ccv, r18 = this vCPU's id; r19-r31 and the predicates are free.
// Returns to the interrupted context with HYPERPRIVOP_RFI, through preempt_trampoline when
// the timer asked for a reschedule and the interrupted task may be preempted.
	.global sched_event_exit
	.proc sched_event_exit
sched_event_exit:
	.prologue
	.body
	movl r19 = need_resched
	movl r20 = current_task
	movl r22 = cpu_idle
	movl r23 = preempt_count
	;;
	shladd r19 = r18, 3, r19
	shladd r20 = r18, 3, r20
	shladd r22 = r18, 3, r22
	shladd r23 = r18, 3, r23
	;;
	ld8 r24 = [r19]
	ld8 r20 = [r20]			// current
	ld8 r22 = [r22]
	ld8 r23 = [r23]
	;;
	cmp.eq p6, p0 = r24, r0		// no reschedule asked for
	cmp.eq p7, p0 = r20, r0		// no scheduler on this vCPU
	cmp.eq p8, p0 = r20, r22	// idle is not preempted
	cmp.ne p9, p0 = r23, r0		// preemption disabled
	;;
(p6)	br.cond.dptk.few 9f
(p7)	br.cond.dpnt.few 9f
(p8)	br.cond.dpnt.few 9f
(p9)	br.cond.dpnt.few 9f
	movl r25 = XSI_IPSR
	movl r26 = XSI_IIP
	;;
	ld8 r25 = [r25]
	ld8 r26 = [r26]
	movl r27 = preempt_trampoline
	movl r28 = preempt_trampoline_end
	;;
	extr.u r29 = r25, 32, 2		// cpl: kernel only
	tbit.z p10, p0 = r25, PSR_IC_BIT
	tbit.z p11, p0 = r25, PSR_BN_BIT
	cmp.geu p12, p0 = r26, r27
	;;
	cmp.ne p13, p0 = r29, r0
(p12)	cmp.ltu.unc p14, p0 = r26, r28	// inside the trampoline
	;;
(p10)	br.cond.dpnt.few 9f
(p11)	br.cond.dpnt.few 9f
(p13)	br.cond.dpnt.few 9f
(p14)	br.cond.dpnt.few 9f
	// Preempt: the frame below the interrupted sp.
	st8 [r19] = r0			// need_resched = 0
	movl r29 = preemptions
	adds r30 = T_PREEMPTS, r20
	;;
	shladd r29 = r18, 3, r29
	ld8 r31 = [r30]
	;;
	ld8 r24 = [r29]
	adds r31 = 1, r31
	;;
	adds r24 = 1, r24
	st8 [r30] = r31
	;;
	st8 [r29] = r24
	movl r24 = -(PREEMPT_FRAME + 16)
	;;
	add r22 = r12, r24
	;;
	and r22 = -16, r22		// the frame
	movl r23 = XSI_BANK1_R16
	;;
	mov r19 = r22			// keep its address
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	ld8 r24 = [r23], 8
	;;
	st8 [r22] = r24, 8
	;;
	movl r23 = XSI_BANK1_NATS
	adds r24 = A_NATS16, r19
	;;
	ld8 r27 = [r23]
	;;
	st8 [r24] = r27
	dep r27 = 0, r27, 0, 1		// r16 (the frame address) is not a NaT
	adds r24 = A_IIP, r19
	adds r28 = A_IPSR, r19
	;;
	st8 [r23] = r27
	st8 [r24] = r26
	st8 [r28] = r25
	movl r23 = XSI_BANK1_R16
	;;
	st8 [r23] = r19			// bank-1 r16 = the frame
	dep r25 = 0, r25, 41, 2		// ri = 0
	movl r27 = preempt_trampoline
	;;
	dep r25 = 0, r25, PSR_I_BIT, 1	// events stay masked in the trampoline
	movl r28 = XSI_IIP
	movl r29 = XSI_IPSR
	;;
	st8 [r28] = r27
	st8 [r29] = r25
9:
	mov ar.ccv = r17
	mov pr = r16, -1
	;;
	break.m HYPERPRIVOP_RFI
	;;
	.endp sched_event_exit

// preempt_trampoline: the interrupted task continues here with every register as it was
// except bank-1 r16 (the frame address; r16-r31 are saved in the frame), events masked,
// the interrupted CFM and rotating bases unchanged.
	.align 32
	.global preempt_trampoline
	.proc preempt_trampoline
preempt_trampoline:
	.prologue
	.body
	mov r17 = ar.unat
	mov r18 = pr
	adds r19 = A_UNAT, r16
	adds r20 = A_PR, r16
	;;
	st8 [r19] = r17
	st8 [r20] = r18
	adds r19 = A_R1, r16
	adds r20 = A_R1 + 8, r16
	;;
	st8.spill [r19] = r1, 16
	;;
	st8.spill [r20] = r2, 16
	;;
	st8.spill [r19] = r3, 16
	;;
	st8.spill [r20] = r4, 16
	;;
	st8.spill [r19] = r5, 16
	;;
	st8.spill [r20] = r6, 16
	;;
	st8.spill [r19] = r7, 16
	;;
	st8.spill [r20] = r8, 16
	;;
	st8.spill [r19] = r9, 16
	;;
	st8.spill [r20] = r10, 16
	;;
	st8.spill [r19] = r11, 16
	;;
	st8.spill [r20] = r12, 16
	;;
	st8.spill [r19] = r13, 16
	;;
	st8.spill [r20] = r14, 16
	;;
	st8.spill [r19] = r15, 16
	;;
	mov r17 = ar.unat		// the NaT bits of r1-r15
	adds r18 = A_UNAT_SPILL, r16
	;;
	st8 [r18] = r17
	mov r17 = b0
	mov r18 = b1
	adds r19 = A_B0, r16
	adds r20 = A_B0 + 8, r16
	;;
	st8 [r19] = r17, 16
	st8 [r20] = r18, 16
	mov r17 = b2
	mov r18 = b3
	;;
	st8 [r19] = r17, 16
	st8 [r20] = r18, 16
	mov r17 = b4
	mov r18 = b5
	;;
	st8 [r19] = r17, 16
	st8 [r20] = r18, 16
	mov r17 = b6
	mov r18 = b7
	;;
	st8 [r19] = r17, 16
	st8 [r20] = r18, 16
	;;
	mov r17 = ar.ccv
	mov r18 = ar.pfs
	adds r19 = A_CCV, r16
	adds r20 = A_PFS, r16
	;;
	st8 [r19] = r17, 16
	st8 [r20] = r18, 16
	mov r17 = ar.lc
	mov r18 = ar.fpsr
	;;
	st8 [r19] = r17, 16		// A_LC
	st8 [r20] = r18, 16		// A_FPSR
	mov r17 = ar.csd
	mov r18 = ar.ssd
	;;
	st8 [r19] = r17			// A_CSD
	st8 [r20] = r18			// A_SSD
	adds r19 = A_F, r16
	adds r20 = A_F + 16, r16
	;;
	stf.spill [r19] = f2, 32
	stf.spill [r20] = f3, 32
	;;
	stf.spill [r19] = f4, 32
	stf.spill [r20] = f5, 32
	;;
	stf.spill [r19] = f6, 32
	stf.spill [r20] = f7, 32
	;;
	stf.spill [r19] = f8, 32
	stf.spill [r20] = f9, 32
	;;
	stf.spill [r19] = f10, 32
	stf.spill [r20] = f11, 32
	;;
	stf.spill [r19] = f12, 32
	stf.spill [r20] = f13, 32
	;;
	stf.spill [r19] = f14, 32
	stf.spill [r20] = f15, 32
	;;
	stf.spill [r19] = f16, 32
	stf.spill [r20] = f17, 32
	;;
	stf.spill [r19] = f18, 32
	stf.spill [r20] = f19, 32
	;;
	stf.spill [r19] = f20, 32
	stf.spill [r20] = f21, 32
	;;
	stf.spill [r19] = f22, 32
	stf.spill [r20] = f23, 32
	;;
	stf.spill [r19] = f24, 32
	stf.spill [r20] = f25, 32
	;;
	stf.spill [r19] = f26, 32
	stf.spill [r20] = f27, 32
	;;
	stf.spill [r19] = f28, 32
	stf.spill [r20] = f29, 32
	;;
	stf.spill [r19] = f30, 32
	stf.spill [r20] = f31, 32
	;;
	stf.spill [r19] = f32, 32
	stf.spill [r20] = f33, 32
	;;
	stf.spill [r19] = f34, 32
	stf.spill [r20] = f35, 32
	;;
	stf.spill [r19] = f36, 32
	stf.spill [r20] = f37, 32
	;;
	stf.spill [r19] = f38, 32
	stf.spill [r20] = f39, 32
	;;
	stf.spill [r19] = f40, 32
	stf.spill [r20] = f41, 32
	;;
	stf.spill [r19] = f42, 32
	stf.spill [r20] = f43, 32
	;;
	stf.spill [r19] = f44, 32
	stf.spill [r20] = f45, 32
	;;
	stf.spill [r19] = f46, 32
	stf.spill [r20] = f47, 32
	;;
	stf.spill [r19] = f48, 32
	stf.spill [r20] = f49, 32
	;;
	stf.spill [r19] = f50, 32
	stf.spill [r20] = f51, 32
	;;
	stf.spill [r19] = f52, 32
	stf.spill [r20] = f53, 32
	;;
	stf.spill [r19] = f54, 32
	stf.spill [r20] = f55, 32
	;;
	stf.spill [r19] = f56, 32
	stf.spill [r20] = f57, 32
	;;
	stf.spill [r19] = f58, 32
	stf.spill [r20] = f59, 32
	;;
	stf.spill [r19] = f60, 32
	stf.spill [r20] = f61, 32
	;;
	stf.spill [r19] = f62, 32
	stf.spill [r20] = f63, 32
	;;
	stf.spill [r19] = f64, 32
	stf.spill [r20] = f65, 32
	;;
	stf.spill [r19] = f66, 32
	stf.spill [r20] = f67, 32
	;;
	stf.spill [r19] = f68, 32
	stf.spill [r20] = f69, 32
	;;
	stf.spill [r19] = f70, 32
	stf.spill [r20] = f71, 32
	;;
	stf.spill [r19] = f72, 32
	stf.spill [r20] = f73, 32
	;;
	stf.spill [r19] = f74, 32
	stf.spill [r20] = f75, 32
	;;
	stf.spill [r19] = f76, 32
	stf.spill [r20] = f77, 32
	;;
	stf.spill [r19] = f78, 32
	stf.spill [r20] = f79, 32
	;;
	stf.spill [r19] = f80, 32
	stf.spill [r20] = f81, 32
	;;
	stf.spill [r19] = f82, 32
	stf.spill [r20] = f83, 32
	;;
	stf.spill [r19] = f84, 32
	stf.spill [r20] = f85, 32
	;;
	stf.spill [r19] = f86, 32
	stf.spill [r20] = f87, 32
	;;
	stf.spill [r19] = f88, 32
	stf.spill [r20] = f89, 32
	;;
	stf.spill [r19] = f90, 32
	stf.spill [r20] = f91, 32
	;;
	stf.spill [r19] = f92, 32
	stf.spill [r20] = f93, 32
	;;
	stf.spill [r19] = f94, 32
	stf.spill [r20] = f95, 32
	;;
	stf.spill [r19] = f96, 32
	stf.spill [r20] = f97, 32
	;;
	stf.spill [r19] = f98, 32
	stf.spill [r20] = f99, 32
	;;
	stf.spill [r19] = f100, 32
	stf.spill [r20] = f101, 32
	;;
	stf.spill [r19] = f102, 32
	stf.spill [r20] = f103, 32
	;;
	stf.spill [r19] = f104, 32
	stf.spill [r20] = f105, 32
	;;
	stf.spill [r19] = f106, 32
	stf.spill [r20] = f107, 32
	;;
	stf.spill [r19] = f108, 32
	stf.spill [r20] = f109, 32
	;;
	stf.spill [r19] = f110, 32
	stf.spill [r20] = f111, 32
	;;
	stf.spill [r19] = f112, 32
	stf.spill [r20] = f113, 32
	;;
	stf.spill [r19] = f114, 32
	stf.spill [r20] = f115, 32
	;;
	stf.spill [r19] = f116, 32
	stf.spill [r20] = f117, 32
	;;
	stf.spill [r19] = f118, 32
	stf.spill [r20] = f119, 32
	;;
	stf.spill [r19] = f120, 32
	stf.spill [r20] = f121, 32
	;;
	stf.spill [r19] = f122, 32
	stf.spill [r20] = f123, 32
	;;
	stf.spill [r19] = f124, 32
	stf.spill [r20] = f125, 32
	;;
	stf.spill [r19] = f126, 32
	stf.spill [r20] = f127, 32
	;;
	adds r12 = -16, r16		// the stack continues below the frame
	br.call.sptk.many b0 = preempt_call_schedule
	;;
	// Back in this task: everything as it was.
	adds r16 = 16, r12
	;;
	adds r19 = A_F, r16
	adds r20 = A_F + 16, r16
	;;
	ldf.fill f2 = [r19], 32
	ldf.fill f3 = [r20], 32
	;;
	ldf.fill f4 = [r19], 32
	ldf.fill f5 = [r20], 32
	;;
	ldf.fill f6 = [r19], 32
	ldf.fill f7 = [r20], 32
	;;
	ldf.fill f8 = [r19], 32
	ldf.fill f9 = [r20], 32
	;;
	ldf.fill f10 = [r19], 32
	ldf.fill f11 = [r20], 32
	;;
	ldf.fill f12 = [r19], 32
	ldf.fill f13 = [r20], 32
	;;
	ldf.fill f14 = [r19], 32
	ldf.fill f15 = [r20], 32
	;;
	ldf.fill f16 = [r19], 32
	ldf.fill f17 = [r20], 32
	;;
	ldf.fill f18 = [r19], 32
	ldf.fill f19 = [r20], 32
	;;
	ldf.fill f20 = [r19], 32
	ldf.fill f21 = [r20], 32
	;;
	ldf.fill f22 = [r19], 32
	ldf.fill f23 = [r20], 32
	;;
	ldf.fill f24 = [r19], 32
	ldf.fill f25 = [r20], 32
	;;
	ldf.fill f26 = [r19], 32
	ldf.fill f27 = [r20], 32
	;;
	ldf.fill f28 = [r19], 32
	ldf.fill f29 = [r20], 32
	;;
	ldf.fill f30 = [r19], 32
	ldf.fill f31 = [r20], 32
	;;
	ldf.fill f32 = [r19], 32
	ldf.fill f33 = [r20], 32
	;;
	ldf.fill f34 = [r19], 32
	ldf.fill f35 = [r20], 32
	;;
	ldf.fill f36 = [r19], 32
	ldf.fill f37 = [r20], 32
	;;
	ldf.fill f38 = [r19], 32
	ldf.fill f39 = [r20], 32
	;;
	ldf.fill f40 = [r19], 32
	ldf.fill f41 = [r20], 32
	;;
	ldf.fill f42 = [r19], 32
	ldf.fill f43 = [r20], 32
	;;
	ldf.fill f44 = [r19], 32
	ldf.fill f45 = [r20], 32
	;;
	ldf.fill f46 = [r19], 32
	ldf.fill f47 = [r20], 32
	;;
	ldf.fill f48 = [r19], 32
	ldf.fill f49 = [r20], 32
	;;
	ldf.fill f50 = [r19], 32
	ldf.fill f51 = [r20], 32
	;;
	ldf.fill f52 = [r19], 32
	ldf.fill f53 = [r20], 32
	;;
	ldf.fill f54 = [r19], 32
	ldf.fill f55 = [r20], 32
	;;
	ldf.fill f56 = [r19], 32
	ldf.fill f57 = [r20], 32
	;;
	ldf.fill f58 = [r19], 32
	ldf.fill f59 = [r20], 32
	;;
	ldf.fill f60 = [r19], 32
	ldf.fill f61 = [r20], 32
	;;
	ldf.fill f62 = [r19], 32
	ldf.fill f63 = [r20], 32
	;;
	ldf.fill f64 = [r19], 32
	ldf.fill f65 = [r20], 32
	;;
	ldf.fill f66 = [r19], 32
	ldf.fill f67 = [r20], 32
	;;
	ldf.fill f68 = [r19], 32
	ldf.fill f69 = [r20], 32
	;;
	ldf.fill f70 = [r19], 32
	ldf.fill f71 = [r20], 32
	;;
	ldf.fill f72 = [r19], 32
	ldf.fill f73 = [r20], 32
	;;
	ldf.fill f74 = [r19], 32
	ldf.fill f75 = [r20], 32
	;;
	ldf.fill f76 = [r19], 32
	ldf.fill f77 = [r20], 32
	;;
	ldf.fill f78 = [r19], 32
	ldf.fill f79 = [r20], 32
	;;
	ldf.fill f80 = [r19], 32
	ldf.fill f81 = [r20], 32
	;;
	ldf.fill f82 = [r19], 32
	ldf.fill f83 = [r20], 32
	;;
	ldf.fill f84 = [r19], 32
	ldf.fill f85 = [r20], 32
	;;
	ldf.fill f86 = [r19], 32
	ldf.fill f87 = [r20], 32
	;;
	ldf.fill f88 = [r19], 32
	ldf.fill f89 = [r20], 32
	;;
	ldf.fill f90 = [r19], 32
	ldf.fill f91 = [r20], 32
	;;
	ldf.fill f92 = [r19], 32
	ldf.fill f93 = [r20], 32
	;;
	ldf.fill f94 = [r19], 32
	ldf.fill f95 = [r20], 32
	;;
	ldf.fill f96 = [r19], 32
	ldf.fill f97 = [r20], 32
	;;
	ldf.fill f98 = [r19], 32
	ldf.fill f99 = [r20], 32
	;;
	ldf.fill f100 = [r19], 32
	ldf.fill f101 = [r20], 32
	;;
	ldf.fill f102 = [r19], 32
	ldf.fill f103 = [r20], 32
	;;
	ldf.fill f104 = [r19], 32
	ldf.fill f105 = [r20], 32
	;;
	ldf.fill f106 = [r19], 32
	ldf.fill f107 = [r20], 32
	;;
	ldf.fill f108 = [r19], 32
	ldf.fill f109 = [r20], 32
	;;
	ldf.fill f110 = [r19], 32
	ldf.fill f111 = [r20], 32
	;;
	ldf.fill f112 = [r19], 32
	ldf.fill f113 = [r20], 32
	;;
	ldf.fill f114 = [r19], 32
	ldf.fill f115 = [r20], 32
	;;
	ldf.fill f116 = [r19], 32
	ldf.fill f117 = [r20], 32
	;;
	ldf.fill f118 = [r19], 32
	ldf.fill f119 = [r20], 32
	;;
	ldf.fill f120 = [r19], 32
	ldf.fill f121 = [r20], 32
	;;
	ldf.fill f122 = [r19], 32
	ldf.fill f123 = [r20], 32
	;;
	ldf.fill f124 = [r19], 32
	ldf.fill f125 = [r20], 32
	;;
	ldf.fill f126 = [r19], 32
	ldf.fill f127 = [r20], 32
	;;
	adds r19 = A_B0, r16
	adds r20 = A_B0 + 8, r16
	;;
	ld8 r17 = [r19], 16
	ld8 r18 = [r20], 16
	;;
	mov b0 = r17
	mov b1 = r18
	ld8 r17 = [r19], 16
	ld8 r18 = [r20], 16
	;;
	mov b2 = r17
	mov b3 = r18
	ld8 r17 = [r19], 16
	ld8 r18 = [r20], 16
	;;
	mov b4 = r17
	mov b5 = r18
	ld8 r17 = [r19], 16
	ld8 r18 = [r20], 16
	;;
	mov b6 = r17
	mov b7 = r18
	adds r19 = A_CCV, r16
	adds r20 = A_PFS, r16
	;;
	ld8 r17 = [r19], 16
	ld8 r18 = [r20], 16
	;;
	mov ar.ccv = r17
	mov ar.pfs = r18
	ld8 r17 = [r19], 16		// A_LC
	ld8 r18 = [r20], 16		// A_FPSR
	;;
	mov ar.lc = r17
	mov ar.fpsr = r18
	ld8 r17 = [r19]			// A_CSD
	ld8 r18 = [r20]			// A_SSD
	;;
	mov ar.csd = r17
	mov ar.ssd = r18
	adds r17 = A_UNAT_SPILL, r16
	;;
	ld8 r17 = [r17]
	adds r19 = A_R1, r16
	adds r20 = A_R1 + 8, r16
	;;
	mov ar.unat = r17
	;;
	ld8.fill r1 = [r19], 16
	ld8.fill r2 = [r20], 16
	;;
	ld8.fill r3 = [r19], 16
	ld8.fill r4 = [r20], 16
	;;
	ld8.fill r5 = [r19], 16
	ld8.fill r6 = [r20], 16
	;;
	ld8.fill r7 = [r19], 16
	ld8.fill r8 = [r20], 16
	;;
	ld8.fill r9 = [r19], 16
	ld8.fill r10 = [r20], 16
	;;
	ld8.fill r11 = [r19], 16
	ld8.fill r12 = [r20], 16
	;;
	ld8.fill r13 = [r19], 16
	ld8.fill r14 = [r20], 16
	;;
	ld8.fill r15 = [r19], 16
	;;
	adds r17 = A_UNAT, r16
	adds r18 = A_PR, r16
	;;
	ld8 r17 = [r17]
	ld8 r18 = [r18]
	;;
	mov ar.unat = r17
	mov pr = r18, -1
	;;
	// Bank 0, so that the RFI reloads bank 1 (r16-r31 as interrupted) from the XSI area;
	// bsw.0 leaves bank-1 r16 (the frame) there too.
	bsw.0
	;;
	movl r16 = XSI_BANK1_R16
	movl r17 = XSI_PSR_IC
	;;
	ld8 r16 = [r16]			// the frame
	st4 [r17] = r0			// collection off while the XSI registers are set
	movl r17 = XSI_BANK1_R16
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	ld8 r18 = [r16], 8
	;;
	st8 [r17] = r18, 8
	;;
	// r16 now points at A_NATS16.
	ld8 r18 = [r16], A_IIP - A_NATS16
	movl r17 = XSI_BANK1_NATS
	;;
	st8 [r17] = r18
	ld8 r19 = [r16], A_IPSR - A_IIP
	movl r20 = XSI_IIP
	;;
	ld8 r21 = [r16]
	movl r22 = XSI_IPSR
	movl r23 = XSI_IFS
	;;
	st8 [r20] = r19
	st8 [r22] = r21			// with the interrupted slot and psr.i, ic
	st8 [r23] = r0			// keep the frame
	;;
	break.m HYPERPRIVOP_RFI
	;;
preempt_trampoline_end:
	.endp preempt_trampoline

// preempt_call_schedule: called by the trampoline; br.call made the interrupted frame's
// locals the caller's, and its outputs are this frame's first registers: an alloc of all 96
// keeps them (schedule()'s frame starts above), and br.ret puts back the interrupted CFM
// and ar.ec from ar.pfs. r4 and r5 are saved by the trampoline and preserved by schedule().
	.proc preempt_call_schedule
preempt_call_schedule:
	.prologue
	.body
	alloc r17 = ar.pfs, 0, 96, 0, 0
	;;
	mov r4 = r17
	mov r5 = b0
	;;
	br.call.sptk.many b0 = schedule
	;;
	mov ar.pfs = r4
	mov b0 = r5
	;;
	br.ret.sptk.many b0
	;;
	.endp preempt_call_schedule
