/// The hypervisor's own bounded heap (Xen/ia64's xenheap, `xenheap_megabytes`): where domain
/// structures, p2m tables, event and grant tables live. It only does accounting, in 16 KiB
/// pages, with a deterministic buddy allocator; the metadata itself lives in host objects.
/// Running out is what makes creating a domain fail on a real Xen.
public final class XenHeap {
    public static let pageShift: UInt64 = 14
    public static let pageSize: UInt64 = 1 << pageShift

    public let totalPages: UInt64
    var allocator: BuddyAllocator

    public init(pages: UInt64) {
        totalPages = pages
        allocator = BuddyAllocator(count: pages)
    }

    public convenience init(megabytes: UInt64) {
        self.init(pages: (megabytes << 20) >> Self.pageShift)
    }

    public var freePages: UInt64 { allocator.freeCount }
    public var usedPages: UInt64 { totalPages - allocator.freeCount }

    /// 2^order contiguous pages.
    public func allocate(order: Int) throws(XenHeapError) -> XenHeapAllocation {
        guard let first = allocator.allocate(order: order) else { throw XenHeapError(order: order) }
        return XenHeapAllocation(firstPage: first, order: order)
    }

    /// Gives a block back; false (nothing changes) if it is not currently allocated.
    @discardableResult
    public func free(_ allocation: XenHeapAllocation) -> Bool {
        allocator.free(allocation.firstPage, order: allocation.order)
    }

    /// Takes enough pages for `bytes` of metadata (e.g. a p2m table of n entries x 8 bytes).
    /// All or nothing: on failure, pages taken so far are returned and the error names the
    /// order that could not be had.
    public func charge(bytes: UInt64) throws(XenHeapError) -> XenHeapCharge {
        var remaining = bytes / Self.pageSize + (bytes % Self.pageSize == 0 ? 0 : 1)
        var taken: [XenHeapAllocation] = []
        while remaining > 0 {
            let order = min(63 - remaining.leadingZeroBitCount, BuddyAllocator.maxOrder)
            do {
                taken.append(try allocate(order: order))
            } catch {
                for a in taken { free(a) }
                throw error
            }
            remaining -= 1 << UInt64(order)
        }
        return XenHeapCharge(bytes: bytes, allocations: taken)
    }

    /// Returns a charge's pages; false if any of them was not allocated (e.g. released twice).
    @discardableResult
    public func release(_ charge: XenHeapCharge) -> Bool {
        guard charge.allocations.allSatisfy({ allocator.isAllocated($0.firstPage) }) else { return false }
        var ok = true
        for a in charge.allocations where !free(a) { ok = false }
        return ok
    }
}
