// xen.s: the hypercall stub and the guest's view of the Xen/ia64 ABI (Xen 3.1: kernel at
// CPL 2, hypercall = break 0x1000 with the number in r2 and the arguments in the output
// registers of the current frame; XSI area at XSI_BASE).
	.include "xen.inc"

	.text
// xen_hypercall(a0, a1, a2, a3, a4, number) -> r8
// A leaf without alloc: the caller's six outputs are this frame's r32-r37 (sol = 0), which
// is where Xen reads the arguments (and reloads them for a continuation).
	.global xen_hypercall
	.proc xen_hypercall
xen_hypercall:
	.prologue
	.body
	mov r2 = r37
	;;
	break.m 0x1000
	;;
	br.ret.sptk.many b0
	.endp xen_hypercall

// xen_inline(address) -> r8 = xencomm inline handle (guest-physical | 1 << 63). Region 0 is
// identity-mapped, so a kernel address is its guest-physical address.
	.global xen_inline
	.proc xen_inline
xen_inline:
	.prologue
	.body
	dep.z r9 = 1, 63, 1
	;;
	or r8 = r32, r9
	br.ret.sptk.many b0
	.endp xen_inline
