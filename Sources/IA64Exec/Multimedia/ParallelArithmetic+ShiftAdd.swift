/// pshladd2 and pshradd2: scale the signed halfwords of r2 by a power of two, then add r3's
/// with signed saturation.
extension ParallelArithmetic {
    /// pshladd2 r1 = r2, count2, r3 (count 1…3). As the manual's pseudo-code does, a lane whose
    /// shifted value already overflows 16 bits takes the saturated shift and ignores r3.
    @inlinable public static func pshladd2(_ r2: UInt64, count: Int, _ r3: UInt64) -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 16) {
            let x = Int64(Int16(truncatingIfNeeded: r2 &>> UInt64(shift)))
            let y = Int64(Int16(truncatingIfNeeded: r3 &>> UInt64(shift)))
            let scaled = x &<< Int64(count)
            let clampedScale = clampSigned16(scaled)
            let lane = scaled == clampedScale ? clampSigned16(scaled &+ y) : clampedScale
            result |= UInt64(UInt16(truncatingIfNeeded: lane)) &<< UInt64(shift)
        }
        return result
    }

    /// pshradd2 r1 = r2, count2, r3 (count 1…3): arithmetic right shift cannot overflow, so only
    /// the sum saturates.
    @inlinable public static func pshradd2(_ r2: UInt64, count: Int, _ r3: UInt64) -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 16) {
            let x = Int64(Int16(truncatingIfNeeded: r2 &>> UInt64(shift)))
            let y = Int64(Int16(truncatingIfNeeded: r3 &>> UInt64(shift)))
            let lane = clampSigned16((x &>> Int64(count)) &+ y)
            result |= UInt64(UInt16(truncatingIfNeeded: lane)) &<< UInt64(shift)
        }
        return result
    }

    @inlinable @inline(__always)
    static func clampSigned16(_ x: Int64) -> Int64 { min(max(x, -0x8000), 0x7fff) }
}
