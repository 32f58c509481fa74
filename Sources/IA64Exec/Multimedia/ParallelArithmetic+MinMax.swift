/// pmin/pmax (unsigned bytes, signed halfwords) and psad1 (sum of absolute byte differences).
extension ParallelArithmetic {
    @inlinable public static func pmin1_u(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        select(r2, r3, where: unsignedLess(r2, r3, high: SWARLanes.high8, width: 8))
    }

    @inlinable public static func pmax1_u(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        select(r3, r2, where: unsignedLess(r2, r3, high: SWARLanes.high8, width: 8))
    }

    @inlinable public static func pmin2(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        let h = SWARLanes.high16
        return select(r2, r3, where: unsignedLess(r2 ^ h, r3 ^ h, high: h, width: 16))
    }

    @inlinable public static func pmax2(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        let h = SWARLanes.high16
        return select(r3, r2, where: unsignedLess(r2 ^ h, r3 ^ h, high: h, width: 16))
    }

    /// psad1: the eight unsigned byte differences' magnitudes, summed into one 64-bit value.
    @inlinable public static func psad1(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        let h = SWARLanes.high8
        let less = unsignedLess(r2, r3, high: h, width: 8)
        // |a - b| per byte: the larger minus the smaller, which never borrows.
        let larger = select(r3, r2, where: less), smaller = select(r2, r3, where: less)
        let magnitudes = larger &- smaller
        // Pairwise sums widen the lanes before they could overflow: 8 bytes → 4 → 2 → 1.
        let pairs = (magnitudes & 0x00ff_00ff_00ff_00ff) &+ ((magnitudes &>> 8) & 0x00ff_00ff_00ff_00ff)
        let quads = (pairs & 0x0000_ffff_0000_ffff) &+ ((pairs &>> 16) & 0x0000_ffff_0000_ffff)
        return (quads & 0xffff_ffff) &+ (quads &>> 32)
    }

    /// Whole-lane mask where a < b unsigned.
    @inlinable @inline(__always)
    static func unsignedLess(_ a: UInt64, _ b: UInt64, high: UInt64, width: UInt64) -> UInt64 {
        let difference = SWARLanes.subtract(a, b, high: high)
        return SWARLanes.spread(SWARLanes.borrowOut(a, b, difference: difference, high: high), width: width)
    }

    /// Lanes of `chosen` where `mask` is set, of `other` elsewhere.
    @inlinable @inline(__always)
    static func select(_ chosen: UInt64, _ other: UInt64, where mask: UInt64) -> UInt64 {
        other ^ ((chosen ^ other) & mask)
    }
}
