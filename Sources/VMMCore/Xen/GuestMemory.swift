import IA64Exec

/// The guest-physical memory of a domain.
public typealias GuestMemory = SparseMemory

// Interim page-level operations until the per-domain p2m memory lands.
extension SparseMemory {
    func isPopulated(gpfn: UInt64) -> Bool { isMapped(gpfn << XenABI.pageShift) }
    @discardableResult func release(gpfn: UInt64) -> Bool { isPopulated(gpfn: gpfn) }
    func populate(gpfn: UInt64) -> Bool { map(gpfn << XenABI.pageShift, length: XenABI.pageSize); return true }
}
