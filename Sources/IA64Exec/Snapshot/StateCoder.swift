/// Two-way state coding for snapshots: each stateful type lists its fields ONCE, in one
/// function `code(_ c: inout some StateCoder)`. Encoding (`StateWriter` in VMMCore) writes the
/// fields' values; decoding (`StateReader`) reads values back into the same fields. Adding a
/// field to a snapshot is one line in that function (and a format version bump).
///
/// While decoding, the values passed in are placeholders that get overwritten; a type whose
/// fields are constants (`let`) decodes them into locals and builds itself afterwards.
public protocol StateCoder {
    /// True while restoring a snapshot.
    var isDecoding: Bool { get }
    /// Bytes left to read while decoding (`Int.max` while encoding): a sanity bound for counts.
    var remaining: Int { get }
    /// An unsigned LEB128 varint.
    mutating func varint(_ value: inout UInt64) throws
    /// Exactly `buffer.count` raw bytes.
    mutating func raw(_ buffer: UnsafeMutableRawBufferPointer) throws
    /// An error for bad data at the current position (decoding).
    func corrupt(_ message: String) -> SnapshotFormatError
}

/// Bad or truncated snapshot data: what was wrong and at which byte offset.
public struct SnapshotFormatError: Error, CustomStringConvertible, Equatable, Sendable {
    public let offset: Int
    public let message: String
    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }
    public var description: String { "bad snapshot data at byte offset \(offset): \(message)" }
}

/// A value that codes itself field by field.
public protocol StateCodable {
    /// Any value: decoding starts from it and overwrites every field.
    static var placeholder: Self { get }
    mutating func code<C: StateCoder>(_ c: inout C) throws
}

extension StateCoder {
    public mutating func code<T: StateCodable>(_ value: inout T) throws { try value.code(&self) }

    /// A count of things that follow, checked against the bytes left (each takes at least
    /// `minimumSize` bytes; 0: no check, the caller bounds it) so corrupt data cannot ask for
    /// a huge allocation.
    public mutating func count(_ n: inout Int, minimumSize: Int = 1) throws {
        var v = UInt64(n)
        try varint(&v)
        guard v <= UInt64(Int.max), !isDecoding || minimumSize == 0 || Int(v) <= remaining / minimumSize else {
            throw corrupt("count \(v) exceeds the data left")
        }
        n = Int(v)
    }

    /// A count that must be exactly `expected` (fixed-size tables).
    public mutating func expectCount(_ expected: Int, _ what: String) throws {
        var n = expected
        try count(&n, minimumSize: 0)
        guard n == expected else { throw corrupt("\(what): \(n) entries, expected \(expected)") }
    }

    /// A small enumeration tag, checked to be below `limit`.
    public mutating func tag(_ t: inout Int, limit: Int, _ what: String) throws {
        var v = UInt64(t)
        try varint(&v)
        guard v < UInt64(limit) else { throw corrupt("\(what): unknown tag \(v)") }
        t = Int(v)
    }

    /// A length-prefixed byte string, copied raw.
    public mutating func bytes(_ value: inout [UInt8]) throws {
        var n = value.count
        try count(&n)
        if isDecoding { value = [UInt8](repeating: 0, count: n) }
        try value.withUnsafeMutableBytes { try raw($0) }
    }

    /// Words in memory the coder does not own (register files): varint each.
    public mutating func words(_ p: UnsafeMutablePointer<UInt64>, count n: Int) throws {
        for i in 0..<n { try varint(&p[i]) }
    }

    /// Flags packed eight to a byte.
    public mutating func flags(_ p: UnsafeMutablePointer<Bool>, count n: Int) throws {
        var packed = [UInt8](repeating: 0, count: (n + 7) / 8)
        if !isDecoding { for i in 0..<n where p[i] { packed[i / 8] |= 1 << UInt8(i % 8) } }
        try packed.withUnsafeMutableBytes { try raw($0) }
        if isDecoding { for i in 0..<n { p[i] = packed[i / 8] >> UInt8(i % 8) & 1 != 0 } }
    }

    /// A long run of words that mostly repeat or step evenly (bitmaps, p2m tables): coded as
    /// runs of equal differences, so 2048 consecutive frame numbers take a few bytes.
    public mutating func packedWords(_ p: UnsafeMutablePointer<UInt64>, count n: Int) throws {
        var i = 0
        var previous: UInt64 = 0
        while i < n {
            var run = 0
            var delta: UInt64 = 0
            if !isDecoding {
                delta = p[i] &- previous
                var last = p[i]
                run = 1
                while i + run < n && p[i + run] &- last == delta {
                    last = p[i + run]
                    run += 1
                }
            }
            var r = UInt64(run)
            try varint(&r)
            var z = (delta << 1) ^ UInt64(bitPattern: Int64(bitPattern: delta) >> 63)  // zigzag
            try varint(&z)
            guard r >= 1, r <= UInt64(n - i) else { throw corrupt("packed run of \(r) words, \(n - i) left") }
            if isDecoding {
                delta = (z >> 1) ^ (0 &- (z & 1))
                for k in 0..<Int(r) {
                    previous &+= delta
                    p[i + k] = previous
                }
            } else {
                previous = p[i + run - 1]
            }
            i += Int(r)
        }
    }

