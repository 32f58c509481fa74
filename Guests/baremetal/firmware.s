// firmware.s: firmware calls on the bare-metal platform. A PAL static call (branch to the PAL
// entry with the return address in b0, function index in r28) and a SAL procedure call
// (br.call to the SAL entry, function and arguments in the output registers). The results
// come back in r8 (status) and r9–r11; the program halts with the SAL call's r9.
	.text
	.global _start
	.proc _start
_start:
	alloc r32 = ar.pfs, 0, 2, 3, 0
	movl r2 = 0xffff8000            // PAL entry
	movl r3 = pal_return
	mov r28 = 14                    // function index
	mov r29 = 0x111
	;;
	mov b0 = r3
	mov b6 = r2
	;;
	br.cond.sptk.many b6
	;;
	.global pal_return
pal_return:
	mov r14 = r8                    // PAL status
	mov r15 = r9
	movl r2 = 0xffff8010            // SAL entry
	movl out0 = 0x2000000           // SAL function
	mov out1 = 7
	;;
	mov b6 = r2
	;;
	br.call.sptk.many b0 = b6
	;;
	mov r16 = r8                    // SAL status
	mov r17 = r9
	movl r18 = 0xffff0008
	;;
	st8 [r18] = r17                 // halt with the SAL call's first result
	;;
	.endp _start
