/// Hex digits as the protocol uses them: lower case, two per byte, byte order as in memory.
public enum Hex {
    static let digits = Array("0123456789abcdef".utf8)

    public static func byte(_ b: UInt8) -> [UInt8] { [digits[Int(b >> 4)], digits[Int(b & 0xf)]] }

    public static func encode<C: Sequence>(_ bytes: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        for b in bytes { out += byte(b) }
        return String(decoding: out, as: UTF8.self)
    }

    public static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }

    /// Bytes from an even-length hex string; nil on anything else.
    public static func decode<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let u = Array(text.utf8)
        guard u.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let h = nibble(u[i]), let l = nibble(u[i + 1]) else { return nil }
            out.append(h << 4 | l)
            i += 2
        }
        return out
    }

    /// A big-endian hex number as gdb writes addresses, lengths and thread ids.
    public static func number<S: StringProtocol>(_ text: S) -> UInt64? {
        guard !text.isEmpty, text.count <= 16 else { return nil }
        return UInt64(text, radix: 16)
    }

    /// A 64-bit value as little-endian bytes in hex (register values).
    public static func littleEndian(_ v: UInt64, bytes: Int = 8) -> String {
        encode((0..<bytes).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) })
    }
}
