/// Turns bundles into instructions. Total: every 128-bit input decodes, reserved encodings to
/// explicit reserved instructions.
public struct Decoder: Sendable {
    public let table: OpcodeTable

    public init(table: OpcodeTable = .shared) { self.table = table }

    public func decode(_ bundle: InstructionBundle) -> DecodedBundle {
        let template = bundle.template
        let s0 = bundle.slot0, s1 = bundle.slot1, s2 = bundle.slot2
        guard let units = template.units else {
            let r = Instruction.reservedTemplateIndex
            return DecodedBundle(
                bundle: bundle, template: template,
                slot0: Instruction(raw: s0, opcodeIndex: r, unit: nil, operands: OperandValues()),
                slot1: Instruction(raw: s1, opcodeIndex: r, unit: nil, operands: OperandValues()),
                slot2: Instruction(raw: s2, opcodeIndex: r, unit: nil, operands: OperandValues()))
        }
        let second: Instruction
        if units.1 == .l {
            second = Instruction(raw: s1, opcodeIndex: Instruction.longSlotIndex, unit: .l, operands: OperandValues())
        } else {
            second = decodeSlot(s1, unit: units.1)
        }
        return DecodedBundle(
            bundle: bundle, template: template,
            slot0: decodeSlot(s0, unit: units.0),
            slot1: second,
            slot2: decodeSlot(s2, unit: units.2, longSlot: s1))
    }

    /// Decodes one 41-bit slot issued to `unit`. `longSlot` is the L slot for an X-unit slot.
    public func decodeSlot(_ raw: UInt64, unit: ExecutionUnit, longSlot: UInt64 = 0) -> Instruction {
        let slot = raw & InstructionBundle.slotMask
        let type = InstructionType(unit: unit, major: UInt8((slot >> 37) & 0xf))
        guard let index = table.lookup(slot, type: type) else {
            return Instruction(raw: slot, opcodeIndex: Instruction.unassignedIndex, unit: unit, operands: OperandValues())
        }
        var values = OperandValues()
        for (i, kind) in table.entries[Int(index)].operands.enumerated() {
            values[i] = kind.extract(from: slot, longSlot: longSlot)
        }
        return Instruction(raw: slot, opcodeIndex: index, unit: unit, operands: values)
    }
}
