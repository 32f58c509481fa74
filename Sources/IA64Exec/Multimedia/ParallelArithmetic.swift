/// padd and psub: lane-wise add and subtract of two registers, in modulo form and in the three
/// saturating forms the manual defines (sss: signed operands, signed result; uus: unsigned first
/// operand, signed second, unsigned result; uuu: all unsigned). padd4/psub4 are modulo only.
///
/// Each saturating form computes the modulo result once and then overwrites the lanes that
/// overflowed, found from the carry/borrow out of each lane, so there is no per-lane branch.
public enum ParallelArithmetic {
    // MARK: Modulo

    @inlinable public static func padd1(_ r2: UInt64, _ r3: UInt64) -> UInt64 { SWARLanes.add(r2, r3, high: SWARLanes.high8) }
    @inlinable public static func padd2(_ r2: UInt64, _ r3: UInt64) -> UInt64 { SWARLanes.add(r2, r3, high: SWARLanes.high16) }
    @inlinable public static func padd4(_ r2: UInt64, _ r3: UInt64) -> UInt64 { SWARLanes.add(r2, r3, high: SWARLanes.high32) }
    @inlinable public static func psub1(_ r2: UInt64, _ r3: UInt64) -> UInt64 { SWARLanes.subtract(r2, r3, high: SWARLanes.high8) }
    @inlinable public static func psub2(_ r2: UInt64, _ r3: UInt64) -> UInt64 { SWARLanes.subtract(r2, r3, high: SWARLanes.high16) }
    @inlinable public static func psub4(_ r2: UInt64, _ r3: UInt64) -> UInt64 { SWARLanes.subtract(r2, r3, high: SWARLanes.high32) }

    // MARK: Saturating

    @inlinable public static func padd1_sss(_ r2: UInt64, _ r3: UInt64) -> UInt64 { addSSS(r2, r3, high: SWARLanes.high8, width: 8) }
    @inlinable public static func padd2_sss(_ r2: UInt64, _ r3: UInt64) -> UInt64 { addSSS(r2, r3, high: SWARLanes.high16, width: 16) }
    @inlinable public static func padd1_uus(_ r2: UInt64, _ r3: UInt64) -> UInt64 { addUUS(r2, r3, high: SWARLanes.high8, width: 8) }
    @inlinable public static func padd2_uus(_ r2: UInt64, _ r3: UInt64) -> UInt64 { addUUS(r2, r3, high: SWARLanes.high16, width: 16) }
    @inlinable public static func padd1_uuu(_ r2: UInt64, _ r3: UInt64) -> UInt64 { addUUU(r2, r3, high: SWARLanes.high8, width: 8) }
    @inlinable public static func padd2_uuu(_ r2: UInt64, _ r3: UInt64) -> UInt64 { addUUU(r2, r3, high: SWARLanes.high16, width: 16) }
    @inlinable public static func psub1_sss(_ r2: UInt64, _ r3: UInt64) -> UInt64 { subSSS(r2, r3, high: SWARLanes.high8, width: 8) }
    @inlinable public static func psub2_sss(_ r2: UInt64, _ r3: UInt64) -> UInt64 { subSSS(r2, r3, high: SWARLanes.high16, width: 16) }
    @inlinable public static func psub1_uus(_ r2: UInt64, _ r3: UInt64) -> UInt64 { subUUS(r2, r3, high: SWARLanes.high8, width: 8) }
    @inlinable public static func psub2_uus(_ r2: UInt64, _ r3: UInt64) -> UInt64 { subUUS(r2, r3, high: SWARLanes.high16, width: 16) }
    @inlinable public static func psub1_uuu(_ r2: UInt64, _ r3: UInt64) -> UInt64 { subUUU(r2, r3, high: SWARLanes.high8, width: 8) }
    @inlinable public static func psub2_uuu(_ r2: UInt64, _ r3: UInt64) -> UInt64 { subUUU(r2, r3, high: SWARLanes.high16, width: 16) }

    // MARK: Lane-width-generic cores

    /// Signed overflow saturates towards the sign of r2 (both operands share it when adding):
    /// 0x7f… for positive, 0x80… for negative, formed as ~high plus r2's sign bit.
    @inlinable @inline(__always)
    static func signedLimit(_ r2: UInt64, high: UInt64, width: UInt64) -> UInt64 {
        ~high &+ ((r2 & high) &>> (width &- 1))
    }

    @inlinable @inline(__always)
    static func addSSS(_ a: UInt64, _ b: UInt64, high: UInt64, width: UInt64) -> UInt64 {
        let sum = SWARLanes.add(a, b, high: high)
        let overflow = SWARLanes.spread(~(a ^ b) & (a ^ sum) & high, width: width)
        return (sum & ~overflow) | (signedLimit(a, high: high, width: width) & overflow)
    }

    @inlinable @inline(__always)
    static func subSSS(_ a: UInt64, _ b: UInt64, high: UInt64, width: UInt64) -> UInt64 {
        let difference = SWARLanes.subtract(a, b, high: high)
        let overflow = SWARLanes.spread((a ^ b) & (a ^ difference) & high, width: width)
        return (difference & ~overflow) | (signedLimit(a, high: high, width: width) & overflow)
    }

    @inlinable @inline(__always)
    static func addUUU(_ a: UInt64, _ b: UInt64, high: UInt64, width: UInt64) -> UInt64 {
        let sum = SWARLanes.add(a, b, high: high)
        return sum | SWARLanes.spread(SWARLanes.carryOut(a, b, sum: sum, high: high), width: width)
    }

    @inlinable @inline(__always)
    static func subUUU(_ a: UInt64, _ b: UInt64, high: UInt64, width: UInt64) -> UInt64 {
        let difference = SWARLanes.subtract(a, b, high: high)
        return difference & ~SWARLanes.spread(SWARLanes.borrowOut(a, b, difference: difference, high: high), width: width)
    }

    /// Unsigned a plus signed b: with b ≥ 0 a carry means above the maximum; with b < 0
    /// (b read as b + 2^w) the absence of a carry means below zero.
    @inlinable @inline(__always)
    static func addUUS(_ a: UInt64, _ b: UInt64, high: UInt64, width: UInt64) -> UInt64 {
        let sum = SWARLanes.add(a, b, high: high)
        let carry = SWARLanes.carryOut(a, b, sum: sum, high: high)
        let above = SWARLanes.spread(carry & ~b & high, width: width)
        let below = SWARLanes.spread(~carry & b & high, width: width)
        return (sum | above) & ~below
    }

    /// Unsigned a minus signed b: with b ≥ 0 a borrow means below zero; with b < 0 the
    /// absence of a borrow means above the maximum.
    @inlinable @inline(__always)
    static func subUUS(_ a: UInt64, _ b: UInt64, high: UInt64, width: UInt64) -> UInt64 {
        let difference = SWARLanes.subtract(a, b, high: high)
        let borrow = SWARLanes.borrowOut(a, b, difference: difference, high: high)
        let below = SWARLanes.spread(borrow & ~b & high, width: width)
        let above = SWARLanes.spread(~borrow & b & high, width: width)
        return (difference | above) & ~below
    }
}
