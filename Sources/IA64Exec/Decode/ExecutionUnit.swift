/// The functional unit a slot is issued to, fixed by the bundle template.
public enum ExecutionUnit: UInt8, Sendable, Hashable {
    case m, i, f, b
    /// The L slot of an MLX bundle: 41 bits of immediate belonging to the X slot.
    case l
    case x
}

/// The instruction type an opcode belongs to. A-type (integer ALU) instructions issue to either
/// an M or an I unit; which type a slot holds follows from its unit and major opcode.
public enum InstructionType: UInt8, Sendable, Hashable, CaseIterable {
    case a, i, m, f, b, x

    /// The type of the instruction in a slot of `unit` whose major opcode (bits 40..37) is `major`.
    @inlinable
    public init(unit: ExecutionUnit, major: UInt8) {
        switch unit {
        case .m: self = major >= 8 ? .a : .m
        case .i: self = major >= 8 ? .a : .i
        case .f: self = .f
        case .b: self = .b
        case .l, .x: self = .x
        }
    }
}
