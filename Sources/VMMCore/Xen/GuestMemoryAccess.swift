import IA64Exec

/// Typed little-endian access to a guest-physical address space, for the hypervisor's own
/// reads and writes of guest structures. Bit 63 (the uncacheable alias) is ignored.
extension MemoryBus {
    @inline(__always) func physical(_ address: UInt64) -> UInt64 { address & ~(1 << 63) }

    public func u8(_ address: UInt64) -> UInt64? { load(physical(address), size: 1) }
    public func u16(_ address: UInt64) -> UInt64? { load(physical(address), size: 2) }
    public func u32(_ address: UInt64) -> UInt64? { load(physical(address), size: 4) }
    public func u64(_ address: UInt64) -> UInt64? { load(physical(address), size: 8) }

    @discardableResult public func setU8(_ address: UInt64, _ v: UInt64) -> Bool { store(physical(address), size: 1, value: v) }
    @discardableResult public func setU16(_ address: UInt64, _ v: UInt64) -> Bool { store(physical(address), size: 2, value: v) }
    @discardableResult public func setU32(_ address: UInt64, _ v: UInt64) -> Bool { store(physical(address), size: 4, value: v) }
    @discardableResult public func setU64(_ address: UInt64, _ v: UInt64) -> Bool { store(physical(address), size: 8, value: v) }

    public func bytes(at address: UInt64, count: Int) -> [UInt8]? {
        var out = [UInt8]()
        out.reserveCapacity(count)
        for i in 0..<count {
            guard let b = load(physical(address &+ UInt64(i)), size: 1) else { return nil }
            out.append(UInt8(b))
        }
        return out
    }
}

extension DomainMemory {
    /// Copies `bytes` to `address` for the hypervisor: all or nothing, false if any byte is
    /// unmapped or read-only (a read-only grant mapping refuses the hypervisor too).
    @discardableResult public func setBytes(at address: UInt64, _ bytes: [UInt8]) -> Bool {
        write(physical(address), bytes: bytes)
    }
}
