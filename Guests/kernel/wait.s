// wait.s: sleeping until something happens. The condition is checked with events masked and
// SCHEDOP_block unmasks them atomically (it returns at once when an upcall is pending), so a
// wakeup between the check and the block is never lost.
	.include "xen.inc"

	.data
	.align 8
event_seen:	.skip 8 * 64	// per port: events already consumed by wait_port_event

	.text
// mask_events / block_once: helpers.
	.proc mask_events
mask_events:
	.prologue
	.body
	movl r14 = XSI_PSR_I_ADDR
	;;
	ld8 r14 = [r14]
	mov r15 = 1
	;;
	st1 [r14] = r15
	br.ret.sptk.many b0
	.endp mask_events

	.proc block_once
block_once:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 2, 6, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	mov out0 = SCHEDOP_block
	mov out1 = 0
	mov out5 = HYPERVISOR_sched_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	// Woken: perhaps by console input (console_input.s).
	br.call.sptk.many b0 = console_input_poll
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp block_once

// wait_port_event(in0 = port): consumes one event of the port, sleeping until there is one.
	.global wait_port_event
	.proc wait_port_event
wait_port_event:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 4, 1, 0
	.save rp, r34
	mov r34 = b0
	.body
	;;
	movl r14 = event_counts
	movl r15 = event_seen
	;;
	shladd r35 = in0, 3, r14
	shladd r36 = in0, 3, r15
	;;
1:
	br.call.sptk.many b0 = mask_events
	;;
	ld8 r16 = [r35]
	ld8 r17 = [r36]
	;;
	cmp.ltu p6, p0 = r17, r16
(p6)	br.cond.dpnt.few 2f
	br.call.sptk.many b0 = block_once
	;;
	br.sptk.many 1b
	;;
2:
	adds r17 = 1, r17
	;;
	st8 [r36] = r17
	br.call.sptk.many b0 = events_enable
	;;
	mov ar.pfs = r33
	mov b0 = r34
	br.ret.sptk.many b0
	.endp wait_port_event

// wait_tick(): sleeps until this vCPU's next timer tick.
	.global wait_tick
	.proc wait_tick
wait_tick:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 4, 1, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	mov r14 = cr.lid
	movl r15 = ticks
	;;
	extr.u r14 = r14, 24, 8
	;;
	shladd r34 = r14, 3, r15
	;;
	ld8 r35 = [r34]
	;;
1:
	br.call.sptk.many b0 = mask_events
	;;
	ld8 r16 = [r34]
	;;
	cmp.ne p6, p0 = r16, r35
(p6)	br.cond.dpnt.few 2f
	br.call.sptk.many b0 = block_once
	;;
	br.sptk.many 1b
	;;
2:
	br.call.sptk.many b0 = events_enable
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp wait_tick

// try_port_event(in0 = port) -> r8 = 1 if an event of the port was pending (and is now
// consumed), else 0. Never sleeps.
	.global try_port_event
	.proc try_port_event
try_port_event:
	.prologue
	.body
	movl r14 = event_counts
	movl r15 = event_seen
	;;
	shladd r14 = r32, 3, r14
	shladd r15 = r32, 3, r15
	;;
	ld8 r16 = [r14]
	ld8 r17 = [r15]
	mov r8 = 0
	;;
	cmp.ltu p6, p0 = r17, r16
	;;
(p6)	adds r17 = 1, r17
(p6)	mov r8 = 1
	;;
(p6)	st8 [r15] = r17
	br.ret.sptk.many b0
	.endp try_port_event
