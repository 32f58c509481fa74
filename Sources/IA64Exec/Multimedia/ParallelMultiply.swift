/// pmpy2, pmpyshr2 and the 32-bit multiplies mpy4/mpyshl4.
public enum ParallelMultiply {
    /// pmpy2.r: signed products of halfwords 0 and 2 into the low and high words.
    @inlinable public static func pmpy2_r(_ r2: UInt64, _ r3: UInt64) -> UInt64 { widenedProducts(r2, r3, firstHalfword: 0) }
    /// pmpy2.l: signed products of halfwords 1 and 3 into the low and high words.
    @inlinable public static func pmpy2_l(_ r2: UInt64, _ r3: UInt64) -> UInt64 { widenedProducts(r2, r3, firstHalfword: 16) }

    /// pmpyshr2 (signed): each 32-bit halfword product shifted right by count (0, 7, 15 or 16),
    /// low 16 bits kept. Counts up to 16 only ever read product bits 31…0, so the shift's kind
    /// does not matter; the signed product supplies the right upper bits.
    @inlinable public static func pmpyshr2(_ r2: UInt64, _ r3: UInt64, count: Int) -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 16) {
            let x = Int64(Int16(truncatingIfNeeded: r2 &>> UInt64(shift)))
            let y = Int64(Int16(truncatingIfNeeded: r3 &>> UInt64(shift)))
            let lane = (x &* y) &>> Int64(count)
            result |= UInt64(UInt16(truncatingIfNeeded: lane)) &<< UInt64(shift)
        }
        return result
    }

    /// pmpyshr2.u: as pmpyshr2 with unsigned halfwords.
    @inlinable public static func pmpyshr2_u(_ r2: UInt64, _ r3: UInt64, count: Int) -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 16) {
            let x = (r2 &>> UInt64(shift)) & 0xffff
            let y = (r3 &>> UInt64(shift)) & 0xffff
            result |= (((x &* y) &>> UInt64(count)) & 0xffff) &<< UInt64(shift)
        }
        return result
    }

    /// mpy4: unsigned product of the low words, all 64 bits.
    @inlinable public static func mpy4(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        (r2 & 0xffff_ffff) &* (r3 & 0xffff_ffff)
    }

    /// mpyshl4: unsigned product of r2's low word and r3's high word, shifted left 32.
    @inlinable public static func mpyshl4(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        ((r2 & 0xffff_ffff) &* (r3 &>> 32)) &<< 32
    }

    /// Products of the halfwords at bit `firstHalfword` and `firstHalfword + 32`, as two words.
    @inlinable @inline(__always)
    static func widenedProducts(_ a: UInt64, _ b: UInt64, firstHalfword: UInt64) -> UInt64 {
        let low = Int32(Int16(truncatingIfNeeded: a &>> firstHalfword)) &* Int32(Int16(truncatingIfNeeded: b &>> firstHalfword))
        let high = Int32(Int16(truncatingIfNeeded: a &>> (firstHalfword &+ 32))) &* Int32(Int16(truncatingIfNeeded: b &>> (firstHalfword &+ 32)))
        return UInt64(UInt32(bitPattern: low)) | (UInt64(UInt32(bitPattern: high)) &<< 32)
    }
}
