// blkfront.s: the virtual block device front end (Xen split-driver protocol, blkif rings of
// Xen 3.1). The hypervisor plays blkback and, with no xenstore, lists the devices in the
// "device page" at start_info.store_mfn (layout in Sources/VMMCore/Xen/BlockBackend.swift):
//
//   0x000 u32 magic 'XBLK'   0x008 u32 count   0x040 + 64 × i: device i
//     +0x00 name[16]  +0x10 u64 sectors  +0x18 u32 info (4 = read-only)  +0x20 u16 handle
//     +0x24 u32 setup port  +0x28 u32 back-end state (4 = connected)  +0x2c u32 front state
//     +0x30 u32 ring-ref  +0x34 u32 event-channel
//
// Ring (LP64): req_prod @0, req_event @4, rsp_prod @8, rsp_event @12, 128 entries of 112
// bytes from @64. Request: op @0, nr_segments @1, handle @2, id @8, sector @16, segment k
// @24 + 8k {u32 gref, u8 first_sect, u8 last_sect}. Response: id @0, op @8, i16 status @10.
//
// Routines:
//   blk_init() -> r8 = 0, or -1 (no device, or the back end did not connect)
//       Sets up the first device: grants a ring page (ref 16) to domain 0, allocates an
//       unbound port for domain 0, publishes both and notifies the setup port. Needs the
//       grant table mapped (control_init_domu does that) and the page allocator.
//   blk_read(in0 = sector, in1 = count, in2 = buffer) -> r8 = 0 or the blkif status (< 0)
//   blk_write(in0 = sector, in1 = count, in2 = buffer) -> r8 = 0 or the blkif status
//       The buffer must be 512-byte aligned in the identity-mapped region; requests of up to
//       11 segments (one granted page each, refs 17..27) are queued one at a time, and the
//       caller sleeps (wait_port_event) until each response. Call from vCPU 0, which gets
//       the port's events.
//   blk_demo(): reads the first 64 KiB, checksums it (sum = rotl(sum, 7) + each u64, as
//       the workloads do), then on a read-write disk writes a pattern to the last 32 KiB and
//       reads it back, on a read-only one checks a write is refused; prints one line:
//       "blkfront: xvda 2048 sectors, read 64 KiB checksum 0123456789abcdef, write/read-back ok"
//   blk_ioload(in0 = rounds): the I/O load (io=N on the command line): N rounds of IO_REQS
//       concurrent 4 KiB reads, each in its own page and grant, then the checksum of all.
//       Unlike blk_io it does not sleep: the event upcall (events.s) takes the responses off
//       the ring and retires each request's entry in the slot table io_slots (the response
//       id is the slot, like Linux blkfront's shadow table), while this loop polls the
//       slots and accounts a poll to each request still in flight. That accounting is a
//       check-then-use without the upcall masked: the slot is read, found busy, the record
//       is touched after a cpu_relax() and the slot is read again. A completion delivered in
//       that window has cleared the slot, and the second read gives NULL: the kernel
//       dereferences NULL + IOREQ_POLLS and oopses. The loop accounts a request only while
//       its completion is at least IO_MARGIN ticks away by the standard latency (20000 +
//       100 per sector, from the ITC read before the notify), far more than the window's
//       ~40 instructions: on a fixed schedule a response is delivered no earlier than that,
//       at a round boundary, so the window is never hit. With perturbed quanta and
//       latencies (xdbg record --chaos) a completion can be early, or a vCPU can find time
//       moved on when its next slice starts, and the upcall runs at that slice's first
//       instruction, wherever the previous slice stopped.
	.include "xen.inc"

	BLK_MAGIC = 0x4b4c4258
	GRANT_TABLE = 0x10000104000     // grant-table frame 0 (mapped by control_init_domu)
	RING_GREF = 16
	DATA_GREF = 17
	MAX_SEGS = 11
	BLKIF_OP_READ = 0
	BLKIF_OP_WRITE = 1

	.data
	.align 8
	.global blk_device
blk_device:	data8 0			// device-page entry of the connected device (0: none)
	.global blk_ring
blk_ring:	data8 0
blk_port:	data8 0
	.global blk_sectors
