import IA64Exec

/// A pointer argument of a hypercall (Xen 3.0.4 and later on ia64): either an inline handle
/// (guest-physical address | 1 << 63, a buffer contiguous in guest-physical space) or the
/// guest-physical address of a descriptor {u32 magic 'XCOM', u32 nr_addrs, u64 address[]}
/// listing the pieces of a virtually contiguous buffer, each running to its page's end.
struct XencommHandle {
    let raw: UInt64

    var isInline: Bool { raw & 0xf800_0000_0000_0000 == XenABI.xencommInlineFlag }
    var isNull: Bool { raw == 0 }

    /// The guest-physical pieces covering `count` bytes, or nil for a bad handle.
    func pieces(count: Int, in memory: GuestMemory) -> [(address: UInt64, length: Int)]? {
        if raw == 0 { return count == 0 ? [] : nil }
        if isInline { return [(raw & ~XenABI.xencommInlineFlag, count)] }
        guard memory.u32(raw).map({ UInt32($0) }) == XenABI.xencommMagic, let n = memory.u32(raw + 4), n <= 4096 else { return nil }
        var result: [(UInt64, Int)] = []
        var remaining = count
        var i: UInt64 = 0
        while remaining > 0 {
            guard i < n, let address = memory.u64(raw + 8 + 8 * i) else { return nil }
            let room = Int(XenABI.pageSize - (address & (XenABI.pageSize - 1)))
            let take = min(room, remaining)
            result.append((address, take))
            remaining -= take
            i += 1
        }
        return result
    }

    func read(count: Int, from memory: GuestMemory) -> [UInt8]? {
        guard count >= 0, count <= 1 << 20, let pieces = pieces(count: count, in: memory) else { return nil }
        var out: [UInt8] = []
        for p in pieces {
            guard let b = memory.bytes(at: p.address, count: p.length) else { return nil }
            out += b
        }
        return out
    }

    /// Bytes `offset..<offset + count` of the buffer, or nil exactly when
    /// `read(count: offset + count)` would fail, without copying the bytes before `offset`
    /// (mapping is per page: one byte of each page they touch tells whether they are there).
    func read(count: Int, at offset: Int, from memory: GuestMemory) -> [UInt8]? {
        guard count >= 0, offset >= 0, offset + count <= 1 << 20,
              let pieces = pieces(count: offset + count, in: memory) else { return nil }
        var out: [UInt8] = []
        var skip = offset
        for p in pieces {
            let skipped = min(skip, p.length)
            if skipped > 0 {
                var page = p.address & ~(XenABI.pageSize - 1)
                while page < p.address + UInt64(skipped) {
                    guard memory.u8(max(page, p.address)) != nil else { return nil }
                    page += XenABI.pageSize
                }
            }
            skip -= skipped
            if skipped < p.length {
                guard let b = memory.bytes(at: p.address + UInt64(skipped), count: p.length - skipped) else { return nil }
                out += b
            }
        }
        return out
    }

    /// All or nothing: false, with nothing written, if any piece is unmapped or read-only.
    func write(_ bytes: [UInt8], to memory: GuestMemory) -> Bool {
        guard let pieces = pieces(count: bytes.count, in: memory),
              pieces.allSatisfy({ memory.isWritable($0.address & ~XenABI.xencommInlineFlag, count: $0.length) }) else { return false }
        var offset = 0
        for p in pieces {
            guard memory.setBytes(at: p.address, Array(bytes[offset..<offset + p.length])) else { return false }
            offset += p.length
        }
        return true
    }
}

/// Little-endian field access on a byte array holding a guest structure.
extension Array where Element == UInt8 {
    func le(_ offset: Int, _ size: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<size where offset + i < count { v |= UInt64(self[offset + i]) << (8 * UInt64(i)) }
        return v
    }

    mutating func setLE(_ offset: Int, _ size: Int, _ value: UInt64) {
        for i in 0..<size where offset + i < count { self[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }
}
