import IA64Exec

/// The heap is accounting only: its state is its allocator.
extension XenHeap {
    func code<C: StateCoder>(_ c: inout C) throws {
        try c.code(&allocator)
    }
}

extension XenHeapAllocation: StateCodable {
    public static var placeholder: XenHeapAllocation { XenHeapAllocation(firstPage: 0, order: 0) }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        try c.code(&firstPage)
        try c.code(&order)
        guard (0...BuddyAllocator.maxOrder).contains(order) else { throw c.corrupt("heap block order \(order)") }
    }
}

extension XenHeapCharge: StateCodable {
    public static var placeholder: XenHeapCharge { XenHeapCharge(bytes: 0, allocations: []) }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        try c.code(&bytes)
        try c.code(&allocations)
    }
}
