/// Conversions between memory formats (single, double, double-extended, integer, spill) and
/// the 82-bit register format, as ldf/stf/getf/setf define them.
public enum FloatFormats {
    public static let bias: UInt32 = 0xffff
    public static let infinityExponent: UInt32 = 0x1ffff
    public static let integerExponent: UInt32 = 0x1003e

    static func make(_ sign: UInt64, _ exponent: UInt32, _ significand: UInt64) -> FloatRegisterBits {
        FloatRegisterBits(significand: significand, signExponent: UInt32(sign) << 17 | exponent)
    }

    public static func fromSingle(_ bits: UInt32) -> FloatRegisterBits {
        let sign = UInt64(bits >> 31), e = (bits >> 23) & 0xff, f = UInt64(bits & 0x7f_ffff)
        switch e {
        case 0xff: return make(sign, infinityExponent, 1 << 63 | f << 40)
        case 0: return f == 0 ? make(sign, 0, 0) : make(sign, 0xff81, f << 40)
        default: return make(sign, e + bias - 127, 1 << 63 | f << 40)
        }
    }

    public static func fromDouble(_ bits: UInt64) -> FloatRegisterBits {
        let sign = bits >> 63, e = UInt32((bits >> 52) & 0x7ff), f = bits & 0xf_ffff_ffff_ffff
        switch e {
        case 0x7ff: return make(sign, infinityExponent, 1 << 63 | f << 11)
        case 0: return f == 0 ? make(sign, 0, 0) : make(sign, 0xfc01, f << 11)
        default: return make(sign, e + bias - 1023, 1 << 63 | f << 11)
        }
    }

    /// 80-bit double-extended: 64-bit significand and 16 bits of sign and exponent.
    public static func fromExtended(significand: UInt64, signExponent: UInt16) -> FloatRegisterBits {
        let sign = UInt64(signExponent >> 15), e = UInt32(signExponent & 0x7fff)
        switch e {
        case 0x7fff: return make(sign, infinityExponent, significand)
        case 0: return make(sign, significand == 0 ? 0 : 0xc001, significand)
        default: return make(sign, e + bias - 16383, significand)
        }
    }

    public static func fromInteger(_ value: UInt64) -> FloatRegisterBits {
        make(0, integerExponent, value)
    }

    public static func fill(low: UInt64, high: UInt64) -> FloatRegisterBits {
        FloatRegisterBits(significand: low, signExponent: UInt32(high & 0x3ffff))
    }

    public static func spill(_ f: FloatRegisterBits) -> (low: UInt64, high: UInt64) {
        (f.significand, UInt64(f.signExponent))
    }

    static func parts(_ f: FloatRegisterBits) -> (sign: UInt64, exponent: UInt32, significand: UInt64) {
        (UInt64(f.signExponent >> 17), f.signExponent & 0x1ffff, f.significand)
    }

    public static func toSingle(_ f: FloatRegisterBits) -> UInt32 {
        let (sign, exponent, significand) = parts(f)
        let s = UInt32(sign) << 31
        let fraction = UInt32((significand >> 40) & 0x7f_ffff)
        if exponent == infinityExponent { return s | 0xff << 23 | fraction }
        if significand >> 63 == 0 { return s | fraction }  // zero and denormals
        let e = Int64(exponent) - Int64(bias) + 127
        return s | UInt32(truncatingIfNeeded: e & 0xff) << 23 | fraction
    }

    public static func toDouble(_ f: FloatRegisterBits) -> UInt64 {
        let (sign, exponent, significand) = parts(f)
        let fraction = (significand >> 11) & 0xf_ffff_ffff_ffff
        if exponent == infinityExponent { return sign << 63 | 0x7ff << 52 | fraction }
        if significand >> 63 == 0 { return sign << 63 | fraction }
        let e = Int64(exponent) - Int64(bias) + 1023
        return sign << 63 | UInt64(truncatingIfNeeded: e & 0x7ff) << 52 | fraction
    }

    public static func toExtended(_ f: FloatRegisterBits) -> (significand: UInt64, signExponent: UInt16) {
        let (sign, exponent, significand) = parts(f)
        let e: UInt32
        if exponent == infinityExponent { e = 0x7fff }
        else if exponent == 0 { e = 0 }
        else { e = UInt32(truncatingIfNeeded: Int64(exponent) - Int64(bias) + 16383) & 0x7fff }
        return (significand, UInt16(sign) << 15 | UInt16(e))
    }

    /// The value as a host double when it is exactly one (no rounding), else nil.
    public static func exactDouble(_ f: FloatRegisterBits) -> Double? {
        let (sign, exponent, significand) = parts(f)
        let negative = sign != 0
        if exponent == infinityExponent {
            if significand << 1 == 0 { return negative ? -.infinity : .infinity }
            return nil  // NaNs keep their register payloads: not through the host
        }
        if significand == 0 { return negative ? -0.0 : 0.0 }
        let lz = significand.leadingZeroBitCount
        let normalized = significand << UInt64(lz)
        guard normalized & 0x7ff == 0, Int(exponent) - lz > 0 else { return nil }
        let exponentValue = Int(exponent) - lz - Int(bias)
        let d = Double(sign: negative ? .minus : .plus, exponent: exponentValue - 52, significand: Double(normalized >> 11))
        // Exact only if converting back gives the same (normalized) register value.
        guard d.isFinite, d != 0,
              fromHostDouble(d) == make(sign, UInt32(Int(exponent) - lz), normalized) else { return nil }
        return d
    }

    /// A host double in normalized register format.
    public static func fromHostDouble(_ d: Double) -> FloatRegisterBits {
        let sign: UInt64 = d.sign == .minus ? 1 : 0
        if d.isNaN { return make(1, infinityExponent, 0xc000_0000_0000_0000) }  // QNaN indefinite
        if d.isInfinite { return make(sign, infinityExponent, 1 << 63) }
        if d == 0 { return make(sign, 0, 0) }
        let m = d.significandBitPattern | (d.isSubnormal ? 0 : 1 << 52)
        let shift = UInt64(m.leadingZeroBitCount)
        let exponent = Int(d.exponent) + Int(bias)
        return make(sign, UInt32(exponent), m << shift)
    }
}
