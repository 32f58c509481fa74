// console.s: console_write for the library's print routines. Dom0 writes with the
// console_io hypercall; a DomU (console_io is Dom0-only) fills its console ring page
// (public/io/console.h: out[2048] at 0x400, out_cons 0xc08, out_prod 0xc0c) and notifies
// the back end through the console event channel from start_info.
	.include "xen.inc"

	.data
	.align 8
	.global console_is_dom0
console_is_dom0:
	data8 0
	.global console_ring
console_ring:
	data8 0
	.global console_port
console_port:
	data8 0
	.align 16
evtchn_send_op:
	.skip 16

	.text
// console_init(in0 = start_info address)
	.global console_init
	.proc console_init
console_init:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 1, 0, 0
	.body
	adds r14 = 0x30, in0            // flags
	adds r15 = 0x48, in0            // console.domU.mfn
	adds r16 = 0x50, in0            // console.domU.evtchn
	;;
	ld4 r14 = [r14]
	ld8 r15 = [r15]
	ld4 r16 = [r16]
	movl r17 = console_is_dom0
	movl r18 = console_ring
	movl r19 = console_port
	;;
	and r14 = SIF_INITDOMAIN, r14
	shl r15 = r15, PAGE_SHIFT
	;;
	cmp.ne p6, p7 = r14, r0
	;;
(p6)	mov r14 = 1
(p7)	mov r14 = 0
	;;
	st8 [r17] = r14
	st8 [r18] = r15
	st8 [r19] = r16
	mov ar.pfs = r33
	br.ret.sptk.many b0
	.endp console_init

// console_write(in0 = buffer, in1 = length)
	.global console_write
	.proc console_write
console_write:
	.prologue
	.save ar.pfs, r34
	alloc r34 = ar.pfs, 2, 4, 6, 0
	.save rp, r35
	mov r35 = b0
	.body
	;;
	movl r14 = console_is_dom0
	;;
	ld8 r14 = [r14]
	;;
	cmp.eq p6, p0 = r14, r0
(p6)	br.cond.dpnt.few ring_write
	mov out0 = in0
	br.call.sptk.many b0 = xen_inline
	;;
	mov out0 = CONSOLEIO_write
	mov out1 = in1
	mov out2 = r8
	mov out5 = HYPERVISOR_console_io
	br.call.sptk.many b0 = xen_hypercall
	;;
	br.sptk.many out
	;;
ring_write:
	movl r14 = console_ring
	;;
	ld8 r36 = [r14]                 // ring base
	mov r37 = 0                     // bytes done
	;;
1:
	cmp.geu p6, p0 = r37, in1
(p6)	br.cond.dpnt.few 2f
	adds r15 = 0xc08, r36
	adds r16 = 0xc0c, r36
	;;
	ld4.acq r17 = [r15]             // out_cons
	ld4 r18 = [r16]                 // out_prod
	;;
	sub r19 = r18, r17
	;;
	extr.u r19 = r19, 0, 32
	;;
	cmp.geu p7, p0 = r19, r0
	mov r20 = 2048
	;;
	cmp.geu p7, p0 = r19, r20       // full: notify and wait for the back end
(p7)	br.cond.dpnt.few 3f
	extr.u r21 = r18, 0, 11
	add r22 = in0, r37
	;;
	ld1 r23 = [r22]
	add r21 = r36, r21
	;;
	adds r21 = 0x400, r21
	;;
	st1 [r21] = r23
	adds r18 = 1, r18
	adds r37 = 1, r37
	;;
	st4.rel [r16] = r18
	br.cond.sptk.few 1b
	;;
3:
	br.call.sptk.many b0 = console_notify
	;;
	mov out0 = SCHEDOP_yield
	mov out1 = 0
	mov out5 = HYPERVISOR_sched_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	br.cond.sptk.few 1b
	;;
2:
	br.call.sptk.many b0 = console_notify
	;;
out:
	mov ar.pfs = r34
	mov b0 = r35
	br.ret.sptk.many b0
	.endp console_write

// console_notify(): EVTCHNOP_send on the console port.
	.global console_notify
	.proc console_notify
console_notify:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 2, 6, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = console_port
	movl r15 = evtchn_send_op
	;;
	ld8 r14 = [r14]
	;;
	st4 [r15] = r14
	mov out0 = r15
	br.call.sptk.many b0 = xen_inline
	;;
	mov out0 = EVTCHNOP_send
	mov out1 = r8
	mov out5 = HYPERVISOR_event_channel_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp console_notify