blk_sectors:	data8 0
blk_readonly:	data8 0
blk_req_prod:	data8 0			// private producer index
blk_rsp_cons:	data8 0
blk_next_id:	data8 0
blk_alloc_op:	data2 DOMID_SELF	// evtchn_alloc_unbound: dom, remote_dom (0), port
		data2 0
		data4 0
	.global io_port
io_port:	data8 0			// the I/O load's port while it runs (0: none)
	.global io_rsp_cons
io_rsp_cons:	data8 0			// its response consumer (the upcall's)
	.global io_slots
io_slots:	.skip 8 * IO_REQS	// per slot: the request in flight, or NULL
	.global io_reqs
io_reqs:	.skip IOREQ_SIZE * IO_REQS
str_blk:	stringz "blkfront: "
str_io1:	stringz "blkfront: io load "
str_io2:	stringz " rounds, "
str_io3:	stringz " requests, checksum "
str_io4:	stringz ", errors "
str_nodisk:	stringz "blkfront: no disk\n"
str_space:	stringz " "
str_sectors:	stringz " sectors, read "
str_check:	stringz " KiB checksum "
str_rerr:	stringz " sectors, read error "
str_rbok:	stringz ", write/read-back ok\n"
str_rbbad:	stringz ", write/read-back MISMATCH\n"
str_werr:	stringz ", write error "
str_roref:	stringz ", read-only: write refused\n"
str_ronot:	stringz ", read-only: write NOT refused\n"

	.text
// blk_grant(in0 = ref, in1 = frame, in2 = flags): writes a grant entry for domain 0, flags
// last (flags 0 ends the access).
	.proc blk_grant
blk_grant:
	.prologue
	.save ar.pfs, r35
	alloc r35 = ar.pfs, 3, 1, 0, 0
	.body
	;;
	movl r14 = GRANT_TABLE
	;;
	shladd r14 = in0, 3, r14
	;;
	adds r15 = 4, r14
	adds r16 = 2, r14
	;;
	st4 [r15] = in1
	st2 [r16] = r0
	;;
	mf
	;;
	st2.rel [r14] = in2
	mov ar.pfs = r35
	br.ret.sptk.many b0
	.endp blk_grant

	.global blk_init
	.proc blk_init
blk_init:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 6, 6, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = start_info
	;;
	ld8 r14 = [r14]
	;;
	adds r14 = 0x38, r14
	;;
	ld8 r14 = [r14]                 // store_mfn: the device page
	;;
	shl r34 = r14, PAGE_SHIFT
	movl r16 = BLK_MAGIC
	;;
	ld4 r15 = [r34]
	adds r17 = 8, r34
	;;
	ld4 r17 = [r17]
	cmp.ne p6, p0 = r15, r16
(p6)	br.cond.dpnt.few blk_init_fail
	;;
	cmp.eq p6, p0 = r17, r0
(p6)	br.cond.dpnt.few blk_init_fail
	adds r35 = 0x40, r34            // device 0
	;;
	adds r18 = 0x10, r35
	adds r19 = 0x18, r35
	;;
	ld8 r18 = [r18]
	ld4 r19 = [r19]
	movl r20 = blk_sectors
	movl r21 = blk_readonly
	;;
	st8 [r20] = r18
	extr.u r19 = r19, 2, 1          // VDISK_READONLY
	;;
	st8 [r21] = r19
	// The ring page: zeroed, then SHARED_RING_INIT (req_event = rsp_event = 1).
	mov out0 = 0
	br.call.sptk.many b0 = page_alloc
	;;
	cmp.eq p6, p0 = r8, r0
(p6)	br.cond.dpnt.few blk_init_fail
	mov r36 = r8
	mov out0 = r8
	mov out1 = 0
	movl out2 = 16384
	br.call.sptk.many b0 = memset
	;;
	mov r14 = 1
	adds r15 = 4, r36
	adds r16 = 12, r36
	movl r17 = blk_ring
	;;
	st4 [r15] = r14
	st4 [r16] = r14
	st8 [r17] = r36
	mov out0 = RING_GREF
	shr.u out1 = r36, PAGE_SHIFT
	mov out2 = 1                    // GTF_permit_access, writable
	br.call.sptk.many b0 = blk_grant
	;;
	// An unbound port for domain 0.
	movl out0 = blk_alloc_op
	br.call.sptk.many b0 = xen_inline
	;;
	mov out0 = EVTCHNOP_alloc_unbound
	mov out1 = r8
	mov out5 = HYPERVISOR_event_channel_op
	br.call.sptk.many b0 = xen_hypercall
	;;
	cmp.ne p6, p0 = r8, r0
