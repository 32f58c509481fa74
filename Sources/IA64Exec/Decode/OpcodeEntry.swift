/// Properties binutils records per opcode that decoding and scheduling need.
public struct OpcodeFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let first = OpcodeFlags(rawValue: 0x1)
    public static let xInMLX = OpcodeFlags(rawValue: 0x2)
    public static let last = OpcodeFlags(rawValue: 0x4)
    public static let privileged = OpcodeFlags(rawValue: 0x8)
    public static let slot2 = OpcodeFlags(rawValue: 0x10)
    public static let noPredicate = OpcodeFlags(rawValue: 0x20)
    public static let pseudo = OpcodeFlags(rawValue: 0x40)
    /// Only matches when the f2 and f3 fields are equal (fmov, fneg… forms of fmerge).
    public static let f2EqualsF3 = OpcodeFlags(rawValue: 0x80)
    /// Only matches when len6 == 64 - count (the shl/shr forms of dep.z and extr).
    public static let lengthIs64MinusCount = OpcodeFlags(rawValue: 0x100)
    public static let modifiesRRBs = OpcodeFlags(rawValue: 0x200)
    public static let postIncrement = OpcodeFlags(rawValue: 0x400)
}

/// One encoding of the instruction set: a mnemonic with its completers, the bits that identify
/// it, and its operand layout.
public struct OpcodeEntry: Sendable {
    /// Full assembler name with completers, e.g. "ld8.acq.nta".
    public let name: String
    public let type: InstructionType
    /// How many leading operands are destinations (printed before "=").
    public let outputCount: UInt8
    public let opcode: UInt64
    public let mask: UInt64
    public let operands: [OperandKind]
    public let flags: OpcodeFlags

    /// The name without completers, e.g. "ld8".
    public var mnemonic: Substring { name.split(separator: ".", maxSplits: 1)[0] }

    /// Whether `slot` carries this entry's encoding, including the field-equality constraints
    /// some entries add beyond their mask.
    @inlinable
    public func matches(_ slot: UInt64) -> Bool {
        guard slot & mask == opcode else { return false }
        if flags.contains(.f2EqualsF3) {
            return (slot >> 13) & 0x7f == (slot >> 20) & 0x7f
        }
        if flags.contains(.lengthIs64MinusCount) {
            let length = OperandKind.len6.extract(from: slot)
            let count = operands[2].extract(from: slot)
            return length == 64 - count
        }
        return true
    }
}
