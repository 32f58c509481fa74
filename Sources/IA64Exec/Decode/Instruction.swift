/// Up to five operand values, already extracted from their fields (immediates sign-extended
/// and scaled, counts biased, long immediates assembled), so execution never re-decodes.
public struct OperandValues: Sendable, Hashable {
    public var v0: Int64 = 0, v1: Int64 = 0, v2: Int64 = 0, v3: Int64 = 0, v4: Int64 = 0

    public init() {}

    @inlinable
    public subscript(index: Int) -> Int64 {
        get {
            switch index {
            case 0: return v0
            case 1: return v1
            case 2: return v2
            case 3: return v3
            default: return v4
            }
        }
        set {
            switch index {
            case 0: v0 = newValue
            case 1: v1 = newValue
            case 2: v2 = newValue
            case 3: v3 = newValue
            default: v4 = newValue
            }
        }
    }
}

/// Why a slot has no executable meaning. Executing it raises an Illegal Operation fault.
public enum ReservedReason: UInt8, Sendable, Hashable {
    /// The bundle's template is one of the reserved codes.
    case reservedTemplate
    /// No instruction of the slot's type has this encoding.
    case unassignedEncoding
}

/// One decoded slot: a plain value (no references, no heap) that the interpreter executes from.
/// `opcodeIndex` selects the encoding in `OpcodeTable.shared.entries`; the interpreter keys its
/// handlers on it.
public struct Instruction: Sendable, Hashable {
    /// The 41 bits of the slot.
    public let raw: UInt64
    public let opcodeIndex: UInt16
    /// The unit the template routes this slot to; nil in a reserved template.
    public let unit: ExecutionUnit?
    public let operands: OperandValues

    static let reservedTemplateIndex: UInt16 = .max
    static let unassignedIndex: UInt16 = .max - 1
    static let longSlotIndex: UInt16 = .max - 2

    init(raw: UInt64, opcodeIndex: UInt16, unit: ExecutionUnit?, operands: OperandValues) {
        self.raw = raw
        self.opcodeIndex = opcodeIndex
        self.unit = unit
        self.operands = operands
    }

    /// The qualifying predicate register (bits 5..0).
    @inlinable public var qp: UInt8 { UInt8(raw & 0x3f) }

    /// The major opcode (bits 40..37).
    @inlinable public var majorOpcode: UInt8 { UInt8((raw >> 37) & 0xf) }

    /// Set when the slot is reserved: executing it must raise Illegal Operation.
    public var reservedReason: ReservedReason? {
        switch opcodeIndex {
        case Self.reservedTemplateIndex: return .reservedTemplate
        case Self.unassignedIndex: return .unassignedEncoding
        default: return nil
        }
    }

    public var isReserved: Bool { reservedReason != nil }

    /// The L slot of an MLX bundle: not an instruction of its own, its bits belong to slot 2.
    public var isLongImmediateSlot: Bool { opcodeIndex == Self.longSlotIndex }

    /// The encoding this slot holds, if it is a real instruction.
    public var entry: OpcodeEntry? {
        opcodeIndex < Self.longSlotIndex ? OpcodeTable.shared.entries[Int(opcodeIndex)] : nil
    }
}
