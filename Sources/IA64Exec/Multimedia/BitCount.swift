/// popcnt, clz and czx: counts over the bits or zero elements of one register.
public enum BitCount {
    /// popcnt r1 = r3: the number of one bits.
    @inlinable public static func popcnt(_ r3: UInt64) -> UInt64 { UInt64(r3.nonzeroBitCount) }

    /// clz r1 = r3: leading zero bits; 64 when r3 is zero.
    @inlinable public static func clz(_ r3: UInt64) -> UInt64 { UInt64(r3.leadingZeroBitCount) }

    /// czx1.l: index, counted from the most significant byte, of the first zero byte; 8 if none.
    @inlinable public static func czx1_l(_ r3: UInt64) -> UInt64 {
        // Byte k from the right flags bit 8k+7, so its leading-zero count is 8(7-k); none gives 64.
        UInt64(SWARLanes.zeroLanes(r3, high: SWARLanes.high8).leadingZeroBitCount) &>> 3
    }

    /// czx1.r: index, counted from the least significant byte, of the first zero byte; 8 if none.
    @inlinable public static func czx1_r(_ r3: UInt64) -> UInt64 {
        UInt64(SWARLanes.zeroLanes(r3, high: SWARLanes.high8).trailingZeroBitCount) &>> 3
    }

    /// czx2.l: as czx1.l over halfwords; 4 if none.
    @inlinable public static func czx2_l(_ r3: UInt64) -> UInt64 {
        UInt64(SWARLanes.zeroLanes(r3, high: SWARLanes.high16).leadingZeroBitCount) &>> 4
    }

    /// czx2.r: as czx1.r over halfwords; 4 if none.
    @inlinable public static func czx2_r(_ r3: UInt64) -> UInt64 {
        UInt64(SWARLanes.zeroLanes(r3, high: SWARLanes.high16).trailingZeroBitCount) &>> 4
    }
}
