// keys.s: protection keys. A data page carries key 0x42 (from cr.itir when inserted). With
// psr.pk set, an access needs a valid key register holding 0x42: first there is none (Data
// Key Miss fault, whose handler installs pkr0 = key 0x42 with write disabled), then the
// write is refused by the key (Key Permission fault, whose handler records cr.isr and halts).
	.text
	.global _start
	.proc _start
_start:
	movl r2 = ivt
	;;
	mov cr.iva = r2
	movl r3 = 0x2000000000000000    // region 1: rid 0x100, 16 KiB pages
	movl r4 = (0x100 << 8) | (14 << 2)
	;;
	mov rr[r3] = r4
	movl r5 = 0x2000000000004000
	movl r6 = (0x42 << 8) | (14 << 2)   // key 0x42
	;;
	mov cr.ifa = r5
	mov cr.itir = r6
	movl r7 = 0x300000 | (2 << 9) | (1 << 6) | (1 << 5) | 1
	;;
	itc.d r7
	;;
	srlz.d
	;;
	ssm 0x2a000                     // psr.dt, psr.pk, psr.ic
	mov r8 = 0x99
	;;
	srlz.d
	.global keyed_store
keyed_store:
	st8 [r5] = r8                   // key miss, then key permission (write disabled)
	;;
	.endp _start

	.align 32768
ivt:
	.org ivt + 0x1c00               // Data Key Miss vector
	mov r20 = cr.isr
	mov r21 = cr.ifa
	movl r22 = (0x42 << 8) | 2 | 1  // key 0x42, write disabled, valid
	;;
	mov pkr[r0] = r22
	;;
	srlz.d
	;;
	rfi
	;;
	.org ivt + 0x5100               // Key Permission vector
	mov r23 = cr.isr
	rsm 0x20000                     // physical addressing to reach the halt port
	;;
	srlz.d
	movl r24 = 0xffff0008
	mov r25 = 9
	;;
	st8 [r24] = r25
	;;
	.org ivt + 0x8000
