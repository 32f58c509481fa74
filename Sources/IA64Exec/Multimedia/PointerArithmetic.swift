/// addp4 and shladdp4: 32-bit pointer arithmetic. The 32-bit sum is zero-extended and bits
/// 31:30 of the base r3 are copied into bits 62:61, which places the 32-bit pointer in the
/// virtual region its top two bits name.
public enum PointerArithmetic {
    /// addp4 r1 = r2, r3 and addp4 r1 = imm14, r3 (pass the sign-extended imm14 as r2).
    @inlinable public static func addp4(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        pointer32((r2 &+ r3) & 0xffff_ffff, base: r3)
    }

    /// shladdp4 r1 = r2, count2, r3: addp4 of (r2 << count) and r3, count 1…4.
    @inlinable public static func shladdp4(_ r2: UInt64, count: Int, _ r3: UInt64) -> UInt64 {
        pointer32(((r2 &<< UInt64(count)) &+ r3) & 0xffff_ffff, base: r3)
    }

    @inlinable @inline(__always)
    static func pointer32(_ offset: UInt64, base: UInt64) -> UInt64 {
        offset | ((base & 0xc000_0000) &<< 31)
    }
}
