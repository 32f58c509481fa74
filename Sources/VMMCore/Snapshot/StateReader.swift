import IA64Exec

/// The decoding half of `StateCoder`: reads what `StateWriter` wrote. Never traps on bad
/// input: running out of bytes, an overlong varint or an out-of-range value throws a
/// `SnapshotFormatError` naming the byte offset (counted from `baseOffset`, so errors inside
/// a section of a file name the offset in the file).
public struct StateReader: StateCoder {
    let data: UnsafeRawBufferPointer
    public private(set) var position = 0
    let baseOffset: Int

    /// Reads from `data`, which must stay alive while the reader is used (see `withReader`).
    init(_ data: UnsafeRawBufferPointer, baseOffset: Int = 0) {
        self.data = data
        self.baseOffset = baseOffset
    }

    /// Runs `body` with a reader over `bytes`.
    public static func withReader<T>(_ bytes: [UInt8], baseOffset: Int = 0, _ body: (inout StateReader) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { buffer in
            var r = StateReader(buffer, baseOffset: baseOffset)
            return try body(&r)
        }
    }

    public var isDecoding: Bool { true }
    public var remaining: Int { data.count - position }
    public var offset: Int { baseOffset + position }
    public var isAtEnd: Bool { position == data.count }

    public func corrupt(_ message: String) -> SnapshotFormatError {
        SnapshotFormatError(offset: baseOffset + position, message: message)
    }

    public mutating func varint(_ value: inout UInt64) throws {
        value = try readVarint()
    }

    public mutating func readVarint() throws -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < data.count else {
                throw SnapshotFormatError(offset: baseOffset + start, message: "truncated: a number runs past the end of the data")
            }
            let b = data[position]
            position += 1
            if shift == 63 && b > 1 {
                throw SnapshotFormatError(offset: baseOffset + start, message: "number does not fit 64 bits")
            }
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    public mutating func raw(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard buffer.count <= remaining else {
            throw corrupt("truncated: \(buffer.count) bytes expected, \(remaining) left")
        }
        if buffer.count > 0 {
            buffer.baseAddress!.copyMemory(from: data.baseAddress! + position, byteCount: buffer.count)
        }
        position += buffer.count
    }

    public mutating func readFixed(bytes count: Int = 8) throws -> UInt64 {
        guard count <= remaining else { throw corrupt("truncated: \(count) bytes expected, \(remaining) left") }
        var v: UInt64 = 0
        for i in 0..<count { v |= UInt64(data[position + i]) << (8 * UInt64(i)) }
        position += count
        return v
    }

    /// The next `count` bytes, in place.
    public mutating func readSlice(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else { throw corrupt("truncated: \(count) bytes expected, \(remaining) left") }
        let slice = UnsafeRawBufferPointer(rebasing: data[position..<position + count])
        position += count
        return slice
    }
}
