/// Reads what `ByteWriter` wrote. Every read is bounds-checked and a failure names the
/// absolute file offset, so a damaged trace is reported, never trusted.
public struct ByteReader {
    let bytes: [UInt8]
    public private(set) var position: Int
    /// Where `bytes` starts in the file, for error messages.
    let base: Int

    public init(_ bytes: [UInt8], base: Int = 0) {
        self.bytes = bytes
        self.position = 0
        self.base = base
    }

    public var atEnd: Bool { position >= bytes.count }
    public var remaining: Int { bytes.count - position }
    public var fileOffset: Int { base + position }

    func fail(_ what: String) -> TraceError {
        TraceError.damaged(offset: base + position, "\(what)")
    }

    public mutating func u8() throws -> UInt8 {
        guard position < bytes.count else { throw fail("unexpected end of data") }
        defer { position += 1 }
        return bytes[position]
    }

    public mutating func u32() throws -> UInt32 {
        guard remaining >= 4 else { throw fail("unexpected end of data") }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
        position += 4
        return v
    }

    public mutating func u64() throws -> UInt64 {
        guard remaining >= 8 else { throw fail("unexpected end of data") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return v
    }

    public mutating func varint() throws -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try u8()
            guard shift < 64, shift < 63 || b <= 1 else { throw fail("varint too long") }
            v |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return v }
            shift += 7
        }
    }

    /// A varint that must fit an Int no larger than `limit`.
    public mutating func count(limit: Int = Int(Int32.max)) throws -> Int {
        let start = position
        let v = try varint()
        guard v <= UInt64(limit) else {
            position = start
            throw fail("value \(v) out of range (at most \(limit))")
        }
        return Int(v)
    }

    public mutating func zigzag() throws -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    public mutating func raw(_ n: Int) throws -> [UInt8] {
        guard n >= 0, remaining >= n else { throw fail("unexpected end of data (need \(n) bytes)") }
        defer { position += n }
        return Array(bytes[position..<position + n])
    }

    public mutating func blob(limit: Int = 1 << 30) throws -> [UInt8] {
        let n = try count(limit: limit)
        return try raw(n)
    }

    public mutating func string(limit: Int = 1 << 20) throws -> String {
        let b = try blob(limit: limit)
        guard let s = String(validating: b, as: UTF8.self) else { throw fail("invalid UTF-8 text") }
        return s
    }

    public mutating func bool() throws -> Bool {
        let b = try u8()
        guard b <= 1 else {
            position -= 1
            throw fail("bad boolean \(b)")
        }
        return b == 1
    }
}
