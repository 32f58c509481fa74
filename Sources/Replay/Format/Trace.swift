import Foundation

/// A trace file, read and checked whole: its header, every event in order, and how the
/// recording ended (nil for a recording cut short, which is kept up to its last complete
/// chunk).
public struct Trace: Sendable {
    public var header: TraceHeader
    public var events: [TraceEvent]
    public var end: TraceEnd?
    public var fileSize: Int
    /// Bytes of the file taken by the header, events (per kind, as encoded), chunk framing,
    /// the end record and the index.
    public var headerBytes: Int
    public var eventBytesByKind: [TraceEvent.Kind: Int]
    public var framingBytes: Int
    public var endAndIndexBytes: Int
    /// For a recording cut short: where its last complete chunk ends.
    public var truncatedAt: Int?

    public static func read(path: String) throws -> Trace {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TraceError.io("cannot read trace file \(path)")
        }
        return try parse([UInt8](data))
    }

    public static func parse(_ bytes: [UInt8]) throws -> Trace {
        guard bytes.count >= TraceFormat.preambleSize else {
            throw TraceError.foreign("\(bytes.count) bytes, too short for the preamble")
        }
        guard Array(bytes[0..<8]) == TraceFormat.magic else { throw TraceError.foreign("no XDBGTRCE magic at offset 0") }
        var pre = ByteReader(Array(bytes[8..<12]), base: 8)
        let version = try pre.u32()
        guard version == TraceFormat.version else { throw TraceError.unsupportedVersion(version) }

        // A finished recording ends with the trailer; without one, a torn last chunk is the
        // expected result of a recorder that was killed, not damage.
        var limit = bytes.count
        var finished = false
        if bytes.count >= TraceFormat.preambleSize + TraceFormat.trailerSize,
           Array(bytes[(bytes.count - 16)..<(bytes.count - 8)]) == TraceFormat.trailerMagic {
            finished = true
            limit = bytes.count - TraceFormat.trailerSize
        }

        var offset = TraceFormat.preambleSize
        var header: TraceHeader?
        var trace = Trace(header: TraceHeader(machine: .init(physicalCPUs: 1, memoryMiB: 0, xenheapMiB: 0, quantum: 1),
                                              domains: [], source: "", checkInterval: 0, chaosSeed: nil),
                          events: [], end: nil, fileSize: bytes.count, headerBytes: 0, eventBytesByKind: [:],
                          framingBytes: TraceFormat.preambleSize + (finished ? TraceFormat.trailerSize : 0),
                          endAndIndexBytes: 0, truncatedAt: nil)
        var sawIndex = false
        while offset < limit {
            guard limit - offset >= 5 else {
                if finished { throw TraceError.damaged(offset: offset, "stray bytes before the trailer") }
                trace.truncatedAt = offset
                break
            }
            let kindByte = bytes[offset]
            var lengthReader = ByteReader(Array(bytes[(offset + 1)..<(offset + 5)]), base: offset + 1)
            let length = Int(try lengthReader.u32())
            let total = 5 + length + 4
            guard length <= TraceFormat.maxChunkPayload, total <= limit - offset else {
                if finished || header == nil {
                    throw TraceError.damaged(offset: offset, "chunk of \(length) bytes runs past the end of the file")
                }
                trace.truncatedAt = offset
                break
            }
            let stored = UInt32(bytes[offset + total - 4]) | UInt32(bytes[offset + total - 3]) << 8
                | UInt32(bytes[offset + total - 2]) << 16 | UInt32(bytes[offset + total - 1]) << 24
            guard CRC32.checksum(bytes[offset..<(offset + total - 4)]) == stored else {
                throw TraceError.damaged(offset: offset, "chunk checksum mismatch")
            }
            guard let kind = TraceFormat.ChunkKind(rawValue: kindByte) else {
                throw TraceError.damaged(offset: offset, "unknown chunk kind \(kindByte)")
            }
            var r = ByteReader(Array(bytes[(offset + 5)..<(offset + 5 + length)]), base: offset + 5)
            switch kind {
            case .header:
                guard header == nil, offset == TraceFormat.preambleSize else {
                    throw TraceError.damaged(offset: offset, "a second header chunk")
                }
                header = try TraceHeader.decode(from: &r)
                trace.headerBytes = length
            case .events:
                guard header != nil else { throw TraceError.damaged(offset: offset, "events before the header") }
                guard trace.end == nil else { throw TraceError.damaged(offset: offset, "events after the end record") }
                var position = try r.varint()
                if let last = trace.events.last, position < last.instructions {
                    throw TraceError.damaged(offset: offset, "chunk starts before the previous one ends")
                }
                let count = try r.count(limit: 1 << 24)
                for _ in 0..<count {
                    let start = r.position
                    let event = try TraceEvent.decode(from: &r, base: position)
                    position = event.instructions
                    trace.eventBytesByKind[event.kind, default: 0] += r.position - start
                    trace.events.append(event)
                }
                trace.framingBytes += length - r.position
            case .end:
                guard header != nil, trace.end == nil else { throw TraceError.damaged(offset: offset, "misplaced end record") }
                trace.end = try TraceEnd.decode(from: &r)
                trace.endAndIndexBytes += length
            case .index:
                guard trace.end != nil else { throw TraceError.damaged(offset: offset, "index before the end record") }
                // The index is last, and a finished file's trailer points at it.
                guard finished else { throw TraceError.damaged(offset: offset + total, "damaged trailer after the index") }
                var t = ByteReader(Array(bytes[(bytes.count - 8)...]), base: bytes.count - 8)
                guard try t.u64() == UInt64(offset) else {
                    throw TraceError.damaged(offset: bytes.count - 8, "the trailer does not point at the index")
                }
                sawIndex = true
                let entries = try r.count(limit: 1 << 24)
                for _ in 0..<entries {
                    _ = try r.varint()  // chunk offset
                    _ = try r.varint()  // first position
                    _ = try r.varint()  // events
                }
                trace.endAndIndexBytes += length
            }
            guard r.atEnd else { throw TraceError.damaged(offset: r.fileOffset, "unexpected bytes at the end of a chunk") }
            trace.framingBytes += 9
            offset += total
        }
        guard let header else { throw TraceError.damaged(offset: TraceFormat.preambleSize, "no header chunk") }
        if finished && !sawIndex { throw TraceError.damaged(offset: limit, "trailer without an index") }
        trace.header = header
        return trace
    }

    /// Instructions the recording covers (up to its last complete chunk if cut short).
    public var instructions: UInt64 { end?.instructions ?? events.last?.instructions ?? 0 }

    /// Every blob the trace refers to.
    public var blobHashes: Set<[UInt8]> {
        var s = Set<[UInt8]>()
        for d in header.domains {
            s.insert(d.kernelHash)
        }
        for case .diskRead(_, _, _, _, let h?) in events { s.insert(h) }
        return s
    }
}
