/// The host's model of machine RAM: 16 KiB frames numbered by mfn (Xen/ia64's PAGE_SHIFT 14).
///
/// Frames are handed out by a `BuddyAllocator` (smallest fitting block, lowest address first),
/// so allocation is deterministic. Host memory behind a frame is allocated only when the frame
/// is first touched (zero-filled), so a 96 GiB machine runs on a smaller host as long as most
/// frames are never touched; freeing a frame gives its host memory back.
public final class MachineMemory {
    public static let frameShift: UInt64 = 14
    public static let frameSize: UInt64 = 1 << frameShift
    /// Host storage pointers are kept in chunks of this many frames, created on first touch.
    static let chunkShift: UInt64 = 12

    public let totalFrames: UInt64
    var allocator: BuddyAllocator
    var chunks: [UnsafeMutablePointer<UnsafeMutableRawPointer?>?]
    public internal(set) var touchedFrames: UInt64 = 0
    /// Content hashes of frames not written since they were taken, chunked like `chunks`;
    /// 0 means unknown (see MachineMemory+FrameHashes).
    var hashChunks: [UnsafeMutablePointer<UInt64>?]
    /// Frames a CPU may hold a writable pointer to: their hashes are not kept until the
    /// pointers are dropped (`sealWrites`).
    var openFrames: Set<UInt64> = []
    /// The frame `noteWritten` last dropped the hash of (hypervisor copies write byte by byte).
    var lastWrittenFrame: UInt64 = .max

    /// Machine RAM of `bytes` (rounded down to whole frames).
    public init(bytes: UInt64) {
        totalFrames = bytes >> Self.frameShift
        allocator = BuddyAllocator(count: totalFrames)
        chunks = Array(repeating: nil, count: Int((totalFrames + (1 << Self.chunkShift) - 1) >> Self.chunkShift))
        hashChunks = Array(repeating: nil, count: chunks.count)
    }

    deinit {
        for case let chunk? in chunks {
            for i in 0..<Int(1 << Self.chunkShift) { chunk[i]?.deallocate() }
            chunk.deallocate()
        }
        for case let hashes? in hashChunks { hashes.deallocate() }
    }

    public var freeFrames: UInt64 { allocator.freeCount }
    public var allocatedFrames: UInt64 { totalFrames - allocator.freeCount }

    /// The first mfn of 2^order newly allocated contiguous frames, or nil if no such block is free.
    public func allocate(order: Int = 0) -> UInt64? { allocator.allocate(order: order) }

    /// Frees 2^order frames at `mfn` and their host memory. False, with nothing changed, for
    /// frames that are out of range, misaligned for the order, or not all allocated.
    @discardableResult
    public func free(mfn: UInt64, order: Int = 0) -> Bool {
        guard allocator.free(mfn, order: order) else { return false }
        for frame in mfn..<mfn + (1 << UInt64(order)) {
            guard let chunk = chunks[Int(frame >> Self.chunkShift)] else { continue }
            let i = Int(frame & ((1 << Self.chunkShift) - 1))
            forgetHash(frame)
            openFrames.remove(frame)
            if let bytes = chunk[i] {
                bytes.deallocate()
                chunk[i] = nil
                touchedFrames -= 1
            }
        }
        return true
    }

    public func isAllocated(_ mfn: UInt64) -> Bool { allocator.isAllocated(mfn) }

    /// The host memory of an allocated frame, created zero-filled on first use; nil for frames
    /// that are not allocated.
    public func frame(_ mfn: UInt64) -> UnsafeMutableRawPointer? {
        if let bytes = touchedFrame(mfn) { return bytes }
        guard allocator.isAllocated(mfn) else { return nil }
        let c = Int(mfn >> Self.chunkShift)
        let chunk: UnsafeMutablePointer<UnsafeMutableRawPointer?>
        if let existing = chunks[c] {
            chunk = existing
        } else {
            chunk = .allocate(capacity: 1 << Self.chunkShift)
            chunk.initialize(repeating: nil, count: 1 << Self.chunkShift)
            chunks[c] = chunk
        }
        let bytes = UnsafeMutableRawPointer.allocate(byteCount: Int(Self.frameSize), alignment: 16)
        bytes.initializeMemory(as: UInt8.self, repeating: 0, count: Int(Self.frameSize))
        chunk[Int(mfn & ((1 << Self.chunkShift) - 1))] = bytes
        touchedFrames += 1
        return bytes
    }

    /// The host memory of a frame if it has been touched; nil means it still reads as zeros.
    @inline(__always)
    public func touchedFrame(_ mfn: UInt64) -> UnsafeMutableRawPointer? {
        let c = Int(truncatingIfNeeded: mfn >> Self.chunkShift)
        guard mfn < totalFrames, let chunk = chunks[c] else { return nil }
        return chunk[Int(mfn & ((1 << Self.chunkShift) - 1))]
    }
}
