// control.s: the Dom0 <-> DomU control channel, built only from Xen's own mechanisms, and the
// balloon driver. Each DomU grants its control page (grant reference 0) to Dom0 and offers an
// unbound event channel to it; Dom0 finds the DomUs (domctl getdomaininfo), reads their control
// pages with grant copies, binds the channels, and sets each DomU's balloon target by copying
// it into the page and sending an event. The DomU balloons down to the target
// (decrease_reservation of pages taken from its page allocator) and answers with an event.
//
// Control page: u32 magic 'XDBC' @0, u32 port @4, u64 pages @8, u64 target @0x10,
// u64 ballooned @0x18 (1 once the target is reached).
	.include "xen.inc"

	CTRL_MAGIC = 0x43424458
	GNTTABOP_setup_table = 2
	GNTTABOP_copy = 5
	GNTCOPY_source_gref = 1
	GNTCOPY_dest_gref = 2
	XEN_DOMCTL_getdomaininfo = 5
	DOMCTL_VERSION = 5
	MAX_DOMUS = 8
	GRANT_VA_SLOT = 1               // data translation register for the grant-table frame

	.bss
	.align 16384
	.global control_page
control_page:
	.skip 16384

	.data
	.align 16
setup_op:	data2 DOMID_SELF	// gnttab_setup_table: dom, nr_frames, status, frame_list
		data2 0
		data4 1
		data2 0
		data2 0
		data4 0
		data8 0
grant_frame:	data8 0
alloc_op:	data2 DOMID_SELF	// evtchn_alloc_unbound: dom, remote_dom, port
		data2 0
		data4 0
bind_op:	data2 0			// evtchn_bind_interdomain: remote_dom, remote_port, local_port
		data2 0
		data4 0
		data4 0
		data4 0
send_op:	data4 0
		data4 0
	.align 16
copy_op:	.skip 48		// gnttab_copy
	.align 16
domctl_op:	.skip 128
	.align 16
reservation:	data8 0			// xen_memory_reservation: extent_start, nr_extents,
		data8 0			// extent_order, address_bits, domid
		data4 0
		data4 0
		data2 DOMID_SELF
		data2 0
		data4 0
	.align 8
	.global control_port
control_port:	data8 0			// DomU: its port to Dom0
peer_ctrl:	.skip 32		// Dom0: a copy of one DomU's control page head
	.global domu_ports
domu_ports:	.skip 8 * MAX_DOMUS	// Dom0: local port per DomU (index = domid - 1)
	.global domu_count
domu_count:	data8 0
balloon_list:	.skip 8 * 512
target_value:	data8 0

str_found:	stringz "control: found domain "
str_target:	stringz ", balloon target "
str_pages:	stringz " pages\n"
str_balloon1:	stringz "balloon: "
str_balloon2:	stringz " MB -> "
str_balloon3:	stringz " MB (target from dom0)\n"
str_acked:	stringz "control: domain "
str_acked2:	stringz " reached its balloon target\n"
str_gone:	stringz " stopped before answering\n"

	.text
// control_hypercall(a0, a1, a2, number) with an inline handle for a1.
	.proc hc_inline
hc_inline:
	.prologue
	.save ar.pfs, r35
	alloc r35 = ar.pfs, 3, 2, 6, 0
	.save rp, r36
	mov r36 = b0
	.body
	;;
	mov out0 = in1
	br.call.sptk.many b0 = xen_inline
	;;
	mov out0 = in0
	mov out1 = r8
	mov out2 = 1
	mov out5 = in2
	br.call.sptk.many b0 = xen_hypercall
	;;
	mov ar.pfs = r35
	mov b0 = r36
	br.ret.sptk.many b0
	.endp hc_inline

// control_init_domu(): grant the control page to Dom0 and offer it an event channel.
	.global control_init_domu
	.proc control_init_domu