(p6)	br.cond.dpnt.few blk_init_fail
	movl r14 = blk_alloc_op + 4
	movl r15 = blk_port
	;;
	ld4 r14 = [r14]
	;;
	st8 [r15] = r14
	// Publish ring-ref and event-channel, then the state (Initialised), and notify.
	adds r16 = 0x30, r35
	adds r17 = 0x34, r35
	mov r18 = RING_GREF
	;;
	st4 [r16] = r18
	st4 [r17] = r14
	;;
	mf
	adds r19 = 0x2c, r35
	mov r20 = 3
	adds r21 = 0x24, r35
	;;
	st4.rel [r19] = r20
	ld4 out0 = [r21]
	br.call.sptk.many b0 = send_event
	;;
	adds r14 = 0x28, r35
	;;
	ld4.acq r14 = [r14]
	;;
	cmp.ne p6, p0 = 4, r14          // XenbusStateConnected
(p6)	br.cond.dpnt.few blk_init_fail
	movl r15 = blk_device
	;;
	st8 [r15] = r35
	mov r8 = 0
	br.sptk.many blk_init_done
	;;
blk_init_fail:
	mov r8 = -1
	;;
blk_init_done:
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp blk_init

	.global blk_read
	.proc blk_read
blk_read:
	.prologue
	.save ar.pfs, r35
	alloc r35 = ar.pfs, 3, 2, 4, 0
	.save rp, r36
	mov r36 = b0
	.body
	;;
	mov out0 = BLKIF_OP_READ
	mov out1 = in0
	mov out2 = in1
	mov out3 = in2
	br.call.sptk.many b0 = blk_io
	;;
	mov ar.pfs = r35
	mov b0 = r36
	br.ret.sptk.many b0
	.endp blk_read

	.global blk_write
	.proc blk_write
blk_write:
	.prologue
	.save ar.pfs, r35
	alloc r35 = ar.pfs, 3, 2, 4, 0
	.save rp, r36
	mov r36 = b0
	.body
	;;
	mov out0 = BLKIF_OP_WRITE
	mov out1 = in0
	mov out2 = in1
	mov out3 = in2
	br.call.sptk.many b0 = blk_io
	;;
	mov ar.pfs = r35
	mov b0 = r36
	br.ret.sptk.many b0
	.endp blk_write

// blk_io(in0 = operation, in1 = sector, in2 = count, in3 = buffer) -> r8 = 0 or status.
	.proc blk_io
blk_io:
	.prologue
	.save ar.pfs, r36
	alloc r36 = ar.pfs, 4, 12, 3, 0
	.save rp, r37
	mov r37 = b0
	.body
	;;
	mov r38 = in2                   // sectors left
	mov r39 = in1                   // next sector
	mov r40 = in3                   // buffer cursor
	mov r41 = 0                     // result
	cmp.ne p6, p0 = r0, r0
	movl r14 = blk_device
	;;
	ld8 r14 = [r14]
	mov r15 = 511
	;;
	and r15 = r15, in3
	;;
	cmp.eq.or p6, p0 = r14, r0      // no device, or a misaligned buffer
	;;
	cmp.ne.or p6, p0 = r15, r0
	;;
(p6)	mov r41 = -1
(p6)	br.cond.dpnt.few io_done
next_request:
	cmp.eq p6, p0 = r38, r0
(p6)	br.cond.dpnt.few io_done
	movl r14 = blk_ring
	movl r15 = blk_req_prod
	;;
	ld8 r14 = [r14]
	ld8 r15 = [r15]
	;;
	and r16 = 127, r15
	;;
	shl r17 = r16, 7
	shl r18 = r16, 4
	;;
	sub r17 = r17, r18              // slot × 112
	;;
	add r17 = r17, r14
	;;
	adds r42 = 64, r17              // the request
	mov r43 = 0                     // segments
	mov r44 = 0                     // sectors in this request
	;;
