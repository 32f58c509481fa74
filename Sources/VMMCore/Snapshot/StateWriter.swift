import IA64Exec

/// The encoding half of `StateCoder`: appends little-endian binary to a byte array. Integers
/// are LEB128 varints (small values, which most state is, take one byte).
public struct StateWriter: StateCoder {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public var isDecoding: Bool { false }
    public var remaining: Int { .max }

    public mutating func varint(_ value: inout UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func raw(_ buffer: UnsafeMutableRawBufferPointer) {
        bytes.append(contentsOf: UnsafeRawBufferPointer(buffer))
    }

    public func corrupt(_ message: String) -> SnapshotFormatError {
        SnapshotFormatError(offset: bytes.count, message: message)
    }

    // Plain writes, for headers.
    public mutating func write(_ value: UInt64) {
        var v = value
        varint(&v)
    }

    public mutating func writeFixed(_ value: UInt64, bytes count: Int = 8) {
        for i in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    public mutating func write(raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }
    public mutating func write(bytes more: [UInt8]) { bytes.append(contentsOf: more) }
}
