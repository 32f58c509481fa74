/// The kinds of instruction operand, one per field layout of the IA-64 formats. Raw values are
/// the operand numbering of binutils' `enum ia64_opnd`, which `OpcodeTableData` refers to.
public enum OperandKind: UInt8, Sendable, CaseIterable {
    case none = 0
    case arCSD = 1
    case arCCV = 2
    case arPFS = 3
    case c1 = 4
    case c8 = 5
    case c16 = 6
    case gr0 = 7
    case ip = 8
    case pr = 9
    case prRot = 10
    case psr = 11
    case psrL = 12
    case psrUM = 13
    case ar3 = 14
    case b1 = 15
    case b2 = 16
    case cr3 = 17
    case f1 = 18
    case f2 = 19
    case f3 = 20
    case f4 = 21
    case p1 = 22
    case p2 = 23
    case r1 = 24
    case r2 = 25
    case r3 = 26
    case r3_2 = 27
    case dahr3 = 28
    case mr3 = 29
    case cpuidR3 = 30
    case dbrR3 = 31
    case dtrR3 = 32
    case itrR3 = 33
    case ibrR3 = 34
    case msrR3 = 35
    case pkrR3 = 36
    case pmcR3 = 37
    case pmdR3 = 38
    case dahrR3 = 39
    case rrR3 = 40
    case ccnt5 = 41
    case cnt2a = 42
    case cnt2b = 43
    case cnt2c = 44
    case cnt5 = 45
    case cnt6 = 46
    case cpos6a = 47
    case cpos6b = 48
    case cpos6c = 49
    case imm1 = 50
    case immu2 = 51
    case immu5b = 52
    case immu7a = 53
    case immu7b = 54
    case sof = 55
    case sol = 56
    case sor = 57
    case imm8 = 58
    case imm8U4 = 59
    case imm8M1 = 60
    case imm8M1U4 = 61
    case imm8M1U8 = 62
    case immu9 = 63
    case imm9a = 64
    case imm9b = 65
    case imm14 = 66
    case immu16 = 67
    case imm17 = 68
    case immu19 = 69
    case immu21 = 70
    case imm22 = 71
    case immu24 = 72
    case imm44 = 73
    case immu62 = 74
    case immu64 = 75
    case inc3 = 76
    case len4 = 77
    case len6 = 78
    case mbtype4 = 79
    case mhtype8 = 80
    case pos6 = 81
    case tag13 = 82
    case tag13b = 83
    case tgt25 = 84
    case tgt25b = 85
    case tgt25c = 86
    case tgt64 = 87
    case ldxmov = 88
    case cnt6a = 89
    case strd5b = 90
}

/// One contiguous bit field of an operand inside a 41-bit slot.
public struct BitField: Sendable, Hashable {
    public let bits: UInt8
    public let shift: UInt8
}

/// How an operand prints: a fixed string, a register, `name[rN]`, an immediate, or an
/// IP-relative target.
public enum OperandClass: UInt8, Sendable {
    case constant, register, indirect, absolute, relative
}

/// How an operand's value is recovered from its bit fields.
public enum OperandExtraction: UInt8, Sendable {
    case constant, register, unsigned, signed, complementedUnsigned
    case count, count2b, count2c, count6a
    case signedScaled1, signedScaled4, signedScaled6, signedScaled16, signedPlusOne
    case unsignedPlus32, unsignedTimes8, increment3
    /// Immediates split across the L and X slots of an MLX bundle (movl, brl, nop.x, break.x).
    case longImmediate
}

/// How an absolute immediate is written in assembly.
public enum ImmediateFormat: UInt8, Sendable {
    case hex, signedDecimal, unsignedDecimal
}

public struct OperandDescriptor: Sendable {
    public let operandClass: OperandClass
    public let extraction: OperandExtraction
    /// Register prefix ("r", "f", "ar"…), indirect file name ("dbr"…) or constant text ("ar.pfs").
    public let text: String
    public let format: ImmediateFormat
    public let fields: [BitField]
}

extension OperandKind {
    public var descriptor: OperandDescriptor { OperandDescriptor.table[Int(rawValue)] }

    /// The operand's value in `slot` (the low 41 bits of an instruction). Long immediates also
    /// need the L slot of their bundle.
    public func extract(from slot: UInt64, longSlot: UInt64 = 0) -> Int64 {
        OperandDescriptor.table[Int(rawValue)].extract(from: slot, longSlot: longSlot, kind: self)
    }
}

