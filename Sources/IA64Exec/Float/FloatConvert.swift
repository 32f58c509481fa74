/// fcvt.fx / fcvt.fxu (optionally .trunc), fcvt.xf, and the parallel fpcvt forms.
extension FloatArithmetic {
    /// fcvt.fx[u][.trunc].sf f1 = f2: round to a 64-bit integer in the significand (exponent
    /// 0x1003E, sign 0). Invalid (NaN, ∞, out of range) gives the integer indefinite 2^63.
    public static func fcvtToInteger(_ f2: FloatRegisterValue, unsigned: Bool, truncate: Bool,
                                     environment: FloatEnvironment) -> FloatResult {
        let a = FloatOperand(f2)
        if a.kind == .natVal { return FloatResult(value: .natVal) }
        let (bits, report) = toInteger(a, width: 64, unsigned: unsigned, truncate: truncate, environment)
        return FloatResult(value: .integer(bits), report: report)
    }

    /// fpcvt.fx[u][.trunc].sf f1 = f2: both single halves to 32-bit integers.
    public static func fpcvtToInteger(_ f2: FloatRegisterValue, unsigned: Bool, truncate: Bool,
                                      environment: FloatEnvironment) -> FloatParallelResult {
        if f2.isNaTVal { return FloatParallelResult(value: .natVal, high: .init(), low: .init()) }
        let (hi, hr) = toInteger(FloatOperand(single: UInt32(f2.significand >> 32)), width: 32,
                                 unsigned: unsigned, truncate: truncate, environment)
        let (lo, lr) = toInteger(FloatOperand(single: UInt32(truncatingIfNeeded: f2.significand)), width: 32,
                                 unsigned: unsigned, truncate: truncate, environment)
        return FloatParallelResult(value: .integer(hi << 32 | lo), high: hr, low: lr)
    }

    /// Rounds to an integer of `width` bits (64 or 32); returns its bits zero-extended.
    static func toInteger(_ a: FloatOperand, width: Int, unsigned: Bool, truncate: Bool,
                          _ env: FloatEnvironment) -> (UInt64, FloatExceptionReport) {
        var report = FloatExceptionReport()
        let indefinite: UInt64 = 1 << (width - 1)
        if a.isZero {
            if a.isUnnormal { env.raise(.denormal, into: &report) }
            return (0, report)
        }
        if a.kind != .finite || a.exponent >= width {
            env.raise(.invalid, into: &report)
            return (indefinite, report)
        }
        let rounding = FloatRounding(sign: a.sign, exponent: a.exponent, high: a.significand, low: 0, sticky: false)
        var controls = env.controls
        if truncate { controls.rounding = .towardZero }
        let r = rounding.roundKeeping(a.exponent + 1, controls.rounding)
        // r.value < 2^width here: exponent < width means at most `width` integer bits.
        let magnitude = r.value
        let limit: UInt64 = width == 64 ? ~0 : (1 << width) - 1
        let invalid: Bool
        if unsigned { invalid = (a.sign && magnitude != 0) || r.carry || magnitude > limit }
        else { invalid = r.carry || magnitude > (a.sign ? indefinite : indefinite - 1) }
        if invalid {
            env.raise(.invalid, into: &report)
            return (indefinite, report)
        }
        if a.isUnnormal {
            env.raise(.denormal, into: &report)
            if report.isFault { return (indefinite, report) }
        }
        if r.inexact {
            report.flags.insert(.inexact)
            if env.enabled(.inexact) { report.traps = .inexact; report.roundedUp = r.up }
        }
        let bits = a.sign ? (0 &- magnitude) & limit : magnitude
        return (bits, report)
    }

    /// fcvt.xf f1 = f2: the significand as a signed 64-bit integer, converted exactly.
    public static func fcvtFromInteger(_ f2: FloatRegisterValue) -> FloatRegisterValue {
        if f2.isNaTVal { return .natVal }
        let n = Int64(bitPattern: f2.significand)
        if n == 0 { return .positiveZero }
        let magnitude = n.magnitude
        let z = magnitude.leadingZeroBitCount
        return FloatRegisterValue(sign: n < 0, exponent: FloatRegisterValue.integerExponent - UInt32(z),
                                  significand: magnitude << z)
    }
}