seg_loop:
	cmp.eq p6, p0 = r38, r0
	cmp.eq p7, p0 = MAX_SEGS, r43
	;;
(p6)	br.cond.dpnt.few seg_done
(p7)	br.cond.dpnt.few seg_done
	movl r14 = 16383
	;;
	andcm r45 = r40, r14            // page
	and r15 = r40, r14
	;;
	shr.u r46 = r15, 9              // first_sect
	;;
	sub r47 = 32, r46               // sectors left in the page
	;;
	cmp.ltu p8, p0 = r38, r47
	;;
(p8)	mov r47 = r38                   // n = min(left in page, left to do)
	adds out0 = DATA_GREF, r43
	shr.u out1 = r45, PAGE_SHIFT
	cmp.eq p9, p10 = BLKIF_OP_READ, in0
	;;
(p9)	mov out2 = 1                    // the back end writes the page
(p10)	mov out2 = 5                    // GTF_readonly: it only reads it
	br.call.sptk.many b0 = blk_grant
	;;
	shladd r14 = r43, 3, r42
	adds r15 = DATA_GREF, r43
	add r16 = r46, r47
	;;
	adds r14 = 24, r14
	adds r16 = -1, r16              // last_sect
	;;
	st4 [r14] = r15, 4
	;;
	st1 [r14] = r46, 1
	;;
	st1 [r14] = r16
	add r44 = r44, r47
	sub r38 = r38, r47
	shl r17 = r47, 9
	adds r43 = 1, r43
	;;
	add r40 = r40, r17
	br.sptk.many seg_loop
	;;
seg_done:
	movl r14 = blk_device
	movl r15 = blk_next_id
	;;
	ld8 r14 = [r14]
	ld8 r16 = [r15]
	;;
	adds r14 = 0x20, r14
	adds r17 = 1, r16
	;;
	ld2 r14 = [r14]                 // handle
	st8 [r15] = r17
	adds r18 = 1, r42
	adds r19 = 2, r42
	adds r20 = 8, r42
	adds r21 = 16, r42
	;;
	st1 [r42] = in0
	st1 [r18] = r43
	st2 [r19] = r14
	st8 [r20] = r16
	st8 [r21] = r39
	;;
	mf
	movl r14 = blk_req_prod
	movl r15 = blk_ring
	;;
	ld8 r16 = [r14]
	ld8 r15 = [r15]
	;;
	adds r16 = 1, r16
	;;
	st8 [r14] = r16
	st4.rel [r15] = r16             // req_prod
	movl r14 = blk_port
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = send_event
	;;
wait_response:
	movl r14 = blk_ring
	movl r15 = blk_rsp_cons
	;;
	ld8 r14 = [r14]
	ld8 r15 = [r15]
	;;
	adds r14 = 8, r14
	zxt4 r15 = r15
	;;
	ld4.acq r16 = [r14]             // rsp_prod
	;;
	cmp.ne p6, p0 = r16, r15
(p6)	br.cond.dptk.few got_response
	movl r14 = blk_port
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = wait_port_event
	;;
	br.sptk.many wait_response
	;;
got_response:
	movl r14 = blk_ring
	movl r15 = blk_rsp_cons
	;;
	ld8 r14 = [r14]
	ld8 r16 = [r15]
	;;
	and r17 = 127, r16
	adds r18 = 1, r16
	;;
	shl r19 = r17, 7
	shl r20 = r17, 4
	st8 [r15] = r18                 // rsp_cons
	adds r21 = 2, r16
	;;
	sub r19 = r19, r20
	adds r22 = 12, r14
	;;
	add r19 = r19, r14
	st4 [r22] = r21                 // rsp_event = rsp_cons + 1
	;;
	adds r19 = 64 + 10, r19
	;;
	ld2 r45 = [r19]                 // status
	;;
	sxt2 r45 = r45
	mov r46 = 0
	;;
end_grants:
	cmp.eq p6, p0 = r46, r43
