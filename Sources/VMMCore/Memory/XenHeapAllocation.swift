/// A block of 2^order Xen heap pages.
public struct XenHeapAllocation: Hashable, Sendable {
    public var firstPage: UInt64
    public var order: Int

    public init(firstPage: UInt64, order: Int) {
        self.firstPage = firstPage
        self.order = order
    }

    public var pages: UInt64 { 1 << UInt64(order) }
}

/// Heap pages taken to account for `bytes` of hypervisor metadata: the byte count rounded up
/// to pages, held as power-of-two blocks, largest first.
public struct XenHeapCharge: Hashable, Sendable {
    public var bytes: UInt64
    public var allocations: [XenHeapAllocation]
    public var pages: UInt64 { allocations.reduce(0) { $0 + $1.pages } }
}
