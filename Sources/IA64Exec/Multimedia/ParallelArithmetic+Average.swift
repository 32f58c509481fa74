/// pavg and pavgsub: lane-wise unsigned averages of sum and difference.
extension ParallelArithmetic {
    /// pavg1/pavg2 (no .raz): (a + b) >> 1 with the shifted-out bit ORed into bit 0, which
    /// avoids the upward bias of always rounding up.
    @inlinable public static func pavg1(_ r2: UInt64, _ r3: UInt64) -> UInt64 { average(r2, r3, high: SWARLanes.high8, width: 8) }
    @inlinable public static func pavg2(_ r2: UInt64, _ r3: UInt64) -> UInt64 { average(r2, r3, high: SWARLanes.high16, width: 16) }
    /// pavg1.raz/pavg2.raz: (a + b + 1) >> 1.
    @inlinable public static func pavg1_raz(_ r2: UInt64, _ r3: UInt64) -> UInt64 { averageRoundingUp(r2, r3, high: SWARLanes.high8) }
    @inlinable public static func pavg2_raz(_ r2: UInt64, _ r3: UInt64) -> UInt64 { averageRoundingUp(r2, r3, high: SWARLanes.high16) }
    /// pavgsub1/pavgsub2: (a - b) as a (w+1)-bit signed value, shifted right one with the
    /// borrow entering the top bit, the shifted-out bit ORed into bit 0.
    @inlinable public static func pavgsub1(_ r2: UInt64, _ r3: UInt64) -> UInt64 { averageDifference(r2, r3, high: SWARLanes.high8, width: 8) }
    @inlinable public static func pavgsub2(_ r2: UInt64, _ r3: UInt64) -> UInt64 { averageDifference(r2, r3, high: SWARLanes.high16, width: 16) }

    /// Lowest bit of every lane.
    @inlinable @inline(__always)
    static func lowBits(high: UInt64, width: UInt64) -> UInt64 { high &>> (width &- 1) }

    @inlinable @inline(__always)
    static func average(_ a: UInt64, _ b: UInt64, high: UInt64, width: UInt64) -> UInt64 {
        // floor((a+b)/2) without lane overflow: common bits plus half the differing bits.
        let floor = (a & b) &+ (((a ^ b) &>> 1) & ~high)
        return floor | ((a ^ b) & lowBits(high: high, width: width))
    }

    @inlinable @inline(__always)
    static func averageRoundingUp(_ a: UInt64, _ b: UInt64, high: UInt64) -> UInt64 {
        // ceil((a+b)/2); each lane of (a|b) is at least its half-xor, so no lane borrows.
        (a | b) &- (((a ^ b) &>> 1) & ~high)
    }

    @inlinable @inline(__always)
    static func averageDifference(_ a: UInt64, _ b: UInt64, high: UInt64, width: UInt64) -> UInt64 {
        let difference = SWARLanes.subtract(a, b, high: high)
        let borrow = SWARLanes.borrowOut(a, b, difference: difference, high: high)
        return ((difference &>> 1) & ~high) | borrow | (difference & lowBits(high: high, width: width))
    }
}
