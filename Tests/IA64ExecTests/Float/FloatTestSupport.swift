@testable import IA64Exec

/// Shorthands for building registers and environments in tests.
func reg(_ sign: Bool = false, _ exponent: UInt32, _ significand: UInt64) -> FloatRegisterValue {
    FloatRegisterValue(sign: sign, exponent: exponent, significand: significand)
}

func dbl(_ d: Double) -> FloatRegisterValue { .fromDouble(d.bitPattern) }
func sgl(_ f: Float) -> FloatRegisterValue { .fromSingle(f.bitPattern) }

func env(_ rounding: FloatRoundingMode = .nearest, pc: FloatPrecisionControl = .doubleExtended,
         wre: Bool = false, ftz: Bool = false, enabled: FloatExceptions = []) -> FloatEnvironment {
    FloatEnvironment(controls: FloatControls(rounding: rounding, precision: pc, widestRange: wre, flushToZero: ftz),
                     disabledTraps: FloatExceptions.all.subtracting(enabled))
}

#if arch(x86_64) || arch(i386)
func ext(_ x: Float80) -> FloatRegisterValue {
    .fromDoubleExtended(significand: x.significandBitPattern | (x.isNormal || x.isInfinite || x.isNaN ? 1 << 63 : 0),
                        signExponent: UInt16(x.exponentBitPattern) | (x.sign == .minus ? 0x8000 : 0))
}

func float80(_ r: FloatRegisterValue) -> Float80 {
    let (sig, se) = r.doubleExtendedBits
    return Float80(sign: se & 0x8000 != 0 ? .minus : .plus, exponentBitPattern: UInt(se & 0x7FFF),
                   significandBitPattern: sig & ~(1 << 63))
}
#endif

/// A tiny deterministic generator (tests only): xorshift64*.
struct TestRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return state &* 2685821657736338717
    }
}
