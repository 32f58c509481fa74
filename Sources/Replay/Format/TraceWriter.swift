import Foundation

/// Writes a trace while it is being recorded. Events are buffered and written as one framed,
/// checksummed chunk once the buffer holds `chunkEvents` events or `chunkBytes` bytes (and at
/// every state check), so a recorder killed at any moment leaves a file readable up to its
/// last complete chunk and never holds more than one chunk in memory.
public final class TraceWriter {
    public let path: String
    private let handle: FileHandle
    private var buffer = ByteWriter()
    private var bufferedEvents = 0
    private var chunkBase: UInt64 = 0
    private var lastPosition: UInt64 = 0
    private var index: [(offset: UInt64, first: UInt64, events: Int)] = []
    public private(set) var bytesWritten: UInt64 = 0
    public let chunkEvents: Int
    public let chunkBytes: Int

    public init(path: String, header: TraceHeader, chunkEvents: Int = 256, chunkBytes: Int = 16 << 10) throws {
        self.path = path
        self.chunkEvents = chunkEvents
        self.chunkBytes = chunkBytes
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw TraceError.io("cannot create trace file \(path)")
        }
        self.handle = handle
        var preamble = ByteWriter()
        preamble.raw(TraceFormat.magic)
        preamble.u32(TraceFormat.version)
        try write(preamble.bytes)
        var h = ByteWriter()
        header.encode(into: &h)
        try writeChunk(.header, h.bytes)
    }

    deinit { try? handle.close() }

    public func append(_ event: TraceEvent) throws {
        if bufferedEvents == 0 {
            chunkBase = event.instructions
            lastPosition = chunkBase
            buffer = ByteWriter()
        }
        event.encode(into: &buffer, base: lastPosition)
        lastPosition = event.instructions
        bufferedEvents += 1
        if bufferedEvents >= chunkEvents || buffer.count >= chunkBytes || event.kind == .stateCheck { try flush() }
    }

    /// Writes the buffered events as a chunk.
    public func flush() throws {
        guard bufferedEvents > 0 else { return }
        var payload = ByteWriter()
        payload.varint(chunkBase)
        payload.varint(UInt64(bufferedEvents))
        payload.raw(buffer.bytes)
        index.append((bytesWritten, chunkBase, bufferedEvents))
        try writeChunk(.events, payload.bytes)
        bufferedEvents = 0
        buffer = ByteWriter()
    }

    /// Writes the end record, the index and the trailer, and closes the file.
    public func finish(_ end: TraceEnd) throws {
        try flush()
        var e = ByteWriter()
        end.encode(into: &e)
        try writeChunk(.end, e.bytes)
        let indexOffset = bytesWritten
        var i = ByteWriter()
        i.varint(UInt64(index.count))
        for entry in index {
            i.varint(entry.offset)
            i.varint(entry.first)
            i.varint(UInt64(entry.events))
        }
        try writeChunk(.index, i.bytes)
        var trailer = ByteWriter()
        trailer.raw(TraceFormat.trailerMagic)
        trailer.u64(indexOffset)
        try write(trailer.bytes)
        try handle.synchronize()
        try handle.close()
    }

    private func writeChunk(_ kind: TraceFormat.ChunkKind, _ payload: [UInt8]) throws {
        var w = ByteWriter()
        w.u8(kind.rawValue)
        w.u32(UInt32(payload.count))
        w.raw(payload)
        w.u32(CRC32.checksum(w.bytes))
        try write(w.bytes)
    }

    private func write(_ bytes: [UInt8]) throws {
        do { try handle.write(contentsOf: Data(bytes)) } catch {
            throw TraceError.io("cannot write trace file \(path): \(error.localizedDescription)")
        }
        bytesWritten += UInt64(bytes.count)
    }
}
