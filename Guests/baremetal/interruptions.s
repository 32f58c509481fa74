// interruptions.s: a bare-metal IA-64 program for `xdbg run --bare`. It installs a vector
// table, turns on interruption collection, takes a break (vector 0x2c00) and returns with
// rfi to the next slot, then drops to privilege level 3 where a privileged instruction
// faults (General Exception, vector 0x5400). The handlers copy the interruption registers
// into r9..r11, r14 (break) and r15, r17 (privileged operation: r17 is banked, so it is read
// through a store) and halt through the platform's halt port.
	.text
	.global _start
	.proc _start
_start:
	movl r2 = ivt
	;;
	mov cr.iva = r2
	movl r3 = 0xffff0000            // console port
	;;
	ssm 0x2000                      // psr.ic = 1
	;;
	srlz.i
	;;
	mov r8 = 0
	;;
	.global brk
brk:
{ .mii
	break.m 0x42
	adds r8 = 1, r8                 // runs after rfi (slot 1)
	nop.i 0
	;;
}
	// Drop to privilege level 3 at `user` with collection on, through rfi.
	rsm 0x2000                      // psr.ic = 0, so the interruption registers can be written
	;;
	srlz.d
	movl r20 = user
	;;
	mov cr.iip = r20
	mov r21 = psr
	;;
	dep r21 = -1, r21, 32, 2        // ipsr.cpl = 3
	;;
	dep r21 = -1, r21, 13, 1        // ipsr.ic = 1
	;;
	mov cr.ipsr = r21
	mov r22 = r0
	;;
	mov cr.ifs = r22
	;;
	rfi
	;;
	.endp _start

	.global user
	.proc user
user:
	mov r8 = 7
	;;
	.global privileged
privileged:
	rsm 0x4000                      // privileged: faults at level 3
	;;
	mov r8 = 8                      // never reached
	;;
	.endp user

	.align 32768
ivt:
	.org ivt + 0x2c00               // Break Instruction vector
	mov r9 = cr.iim
	mov r10 = cr.isr
	mov r11 = cr.iip
	mov r14 = cr.ipsr
	;;
	extr.u r16 = r14, 41, 2         // ipsr.ri
	;;
	adds r16 = 1, r16               // resume at the next slot of the same bundle
	;;
	dep r14 = r16, r14, 41, 2
	;;
	mov cr.ipsr = r14
	;;
	rfi
	;;
	.org ivt + 0x5400               // General Exception vector
	mov r15 = cr.isr
	mov r16 = cr.ipsr
	mov r17 = cr.iip
	movl r18 = results
	;;
	st8 [r18] = r15, 8
	;;
	st8 [r18] = r16, 8
	;;
	st8 [r18] = r17
	movl r19 = 0xffff0008           // halt port
	mov r20 = 5
	;;
	st8 [r19] = r20                 // halt with exit code 5
	;;
	.org ivt + 0x8000

	.data
	.align 8
	.global results
results:
	.skip 24
