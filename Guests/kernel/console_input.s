// console_input.s: console input, read where the platform delivers it. Dom0 binds
// VIRQ_CONSOLE and reads the hypervisor's serial input with CONSOLEIO_read; a DomU takes the
// bytes off its console ring's in[] (in_cons 0xc00, in_prod 0xc04) on its console event and
// notifies the back end, which refills the ring. Each completed line is echoed to the
// console as "console input: LINE". Polled after every block (wait.s) and once before
// shutdown (main.s): the upcall itself has no stack to print from.
	.include "xen.inc"

	LINE_MAX = 120                  // longer lines are cut there (the rest is dropped)
	READ_CHUNK = 64

	.data
	.align 8
	.global console_in_port
console_in_port:                // the port input events arrive on (0: none)
	data8 0
console_in_lock:                // one reader at a time; others leave it to the holder
	data8 0
console_line_len:
	data8 0
	.align 16
bind_console_op:
	data4 VIRQ_CONSOLE              // virq
	data4 0                         // vcpu
	data4 0                         // out: port
	data4 0
str_console_input:
	stringz "console input: "
console_line:
	.skip LINE_MAX
	.align 16
console_read_buf:
	.skip READ_CHUNK

	.text
// console_input_init(): after console_init. Dom0 binds VIRQ_CONSOLE on vCPU 0; a DomU's
// input comes on its console port.
	.global console_input_init
	.proc console_input_init
console_input_init:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 2, 6, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = console_is_dom0
	;;
	ld8 r14 = [r14]
	movl r15 = console_port
	;;
	ld8 r15 = [r15]
	cmp.eq p6, p0 = r14, r0
	movl r16 = console_in_port
	;;
(p6)	st8 [r16] = r15
(p6)	br.cond.dptk.few 1f
	movl out0 = bind_console_op
	br.call.sptk.many b0 = xen_inline
	;;
	mov out0 = EVTCHNOP_bind_virq
	mov out1 = r8
	mov out5 = HYPERVISOR_event_channel_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	cmp.ne p6, p0 = r8, r0
(p6)	br.cond.dpnt.few 1f             // not bound: no input events
	movl r14 = bind_console_op + 8
	movl r16 = console_in_port
	;;
	ld4 r14 = [r14]
	;;
	st8 [r16] = r14
1:
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp console_input_init

// console_input_poll(): if an input event came, reads all the input there is.
	.global console_input_poll
	.proc console_input_poll
console_input_poll:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 6, 6, 0
	.save rp, r33
	mov r33 = b0
	.body
	movl r34 = console_in_lock
	mov r14 = 1
	;;
	mov ar.ccv = r0
	;;
	cmpxchg8.acq r15 = [r34], r14, ar.ccv
	;;
	cmp.ne p6, p0 = r15, r0
(p6)	br.cond.dpnt.few 9f             // another vCPU or task is reading
	movl r14 = console_in_port
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = try_port_event
	;;
	cmp.eq p6, p0 = r8, r0
(p6)	br.cond.dptk.few 8f
	movl r14 = console_is_dom0
	;;
	ld8 r14 = [r14]
	;;
	cmp.eq p6, p0 = r14, r0
(p6)	br.cond.dptk.few ring_read
	// Dom0: CONSOLEIO_read until it returns nothing.
1:
	movl out0 = console_read_buf
	br.call.sptk.many b0 = xen_inline
	;;
	mov out0 = CONSOLEIO_read
	mov out1 = READ_CHUNK
	mov out2 = r8
	mov out5 = HYPERVISOR_console_io
	br.call.sptk.many b0 = xen_hypercall
	;;
	cmp.ge p6, p0 = r0, r8          // 0 (or an error): nothing more
(p6)	br.cond.dpnt.few 8f
	mov r36 = r8                    // bytes read
	mov r37 = 0
	;;
2:
	cmp.geu p6, p0 = r37, r36
(p6)	br.cond.dpnt.few 1b
	movl r14 = console_read_buf
	;;
	add r14 = r14, r37
	adds r37 = 1, r37
	;;
	ld1 out0 = [r14]
	br.call.sptk.many b0 = console_input_byte
	;;
	br.sptk.few 2b
	;;
ring_read:
	movl r14 = console_ring
	;;
	ld8 r35 = [r14]
	;;
3:
	adds r14 = 0xc00, r35
	adds r15 = 0xc04, r35
	;;
	ld4 r16 = [r14]                 // in_cons
	ld4.acq r17 = [r15]             // in_prod
	;;
	cmp4.eq p6, p0 = r16, r17
(p6)	br.cond.dpnt.few 4f
	extr.u r18 = r16, 0, 10
	adds r16 = 1, r16
	;;
	add r18 = r35, r18
	;;
	ld1 out0 = [r18]
	;;
	st4.rel [r14] = r16
	br.call.sptk.many b0 = console_input_byte
	;;
	br.sptk.few 3b
	;;
4:
	// Room in the ring: the back end puts in what waits.
	br.call.sptk.many b0 = console_notify
	;;
8:
	st8.rel [r34] = r0
9:
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp console_input_poll

// console_input_byte(in0 = byte): adds it to the line; a newline echoes the line.
	.proc console_input_byte
console_input_byte:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 3, 2, 0
	.save rp, r34
	mov r34 = b0
	.body
	movl r14 = console_line_len
	;;
	ld8 r35 = [r14]
	cmp.eq p6, p0 = 10, in0
(p6)	br.cond.dpnt.few 1f
	;;
	cmp.leu p7, p0 = LINE_MAX, r35
(p7)	br.cond.dpnt.few 2f             // full: dropped
	movl r15 = console_line
	;;
	add r15 = r15, r35
	adds r35 = 1, r35
	;;
	st1 [r15] = in0
	st8 [r14] = r35
	br.sptk.few 2f
	;;
1:
	movl out0 = str_console_input
	br.call.sptk.many b0 = print_str
	;;
	movl out0 = console_line
	mov out1 = r35
	br.call.sptk.many b0 = console_write
	;;
	br.call.sptk.many b0 = print_nl
	;;
	movl r14 = console_line_len
	;;
	st8 [r14] = r0
2:
	mov ar.pfs = r33
	mov b0 = r34
	br.ret.sptk.many b0
	.endp console_input_byte
