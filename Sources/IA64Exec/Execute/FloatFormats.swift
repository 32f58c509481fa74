/// Memory-format conversions for the interpreter's register storage, by way of the
/// floating-point library's definitions (`FloatRegisterValue`).
public enum FloatFormats {
    @inline(__always)
    static func stored(_ v: FloatRegisterValue) -> FloatRegisterBits {
        FloatRegisterBits(significand: v.significand, signExponent: v.signExponent)
    }

    @inline(__always)
    static func library(_ f: FloatRegisterBits) -> FloatRegisterValue {
        FloatRegisterValue(significand: f.significand, signExponent: f.signExponent)
    }

    public static func fromSingle(_ bits: UInt32) -> FloatRegisterBits { stored(.fromSingle(bits)) }
    public static func fromDouble(_ bits: UInt64) -> FloatRegisterBits { stored(.fromDouble(bits)) }
    public static func fromExtended(significand: UInt64, signExponent: UInt16) -> FloatRegisterBits {
        stored(.fromDoubleExtended(significand: significand, signExponent: signExponent))
    }
    public static func fromInteger(_ value: UInt64) -> FloatRegisterBits { stored(.fromInteger(value)) }
    public static func fill(low: UInt64, high: UInt64) -> FloatRegisterBits { stored(.fill(low: low, high: high)) }
    public static func fromExponentBits(_ value: UInt64) -> FloatRegisterBits { stored(.fromExponentBits(value)) }

    public static func toSingle(_ f: FloatRegisterBits) -> UInt32 { library(f).singleBits }
    public static func toDouble(_ f: FloatRegisterBits) -> UInt64 { library(f).doubleBits }
    public static func toExtended(_ f: FloatRegisterBits) -> (significand: UInt64, signExponent: UInt16) {
        library(f).doubleExtendedBits
    }
    public static func spill(_ f: FloatRegisterBits) -> (low: UInt64, high: UInt64) { library(f).spillBytes }

    /// A normal host double (or zero) in normalized register format.
    @inline(__always)
    static func fromHostDouble(_ d: Double) -> FloatRegisterBits {
        let sign: UInt32 = d.sign == .minus ? 1 << 17 : 0
        if d == 0 { return FloatRegisterBits(significand: 0, signExponent: sign) }
        let bits = d.bitPattern
        let exponent = UInt32((bits >> 52) & 0x7ff) + 0xffff - 1023
        return FloatRegisterBits(significand: 1 << 63 | (bits & 0xf_ffff_ffff_ffff) << 11, signExponent: sign | exponent)
    }
}
