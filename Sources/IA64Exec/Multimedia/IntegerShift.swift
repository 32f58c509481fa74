/// shl, shr, shr.u by a register count, and shladd. A register count is any 64-bit value;
/// past 63 the left and unsigned right shifts give zero and the signed right shift gives 64
/// copies of the sign bit.
public enum IntegerShift {
    /// shl r1 = r2, r3
    @inlinable public static func shl(_ r2: UInt64, by count: UInt64) -> UInt64 {
        count > 63 ? 0 : r2 &<< count
    }

    /// shr r1 = r3, r2
    @inlinable public static func shr(_ r3: UInt64, by count: UInt64) -> UInt64 {
        UInt64(bitPattern: Int64(bitPattern: r3) &>> Int64(min(count, 63)))
    }

    /// shr.u r1 = r3, r2
    @inlinable public static func shr_u(_ r3: UInt64, by count: UInt64) -> UInt64 {
        count > 63 ? 0 : r3 &>> count
    }

    /// shladd r1 = r2, count2, r3: (r2 << count) + r3, count 1…4.
    @inlinable public static func shladd(_ r2: UInt64, count: Int, _ r3: UInt64) -> UInt64 {
        (r2 &<< UInt64(count)) &+ r3
    }
}