extension OperandDescriptor {
    func extract(from slot: UInt64, longSlot: UInt64, kind: OperandKind) -> Int64 {
        var value: UInt64 = 0
        var total: UInt64 = 0
        for field in fields {
            let bits = UInt64(field.bits)
            value |= ((slot >> UInt64(field.shift)) & ((1 << bits) - 1)) << total
            total += bits
        }
        func signExtended(_ v: UInt64, scale: UInt64) -> Int64 {
            guard total > 0 else { return 0 }
            let sign: UInt64 = 1 << (total - 1)
            return Int64(bitPattern: ((v ^ sign) &- sign) << scale)
        }
        switch extraction {
        case .constant:
            return 0
        case .register, .unsigned:
            return Int64(bitPattern: value)
        case .signed:
            return signExtended(value, scale: 0)
        case .signedScaled1:
            return signExtended(value, scale: 1)
        case .signedScaled4:
            return signExtended(value, scale: 4)
        case .signedScaled6:
            return signExtended(value, scale: 6)
        case .signedScaled16:
            return signExtended(value, scale: 16)
        case .signedPlusOne:
            return signExtended(value, scale: 0) &+ 1
        case .complementedUnsigned:
            return Int64(bitPattern: value ^ ((1 << UInt64(fields[0].bits)) - 1))
        case .count, .count2b, .count6a:
            return Int64(bitPattern: value) + 1
        case .count2c:
            switch value & 3 {
            case 0: return 0
            case 1: return 7
            case 2: return 15
            default: return 16
            }
        case .unsignedPlus32:
            return Int64(bitPattern: value) + 32
        case .unsignedTimes8:
            return Int64(bitPattern: value << 3)
        case .increment3:
            let magnitude: Int64
            switch value & 3 {
            case 0: magnitude = 16
            case 1: magnitude = 8
            case 2: magnitude = 4
            default: magnitude = 1
            }
            return value & 4 != 0 ? -magnitude : magnitude
        case .longImmediate:
            return Int64(bitPattern: Self.longImmediate(kind: kind, slot: slot, longSlot: longSlot))
        }
    }

    /// The immediates of the X-unit instructions, assembled from the X slot and the L slot.
    static func longImmediate(kind: OperandKind, slot: UInt64, longSlot: UInt64) -> UInt64 {
        let i = (slot >> 36) & 1
        switch kind {
        case .immu64:  // movl: imm7b, imm9d, imm5c, ic, L slot (41 bits), i
            return ((slot >> 13) & 0x7f) | (((slot >> 27) & 0x1ff) << 7)
                | (((slot >> 22) & 0x1f) << 16) | (((slot >> 21) & 1) << 21)
                | (longSlot << 22) | (i << 63)
        case .immu62:  // nop.x / break.x: imm20a, i, L slot
            return ((longSlot & 0x1ff_ffff_ffff) << 21) | (i << 20) | ((slot >> 6) & 0xfffff)
        case .tgt64:  // brl: imm20b, L slot bits 2..40, i; in bundles
            return (((slot >> 13) & 0xfffff) | (i << 59) | (((longSlot >> 2) & 0x7f_ffff_ffff) << 20)) << 4
        default:
            return 0
        }
    }