(p6)	br.cond.dpnt.few grants_done
	adds out0 = DATA_GREF, r46
	mov out1 = 0
	mov out2 = 0
	br.call.sptk.many b0 = blk_grant
	;;
	adds r46 = 1, r46
	br.sptk.many end_grants
	;;
grants_done:
	cmp.ne p6, p0 = r45, r0
	add r39 = r39, r44
	;;
(p6)	mov r41 = r45
(p6)	br.cond.dpnt.few io_done
	br.sptk.many next_request
	;;
io_done:
	mov r8 = r41
	mov ar.pfs = r36
	mov b0 = r37
	br.ret.sptk.many b0
	.endp blk_io

// blk_checksum(in0 = buffer, in1 = bytes) -> r8: sum = rotl(sum, 7) + each u64.
	.global blk_checksum
	.proc blk_checksum
blk_checksum:
	.prologue
	.save ar.pfs, r34
	alloc r34 = ar.pfs, 2, 1, 0, 0
	.body
	;;
	mov r8 = 0
	mov r14 = in0
	shr.u r15 = in1, 3
	;;
1:
	cmp.eq p6, p0 = r15, r0
(p6)	br.cond.dpnt.few 2f
	ld8 r16 = [r14], 8
	shrp r8 = r8, r8, 57
	adds r15 = -1, r15
	;;
	add r8 = r8, r16
	br.sptk.many 1b
	;;
2:
	mov ar.pfs = r34
	br.ret.sptk.many b0
	.endp blk_checksum

// blk_pattern(in0 = buffer, in1 = words, in2 = 0 fill / 1 check) -> r8 = mismatching words.
// Word i is 0xb10cf00d00000000 ^ (i << 40) ^ (i << 20) ^ i.
	.proc blk_pattern
blk_pattern:
	.prologue
	.save ar.pfs, r35
	alloc r35 = ar.pfs, 3, 1, 0, 0
	.body
	;;
	mov r8 = 0
	mov r14 = in0
	mov r15 = 0
	movl r16 = 0xb10cf00d00000000
	cmp.ne p7, p8 = in2, r0
	;;
1:
	cmp.eq p6, p0 = r15, in1
(p6)	br.cond.dpnt.few 2f
	shl r17 = r15, 40
	shl r18 = r15, 20
	xor r19 = r15, r16
	;;
	xor r17 = r17, r18
	;;
	xor r17 = r17, r19
	;;
(p8)	st8 [r14] = r17
(p7)	ld8 r20 = [r14]
	;;
(p7)	cmp.ne.unc p9, p0 = r20, r17
	adds r14 = 8, r14
	adds r15 = 1, r15
	;;
(p9)	adds r8 = 1, r8
	br.sptk.many 1b
	;;
2:
	mov ar.pfs = r35
	br.ret.sptk.many b0
	.endp blk_pattern

	.global blk_demo
	.proc blk_demo
blk_demo:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 8, 3, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = blk_device
	;;
	ld8 r37 = [r14]
	;;
	cmp.eq p6, p0 = r37, r0
(p6)	br.cond.dpnt.few demo_nodisk
	mov out0 = 2                    // 4 pages: 64 KiB
	br.call.sptk.many b0 = page_alloc
	;;
	cmp.eq p6, p0 = r8, r0
(p6)	br.cond.dpnt.few demo_done
	mov r34 = r8
	movl r14 = blk_sectors
	;;
	ld8 r14 = [r14]
	mov r35 = 128
	;;
	cmp.ltu p7, p0 = r14, r35
	;;
(p7)	mov r35 = r14                   // N = min(128, sectors)
	movl out0 = str_blk
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r37                  // the device name
	br.call.sptk.many b0 = print_str
	;;
	movl out0 = str_space
	br.call.sptk.many b0 = print_str
	;;
	movl r14 = blk_sectors
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = print_dec
	;;
	mov out0 = 0
	mov out1 = r35
	mov out2 = r34
	br.call.sptk.many b0 = blk_read
	;;
	cmp.ne p6, p0 = r8, r0
	mov r39 = r8
