/// 64-bit FNV-1a: a fixed, platform-independent hash for determinism checks (Swift's Hasher
/// is seeded per process, so it cannot compare runs).
public struct StateHasher {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x100_0000_01b3

    public init() {}

    public mutating func feed(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* Self.prime
    }

    /// Feeds the 8 little-endian bytes of `word`.
    public mutating func feed(_ word: UInt64) {
        for i in 0..<8 { feed(UInt8(truncatingIfNeeded: word >> (8 * UInt64(i)))) }
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        var v = value
        for b in bytes { v = (v ^ UInt64(b)) &* Self.prime }
        value = v
    }
}

extension StateHasher {
    public mutating func add(byte: UInt8) { feed(byte) }
    public mutating func add(_ v: UInt64) { feed(v) }
    public mutating func add(bytes: UnsafeRawBufferPointer) { feed(bytes) }

    /// A string, terminated so that ("ab", "c") and ("a", "bc") differ.
    public mutating func add(_ s: String) {
        for b in s.utf8 { feed(b) }
        feed(UInt8(0))
    }

    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
