/// Writes instructions the way GNU objdump does, character for character, so that a listing
/// from xdbg can be diffed against one from `ia64-linux-gnu-objdump`.
public struct Disassembler: Sendable {
    public let decoder: Decoder

    public init(decoder: Decoder = Decoder()) { self.decoder = decoder }

    /// objdump's byte stride through a bundle: slots are shown at offsets 0, 6 and 12.
    public static let bytesPerSlotLine = 6

    /// The text for the slot shown at `address` inside `bundle` (which starts at
    /// `address & ~0xf`), and how many bytes the listing advances past it. `formatTarget`
    /// writes a branch target address (objdump: "ADDR <sym+0xOFF>").
    public func instructionText(bundle: InstructionBundle, address: UInt64,
                                formatTarget: (UInt64) -> String) -> (text: String, length: Int) {
        var slotNumber = Int(address & 0xf) / Self.bytesPerSlotLine
        var length = Self.bytesPerSlotLine
        let template = bundle.template
        var text = slotNumber == 0 ? "[\(template.name)] " : "      "
        let unit = template.unit(ofSlot: slotNumber)
        if unit == .l {
            // The L slot is shown together with its X slot.
            slotNumber = 2
            length += Self.bytesPerSlotLine
        }
        if slotNumber == 2 { length += 16 - 3 * Self.bytesPerSlotLine }
        let raw = bundle.slot(slotNumber)
        guard let unit else {
            text += Self.dataDirective(raw)
            return (text, length)
        }
        let instruction = decoder.decodeSlot(raw, unit: unit, longSlot: bundle.slot1)
        guard let entry = instruction.entry else {
            text += Self.dataDirective(raw)
            return (text, length)
        }
        text += Self.format(instruction, entry: entry, bundleAddress: address & ~0xf, formatTarget: formatTarget)
        if template.hasStop(afterSlot: slotNumber) { text += ";;" }
        return (text, length)
    }

    /// One instruction without template marker or stop: "(p06) add r1=r2,r3".
    public static func format(_ instruction: Instruction, entry: OpcodeEntry, bundleAddress: UInt64,
                              formatTarget: (UInt64) -> String) -> String {
        var text = ""
        if entry.flags.contains(.noPredicate) || instruction.qp == 0 {
            text += "      "
        } else {
            text += "(p" + (instruction.qp < 10 ? "0" : "") + "\(instruction.qp)) "
        }
        text += entry.name
        if !entry.operands.isEmpty { text += " " }
        var needComma = false
        for (j, kind) in entry.operands.enumerated() {
            if needComma { text += "," }
            text += operandText(kind, value: instruction.operands[j], bundleAddress: bundleAddress,
                                formatTarget: formatTarget)
            needComma = true
            if j + 1 == Int(entry.outputCount) {
                text += "="
                needComma = false
            }
        }
        return text
    }

    static func operandText(_ kind: OperandKind, value: Int64, bundleAddress: UInt64,
                            formatTarget: (UInt64) -> String) -> String {
        let d = kind.descriptor
        switch d.operandClass {
        case .constant:
            return d.text
        case .register:
            switch d.text {
            case "ar": return RegisterNames.applicationRegister(value)
            case "cr": return RegisterNames.controlRegister(value)
            default: return d.text + String(Int32(truncatingIfNeeded: value))
            }
        case .indirect:
            return d.text + "[r\(Int32(truncatingIfNeeded: value))]"
        case .absolute:
            if kind == .mbtype4 {
                switch value {
                case 0x0: return "@brcst"
                case 0x8: return "@mix"
                case 0x9: return "@shuf"
                case 0xa: return "@alt"
                case 0xb: return "@rev"
                default: break
                }
            }
            switch d.format {
            case .signedDecimal: return String(value)
            case .unsignedDecimal: return String(UInt64(bitPattern: value))
            case .hex: return "0x" + String(UInt64(bitPattern: value), radix: 16)
            }
        case .relative:
            return formatTarget(bundleAddress &+ UInt64(bitPattern: value))
        }
    }

    /// objdump's rendering of an undecodable slot: `data8` and C's "%#011llx".
    static func dataDirective(_ raw: UInt64) -> String {
        let body: String
        if raw == 0 {
            body = String(repeating: "0", count: 11)
        } else {
            let hex = String(raw, radix: 16)
            body = "0x" + String(repeating: "0", count: max(0, 9 - hex.count)) + hex
        }
        return "      data8 " + body
    }
}