control_init_domu:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 3, 6, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	// The grant table's frame list goes to grant_frame.
	movl r14 = grant_frame
	;;
	dep.z r15 = 1, 63, 1
	;;
	or r14 = r14, r15
	movl r16 = setup_op + 16
	;;
	st8 [r16] = r14
	mov out0 = GNTTABOP_setup_table
	movl out1 = setup_op
	mov out2 = HYPERVISOR_grant_table_op
	br.call.sptk.many b0 = hc_inline
	;;
	// Map frame 0 of the grant table at its own address (a 16 KiB data TR).
	movl r14 = grant_frame
	;;
	ld8 r14 = [r14]
	;;
	shl r16 = r14, PAGE_SHIFT
	mov r17 = PAGE_SHIFT << 2
	movl r18 = 0x661                // p, a, d, RWX, write-back
	mov r19 = GRANT_VA_SLOT
	;;
	or r18 = r18, r16
	mov cr.ifa = r16
	mov cr.itir = r17
	;;
	itr.d dtr[r19] = r18
	;;
	mov r34 = r16                   // grant table address
	// An unbound port for Dom0.
	mov out0 = EVTCHNOP_alloc_unbound
	movl out1 = alloc_op
	mov out2 = HYPERVISOR_event_channel_op
	br.call.sptk.many b0 = hc_inline
	;;
	movl r14 = alloc_op + 4
	movl r15 = control_page
	movl r16 = control_port
	;;
	ld4 r14 = [r14]
	;;
	st8 [r16] = r14
	adds r17 = 4, r15
	movl r18 = start_info
	;;
	st4 [r17] = r14                 // port
	ld8 r18 = [r18]
	;;
	adds r18 = 0x20, r18
	;;
	ld8 r18 = [r18]                 // nr_pages
	adds r17 = 8, r15
	;;
	st8 [r17] = r18
	movl r19 = CTRL_MAGIC
	;;
	st4.rel [r15] = r19
	// Grant entry 0: frame, domid 0, then the flags (GTF_permit_access) last.
	shr.u r20 = r15, PAGE_SHIFT
	adds r21 = 4, r34
	adds r22 = 2, r34
	;;
	st4 [r21] = r20
	st2 [r22] = r0
	;;
	mf
	mov r23 = 1
	;;
	st2.rel [r34] = r23
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp control_init_domu

// grant_copy(in0 = flags, in1 = src (ref or gmfn), in2 = src dom, in3 = src offset,
//            in4 = dst (ref or gmfn), in5 = dst dom, in6 = dst offset, in7 = length) -> r8 = status
	.proc grant_copy
grant_copy:
	.prologue
	.save ar.pfs, r40
	alloc r40 = ar.pfs, 8, 2, 6, 0
	.save rp, r41
	mov r41 = b0
	.body
	;;
	movl r14 = copy_op
	;;
	st8 [r14] = in1, 8
	;;
	st2 [r14] = in2, 2
	;;
	st2 [r14] = in3, 6
	;;
	st8 [r14] = in4, 8
	;;
	st2 [r14] = in5, 2
	;;
	st2 [r14] = in6, 6
	;;
	st2 [r14] = in7, 2
	;;
	st2 [r14] = in0, 2
	;;
	st2 [r14] = r0
	mov out0 = GNTTABOP_copy
	movl out1 = copy_op
	mov out2 = HYPERVISOR_grant_table_op
	br.call.sptk.many b0 = hc_inline
	;;
	movl r14 = copy_op + 36
	;;
	ld2 r8 = [r14]
	;;
	sxt2 r8 = r8
	mov ar.pfs = r40
	mov b0 = r41
	br.ret.sptk.many b0
	.endp grant_copy

// domain_exists(in0 = domid) -> r8 = 1 if getdomaininfo knows it and it is running.
	.global domain_state
	.proc domain_state
domain_state:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 2, 6, 0
	.save rp, r34
	mov r34 = b0
	.body
	;;
	movl r14 = domctl_op
	mov r15 = XEN_DOMCTL_getdomaininfo
	mov r16 = DOMCTL_VERSION
	;;
	st4 [r14] = r15, 4
	;;
	st4 [r14] = r16, 4
	;;
	st2 [r14] = in0
	movl r14 = domctl_op
	;;
	mov out0 = r14
	br.call.sptk.many b0 = xen_inline
	;;
	mov out0 = r8
	mov out5 = HYPERVISOR_domctl
	br.call.sptk.many b0 = xen_hypercall
	;;
	cmp.lt p6, p0 = r8, r0
(p6)	br.cond.dpnt.few 1f
	movl r14 = domctl_op + 20       // flags (XEN_DOMINF_*)
	;;
	ld4 r8 = [r14]
	;;
	dep r8 = -1, r8, 31, 1          // bit 31: the domain exists
	br.sptk.many 2f
	;;
