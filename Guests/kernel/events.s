// events.s: the event-channel upcall. Xen enters it like an interruption: the interrupted
// state in the XSI area (ipsr, iip), virtual bank 0 (r16-r31 are free: Xen saved bank 1),
// collection off and events masked. It acknowledges every pending port, counts it, re-arms
// the timer on VIRQ_ITC and returns with the RFI hyperprivop (in sched.s's sched_event_exit,
// which preempts the interrupted task when the timer asked for a reschedule). No stack or
// register-stack use: only the banked registers.
	.include "xen.inc"

	.data
	.align 8
	.global event_counts
event_counts:                   // per port, for the first 64 ports
	.skip 8 * 64
	.global ticks
ticks:                          // timer ticks, per vCPU
	.skip 8 * 8
	.global need_resched
need_resched:
	.skip 8 * 8
	.global next_tick
next_tick:                      // per vCPU: the armed timer deadline (ITC)
	.skip 8 * 8
	.global timer_port
timer_port:                     // per vCPU: the port bound to VIRQ_ITC
	.skip 8 * 8
	.global tick_interval
tick_interval:                  // ITC ticks (retired instructions) between timer events
	data8 50000

	.text
	.align 32
	.global event_callback
	.proc event_callback
event_callback:
	.prologue
	.body
	mov r16 = pr
	mov r17 = ar.ccv
	mov r18 = cr.lid            // emulated by the hypervisor: the vCPU id in bits 31:24
	;;
	extr.u r18 = r18, 24, 8
	movl r19 = XSI_BASE
	;;
	shl r20 = r18, 5
	shl r21 = r18, 4
	;;
	add r20 = r20, r21          // id × 48 = id × sizeof(vcpu_info)
	;;
	add r21 = r19, r20          // &vcpu_info[id]: upcall_pending at +0, pending_sel at +8
	;;
again:
	st1 [r21] = r0              // upcall_pending = 0
	adds r22 = 8, r21
	;;
	xchg8 r23 = [r22], r0       // take pending_sel
	;;
	cmp.eq p6, p0 = r23, r0
(p6)	br.cond.dpnt.few done
	// Only the first word (ports 0-63) is used by this kernel.
	movl r24 = SI_EVTCHN_PENDING
	movl r25 = SI_EVTCHN_MASK
	;;
	ld8 r26 = [r25]             // mask
1:
	ld8 r27 = [r24]             // pending
	;;
	mov ar.ccv = r27
	andcm r28 = r27, r26        // pending & ~mask: what this pass takes
	;;
	andcm r29 = r27, r28        // the masked ones stay pending
	;;
	cmpxchg8.acq r30 = [r24], r29, ar.ccv
	;;
	cmp.ne p6, p0 = r30, r27
(p6)	br.cond.dpnt.few 1b
	movl r24 = event_counts
	mov r25 = 0                 // port number
	;;
2:
	cmp.eq p6, p0 = r28, r0
(p6)	br.cond.dpnt.few 4f
	tbit.z p7, p0 = r28, 0
(p7)	br.cond.dptk.few 3f
	;;
	shladd r26 = r25, 3, r24
	;;
	ld8 r27 = [r26]
	;;
	adds r27 = 1, r27
	;;
	st8 [r26] = r27
	// This vCPU's timer port: count a tick, ask for a reschedule, re-arm the timer.
	movl r29 = timer_port
	;;
	shladd r29 = r18, 3, r29
	;;
	ld8 r29 = [r29]
	;;
	cmp.ne p8, p0 = r29, r25
(p8)	br.cond.dptk.few io_event       // another port: the I/O load's, perhaps
	movl r29 = ticks
	movl r30 = need_resched
	;;
	shladd r29 = r18, 3, r29
	shladd r30 = r18, 3, r30
	;;
	ld8 r31 = [r29]
	mov r27 = 1
	;;
	adds r31 = 1, r31
	st8 [r30] = r27
	;;
	st8 [r29] = r31
	// The tick closes this vCPU's idle period (idle.s): its record pointer is cleared.
	movl r29 = idle_acct
	;;
	shladd r29 = r18, 3, r29
	;;
	st8 [r29] = r0
	movl r29 = tick_interval
	;;
	ld8 r29 = [r29]
	mov r31 = ar.itc
	mov r30 = r8                // SET_ITM takes r8: keep the interrupted value
	;;
	add r8 = r31, r29
	movl r29 = next_tick
	;;
	shladd r29 = r18, 3, r29
	;;
	st8 [r29] = r8              // the deadline, for the idle loop (idle.s)
	break.m HYPERPRIVOP_SET_ITM
	;;
	mov r8 = r30
	;;
3:
	shr.u r28 = r28, 1
	adds r25 = 1, r25
	br.cond.sptk.few 2b
	;;
4:
	// More may have arrived meanwhile.
	ld1 r20 = [r21]
	;;
	cmp.ne p6, p0 = r20, r0
(p6)	br.cond.dpnt.few again
	;;
done:
	// The return, through the scheduler (sched.s): r16 = pr, r17 = ar.ccv, r18 = vCPU id.
	// It may redirect it to the preemption trampoline when need_resched is set.
	br.sptk.many sched_event_exit
	;;
	// The I/O load's block port (blkfront.s, io=N): take the responses off the ring and
	// retire each request's slot (the response id is the slot): its status into the
	// request's record, then the slot cleared, free for the next round.
io_event:
	movl r29 = io_port
	;;
	ld8 r29 = [r29]
	;;
	cmp.ne p8, p0 = r29, r25
	;;
	cmp.eq.or p8, p0 = r29, r0
(p8)	br.cond.dptk.few 3b
	movl r29 = blk_ring
	movl r30 = io_rsp_cons
	;;
	ld8 r29 = [r29]
	ld8 r31 = [r30]
	;;
	adds r19 = 8, r29
	;;
	ld4.acq r19 = [r19]             // rsp_prod
	;;
5:
	zxt4 r20 = r31
	;;
	cmp.eq p8, p0 = r20, r19
(p8)	br.cond.dpnt.few 6f
	and r22 = 127, r31
	;;
	shl r23 = r22, 7
	shl r22 = r22, 4
	;;
	sub r23 = r23, r22
	;;
	add r23 = r23, r29
	;;
	adds r23 = 64, r23
	;;
	ld8 r22 = [r23], 10             // id: the slot
	;;
	ld2 r26 = [r23]                 // status
	and r22 = IO_REQS - 1, r22
	movl r27 = io_slots
	;;
	shladd r27 = r22, 3, r27
	sxt2 r26 = r26
	;;
	ld8 r22 = [r27]                 // its request
	;;
	cmp.eq p8, p0 = r22, r0
	adds r23 = IOREQ_STATUS, r22
	adds r31 = 1, r31
(p8)	br.cond.dpnt.few 5b
	;;
	st8 [r23] = r26
	;;
	st8 [r27] = r0                  // retired: the slot is free
	br.sptk.few 5b
	;;
6:
	st8 [r30] = r31                 // rsp_cons
	adds r20 = 12, r29
	adds r22 = 1, r31
	;;
	st4 [r20] = r22                 // rsp_event = rsp_cons + 1
	br.sptk.many 3b
	;;
	.endp event_callback
