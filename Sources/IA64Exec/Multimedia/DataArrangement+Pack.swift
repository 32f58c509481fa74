/// pack: narrow the signed elements of two registers to half width with saturation, r2's
/// elements into the low half of the result and r3's into the high half.
extension DataArrangement {
    /// pack2.sss: signed halfwords to signed bytes.
    @inlinable public static func pack2_sss(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        narrowHalfwords(r2, low: -0x80, high: 0x7f) | (narrowHalfwords(r3, low: -0x80, high: 0x7f) &<< 32)
    }

    /// pack2.uss: signed halfwords to unsigned bytes.
    @inlinable public static func pack2_uss(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        narrowHalfwords(r2, low: 0, high: 0xff) | (narrowHalfwords(r3, low: 0, high: 0xff) &<< 32)
    }

    /// pack4.sss: signed words to signed halfwords.
    @inlinable public static func pack4_sss(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        narrowWords(r2) | (narrowWords(r3) &<< 32)
    }

    /// Four halfwords clamped to [low, high], as four bytes in the low word.
    @inlinable @inline(__always)
    static func narrowHalfwords(_ x: UInt64, low: Int32, high: Int32) -> UInt64 {
        var result: UInt64 = 0
        for i: UInt64 in 0..<4 {
            let lane = min(max(Int32(Int16(truncatingIfNeeded: x &>> (i &* 16))), low), high)
            result |= UInt64(UInt8(truncatingIfNeeded: lane)) &<< (i &* 8)
        }
        return result
    }

    /// Two words clamped to the signed halfword range, as two halfwords in the low word.
    @inlinable @inline(__always)
    static func narrowWords(_ x: UInt64) -> UInt64 {
        let low = min(max(Int64(Int32(truncatingIfNeeded: x)), -0x8000), 0x7fff)
        let high = min(max(Int64(Int32(truncatingIfNeeded: x &>> 32)), -0x8000), 0x7fff)
        return UInt64(UInt16(truncatingIfNeeded: low)) | (UInt64(UInt16(truncatingIfNeeded: high)) &<< 16)
    }
}