1:
	mov r8 = 0
	;;
2:
	mov ar.pfs = r33
	mov b0 = r34
	br.ret.sptk.many b0
	.endp domain_state

// control_dom0(): find each DomU, wait for its control page, bind its channel and set its
// balloon target to three quarters of its memory; then wait until every DomU reports.
	.global control_dom0
	.proc control_dom0
control_dom0:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 6, 8, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	mov r34 = 1                     // domid
	;;
next_domain:
	mov out0 = r34
	br.call.sptk.many b0 = domain_state
	;;
	cmp.eq p6, p0 = r8, r0
(p6)	br.cond.dpnt.few all_found
	// Read its control page head (grant ref 0) until the DomU has published it.
wait_page:
	mov out0 = GNTCOPY_source_gref
	mov out1 = 0
	mov out2 = r34
	mov out3 = 0
	movl r14 = peer_ctrl
	;;
	shr.u out4 = r14, PAGE_SHIFT
	mov out5 = DOMID_SELF
	extr.u out6 = r14, 0, PAGE_SHIFT
	mov out7 = 32
	br.call.sptk.many b0 = grant_copy
	;;
	cmp.ne p6, p0 = r8, r0
(p6)	br.cond.dpnt.few not_yet
	movl r14 = peer_ctrl
	movl r15 = CTRL_MAGIC
	;;
	ld4 r16 = [r14]
	;;
	cmp.eq p7, p0 = r16, r15
(p7)	br.cond.dptk.few got_page
not_yet:
	br.call.sptk.many b0 = wait_tick
	;;
	br.sptk.many wait_page
	;;
got_page:
	// Bind its channel.
	movl r14 = peer_ctrl
	movl r15 = bind_op
	;;
	adds r16 = 4, r14
	;;
	ld4 r16 = [r16]                 // its port
	;;
	st2 [r15] = r34
	adds r17 = 4, r15
	;;
	st4 [r17] = r16
	mov out0 = EVTCHNOP_bind_interdomain
	movl out1 = bind_op
	mov out2 = HYPERVISOR_event_channel_op
	br.call.sptk.many b0 = hc_inline
	;;
	movl r14 = bind_op + 8
	movl r15 = domu_ports
	;;
	ld4 r35 = [r14]                 // local port
	adds r16 = -1, r34
	;;
	shladd r15 = r16, 3, r15
	;;
	st8 [r15] = r35
	// Target: 3/4 of its pages, written into its page at 0x10.
	movl r14 = peer_ctrl + 8
	;;
	ld8 r36 = [r14]
	;;
	shr.u r37 = r36, 2
	;;
	sub r37 = r36, r37
	movl r14 = target_value
	;;
	st8 [r14] = r37
	movl out0 = str_found
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r34
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_target
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r37
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_pages
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = GNTCOPY_dest_gref
	movl r14 = target_value
	;;
	shr.u out1 = r14, PAGE_SHIFT
	mov out2 = DOMID_SELF
	extr.u out3 = r14, 0, PAGE_SHIFT
	mov out4 = 0
	mov out5 = r34
	mov out6 = 0x10
	mov out7 = 8
	br.call.sptk.many b0 = grant_copy
	;;
	mov out0 = r35
	br.call.sptk.many b0 = send_event
	;;
	movl r14 = domu_count
	;;
	ld8 r15 = [r14]
	;;
	adds r15 = 1, r15
	;;
	st8 [r14] = r15
	adds r34 = 1, r34
	;;
	cmp.ltu p8, p0 = MAX_DOMUS, r34
(p8)	br.cond.dpnt.few all_found
	br.sptk.many next_domain
	;;
all_found:
	// Wait for each DomU's answer on its port.
	mov r34 = 1
	;;
wait_answers:
	movl r14 = domu_count
	;;
	ld8 r14 = [r14]
	;;
	cmp.ltu p6, p0 = r14, r34
(p6)	br.cond.dpnt.few done_control
	movl r15 = domu_ports
	adds r16 = -1, r34
	;;
	shladd r15 = r16, 3, r15
	;;
	ld8 r37 = [r15]
	;;
answer_poll:
	mov out0 = r37
	br.call.sptk.many b0 = try_port_event
	;;
	cmp.ne p6, p0 = r8, r0
