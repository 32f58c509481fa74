/// The 5-bit template field of a bundle: which units its three slots go to and where its
/// instruction-group stops fall. 8 of the 32 codes (0x06, 0x07, 0x14, 0x15, 0x1a, 0x1b, 0x1e,
/// 0x1f) are reserved: executing such a bundle raises an Illegal Operation fault.
public struct BundleTemplate: Sendable, Hashable {
    /// Bits 4..0 of the bundle.
    public let code: UInt8

    public init(code: UInt8) { self.code = code & 0x1f }

    /// The three slot units, or nil for a reserved template.
    public var units: (ExecutionUnit, ExecutionUnit, ExecutionUnit)? {
        switch code >> 1 {
        case 0x0, 0x1: return (.m, .i, .i)
        case 0x2: return (.m, .l, .x)
        case 0x4, 0x5: return (.m, .m, .i)
        case 0x6: return (.m, .f, .i)
        case 0x7: return (.m, .m, .f)
        case 0x8: return (.m, .i, .b)
        case 0x9: return (.m, .b, .b)
        case 0xb: return (.b, .b, .b)
        case 0xc: return (.m, .m, .b)
        case 0xe: return (.m, .f, .b)
        default: return nil
        }
    }

    public var isReserved: Bool { units == nil }

    /// The unit of slot 0, 1 or 2 (nil for a reserved template).
    public func unit(ofSlot slot: Int) -> ExecutionUnit? {
        guard let u = units else { return nil }
        switch slot {
        case 0: return u.0
        case 1: return u.1
        default: return u.2
        }
    }

    /// The slot after which an instruction-group stop sits inside the bundle (MI;I and M;MI), if any.
    public var midBundleStopAfterSlot: Int? {
        switch code >> 1 {
        case 0x1: return 1
        case 0x5: return 0
        default: return nil
        }
    }

    /// Whether the bundle ends an instruction group.
    public var stopAtEnd: Bool { code & 1 != 0 }

    /// Whether a stop follows slot `slot` (0…2).
    public func hasStop(afterSlot slot: Int) -> Bool {
        midBundleStopAfterSlot == slot || (slot == 2 && stopAtEnd)
    }

    /// The name objdump shows: "MII", "MLX"…, or "-3-" style for reserved codes.
    public var name: String {
        switch code >> 1 {
        case 0x0, 0x1: return "MII"
        case 0x2: return "MLX"
        case 0x4, 0x5: return "MMI"
        case 0x6: return "MFI"
        case 0x7: return "MMF"
        case 0x8: return "MIB"
        case 0x9: return "MBB"
        case 0xb: return "BBB"
        case 0xc: return "MMB"
        case 0xe: return "MFB"
        default: return "-" + String(code >> 1, radix: 16) + "-"
        }
    }
}
