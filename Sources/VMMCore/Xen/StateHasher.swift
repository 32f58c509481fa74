/// 64-bit FNV-1a over a sequence of values: the machine state hash that two runs of the same
/// session must agree on. Fixed algorithm, fixed order, no host-dependent input.
public struct StateHasher {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    public mutating func add(_ v: UInt64) {
        for i in 0..<8 { add(byte: UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }

    public mutating func add(_ s: String) {
        for b in s.utf8 { add(byte: b) }
        add(byte: 0)
    }

    public mutating func add(bytes: UnsafeRawBufferPointer) {
        for b in bytes { add(byte: b) }
    }

    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
