/// Remote Serial Protocol framing: `$payload#cs`, where cs is the modulo-256 sum of the payload
/// bytes as sent, in two hex digits. `#`, `$`, `}` and `*` inside a payload are escaped as `}`
/// followed by the byte XOR 0x20 (binary `X` data and our binary replies need it).
public enum RSPPacket {
    public static let start: UInt8 = 0x24       // $
    public static let end: UInt8 = 0x23         // #
    public static let escape: UInt8 = 0x7d      // }
    public static let runLength: UInt8 = 0x2a   // *
    public static let ack: UInt8 = 0x2b         // +
    public static let nak: UInt8 = 0x2d         // -
    public static let interrupt: UInt8 = 0x03   // Ctrl-C
    /// The largest payload we accept (and announce as PacketSize): more than one 9441-character
    /// `G` packet or a 9463-character `M` packet.
    public static let maximumPayload = 0x4e20

    public static func checksum<C: Sequence>(_ bytes: C) -> UInt8 where C.Element == UInt8 {
        bytes.reduce(0, &+)
    }

    /// Escapes bytes that would end or confuse a packet.
    public static func escaped(_ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count)
        for b in payload {
            if b == start || b == end || b == escape || b == runLength {
                out.append(escape)
                out.append(b ^ 0x20)
            } else {
                out.append(b)
            }
        }
        return out
    }

    /// Undoes `escaped`; nil when the payload ends in a lone escape byte.
    public static func unescaped(_ raw: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var pendingEscape = false
        for b in raw {
            if pendingEscape {
                out.append(b ^ 0x20)
                pendingEscape = false
            } else if b == escape {
                pendingEscape = true
            } else {
                out.append(b)
            }
        }
        return pendingEscape ? nil : out
    }

    /// A complete frame for `payload`.
    public static func frame(_ payload: [UInt8]) -> [UInt8] {
        let body = escaped(payload)
        return [start] + body + [end] + Hex.byte(checksum(body))
    }
}
