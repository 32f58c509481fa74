// idle.s: the polling idle loop (idle=poll on the command line), and its bookkeeping race.
//
// With idle=poll the idle task (swapper) spins instead of blocking, IDLE_POLL_TICKS timer
// ticks long, like Linux's poll_idle. Each pass of the loop opens an idle period: it points
// this vCPU's idle_acct at its idle_stats record, then stamps the record with the tick
// count through that pointer. The timer tick (events.s) closes the idle period: it clears
// idle_acct. Nothing orders the two: the pointer is re-read after it was published, and
// the interrupt is not masked in between. A tick that lands in that window (after the st8
// that publishes the pointer, through the cpu_relax() spin, before the ld8 that reads it
// back) leaves the idle task storing through NULL: the Alternate Data TLB handler finds the
// NULL page, and the oops kills the idle task. The loop opens a period only when the tick
// is at least IDLE_MARGIN ITC ticks away, far more than the window's ~40 instructions, so
// on a fixed schedule the tick never lands inside; with perturbed quanta (xdbg record
// --chaos) a vCPU can find virtual time moved on when its next slice starts, and its tick
// fires at that slice's first instruction, wherever the previous slice stopped.
	.include "xen.inc"

	IDLE_POLL_TICKS = 24
	IDLE_MARGIN = 1000		// ITC ticks: closer to the tick than this, no new period

	.data
	.align 8
	.global idle_acct
idle_acct:	.skip 8 * 8		// per vCPU: the open idle period's record, or NULL
	.global idle_stats
idle_stats:	.skip 8 * 8		// per vCPU: the tick count at the last idle pass
	.global idle_passes
idle_passes:	.skip 8 * 8
str_idle:	stringz "idle=poll"
str_polling:	stringz "idle: polling for 24 ticks\n"
str_done:	stringz "idle: "
str_done2:	stringz " polling passes\n"

	.text
// idle_check(): runs idle_poll when the command line says idle=poll.
	.global idle_check
	.proc idle_check
idle_check:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 2, 2, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = start_info
	;;
	ld8 r14 = [r14]
	;;
	adds out0 = 0x80, r14
	movl out1 = str_idle
	br.call.sptk.many b0 = find_param
	;;
	cmp.eq p6, p0 = r8, r0
(p6)	br.cond.dptk.few 1f
	br.call.sptk.many b0 = idle_poll
	;;
1:
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp idle_check

// idle_poll(): the idle task spins until IDLE_POLL_TICKS more ticks have come.
	.global idle_poll
	.proc idle_poll
idle_poll:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 10, 2, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl out0 = str_polling
	br.call.sptk.many b0 = print_str
	;;
	mov r34 = cr.lid
	;;
	extr.u r34 = r34, 24, 8
	movl r14 = ticks
	;;
	shladd r35 = r34, 3, r14        // &ticks[cpu]
	movl r15 = idle_acct
	movl r16 = idle_stats
	;;
	shladd r36 = r34, 3, r15        // &idle_acct[cpu]
	shladd r37 = r34, 3, r16        // &idle_stats[cpu]
	ld8 r38 = [r35]
	mov r39 = 0                     // passes
	movl r17 = next_tick
	mov r41 = IDLE_MARGIN
	;;
	shladd r40 = r34, 3, r17        // &next_tick[cpu]
	adds r38 = IDLE_POLL_TICKS, r38 // until this many ticks
	;;
	.global idle_poll_loop
idle_poll_loop:
	mov r17 = ar.itc
	ld8 r18 = [r40]                 // next_tick[cpu]: when the tick is due
	;;
	sub r19 = r18, r17
	;;
	cmp.lt p8, p0 = r19, r41        // the tick is near: just relax this pass
(p8)	br.cond.dpnt.few 2f
	st8 [r36] = r37                 // open an idle period: idle_acct = &idle_stats[cpu]
	mov r16 = 12
	;;
	// cpu_relax() while the period is open, then stamp it.
3:
	adds r16 = -1, r16
	;;
	cmp.ne p6, p0 = r16, r0
(p6)	br.cond.sptk.few 3b
	;;
	ld8 r14 = [r35]                 // the tick count to stamp
	;;
	ld8 r15 = [r36]                 // the record, read back
	;;
	// Stamp it (NULL if a tick closed the period meanwhile). A bundle of its own puts the
	// store in slot 0, where Linux's faulting store sat (ISR.ei = 0 in its oops).
	{ .mii
	st8 [r15] = r14
	adds r39 = 1, r39
	nop.i 0
	;;
	}
2:
	mov r16 = 12
	;;
	// cpu_relax(): a short spin between polls.
1:
	adds r16 = -1, r16
	;;
	cmp.ne p6, p0 = r16, r0
(p6)	br.cond.sptk.few 1b
	;;
	ld8 r14 = [r35]
	;;
	cmp.ltu p7, p0 = r14, r38
(p7)	br.cond.sptk.few idle_poll_loop
	;;
	movl r14 = idle_passes
	;;
	shladd r14 = r34, 3, r14
	;;
	st8 [r14] = r39
	movl out0 = str_done
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r39
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_done2
	br.call.sptk.many b0 = print_str
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp idle_poll
