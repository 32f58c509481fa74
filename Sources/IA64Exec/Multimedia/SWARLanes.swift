/// Lane constants and lane-parallel helpers for treating one 64-bit register as 8 bytes,
/// 4 halfwords or 2 words ("SIMD within a register"), so each parallel instruction is a
/// handful of scalar operations instead of a loop over lanes.
@usableFromInline
enum SWARLanes {
    /// The top bit of every lane.
    @inlinable static var high8: UInt64 { 0x8080_8080_8080_8080 }
    @inlinable static var high16: UInt64 { 0x8000_8000_8000_8000 }
    @inlinable static var high32: UInt64 { 0x8000_0000_8000_0000 }

    /// Multiplying a lane value (< 2^width) by this copies it into every lane.
    @inlinable static var replicate8: UInt64 { 0x0101_0101_0101_0101 }
    @inlinable static var replicate16: UInt64 { 0x0001_0001_0001_0001 }
    @inlinable static var replicate32: UInt64 { 0x0000_0001_0000_0001 }

    /// Lane-wise modulo sum: carries are kept from crossing lane boundaries by adding
    /// the low bits separately and fixing the top bit with XOR.
    @inlinable @inline(__always)
    static func add(_ a: UInt64, _ b: UInt64, high: UInt64) -> UInt64 {
        ((a & ~high) &+ (b & ~high)) ^ ((a ^ b) & high)
    }

    /// Lane-wise modulo difference; the top bit of each lane is forced on in the minuend
    /// so no borrow crosses into the next lane.
    @inlinable @inline(__always)
    static func subtract(_ a: UInt64, _ b: UInt64, high: UInt64) -> UInt64 {
        ((a | high) &- (b & ~high)) ^ ((a ^ ~b) & high)
    }

    /// Top bit of each lane set where the unsigned lane sum `a + b` (giving `sum`) carried out.
    @inlinable @inline(__always)
    static func carryOut(_ a: UInt64, _ b: UInt64, sum: UInt64, high: UInt64) -> UInt64 {
        ((a & b) | ((a | b) & ~sum)) & high
    }

    /// Top bit of each lane set where the unsigned lane difference `a - b` (giving
    /// `difference`) borrowed, i.e. where a < b unsigned.
    @inlinable @inline(__always)
    static func borrowOut(_ a: UInt64, _ b: UInt64, difference: UInt64, high: UInt64) -> UInt64 {
        ((~a & b) | ((~a | b) & difference)) & high
    }

    /// Widens per-lane top bits into whole-lane masks (all ones where the top bit is set).
    /// `width` is the lane width in bits (8, 16 or 32).
    @inlinable @inline(__always)
    static func spread(_ topBits: UInt64, width: UInt64) -> UInt64 {
        (topBits &>> (width &- 1)) &* ((1 &<< width) &- 1)
    }

    /// Top bit of each lane set where the lane is zero (exact, no false positives).
    @inlinable @inline(__always)
    static func zeroLanes(_ x: UInt64, high: UInt64) -> UInt64 {
        ~(((x & ~high) &+ ~high) | x) & high
    }
}
