/// pcmp1/2/4 .eq and .gt: each result lane is all ones where the relation holds, else zero.
/// .gt compares the lanes as signed integers.
public enum ParallelCompare {
    @inlinable public static func pcmp1_eq(_ r2: UInt64, _ r3: UInt64) -> UInt64 { equal(r2, r3, high: SWARLanes.high8, width: 8) }
    @inlinable public static func pcmp2_eq(_ r2: UInt64, _ r3: UInt64) -> UInt64 { equal(r2, r3, high: SWARLanes.high16, width: 16) }
    @inlinable public static func pcmp4_eq(_ r2: UInt64, _ r3: UInt64) -> UInt64 { equal(r2, r3, high: SWARLanes.high32, width: 32) }
    @inlinable public static func pcmp1_gt(_ r2: UInt64, _ r3: UInt64) -> UInt64 { greater(r2, r3, high: SWARLanes.high8, width: 8) }
    @inlinable public static func pcmp2_gt(_ r2: UInt64, _ r3: UInt64) -> UInt64 { greater(r2, r3, high: SWARLanes.high16, width: 16) }
    @inlinable public static func pcmp4_gt(_ r2: UInt64, _ r3: UInt64) -> UInt64 { greater(r2, r3, high: SWARLanes.high32, width: 32) }

    @inlinable @inline(__always)
    static func equal(_ a: UInt64, _ b: UInt64, high: UInt64, width: UInt64) -> UInt64 {
        SWARLanes.spread(SWARLanes.zeroLanes(a ^ b, high: high), width: width)
    }

    /// a > b signed is b' < a' unsigned once the sign bits are flipped, i.e. b' - a' borrows.
    @inlinable @inline(__always)
    static func greater(_ a: UInt64, _ b: UInt64, high: UInt64, width: UInt64) -> UInt64 {
        let flippedA = a ^ high, flippedB = b ^ high
        let difference = SWARLanes.subtract(flippedB, flippedA, high: high)
        return SWARLanes.spread(SWARLanes.borrowOut(flippedB, flippedA, difference: difference, high: high), width: width)
    }
}
