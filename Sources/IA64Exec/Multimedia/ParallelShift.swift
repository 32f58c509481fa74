/// pshl2/pshl4 and pshr2/pshr4 (signed and .u): every lane shifted by one count, which comes
/// from a register (any 64-bit value) or an immediate (count5). Counts past the lane width give
/// zero lanes, or all sign bits for the signed right shift.
public enum ParallelShift {
    @inlinable public static func pshl2(_ value: UInt64, by count: UInt64) -> UInt64 { shiftLeft(value, by: count, width: 16, replicate: SWARLanes.replicate16) }
    @inlinable public static func pshl4(_ value: UInt64, by count: UInt64) -> UInt64 { shiftLeft(value, by: count, width: 32, replicate: SWARLanes.replicate32) }
    @inlinable public static func pshr2_u(_ value: UInt64, by count: UInt64) -> UInt64 { shiftRightUnsigned(value, by: count, width: 16, replicate: SWARLanes.replicate16) }
    @inlinable public static func pshr4_u(_ value: UInt64, by count: UInt64) -> UInt64 { shiftRightUnsigned(value, by: count, width: 32, replicate: SWARLanes.replicate32) }
    @inlinable public static func pshr2(_ value: UInt64, by count: UInt64) -> UInt64 { shiftRightSigned(value, by: count, width: 16, replicate: SWARLanes.replicate16) }
    @inlinable public static func pshr4(_ value: UInt64, by count: UInt64) -> UInt64 { shiftRightSigned(value, by: count, width: 32, replicate: SWARLanes.replicate32) }

    /// Bits of one lane that survive a shift: `laneOnes` shifted, copied to every lane.
    @inlinable @inline(__always)
    static func laneOnes(width: UInt64) -> UInt64 { (1 &<< width) &- 1 }

    @inlinable @inline(__always)
    static func shiftLeft(_ value: UInt64, by count: UInt64, width: UInt64, replicate: UInt64) -> UInt64 {
        let c = min(count, width)  // a count of width empties every lane
        let kept = ((laneOnes(width: width) &<< c) & laneOnes(width: width)) &* replicate
        return (value &<< c) & kept
    }

    @inlinable @inline(__always)
    static func shiftRightUnsigned(_ value: UInt64, by count: UInt64, width: UInt64, replicate: UInt64) -> UInt64 {
        let c = min(count, width)
        let kept = (laneOnes(width: width) &>> c) &* replicate
        return (value &>> c) & kept
    }

    @inlinable @inline(__always)
    static func shiftRightSigned(_ value: UInt64, by count: UInt64, width: UInt64, replicate: UInt64) -> UInt64 {
        let c = min(count, width &- 1)  // past width - 1 every lane is its sign
        let kept = (laneOnes(width: width) &>> c) &* replicate
        let negativeLanes = ((value &>> (width &- 1)) & replicate) &* laneOnes(width: width)
        return ((value &>> c) & kept) | (negativeLanes & ~kept)
    }
}
