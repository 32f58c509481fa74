/// Frame content hashes kept between state checks, so a check hashes only the frames written
/// since the last one. A frame's hash is dropped when the hypervisor stores into it and is not
/// kept while a CPU may hold a writable pointer to it; `sealWrites` (after every CPU dropped its
/// writable pointers) lets those be kept again. Only hashing speed depends on this: a frame
/// whose hash is unknown is hashed afresh, to the same value.
extension MachineMemory {
    /// A frame was written other than through a CPU's writable pointer.
    @inline(__always)
    func noteWritten(_ mfn: UInt64) {
        guard mfn != lastWrittenFrame else { return }
        forgetHash(mfn)
        lastWrittenFrame = mfn
    }

    /// A writable pointer to the frame was handed to a CPU.
    func noteOpened(_ mfn: UInt64) {
        openFrames.insert(mfn)
        forgetHash(mfn)
    }

    /// Every CPU has dropped its writable pointers: open frames can keep hashes again.
    public func sealWrites() {
        for mfn in openFrames { forgetHash(mfn) }
        openFrames.removeAll(keepingCapacity: true)
        lastWrittenFrame = .max
    }

    @inline(__always)
    func forgetHash(_ mfn: UInt64) {
        guard mfn < totalFrames, let hashes = hashChunks[Int(mfn >> Self.chunkShift)] else { return }
        hashes[Int(mfn & ((1 << Self.chunkShift) - 1))] = 0
    }

    /// Forgets every kept hash (the next hashes are all taken afresh).
    func forgetAllHashes() {
        for case let hashes? in hashChunks { hashes.update(repeating: 0, count: 1 << Int(Self.chunkShift)) }
    }

    /// Frames with a kept hash.
    var keptHashCount: Int {
        var n = 0
        for case let hashes? in hashChunks {
            for i in 0..<(1 << Int(Self.chunkShift)) where hashes[i] != 0 { n += 1 }
        }
        return n
    }

    /// The content hash of a touched frame (nil for one never touched: it reads as zeros).
    func frameHash(_ mfn: UInt64) -> UInt64? {
        guard let page = touchedFrame(mfn) else { return nil }
        let c = Int(mfn >> Self.chunkShift), i = Int(mfn & ((1 << Self.chunkShift) - 1))
        if let hashes = hashChunks[c], hashes[i] != 0 { return hashes[i] }
        let h = Self.contentHash(page)
        if !openFrames.contains(mfn) {
            let hashes: UnsafeMutablePointer<UInt64>
            if let existing = hashChunks[c] {
                hashes = existing
            } else {
                hashes = .allocate(capacity: 1 << Int(Self.chunkShift))
                hashes.initialize(repeating: 0, count: 1 << Int(Self.chunkShift))
                hashChunks[c] = hashes
            }
            hashes[i] = h
            if mfn == lastWrittenFrame { lastWrittenFrame = .max }
        }
        return h
    }

    /// Two multiply-xor lanes over the frame's words, folded.
    static func contentHash(_ page: UnsafeMutableRawPointer) -> UInt64 {
        let words = Int(frameSize) / 8
        let w = page.assumingMemoryBound(to: UInt64.self)
        var a: UInt64 = 0, b: UInt64 = 0
        var k = 0
        while k < words {
            a = (a ^ w[k]) &* 0xff51_afd7_ed55_8ccd
            b = (b ^ w[k + 1]) &* 0xc4ce_b9fe_1a85_ec53
            k += 2
        }
        return a ^ (b << 1 | b >> 63)
    }
}
