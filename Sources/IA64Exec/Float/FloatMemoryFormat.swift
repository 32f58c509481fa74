/// Register ⇄ memory conversions (SDM Vol. 1 §5.1.3, "Memory to FR" / "FR to memory" figures).
/// The interpreter does the byte order; these take and return the memory image as integers.
///
/// NaTVal: storing it with anything but stf.spill, or getf of it, is the interpreter's business
/// (Register NaT Consumption fault / GR NaT bit); the bit images below are what the formats give.
extension FloatRegisterValue {
    // MARK: Loads (ldfs/ldfd/ldfe/ldf8/ldf.fill; setf.s/.d/.sig/.exp)

    /// ldfs, setf.s. Denormals keep exponent 0xFF81 with the integer bit clear; Inf/NaN get 0x1FFFF.
    public static func fromSingle(_ bits: UInt32) -> FloatRegisterValue {
        let sign = bits >> 31 != 0
        let e = (bits >> 23) & 0xFF
        let fraction = UInt64(bits & 0x7F_FFFF) << 40
        switch e {
        case 0 where fraction == 0: return FloatRegisterValue(sign: sign, exponent: 0, significand: 0)
        case 0: return FloatRegisterValue(sign: sign, exponent: 0xFF81, significand: fraction)
        case 0xFF: return FloatRegisterValue(sign: sign, exponent: 0x1FFFF, significand: 1 << 63 | fraction)
        default: return FloatRegisterValue(sign: sign, exponent: e + 0xFF80, significand: 1 << 63 | fraction)
        }
    }

    /// ldfd, setf.d. Denormals keep exponent 0xFC01 with the integer bit clear.
    public static func fromDouble(_ bits: UInt64) -> FloatRegisterValue {
        let sign = bits >> 63 != 0
        let e = UInt32((bits >> 52) & 0x7FF)
        let fraction = (bits & 0xF_FFFF_FFFF_FFFF) << 11
        switch e {
        case 0 where fraction == 0: return FloatRegisterValue(sign: sign, exponent: 0, significand: 0)
        case 0: return FloatRegisterValue(sign: sign, exponent: 0xFC01, significand: fraction)
        case 0x7FF: return FloatRegisterValue(sign: sign, exponent: 0x1FFFF, significand: 1 << 63 | fraction)
        default: return FloatRegisterValue(sign: sign, exponent: e + 0xFC00, significand: 1 << 63 | fraction)
        }
    }

    /// ldfe: the 80-bit image (explicit integer bit). Exponent 0 stays 0 (valued as 0xC001).
    public static func fromDoubleExtended(significand: UInt64, signExponent: UInt16) -> FloatRegisterValue {
        let sign = signExponent >> 15 != 0
        let e = UInt32(signExponent & 0x7FFF)
        let exponent: UInt32 = e == 0x7FFF ? 0x1FFFF : (e == 0 ? 0 : e + 0xC000)
        return FloatRegisterValue(sign: sign, exponent: exponent, significand: significand)
    }

    /// ldf8, setf.sig: the 64 bits become the significand of an integer (exponent 0x1003E, sign 0).
    public static func fromInteger(_ bits: UInt64) -> FloatRegisterValue { .integer(bits) }

    /// ldf.fill: the 16-byte spill image (low = bytes 0–7, high = bytes 8–15; bits 81:64 in high{17:0}).
    public static func fill(low: UInt64, high: UInt64) -> FloatRegisterValue {
        FloatRegisterValue(significand: low, signExponent: UInt32(truncatingIfNeeded: high) & 0x3FFFF)
    }

    /// setf.exp: GR{17} sign, GR{16:0} exponent, significand 0x8000000000000000.
    public static func fromExponentBits(_ gr: UInt64) -> FloatRegisterValue {
        FloatRegisterValue(sign: gr & 0x20000 != 0, exponent: UInt32(gr & 0x1FFFF), significand: 1 << 63)
    }

    // MARK: Stores (stfs/stfd/stfe/stf8/stf.spill; getf.s/.d/.sig/.exp)
    // Stores do not round: they select bits. The memory exponent is the register exponent's
    // top bit followed by its low bits; Inf/NaN (0x1FFFF) give all ones; a clear integer bit
    // (denormal/unnormal/zero) gives exponent 0 for single and double.

    /// stfs, getf.s.
    public var singleBits: UInt32 {
        var e: UInt32 = 0
        if integerBit { e = (exponent >> 16) << 7 | (exponent & 0x7F) }
        return (sign ? 1 << 31 : 0) | e << 23 | UInt32((significand >> 40) & 0x7F_FFFF)
    }

    /// stfd, getf.d.
    public var doubleBits: UInt64 {
        var e: UInt64 = 0
        if integerBit { e = UInt64(exponent >> 16) << 10 | UInt64(exponent & 0x3FF) }
        return (sign ? 1 << 63 : 0) | e << 52 | (significand >> 11) & 0xF_FFFF_FFFF_FFFF
    }

    /// stfe: the 80-bit image; the integer bit is stored, so no exponent special case.
    public var doubleExtendedBits: (significand: UInt64, signExponent: UInt16) {
        let e = UInt16(exponent >> 16) << 14 | UInt16(exponent & 0x3FFF)
        return (significand, (sign ? 0x8000 : 0) | e)
    }

    /// stf8, getf.sig.
    public var integerBits: UInt64 { significand }

    /// stf.spill: the whole register, NaTVal included.
    public var spillBytes: (low: UInt64, high: UInt64) { (significand, UInt64(signExponent)) }

    /// getf.exp: sign in bit 17, exponent in bits 16:0.
    public var exponentBits: UInt64 { UInt64(signExponent) }
}
