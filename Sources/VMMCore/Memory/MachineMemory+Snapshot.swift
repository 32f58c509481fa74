import IA64Exec

/// Machine memory in a snapshot: the allocator goes through the state coder; frame contents
/// are kept apart, as shared reference-counted buffers (see `MachineSnapshot`).
extension MachineMemory {
    func code<C: StateCoder>(_ c: inout C) throws {
        try c.code(&allocator)
    }

    /// Every touched frame (one with host memory behind it), in ascending mfn order.
    func forEachTouchedFrame(_ body: (UInt64, UnsafeMutableRawPointer) -> Void) {
        let perChunk = 1 << Int(Self.chunkShift)
        for (c, chunk) in chunks.enumerated() {
            guard let chunk else { continue }
            for i in 0..<perChunk {
                if let bytes = chunk[i] { body(UInt64(c) << Self.chunkShift | UInt64(i), bytes) }
            }
        }
    }

    /// Gives allocated frame `mfn` host memory holding `bytes` (a frame's worth); false if
    /// the frame is not allocated or already touched.
    func installFrame(_ mfn: UInt64, bytes: UnsafeRawPointer) -> Bool {
        guard mfn < totalFrames, allocator.isAllocated(mfn), touchedFrame(mfn) == nil, let frame = frame(mfn) else {
            return false
        }
        frame.copyMemory(from: bytes, byteCount: Int(Self.frameSize))
        return true
    }
}
