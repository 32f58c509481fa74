/// The trace file layout (version 1). All integers little-endian.
///
///     file    = preamble header-chunk { event-chunk } [ end-chunk index-chunk trailer ]
///     preamble = "XDBGTRCE" u32 version
///     chunk   = u8 kind, u32 payload length, payload, u32 CRC-32 of kind+length+payload
///     trailer = "XDBGIDX1" u64 offset of the index chunk
///
/// The header chunk holds the machine, the domains and the content hashes of every image
/// and disk; event chunks hold the logged inputs and state checks, each chunk starting with
/// the instruction count of its first event so chunks can be found by position; the end
/// chunk says how the recording ended; the index lists every event chunk's offset and first
/// position. A recording that died before the end chunk is still readable up to its last
/// complete chunk. Guest images and disk blocks live beside the trace in a content-addressed
/// blob directory (see BlobStore).
public enum TraceFormat {
    public static let magic: [UInt8] = Array("XDBGTRCE".utf8)
    public static let trailerMagic: [UInt8] = Array("XDBGIDX1".utf8)
    public static let version: UInt32 = 1
    public static let preambleSize = 12
    public static let trailerSize = 16
    /// Chunk payloads larger than this are damage, not data.
    public static let maxChunkPayload = 64 << 20

    public enum ChunkKind: UInt8, Sendable {
        case header = 1
        case events = 2
        case end = 3
        case index = 4
    }
}
