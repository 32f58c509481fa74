import IA64Exec

/// The allocator's whole state (the free bitmaps per order, the search hints, the allocated
/// bitmap), so a restored machine hands out exactly the frames the original would have.
extension BuddyAllocator: StateCodable {
    static var placeholder: BuddyAllocator { BuddyAllocator(count: 0) }

    mutating func code<C: StateCoder>(_ c: inout C) throws {
        var n = count
        try c.code(&n)
        guard n == count else { throw c.corrupt("allocator over \(n) units, this machine has \(count)") }
        try c.expectCount(freeBlocks.count, "allocator orders")
        for o in freeBlocks.indices { try c.packedWords(&freeBlocks[o]) }
        try c.code(&searchStart)
        try c.code(&freeBlockCounts)
        try c.packedWords(&allocatedUnits)
        try c.code(&freeCount)
        if c.isDecoding {
            let fresh = BuddyAllocator(count: count)
            let allocated = allocatedUnits.reduce(0) { $0 + UInt64($1.nonzeroBitCount) }
            guard zip(freeBlocks, fresh.freeBlocks).allSatisfy({ $0.count == $1.count }),
                  searchStart.count == fresh.searchStart.count, searchStart.allSatisfy({ $0 >= 0 }),
                  freeBlockCounts == freeBlocks.map({ $0.reduce(0) { $0 + $1.nonzeroBitCount } }),
                  allocatedUnits.count == fresh.allocatedUnits.count,
                  allocated <= count, freeCount == count - allocated
            else { throw c.corrupt("allocator state is inconsistent") }
        }
    }
}