    public mutating func packedWords(_ array: inout [UInt64]) throws {
        var n = array.count
        try count(&n, minimumSize: 0)
        guard n <= 1 << 23 else { throw corrupt("packed array of \(n) words") }
        if isDecoding { array = [UInt64](repeating: 0, count: n) }
        try array.withUnsafeMutableBufferPointer { try packedWords($0.baseAddress!, count: n) }
    }

    /// An array of values with no placeholder of their own: `element` codes one, given a
    /// placeholder to overwrite while decoding.
    public mutating func array<T>(_ value: inout [T], placeholder: T, _ element: (inout Self, inout T) throws -> Void) throws {
        var n = value.count
        try count(&n)
        if isDecoding { value = [T](repeating: placeholder, count: n) }
        for i in 0..<n { try element(&self, &value[i]) }
    }
}

// MARK: - Standard conformances

extension UInt64: StateCodable {
    public static var placeholder: UInt64 { 0 }
    public mutating func code<C: StateCoder>(_ c: inout C) throws { try c.varint(&self) }
}

extension Int: StateCodable {
    public static var placeholder: Int { 0 }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var z = UInt64(bitPattern: Int64((self << 1) ^ (self >> 63)))
        try c.varint(&z)
        self = Int(Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1))
    }
}

extension Int16: StateCodable {
    public static var placeholder: Int16 { 0 }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var v = Int(self)
        try v.code(&c)
        guard let x = Int16(exactly: v) else { throw c.corrupt("\(v) is not a 16-bit value") }
        self = x
    }
}

extension UInt32: StateCodable {
    public static var placeholder: UInt32 { 0 }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var v = UInt64(self)
        try c.varint(&v)
        guard let x = UInt32(exactly: v) else { throw c.corrupt("\(v) is not a 32-bit value") }
        self = x
    }
}

extension UInt8: StateCodable {
    public static var placeholder: UInt8 { 0 }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var v = UInt64(self)
        try c.varint(&v)
        guard let x = UInt8(exactly: v) else { throw c.corrupt("\(v) is not a byte") }
        self = x
    }
}

extension Bool: StateCodable {
    public static var placeholder: Bool { false }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var v: UInt64 = self ? 1 : 0
        try c.varint(&v)
        guard v <= 1 else { throw c.corrupt("\(v) is not a flag") }
        self = v == 1
    }
}

extension String: StateCodable {
    public static var placeholder: String { "" }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var b = Array(utf8)
        try c.bytes(&b)
        if c.isDecoding {
            guard let s = String(validating: b, as: UTF8.self) else { throw c.corrupt("string is not UTF-8") }
            self = s
        }
    }
}

extension Optional: StateCodable where Wrapped: StateCodable {
    public static var placeholder: Wrapped? { nil }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var present = self != nil
        try present.code(&c)
        if present {
            var v = self ?? Wrapped.placeholder
            try v.code(&c)
            self = v
        } else {
            self = nil
        }
    }
}

extension Array: StateCodable where Element: StateCodable {
    public static var placeholder: [Element] { [] }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        try c.array(&self, placeholder: Element.placeholder) { c, e in try e.code(&c) }
    }
}

/// Dictionaries in ascending key order, so equal states encode equal.
extension Dictionary: StateCodable where Key: StateCodable & Comparable, Value: StateCodable {
    public static var placeholder: [Key: Value] { [:] }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var pairs = c.isDecoding ? [] : sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        try c.array(&pairs, placeholder: (Key.placeholder, Value.placeholder)) { c, p in
            try p.0.code(&c)
            try p.1.code(&c)
        }
        if c.isDecoding {
            var d: [Key: Value] = [:]
            for (k, v) in pairs {
                guard d.updateValue(v, forKey: k) == nil else { throw c.corrupt("duplicate key \(k)") }
            }
            self = d
        }
    }
}

extension Set: StateCodable where Element: StateCodable & Comparable {
    public static var placeholder: Set<Element> { [] }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var list = c.isDecoding ? [] : sorted()
        try list.code(&c)
        if c.isDecoding { self = Set(list) }
    }
}
