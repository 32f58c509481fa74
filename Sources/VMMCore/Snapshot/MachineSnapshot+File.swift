import IA64Exec

/// The snapshot file format (all integers little-endian; "varint" is unsigned LEB128):
///
///     0   8 bytes  magic "XDBGSNAP"
///     8   u32      format version (MachineSnapshot.formatVersion)
///     12  u64      length of the whole file in bytes
///     20  varints  machine options: physical CPUs, quantum, memory MiB, xenheap MiB
///         varints  retired instructions, virtual time
///         varint   state length, then the state (Hypervisor.codeState)
///         varint   frame count, then per frame: varint gap (mfn - previous mfn - 1, the first
///                  counting from 0), u8 kind (0: all zeros, 1: 16384 bytes follow)
///     end-8 u64    checksum of every byte before it
///
/// Decoding checks the magic, version, length and checksum before anything else, then the
/// framing; the state itself is checked field by field by `Hypervisor(restoring:)`. Every
/// error names the byte offset in the file where the data went wrong.
extension MachineSnapshot {
    static let headerSize = 20

    public func encoded() -> [UInt8] {
        var w = StateWriter(capacity: state.count + frames.count * (Self.frameSize + 4) + 64)
        w.write(bytes: Self.magic)
        w.writeFixed(UInt64(Self.formatVersion), bytes: 4)
        w.writeFixed(0)  // length, patched below
        var options = self.options
        try? options.code(&w)
        w.write(retiredInstructions)
        w.write(now)
        w.write(UInt64(state.count))
        w.write(bytes: state)
        w.write(UInt64(frames.count))
        var next: UInt64 = 0
        for (mfn, frame) in zip(frameNumbers, frames) {
            w.write(mfn - next)
            next = mfn + 1
            if frame === FrameBuffer.zero {
                w.writeFixed(0, bytes: 1)
            } else {
                w.writeFixed(1, bytes: 1)
                w.write(raw: UnsafeRawBufferPointer(start: frame.bytes, count: Self.frameSize))
            }
        }
        var bytes = w.bytes
        let length = UInt64(bytes.count + 8)
        for i in 0..<8 { bytes[12 + i] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(i))) }
        let sum = bytes.withUnsafeBytes { Self.checksum($0) }
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: sum >> (8 * UInt64(i)))) }
        return bytes
    }

    /// Decodes a snapshot file. Throws `SnapshotFormatError` (with the byte offset) for a
    /// file that is not a snapshot, of another version, truncated, corrupted or inconsistent.
    public init(decoding bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBytes { try Self.decode($0) }
    }

    private static func decode(_ data: UnsafeRawBufferPointer) throws -> MachineSnapshot {
        guard data.count >= headerSize + 8 else {
            throw SnapshotFormatError(offset: data.count, message: "truncated: \(data.count) bytes is shorter than a snapshot header")
        }
        guard data.prefix(8).elementsEqual(magic) else {
            throw SnapshotFormatError(offset: 0, message: "not an xdbg snapshot (bad magic)")
        }
        var header = StateReader(data)
        _ = try header.readSlice(8)
        let version = try header.readFixed(bytes: 4)
        guard version == UInt64(formatVersion) else {
            throw SnapshotFormatError(offset: 8, message: "format version \(version), this xdbg reads version \(formatVersion)")
        }
        let length = try header.readFixed()
        guard length == UInt64(data.count) else {
            throw SnapshotFormatError(offset: min(data.count, Int(clamping: length)),
                                      message: length > UInt64(data.count)
                                        ? "truncated: the file has \(data.count) bytes, its header says \(length)"
                                        : "\(UInt64(data.count) - length) bytes of junk after the snapshot's \(length)")
        }
        let body = UnsafeRawBufferPointer(rebasing: data[0..<data.count - 8])
        var stored: UInt64 = 0
        for i in 0..<8 { stored |= UInt64(data[data.count - 8 + i]) << (8 * UInt64(i)) }
        let computed = checksum(body)
        guard stored == computed else {
            throw SnapshotFormatError(offset: data.count - 8,
                                      message: "checksum mismatch (stored \(hex(stored)), computed \(hex(computed))): the file is corrupted")
        }

        var r = StateReader(body)
        _ = try r.readSlice(headerSize)
        var options = Hypervisor.Options()
        try options.code(&r)
        let retired = try r.readVarint()
        let now = try r.readVarint()
        var stateLength = 0
        try r.count(&stateLength)
        let stateOffset = r.offset
        let state = Array(try r.readSlice(stateLength))
        var frameCount = 0
        try r.count(&frameCount, minimumSize: 2)
        let totalFrames = (options.memoryMiB << 20) >> MachineMemory.frameShift
        var numbers: [UInt64] = []
        var frames: [FrameBuffer] = []
        numbers.reserveCapacity(frameCount)
        frames.reserveCapacity(frameCount)
        var next: UInt64 = 0
        var copied = 0
        for _ in 0..<frameCount {
            let at = r.offset
            let gap = try r.readVarint()
            guard gap < totalFrames, next + gap < totalFrames else {
                throw SnapshotFormatError(offset: at, message: "frame number beyond the machine's \(totalFrames) frames")
            }
            let mfn = next + gap
            next = mfn + 1
            let kindOffset = r.offset
            switch try r.readFixed(bytes: 1) {
            case 0:
                frames.append(FrameBuffer.zero)
            case 1:
                frames.append(FrameBuffer(copying: try r.readSlice(frameSize).baseAddress!))
                copied += 1
            case let k:
                throw SnapshotFormatError(offset: kindOffset, message: "unknown frame kind \(k)")
            }
            numbers.append(mfn)
        }
        guard r.isAtEnd else { throw r.corrupt("\(r.remaining) unexpected bytes before the checksum") }
        // The state blob is decoded by `Hypervisor(restoring:)`, whose errors name offsets in
        // this file too.
        return MachineSnapshot(options: options, retiredInstructions: retired, now: now, state: state,
                               stateOffset: stateOffset, frameNumbers: numbers, frames: frames, newFrameCount: copied)
    }

    private static func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

    /// A 64-bit checksum, eight bytes at a time (multiply-xorshift over little-endian words).
    static func checksum(_ data: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(data.count)
        let words = data.count / 8
        if let base = data.baseAddress {
            for i in 0..<words {
                let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
                h = (h ^ w) &* 0x9e37_79b9_7f4a_7c15
                h ^= h >> 29
            }
            for i in words * 8..<data.count { h = (h ^ UInt64(data[i])) &* 0x1000_0000_01b3 }
        }
        return h ^ (h >> 32)
    }
}