    static let table: [OperandDescriptor] = [
        OperandDescriptor(operandClass: .constant, extraction: .constant, text: "NIL", format: .hex, fields: []),
        OperandDescriptor(operandClass: .constant, extraction: .constant, text: "ar.csd", format: .hex, fields: []),
        OperandDescriptor(operandClass: .constant, extraction: .constant, text: "ar.ccv", format: .hex, fields: []),
        OperandDescriptor(operandClass: .constant, extraction: .constant, text: "ar.pfs", format: .hex, fields: []),
        OperandDescriptor(operandClass: .constant, extraction: .constant, text: "1", format: .hex, fields: []),
        OperandDescriptor(operandClass: .constant, extraction: .constant, text: "8", format: .hex, fields: []),
        OperandDescriptor(operandClass: .constant, extraction: .constant, text: "16", format: .hex, fields: []),
        OperandDescriptor(operandClass: .constant, extraction: .constant, text: "r0", format: .hex, fields: []),
        OperandDescriptor(operandClass: .constant, extraction: .constant, text: "ip", format: .hex, fields: []),
        OperandDescriptor(operandClass: .constant, extraction: .constant, text: "pr", format: .hex, fields: []),
        OperandDescriptor(operandClass: .constant, extraction: .constant, text: "pr.rot", format: .hex, fields: []),
        OperandDescriptor(operandClass: .constant, extraction: .constant, text: "psr", format: .hex, fields: []),
        OperandDescriptor(operandClass: .constant, extraction: .constant, text: "psr.l", format: .hex, fields: []),
        OperandDescriptor(operandClass: .constant, extraction: .constant, text: "psr.um", format: .hex, fields: []),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "ar", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "b", format: .hex, fields: [BitField(bits: 3, shift: 6)]),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "b", format: .hex, fields: [BitField(bits: 3, shift: 13)]),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "cr", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "f", format: .hex, fields: [BitField(bits: 7, shift: 6)]),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "f", format: .hex, fields: [BitField(bits: 7, shift: 13)]),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "f", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "f", format: .hex, fields: [BitField(bits: 7, shift: 27)]),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "p", format: .hex, fields: [BitField(bits: 6, shift: 6)]),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "p", format: .hex, fields: [BitField(bits: 6, shift: 27)]),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "r", format: .hex, fields: [BitField(bits: 7, shift: 6)]),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "r", format: .hex, fields: [BitField(bits: 7, shift: 13)]),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "r", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "r", format: .hex, fields: [BitField(bits: 2, shift: 20)]),
        OperandDescriptor(operandClass: .register, extraction: .register, text: "dahr", format: .hex, fields: [BitField(bits: 3, shift: 23)]),
        OperandDescriptor(operandClass: .indirect, extraction: .register, text: "", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .indirect, extraction: .register, text: "cpuid", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .indirect, extraction: .register, text: "dbr", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .indirect, extraction: .register, text: "dtr", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .indirect, extraction: .register, text: "itr", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .indirect, extraction: .register, text: "ibr", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .indirect, extraction: .register, text: "msr", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .indirect, extraction: .register, text: "pkr", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .indirect, extraction: .register, text: "pmc", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .indirect, extraction: .register, text: "pmd", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .indirect, extraction: .register, text: "dahr", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .indirect, extraction: .register, text: "rr", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .absolute, extraction: .complementedUnsigned, text: "", format: .unsignedDecimal, fields: [BitField(bits: 5, shift: 20)]),
        OperandDescriptor(operandClass: .absolute, extraction: .count, text: "", format: .unsignedDecimal, fields: [BitField(bits: 2, shift: 27)]),
        OperandDescriptor(operandClass: .absolute, extraction: .count2b, text: "", format: .unsignedDecimal, fields: [BitField(bits: 2, shift: 27)]),
        OperandDescriptor(operandClass: .absolute, extraction: .count2c, text: "", format: .unsignedDecimal, fields: [BitField(bits: 2, shift: 30)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .unsignedDecimal, fields: [BitField(bits: 5, shift: 14)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .unsignedDecimal, fields: [BitField(bits: 6, shift: 27)]),
        OperandDescriptor(operandClass: .absolute, extraction: .complementedUnsigned, text: "", format: .unsignedDecimal, fields: [BitField(bits: 6, shift: 20)]),
        OperandDescriptor(operandClass: .absolute, extraction: .complementedUnsigned, text: "", format: .unsignedDecimal, fields: [BitField(bits: 6, shift: 14)]),
        OperandDescriptor(operandClass: .absolute, extraction: .complementedUnsigned, text: "", format: .unsignedDecimal, fields: [BitField(bits: 6, shift: 31)]),
        OperandDescriptor(operandClass: .absolute, extraction: .signed, text: "", format: .signedDecimal, fields: [BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .unsignedDecimal, fields: [BitField(bits: 2, shift: 13)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsignedPlus32, text: "", format: .unsignedDecimal, fields: [BitField(bits: 5, shift: 14)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .hex, fields: [BitField(bits: 7, shift: 13)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .hex, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .unsignedDecimal, fields: [BitField(bits: 7, shift: 13)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .unsignedDecimal, fields: [BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsignedTimes8, text: "", format: .unsignedDecimal, fields: [BitField(bits: 4, shift: 27)]),
        OperandDescriptor(operandClass: .absolute, extraction: .signed, text: "", format: .signedDecimal, fields: [BitField(bits: 7, shift: 13), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .signed, text: "", format: .signedDecimal, fields: [BitField(bits: 7, shift: 13), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .signedPlusOne, text: "", format: .signedDecimal, fields: [BitField(bits: 7, shift: 13), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .signedPlusOne, text: "", format: .signedDecimal, fields: [BitField(bits: 7, shift: 13), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .signedPlusOne, text: "", format: .signedDecimal, fields: [BitField(bits: 7, shift: 13), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .hex, fields: [BitField(bits: 2, shift: 33), BitField(bits: 7, shift: 20)]),
        OperandDescriptor(operandClass: .absolute, extraction: .signed, text: "", format: .signedDecimal, fields: [BitField(bits: 7, shift: 6), BitField(bits: 1, shift: 27), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .signed, text: "", format: .signedDecimal, fields: [BitField(bits: 7, shift: 13), BitField(bits: 1, shift: 27), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .signed, text: "", format: .signedDecimal, fields: [BitField(bits: 7, shift: 13), BitField(bits: 6, shift: 27), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .unsignedDecimal, fields: [BitField(bits: 4, shift: 6), BitField(bits: 11, shift: 12), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .signedScaled1, text: "", format: .hex, fields: [BitField(bits: 7, shift: 6), BitField(bits: 8, shift: 24), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .unsignedDecimal, fields: [BitField(bits: 4, shift: 6), BitField(bits: 14, shift: 12), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .hex, fields: [BitField(bits: 20, shift: 6), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .signed, text: "", format: .signedDecimal, fields: [BitField(bits: 7, shift: 13), BitField(bits: 9, shift: 27), BitField(bits: 5, shift: 22), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .hex, fields: [BitField(bits: 21, shift: 6), BitField(bits: 2, shift: 31), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .signedScaled16, text: "", format: .hex, fields: [BitField(bits: 27, shift: 6), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .absolute, extraction: .longImmediate, text: "", format: .hex, fields: []),
        OperandDescriptor(operandClass: .absolute, extraction: .longImmediate, text: "", format: .hex, fields: []),
        OperandDescriptor(operandClass: .absolute, extraction: .increment3, text: "", format: .signedDecimal, fields: [BitField(bits: 3, shift: 13)]),
        OperandDescriptor(operandClass: .absolute, extraction: .count, text: "", format: .unsignedDecimal, fields: [BitField(bits: 4, shift: 27)]),
        OperandDescriptor(operandClass: .absolute, extraction: .count, text: "", format: .unsignedDecimal, fields: [BitField(bits: 6, shift: 27)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .hex, fields: [BitField(bits: 4, shift: 20)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .hex, fields: [BitField(bits: 8, shift: 20)]),
        OperandDescriptor(operandClass: .absolute, extraction: .unsigned, text: "", format: .unsignedDecimal, fields: [BitField(bits: 6, shift: 14)]),
        OperandDescriptor(operandClass: .relative, extraction: .signedScaled4, text: "", format: .hex, fields: [BitField(bits: 7, shift: 6), BitField(bits: 2, shift: 33)]),
        OperandDescriptor(operandClass: .relative, extraction: .signedScaled4, text: "", format: .hex, fields: [BitField(bits: 9, shift: 24)]),
        OperandDescriptor(operandClass: .relative, extraction: .signedScaled4, text: "", format: .hex, fields: [BitField(bits: 20, shift: 6), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .relative, extraction: .signedScaled4, text: "", format: .hex, fields: [BitField(bits: 7, shift: 6), BitField(bits: 13, shift: 20), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .relative, extraction: .signedScaled4, text: "", format: .hex, fields: [BitField(bits: 20, shift: 13), BitField(bits: 1, shift: 36)]),
        OperandDescriptor(operandClass: .relative, extraction: .longImmediate, text: "", format: .hex, fields: []),
        OperandDescriptor(operandClass: .absolute, extraction: .constant, text: "", format: .hex, fields: []),
        OperandDescriptor(operandClass: .absolute, extraction: .count6a, text: "", format: .unsignedDecimal, fields: [BitField(bits: 6, shift: 6)]),
        OperandDescriptor(operandClass: .absolute, extraction: .signedScaled6, text: "", format: .signedDecimal, fields: [BitField(bits: 5, shift: 13)]),
    ]
}