(p6)	br.cond.dptk.few answered
	// No answer yet: give up on a DomU that is no longer running.
	mov out0 = r34
	br.call.sptk.many b0 = domain_state
	;;
	tbit.z p7, p0 = r8, 31
	and r14 = 5, r8
	;;
(p7)	br.cond.dpnt.few gone
	cmp.ne p8, p0 = r14, r0
(p8)	br.cond.dpnt.few gone
	br.call.sptk.many b0 = wait_tick
	;;
	br.sptk.many answer_poll
	;;
gone:
	movl out0 = str_acked
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r34
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_gone
	br.call.sptk.many b0 = print_str
	;;
	br.sptk.many next_answer
	;;
answered:
	movl out0 = str_acked
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r34
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_acked2
	br.call.sptk.many b0 = print_str
	;;
next_answer:
	adds r34 = 1, r34
	br.sptk.many wait_answers
	;;
done_control:
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp control_dom0

// send_event(in0 = port)
	.global send_event
	.proc send_event
send_event:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 2, 6, 0
	.save rp, r34
	mov r34 = b0
	.body
	;;
	movl r14 = send_op
	;;
	st4 [r14] = in0
	mov out0 = EVTCHNOP_send
	mov out1 = r14
	mov out2 = HYPERVISOR_event_channel_op
	br.call.sptk.many b0 = hc_inline
	;;
	mov ar.pfs = r33
	mov b0 = r34
	br.ret.sptk.many b0
	.endp send_event

// control_balloon_domu(): wait for Dom0's target, give pages back until the reservation
// reaches it, report, and tell Dom0.
	.global control_balloon_domu
	.proc control_balloon_domu
control_balloon_domu:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 8, 6, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = control_port
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = wait_port_event
	;;
	movl r14 = control_page
	;;
	adds r15 = 8, r14
	adds r16 = 0x10, r14
	;;
	ld8 r34 = [r15]                 // pages now
	ld8 r35 = [r16]                 // target
	;;
	mov r36 = r34
	;;
balloon_more:
	cmp.leu p6, p0 = r36, r35
(p6)	br.cond.dpnt.few balloon_done
	// Take up to 512 order-0 pages from the allocator and give them to Xen.
	sub r37 = r36, r35
	mov r38 = 0                     // extents in the list
	;;
	mov r39 = 512
	;;
	cmp.ltu p7, p0 = r39, r37
	;;
(p7)	mov r37 = r39
	;;
fill_list:
	cmp.eq p8, p0 = r38, r37
(p8)	br.cond.dpnt.few give_back
	mov out0 = 0
	br.call.sptk.many b0 = page_alloc
	;;
	cmp.eq p9, p0 = r8, r0
(p9)	br.cond.dpnt.few give_back      // allocator empty: give back what we have
	movl r14 = balloon_list
	;;
	shladd r14 = r38, 3, r14
	shr.u r15 = r8, PAGE_SHIFT
	;;
	st8 [r14] = r15
	adds r38 = 1, r38
	br.sptk.many fill_list
	;;
give_back:
	cmp.eq p10, p0 = r38, r0
(p10)	br.cond.dpnt.few balloon_done
	movl r14 = reservation
	movl r15 = balloon_list
	;;
	dep.z r16 = 1, 63, 1
	;;
	or r15 = r15, r16
	;;
	st8 [r14] = r15, 8
	;;
	st8 [r14] = r38
	mov out0 = XENMEM_decrease_reservation
	movl out1 = reservation
	mov out2 = HYPERVISOR_memory_op
	br.call.sptk.many b0 = hc_inline
	;;
	cmp.lt p11, p0 = r8, r0
(p11)	br.cond.dpnt.few balloon_done
	sub r36 = r36, r8
	br.sptk.many balloon_more
	;;
balloon_done:
	movl out0 = str_balloon1
	br.call.sptk.many b0 = print_str
	;;
	shr.u out0 = r34, 6
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_balloon2
	br.call.sptk.many b0 = print_str
	;;
	shr.u out0 = r36, 6
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_balloon3
	br.call.sptk.many b0 = print_str
	;;
	movl r14 = control_page + 0x18
	mov r15 = 1
	;;
	st8 [r14] = r15
	movl r14 = control_port
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = send_event
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp control_balloon_domu
