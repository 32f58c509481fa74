/// A 128-bit instruction bundle as stored in memory (always little-endian): a 5-bit template
/// and three 41-bit slots.
public struct InstructionBundle: Sendable, Hashable {
    public var low: UInt64
    public var high: UInt64

    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    /// Reads a bundle from 16 little-endian bytes starting at `offset`.
    public init<C: Collection>(bytes: C, offset: C.Index) where C.Element == UInt8 {
        var lo: UInt64 = 0
        var hi: UInt64 = 0
        var index = offset
        for i in 0..<16 {
            let byte = UInt64(bytes[index])
            if i < 8 { lo |= byte << (8 * UInt64(i)) } else { hi |= byte << (8 * UInt64(i - 8)) }
            index = bytes.index(after: index)
        }
        self.init(low: lo, high: hi)
    }

    public var template: BundleTemplate { BundleTemplate(code: UInt8(low & 0x1f)) }

    public static let slotMask: UInt64 = (1 << 41) - 1

    public var slot0: UInt64 { (low >> 5) & Self.slotMask }
    public var slot1: UInt64 { (low >> 46) | ((high & 0x7f_ffff) << 18) }
    public var slot2: UInt64 { (high >> 23) & Self.slotMask }

    public func slot(_ n: Int) -> UInt64 {
        switch n {
        case 0: return slot0
        case 1: return slot1
        default: return slot2
        }
    }

    /// The bundle's 16 bytes in memory order.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            out[i] = UInt8(truncatingIfNeeded: low >> UInt64(8 * i))
            out[i + 8] = UInt8(truncatingIfNeeded: high >> UInt64(8 * i))
        }
        return out
    }

    /// Builds a bundle from a template code and three slots (bits above 41 are ignored).
    public init(template: UInt8, slots s0: UInt64, _ s1: UInt64, _ s2: UInt64) {
        let m = Self.slotMask
        let a = s0 & m, b = s1 & m, c = s2 & m
        self.init(low: UInt64(template & 0x1f) | (a << 5) | (b << 46),
                  high: (b >> 18) | (c << 23))
    }
}
