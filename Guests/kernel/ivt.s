// ivt.s: the kernel's interruption vector table (cr.iva, 32 KiB aligned; the architectural
// layout, entries 0-19 of 0x400 bytes, 20-67 of 0x100). The hypervisor reflects faults here
// through the XSI area. This kernel handles none of them: every entry reports the fault as a
// Linux/ia64 oops and crashes the domain.
	.include "xen.inc"

	.text
	.align 32768
	.global ivt
ivt:
	.org ivt + 0x0
	.global ivt_entry_0
ivt_entry_0:
	mov r16 = 0x0
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x400
	.global ivt_entry_1
ivt_entry_1:
	mov r16 = 0x400
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x800
	.global ivt_entry_2
ivt_entry_2:
	mov r16 = 0x800
	movl r17 = alt_dtlb_miss
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0xc00
	.global ivt_entry_3
ivt_entry_3:
	mov r16 = 0xc00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x1000
	.global ivt_entry_4
ivt_entry_4:
	mov r16 = 0x1000
	movl r17 = alt_dtlb_miss
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x1400
	.global ivt_entry_5
ivt_entry_5:
	mov r16 = 0x1400
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x1800
	.global ivt_entry_6
ivt_entry_6:
	mov r16 = 0x1800
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x1c00
	.global ivt_entry_7
ivt_entry_7:
	mov r16 = 0x1c00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x2000
	.global ivt_entry_8
ivt_entry_8:
	mov r16 = 0x2000
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x2400
	.global ivt_entry_9
ivt_entry_9:
	mov r16 = 0x2400
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x2800
	.global ivt_entry_10
ivt_entry_10:
	mov r16 = 0x2800
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x2c00
	.global ivt_entry_11
ivt_entry_11:
	mov r16 = 0x2c00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x3000
	.global ivt_entry_12
ivt_entry_12:
	mov r16 = 0x3000
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x3400
	.global ivt_entry_13
ivt_entry_13:
	mov r16 = 0x3400
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x3800
	.global ivt_entry_14
ivt_entry_14:
	mov r16 = 0x3800
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x3c00
	.global ivt_entry_15
ivt_entry_15:
	mov r16 = 0x3c00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x4000
	.global ivt_entry_16
ivt_entry_16:
	mov r16 = 0x4000
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x4400
	.global ivt_entry_17
ivt_entry_17:
	mov r16 = 0x4400
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x4800
	.global ivt_entry_18
ivt_entry_18:
	mov r16 = 0x4800
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x4c00
	.global ivt_entry_19
ivt_entry_19:
	mov r16 = 0x4c00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5000
	.global ivt_entry_20
ivt_entry_20:
	mov r16 = 0x5000
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5100
	.global ivt_entry_21
ivt_entry_21:
	mov r16 = 0x5100
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5200
	.global ivt_entry_22
ivt_entry_22:
	mov r16 = 0x5200
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5300
	.global ivt_entry_23
ivt_entry_23:
	mov r16 = 0x5300
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5400
	.global ivt_entry_24
ivt_entry_24:
	mov r16 = 0x5400
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5500
	.global ivt_entry_25
ivt_entry_25:
	mov r16 = 0x5500
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5600
	.global ivt_entry_26
ivt_entry_26:
	mov r16 = 0x5600
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5700
	.global ivt_entry_27
ivt_entry_27:
	mov r16 = 0x5700
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5800
	.global ivt_entry_28
ivt_entry_28:
	mov r16 = 0x5800
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5900
	.global ivt_entry_29
ivt_entry_29:
	mov r16 = 0x5900
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5a00
	.global ivt_entry_30
ivt_entry_30:
	mov r16 = 0x5a00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5b00
	.global ivt_entry_31
ivt_entry_31:
	mov r16 = 0x5b00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5c00
	.global ivt_entry_32
ivt_entry_32:
	mov r16 = 0x5c00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5d00
	.global ivt_entry_33
ivt_entry_33:
	mov r16 = 0x5d00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5e00
	.global ivt_entry_34
ivt_entry_34:
	mov r16 = 0x5e00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x5f00
	.global ivt_entry_35
ivt_entry_35:
	mov r16 = 0x5f00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6000
	.global ivt_entry_36
ivt_entry_36:
	mov r16 = 0x6000
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6100
	.global ivt_entry_37
ivt_entry_37:
	mov r16 = 0x6100
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6200
	.global ivt_entry_38
ivt_entry_38:
	mov r16 = 0x6200
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6300
	.global ivt_entry_39
ivt_entry_39:
	mov r16 = 0x6300
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6400
	.global ivt_entry_40
ivt_entry_40:
	mov r16 = 0x6400
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6500
	.global ivt_entry_41
ivt_entry_41:
	mov r16 = 0x6500
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6600
	.global ivt_entry_42
ivt_entry_42:
	mov r16 = 0x6600
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6700
	.global ivt_entry_43
ivt_entry_43:
	mov r16 = 0x6700
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6800
	.global ivt_entry_44
ivt_entry_44:
	mov r16 = 0x6800
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6900
	.global ivt_entry_45
ivt_entry_45:
	mov r16 = 0x6900
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6a00
	.global ivt_entry_46
ivt_entry_46:
	mov r16 = 0x6a00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6b00
	.global ivt_entry_47
ivt_entry_47:
	mov r16 = 0x6b00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6c00
	.global ivt_entry_48
ivt_entry_48:
	mov r16 = 0x6c00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6d00
	.global ivt_entry_49
ivt_entry_49:
	mov r16 = 0x6d00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6e00
	.global ivt_entry_50
ivt_entry_50:
	mov r16 = 0x6e00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x6f00
	.global ivt_entry_51
ivt_entry_51:
	mov r16 = 0x6f00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7000
	.global ivt_entry_52
ivt_entry_52:
	mov r16 = 0x7000
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7100
	.global ivt_entry_53
ivt_entry_53:
	mov r16 = 0x7100
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7200
	.global ivt_entry_54
ivt_entry_54:
	mov r16 = 0x7200
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7300
	.global ivt_entry_55
ivt_entry_55:
	mov r16 = 0x7300
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7400
	.global ivt_entry_56
ivt_entry_56:
	mov r16 = 0x7400
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7500
	.global ivt_entry_57
ivt_entry_57:
	mov r16 = 0x7500
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7600
	.global ivt_entry_58
ivt_entry_58:
	mov r16 = 0x7600
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7700
	.global ivt_entry_59
ivt_entry_59:
	mov r16 = 0x7700
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7800
	.global ivt_entry_60
ivt_entry_60:
	mov r16 = 0x7800
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7900
	.global ivt_entry_61
ivt_entry_61:
	mov r16 = 0x7900
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7a00
	.global ivt_entry_62
ivt_entry_62:
	mov r16 = 0x7a00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7b00
	.global ivt_entry_63
ivt_entry_63:
	mov r16 = 0x7b00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7c00
	.global ivt_entry_64
ivt_entry_64:
	mov r16 = 0x7c00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7d00
	.global ivt_entry_65
ivt_entry_65:
	mov r16 = 0x7d00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7e00
	.global ivt_entry_66
ivt_entry_66:
	mov r16 = 0x7e00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x7f00
	.global ivt_entry_67
ivt_entry_67:
	mov r16 = 0x7f00
	movl r17 = fatal_fault
	;;
	mov b6 = r17
	;;
	br.sptk.many b6
	;;
	.org ivt + 0x8000
