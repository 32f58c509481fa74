/// A binary buddy allocator over units numbered 0..<count (machine frames, heap pages).
///
/// Deterministic: a request of order k takes the smallest free block of order >= k, and among
/// blocks of that order the one at the lowest address; splitting keeps the lower half and frees
/// the upper. Frees merge with free buddies at once, so the free structure depends only on which
/// units are free, never on the order of operations. Free blocks are bitmaps per order with a
/// "no free block below this word" hint, so finding the lowest free block is cheap.
struct BuddyAllocator {
    /// Largest block: 2^20 units (16 GiB of 16 KiB frames).
    static let maxOrder = 20

    let count: UInt64
    /// freeBlocks[o] bit b: block b of 2^o units (units b<<o ..< (b+1)<<o) is free and whole.
    var freeBlocks: [[UInt64]]
    /// Per order, a word index below which freeBlocks[o] has no bit set.
    var searchStart: [Int]
    /// Per order, how many blocks are free: an empty order is skipped without scanning.
    var freeBlockCounts: [Int]
    /// One bit per unit: handed out and not yet freed.
    var allocatedUnits: [UInt64]
    var freeCount: UInt64

    init(count: UInt64) {
        self.count = count
        freeBlocks = (0...Self.maxOrder).map { [UInt64](repeating: 0, count: Int(((count >> UInt64($0)) + 63) / 64)) }
        searchStart = [Int](repeating: 0, count: Self.maxOrder + 1)
        freeBlockCounts = [Int](repeating: 0, count: Self.maxOrder + 1)
        allocatedUnits = [UInt64](repeating: 0, count: Int((count + 63) / 64))
        freeCount = count
        // Cut 0..<count into the largest aligned blocks that fit.
        var position: UInt64 = 0
        while position < count {
            var order = Self.maxOrder
            while order > 0 && (position & ((1 << UInt64(order)) - 1) != 0 || position + (1 << UInt64(order)) > count) {
                order -= 1
            }
            markFree(order: order, block: position >> UInt64(order))
            position += 1 << UInt64(order)
        }
    }

    /// The first unit of a newly allocated block of 2^order units, or nil if none is free.
    mutating func allocate(order: Int) -> UInt64? {
        guard order >= 0, order <= Self.maxOrder else { return nil }
        var found: (order: Int, block: UInt64)?
        for o in order...Self.maxOrder {
            if let b = lowestFree(order: o) {
                found = (o, b)
                break
            }
        }
        guard var (o, block) = found else { return nil }
        clearFree(order: o, block: block)
        while o > order {
            o -= 1
            block <<= 1
            markFree(order: o, block: block | 1)
        }
        let first = block << UInt64(order)
        setAllocated(first, order: order, to: true)
        freeCount -= 1 << UInt64(order)
        return first
    }

    /// Frees the 2^order units at `first`; false (and nothing changes) unless all of them are
    /// allocated and the block is aligned and in range.
    mutating func free(_ first: UInt64, order: Int) -> Bool {
        guard order >= 0, order <= Self.maxOrder, first & ((1 << UInt64(order)) - 1) == 0,
              first < count, count - first >= 1 << UInt64(order), allAllocated(first, order: order) else { return false }
        setAllocated(first, order: order, to: false)
        freeCount += 1 << UInt64(order)
        var block = first >> UInt64(order)
        var o = order
        while o < Self.maxOrder, isFree(order: o, block: block ^ 1) {
            clearFree(order: o, block: block ^ 1)
            block >>= 1
            o += 1
        }
        markFree(order: o, block: block)
        return true
    }

    func isAllocated(_ unit: UInt64) -> Bool {
        unit < count && allocatedUnits[Int(unit >> 6)] & (1 << (unit & 63)) != 0
    }

    private func isFree(order: Int, block: UInt64) -> Bool {
        let word = Int(block >> 6)
        return word < freeBlocks[order].count && freeBlocks[order][word] & (1 << (block & 63)) != 0
    }

    private mutating func markFree(order: Int, block: UInt64) {
        let word = Int(block >> 6)
        freeBlocks[order][word] |= 1 << (block & 63)
        freeBlockCounts[order] += 1
        if word < searchStart[order] { searchStart[order] = word }
    }

    private mutating func clearFree(order: Int, block: UInt64) {
        freeBlocks[order][Int(block >> 6)] &= ~(1 << (block & 63))
        freeBlockCounts[order] -= 1
    }

    private mutating func lowestFree(order: Int) -> UInt64? {
        guard freeBlockCounts[order] > 0 else { return nil }
        var word = searchStart[order]
        let words = freeBlocks[order]
        while word < words.count {
            if words[word] != 0 {
                searchStart[order] = word
                return UInt64(word) << 6 | UInt64(words[word].trailingZeroBitCount)
            }
            word += 1
        }
        searchStart[order] = word
        return nil
    }

    /// Runs `body` over the words covering an aligned block with the mask of its units in each.
    private static func forEachWord(_ first: UInt64, order: Int, _ body: (Int, UInt64) -> Bool) -> Bool {
        if order < 6 {
            let mask: UInt64 = ((1 << (UInt64(1) << UInt64(order))) - 1) << (first & 63)
            return body(Int(first >> 6), mask)
        }
        for word in Int(first >> 6)..<Int((first + (1 << UInt64(order))) >> 6) where !body(word, ~0) { return false }
        return true
    }

    private func allAllocated(_ first: UInt64, order: Int) -> Bool {
        Self.forEachWord(first, order: order) { word, mask in allocatedUnits[word] & mask == mask }
    }

    private mutating func setAllocated(_ first: UInt64, order: Int, to value: Bool) {
        _ = Self.forEachWord(first, order: order) { word, mask in
            if value { allocatedUnits[word] |= mask } else { allocatedUnits[word] &= ~mask }
            return true
        }
    }
}