(p6)	br.cond.dpnt.few demo_read_error
	movl out0 = str_sectors
	br.call.sptk.many b0 = print_str
	;;
	shr.u out0 = r35, 1
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_check
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r34
	shl out1 = r35, 9
	br.call.sptk.many b0 = blk_checksum
	;;
	mov out0 = r8
	mov out1 = 16
	br.call.sptk.many b0 = print_hex
	;;
	movl r14 = blk_readonly
	;;
	ld8 r14 = [r14]
	;;
	cmp.ne p6, p0 = r14, r0
(p6)	br.cond.dpnt.few demo_readonly
	// Read-write: the pattern to the last M = N / 2 sectors, then back.
	shr.u r36 = r35, 1
	movl r14 = blk_sectors
	;;
	ld8 r14 = [r14]
	;;
	sub r38 = r14, r36              // scratch sector
	mov out0 = r34
	shl out1 = r36, 6               // words: M × 512 / 8
	mov out2 = 0
	br.call.sptk.many b0 = blk_pattern
	;;
	mov out0 = r38
	mov out1 = r36
	mov out2 = r34
	br.call.sptk.many b0 = blk_write
	;;
	cmp.ne p6, p0 = r8, r0
	mov r39 = r8
(p6)	br.cond.dpnt.few demo_write_error
	mov out0 = r34
	mov out1 = 0
	shl out2 = r36, 9
	br.call.sptk.many b0 = memset
	;;
	mov out0 = r38
	mov out1 = r36
	mov out2 = r34
	br.call.sptk.many b0 = blk_read
	;;
	cmp.ne p6, p0 = r8, r0
	mov r39 = r8
(p6)	br.cond.dpnt.few demo_write_error
	mov out0 = r34
	shl out1 = r36, 6
	mov out2 = 1
	br.call.sptk.many b0 = blk_pattern
	;;
	cmp.eq p6, p7 = r8, r0
	;;
(p6)	movl out0 = str_rbok
	;;
(p7)	movl out0 = str_rbbad
	br.call.sptk.many b0 = print_str
	;;
	br.sptk.many demo_free
	;;
demo_readonly:
	mov out0 = 0
	mov out1 = 1
	mov out2 = r34
	br.call.sptk.many b0 = blk_write
	;;
	cmp.eq p6, p7 = -1, r8
	;;
(p6)	movl out0 = str_roref
	;;
(p7)	movl out0 = str_ronot
	br.call.sptk.many b0 = print_str
	;;
	br.sptk.many demo_free
	;;
demo_write_error:
	movl out0 = str_werr
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r39
	br.call.sptk.many b0 = print_sdec
	;;
	br.call.sptk.many b0 = print_nl
	;;
	br.sptk.many demo_free
	;;
demo_read_error:
	movl out0 = str_rerr
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r39
	br.call.sptk.many b0 = print_sdec
	;;
	br.call.sptk.many b0 = print_nl
	;;
demo_free:
	mov out0 = r34
	mov out1 = 2
	br.call.sptk.many b0 = page_free
	;;
	br.sptk.many demo_done
	;;
demo_nodisk:
	movl out0 = str_nodisk
	br.call.sptk.many b0 = print_str
	;;
demo_done:
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp blk_demo

	IO_SECTORS = 8			// per request: 4 KiB
	IO_LATENCY = 20000 + 100 * IO_SECTORS
	IO_MARGIN = 1000		// ITC ticks: closer to the completion than this, no accounting
	IO_RELAX = 4			// cpu_relax() spins between the slot's two reads

// blk_ioload(in0 = rounds): the I/O load (see the top of the file). Prints
// "blkfront: io load N rounds, 4N requests, checksum 0123456789abcdef, errors 0".
	.global blk_ioload
	.proc blk_ioload
blk_ioload:
	.prologue
	.save ar.pfs, r33
	alloc r33 = ar.pfs, 1, 15, 3, 0
	.save rp, r34
	mov r34 = b0
	.body
	;;
	movl r14 = blk_device
	;;
	ld8 r14 = [r14]
	;;
	cmp.eq p6, p0 = r14, r0
(p6)	br.cond.dpnt.few ioload_done
	mov out0 = 2                    // 4 pages: one per request
	br.call.sptk.many b0 = page_alloc
	;;
	cmp.eq p6, p0 = r8, r0
