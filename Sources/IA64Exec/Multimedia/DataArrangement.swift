/// mix: interleave the odd (.l, "left") or even (.r, "right") elements of two registers.
/// For each pair of result elements the higher one comes from r2 and the lower from r3.
public enum DataArrangement {
    @inlinable public static func mix1_l(_ r2: UInt64, _ r3: UInt64) -> UInt64 { mixLeft(r2, r3, odd: 0xff00_ff00_ff00_ff00, width: 8) }
    @inlinable public static func mix2_l(_ r2: UInt64, _ r3: UInt64) -> UInt64 { mixLeft(r2, r3, odd: 0xffff_0000_ffff_0000, width: 16) }
    @inlinable public static func mix4_l(_ r2: UInt64, _ r3: UInt64) -> UInt64 { mixLeft(r2, r3, odd: 0xffff_ffff_0000_0000, width: 32) }
    @inlinable public static func mix1_r(_ r2: UInt64, _ r3: UInt64) -> UInt64 { mixRight(r2, r3, odd: 0xff00_ff00_ff00_ff00, width: 8) }
    @inlinable public static func mix2_r(_ r2: UInt64, _ r3: UInt64) -> UInt64 { mixRight(r2, r3, odd: 0xffff_0000_ffff_0000, width: 16) }
    @inlinable public static func mix4_r(_ r2: UInt64, _ r3: UInt64) -> UInt64 { mixRight(r2, r3, odd: 0xffff_ffff_0000_0000, width: 32) }

    /// Odd elements of r2 stay put; odd elements of r3 move down into the even slots.
    @inlinable @inline(__always)
    static func mixLeft(_ a: UInt64, _ b: UInt64, odd: UInt64, width: UInt64) -> UInt64 {
        (a & odd) | ((b &>> width) & ~odd)
    }

    /// Even elements of r2 move up into the odd slots; even elements of r3 stay put.
    @inlinable @inline(__always)
    static func mixRight(_ a: UInt64, _ b: UInt64, odd: UInt64, width: UInt64) -> UInt64 {
        ((a &<< width) & odd) | (b & ~odd)
    }
}
