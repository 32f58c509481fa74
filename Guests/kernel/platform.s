// platform.s: machine check and INIT. The kernel registers its OS_MCA and OS_INIT entries
// with SAL_SET_VECTORS; the hypervisor enters them like an interruption. Both go to the
// fatal path (fault.s) with a pseudo vector (0x10000 MCA, 0x10001 INIT), which reads the SAL
// error record (SAL_GET_STATE_INFO), dumps the registers and ends the domain.
	.include "xen.inc"

	SAL_GET_STATE_INFO = 0x01000001
	.global MCA_PSEUDO_VECTOR
	MCA_PSEUDO_VECTOR = 0x10000
	INIT_PSEUDO_VECTOR = 0x10001

	.bss
	.align 16
sal_record:	.skip 4096

	.data
str_rec1:	stringz "MCA: SAL error record "
str_rec2:	stringz ", severity "
str_rec3:	stringz ": "
str_norec:	stringz "MCA: no SAL error record\n"

	.text
// platform_init(): register OS_MCA and OS_INIT.
	.global platform_init
	.proc platform_init
platform_init:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 2, 4, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = SAL_ENTRY
	;;
	mov b6 = r14
	movl out0 = SAL_SET_VECTORS
	mov out1 = 0
	movl out2 = os_mca_entry
	mov out3 = 0
	br.call.sptk.many b0 = b6
	;;
	movl r14 = SAL_ENTRY
	;;
	mov b6 = r14
	movl out0 = SAL_SET_VECTORS
	mov out1 = 1
	movl out2 = os_init_entry
	mov out3 = 0
	br.call.sptk.many b0 = b6
	;;
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp platform_init

	.align 32
	.global os_mca_entry
	.proc os_mca_entry
os_mca_entry:
	.prologue
	.body
	movl r16 = MCA_PSEUDO_VECTOR
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.endp os_mca_entry

	.align 32
	.global os_init_entry
	.proc os_init_entry
os_init_entry:
	.prologue
	.body
	movl r16 = INIT_PSEUDO_VECTOR
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.endp os_init_entry

// mca_report(): SAL_GET_STATE_INFO(MCA) and one line describing the record.
	.global mca_report
	.proc mca_report
mca_report:
	.prologue
	.save ar.pfs, r32
	alloc r32 = ar.pfs, 0, 3, 4, 0
	.save rp, r33
	mov r33 = b0
	.body
	;;
	movl r14 = SAL_ENTRY
	;;
	mov b6 = r14
	movl out0 = SAL_GET_STATE_INFO
	mov out1 = 0
	mov out2 = 0
	movl out3 = sal_record
	br.call.sptk.many b0 = b6
	;;
	cmp.ne p6, p0 = r8, r0
(p6)	br.cond.dpnt.few 1f
	movl out0 = str_rec1
	br.call.sptk.many b0 = print_str
	;;
	movl r34 = sal_record
	;;
	ld8 out0 = [r34]
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_rec2
	br.call.sptk.many b0 = print_str
	;;
	adds r14 = 10, r34
	;;
	ld1 out0 = [r14]
	br.call.sptk.many b0 = print_dec
	;;
	movl out0 = str_rec3
	br.call.sptk.many b0 = print_str
	;;
	adds out0 = 40, r34
	br.call.sptk.many b0 = print_str
	;;
	br.call.sptk.many b0 = print_nl
	;;
	br.sptk.many 2f
	;;
1:
	movl out0 = str_norec
	br.call.sptk.many b0 = print_str
	;;
2:
	mov ar.pfs = r32
	mov b0 = r33
	br.ret.sptk.many b0
	.endp mca_report