(p6)	br.cond.dpnt.few ioload_done
	mov r35 = r8                    // the buffers
	mov r36 = 0                     // round
	mov r37 = 0                     // checksum
	mov r39 = 0                     // polls
	mov r45 = 0                     // errors
	mov r41 = IO_MARGIN
	// From here on the upcall takes the responses: it starts where blk_io stopped.
	movl r14 = blk_rsp_cons
	movl r15 = io_rsp_cons
	movl r16 = blk_port
	movl r17 = io_port
	;;
	ld8 r14 = [r14]
	ld8 r16 = [r16]
	;;
	st8 [r15] = r14
	;;
	mf
	;;
	st8 [r17] = r16
	;;
ioload_round:
	cmp.eq p6, p0 = r36, in0
(p6)	br.cond.dpnt.few ioload_end
	mov r38 = 0                     // slot
	;;
ioload_submit:
	cmp.eq p6, p0 = IO_REQS, r38
(p6)	br.cond.dpnt.few ioload_poll
	movl r14 = io_reqs
	shl r15 = r38, 5                // × IOREQ_SIZE
	;;
	add r43 = r14, r15              // the request's record
	;;
	adds r16 = IOREQ_POLLS, r43
	adds r17 = IOREQ_STATUS, r43
	;;
	st8 [r16] = r0
	st8 [r17] = r0
	// Its page, granted writable (the back end fills it).
	shl r14 = r38, PAGE_SHIFT
	adds out0 = DATA_GREF, r38
	mov out2 = 1
	;;
	add r14 = r14, r35
	;;
	shr.u out1 = r14, PAGE_SHIFT
	br.call.sptk.many b0 = blk_grant
	;;
	// The ring entry at req_prod: read IO_SECTORS sectors from ((round × 4 + slot) × 8)
	// modulo 1024 into the page; the id is the slot.
	movl r14 = blk_ring
	movl r15 = blk_req_prod
	;;
	ld8 r14 = [r14]
	ld8 r15 = [r15]
	;;
	and r16 = 127, r15
	;;
	shl r17 = r16, 7
	shl r18 = r16, 4
	;;
	sub r17 = r17, r18              // slot × 112
	;;
	add r17 = r17, r14
	;;
	adds r42 = 64, r17              // the request
	movl r14 = blk_device
	shladd r15 = r36, 2, r38
	;;
	ld8 r14 = [r14]
	shl r15 = r15, 3
	movl r16 = 1023
	;;
	adds r14 = 0x20, r14
	and r15 = r15, r16              // sector
	;;
	ld2 r14 = [r14]                 // handle
	adds r18 = 1, r42
	adds r19 = 2, r42
	adds r20 = 8, r42
	adds r21 = 16, r42
	adds r22 = 24, r42
	mov r23 = 1
	;;
	st1 [r42] = r0                  // BLKIF_OP_READ
	st1 [r18] = r23                 // one segment
	;;
	st2 [r19] = r14
	st8 [r20] = r38                 // id: the slot
	;;
	st8 [r21] = r15
	adds r23 = DATA_GREF, r38
	;;
	st4 [r22] = r23, 4
	;;
	st1 [r22] = r0, 1               // first_sect
	mov r23 = IO_SECTORS - 1
	;;
	st1 [r22] = r23                 // last_sect
	// In flight: the slot table points at the record, which expects the completion one
	// standard latency from now.
	movl r14 = io_slots
	;;
	shladd r14 = r38, 3, r14
	mov r15 = ar.itc
	movl r16 = IO_LATENCY
	;;
	st8 [r14] = r43
	add r15 = r15, r16
	;;
	st8 [r43] = r15                 // IOREQ_DUE
	;;
	mf
	movl r14 = blk_req_prod
	movl r15 = blk_ring
	;;
	ld8 r16 = [r14]
	ld8 r15 = [r15]
	;;
	adds r16 = 1, r16
	;;
	st8 [r14] = r16
	st4.rel [r15] = r16             // req_prod
	movl r14 = blk_port
	;;
	ld8 out0 = [r14]
	br.call.sptk.many b0 = send_event
	;;
	adds r38 = 1, r38
	br.sptk.many ioload_submit
	;;
	// Poll the slots round-robin until the upcall has retired every request.
ioload_poll:
	.global ioload_poll_loop
