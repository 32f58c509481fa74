// boot.s: the first instructions of every vCPU. Xen starts a PV vCPU in metaphysical mode
// (guest-physical addressing) at CPL 2 with r28 = the boot parameters. This code gives the
// vCPU its stacks, identity-maps the first 1 GiB of region 0 with translation registers and
// enters virtual mode with rfi; all privileged steps trap to the hypervisor and are emulated.
	.include "xen.inc"

	STACK_SIZE = 0x10000
	MAX_VCPUS = 8
	PSR_IC = 1 << 13
	PSR_DT = 1 << 17
	PSR_RT = 1 << 27
	PSR_IT = 1 << 36
	PSR_BN = 1 << 44

	.bss
	.align 16384
	.global kernel_stacks
kernel_stacks:
	.skip STACK_SIZE * MAX_VCPUS
	.global kernel_backing_stores
kernel_backing_stores:
	.skip STACK_SIZE * MAX_VCPUS

	.data
	.align 8
	.global boot_param
boot_param:
	data8 0

	.text
	.global _start
	.proc _start
_start:
	.prologue
	.body
	movl r2 = boot_param
	;;
	st8 [r2] = r28
	movl r8 = virtual_start_boot
	br.sptk.many common_entry
	;;
	.endp _start

// Secondary vCPUs start here (the entry registered as the SAL boot rendezvous).
	.global secondary_start
	.proc secondary_start
secondary_start:
	.prologue
	.body
	movl r8 = virtual_start_secondary
	br.sptk.many common_entry
	;;
	.endp secondary_start

// common_entry: r8 = where to continue in virtual mode.
	.proc common_entry
common_entry:
	.prologue
	.body
	mov r9 = cr.lid                 // vCPU id in bits 31:24
	;;
	extr.u r9 = r9, 24, 8
	movl r10 = kernel_stacks + STACK_SIZE - 16
	movl r11 = kernel_backing_stores
	;;
	shl r14 = r9, 16                // × STACK_SIZE
	;;
	add r12 = r10, r14              // sp: top of this vCPU's stack
	add r15 = r11, r14              // backing store: bottom of its area
	;;
	mov ar.rsc = 0                  // enforced lazy, so bspstore can be written
	;;
	loadrs
	;;
	mov ar.bspstore = r15
	;;
	mov ar.rsc = 3
	// Instructions: identity map [0, 1 GiB) of region 0 with a translation register (pte =
	// present, write-back, accessed, dirty, pl 0, RWX, exception deferral: so a data fault
	// reports ISR.ed as on Linux/ia64). Data pages are mapped on demand by
	// the Alternate Data TLB handler (tlb.s), so the NULL page stays unmapped.
	mov r16 = 0
	mov r17 = 30 << 2               // itir.ps = 30 (1 GiB)
	movl r18 = 0x10000000000661     // p | a | d | ar=3 (RWX) | ed, as Linux's PAGE_KERNEL
	mov r19 = 0                     // translation register 0
	;;
	mov cr.ifa = r16
	mov cr.itir = r17
	;;
	itr.i itr[r19] = r18
	// Data: the kernel's own data, bss and stacks ([16 MiB, 32 MiB), one 16 MiB page) are
	// pinned, so the event and fault handlers never miss in the TLB while collection is off.
	movl r16 = 0x1000000
	mov r17 = 24 << 2
	;;
	mov cr.ifa = r16
	mov cr.itir = r17
	or r18 = r18, r16
	;;
	itr.d dtr[r19] = r18
	movl r21 = ivt
	;;
	mov cr.iva = r21                // data misses need the vector table from the start
	movl r20 = PSR_DT | PSR_RT | PSR_IT | PSR_BN | PSR_IC
	;;
	mov cr.ipsr = r20
	mov cr.iip = r8
	mov cr.ifs = r0
	;;
	rfi
	;;
	.endp common_entry