ioload_poll_loop:
	and r14 = IO_REQS - 1, r39
	movl r15 = io_slots
	;;
	shladd r40 = r14, 3, r15        // &io_slots[slot]
	;;
	ld8 r15 = [r40]                 // the request in flight there
	;;
	cmp.eq p6, p0 = r15, r0
(p6)	br.cond.dpnt.few 2f             // retired
	mov r17 = ar.itc
	ld8 r16 = [r15]                 // IOREQ_DUE
	;;
	sub r18 = r16, r17
	;;
	cmp.lt p8, p0 = r18, r41        // its completion is near: just relax this pass
(p8)	br.cond.dpnt.few 2f
	mov r16 = IO_RELAX
	;;
	// cpu_relax(), then account the poll to the request: the slot read again.
3:
	adds r16 = -1, r16
	;;
	cmp.ne p6, p0 = r16, r0
(p6)	br.cond.sptk.few 3b
	;;
	ld8 r15 = [r40]                 // the request, read back (NULL if it completed meanwhile)
	;;
	adds r15 = IOREQ_POLLS, r15
	;;
	ld8 r16 = [r15]
	;;
	adds r16 = 1, r16
	;;
	st8 [r15] = r16
	;;
2:
	mov r16 = 12
	;;
1:
	adds r16 = -1, r16
	;;
	cmp.ne p6, p0 = r16, r0
(p6)	br.cond.sptk.few 1b
	;;
	adds r39 = 1, r39
	movl r14 = io_slots
	;;
	ld8 r15 = [r14], 8
	;;
	ld8 r16 = [r14], 8
	;;
	ld8 r17 = [r14], 8
	;;
	ld8 r18 = [r14]
	or r15 = r15, r16
	;;
	or r17 = r17, r18
	;;
	or r15 = r15, r17
	;;
	cmp.ne p6, p0 = r15, r0
(p6)	br.cond.sptk.few ioload_poll_loop
	;;
	// Round done: end the grants, count errors, fold each page into the checksum.
	mov r38 = 0
	;;
ioload_retire:
	cmp.eq p6, p0 = IO_REQS, r38
(p6)	br.cond.dpnt.few ioload_next
	adds out0 = DATA_GREF, r38
	mov out1 = 0
	mov out2 = 0
	br.call.sptk.many b0 = blk_grant
	;;
	movl r14 = io_reqs
	shl r15 = r38, 5
	;;
	add r14 = r14, r15
	;;
	adds r14 = IOREQ_STATUS, r14
	;;
	ld8 r14 = [r14]
	;;
	cmp.ne p6, p0 = r14, r0
	shl r15 = r38, PAGE_SHIFT
	;;
(p6)	adds r45 = 1, r45
	add out0 = r15, r35
	mov out1 = IO_SECTORS * 512
	br.call.sptk.many b0 = blk_checksum
	;;
	shrp r37 = r37, r37, 57
	;;
	add r37 = r37, r8
	adds r38 = 1, r38
	br.sptk.many ioload_retire
	;;
ioload_next:
	adds r36 = 1, r36
	br.sptk.many ioload_round
	;;
ioload_end:
	// The upcall lets the port go; blk_io carries on from the upcall's consumer.
	movl r14 = io_port
	movl r15 = io_rsp_cons
	movl r16 = blk_rsp_cons
	;;
	st8 [r14] = r0
	;;
	mf
	ld8 r15 = [r15]
	;;
	st8 [r16] = r15
	movl out0 = str_io1
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = in0
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_io2
	br.call.sptk.many b0 = print_str
	;;
	shl out0 = in0, 2
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_io3
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r37
	mov out1 = 16
	br.call.sptk.many b0 = print_hex
	;;
	movl out0 = str_io4
	br.call.sptk.many b0 = print_str
	;;
	mov out0 = r45
	br.call.sptk.many b0 = print_dec
	;;
	br.call.sptk.many b0 = print_nl
	;;
	mov out0 = r35
	mov out1 = 2
	br.call.sptk.many b0 = page_free
	;;
ioload_done:
	mov ar.pfs = r33
	mov b0 = r34
	br.ret.sptk.many b0
	.endp blk_ioload
