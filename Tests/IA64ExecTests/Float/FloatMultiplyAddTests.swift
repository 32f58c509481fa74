import XCTest
@testable import IA64Exec

/// Hand-derived fma cases from SDM Vol. 1 §5.2–5.4 and the fma page (Vol. 3).
final class FloatMultiplyAddTests: XCTestCase {
    let one = FloatRegisterValue.positiveOne
    /// 1 + 2^-24: exactly halfway between two singles.
    let halfway = reg(false, 0xFFFF, 1 << 63 | 1 << 39)
    /// 1 + 2^-24 + 2^-40: just above halfway.
    let aboveHalfway = reg(false, 0xFFFF, 1 << 63 | 1 << 39 | 1 << 23)

    func testSinglePrecisionRoundingModes() {
        let up = reg(false, 0xFFFF, 1 << 63 | 1 << 40)  // 1 + 2^-23
        func f(_ x: FloatRegisterValue, _ m: FloatRoundingMode) -> FloatRegisterValue {
            FloatArithmetic.fma(x, one, .positiveZero, addendIsF0: true, precision: .single, environment: env(m)).value
        }
        XCTAssertEqual(f(halfway, .nearest), one)  // tie to even
        XCTAssertEqual(f(aboveHalfway, .nearest), up)
        XCTAssertEqual(f(halfway, .up), up)
        XCTAssertEqual(f(halfway, .down), one)
        XCTAssertEqual(f(halfway, .towardZero), one)
        var neg = halfway; neg.sign = true
        var negUp = up; negUp.sign = true
        XCTAssertEqual(f(neg, .down), negUp)
        XCTAssertEqual(f(neg, .up), FloatRegisterValue(sign: true, exponent: 0xFFFF, significand: 1 << 63))
        let r = FloatArithmetic.fma(halfway, one, .positiveZero, precision: .single, environment: env())
        XCTAssertEqual(r.report.flags, .inexact)
        XCTAssertTrue(r.report.traps.isEmpty)
    }

    func testPrecisionControlWhenNoCompleter() {
        // Same value under pc = single, double, double-extended: 24, 53, 64 significand bits.
        let x = reg(false, 0xFFFF, 0x8000_0080_0000_0401)  // bits at 2^-24, 2^-53, 2^-63
        func f(_ pc: FloatPrecisionControl) -> UInt64 {
            FloatArithmetic.fma(x, one, .positiveZero, precision: .dynamic, environment: env(.towardZero, pc: pc)).value.significand
        }
        XCTAssertEqual(f(.single), 0x8000_0000_0000_0000)
        XCTAssertEqual(f(.double), 0x8000_0080_0000_0000)
        XCTAssertEqual(f(.doubleExtended), 0x8000_0080_0000_0401)
        // .d ignores pc.
        let d = FloatArithmetic.fma(x, one, .positiveZero, precision: .double, environment: env(.towardZero, pc: .single))
        XCTAssertEqual(d.value.significand, 0x8000_0080_0000_0000)
    }

    func testZeroSigns() {
        let negZero = FloatRegisterValue.negativeZero
        // f2 = f0: IEEE multiply, the zero keeps the product's sign.
        XCTAssertEqual(FloatArithmetic.fma(one, negZero, .positiveZero, addendIsF0: true, precision: .dynamic,
                                           environment: env()).value, negZero)
        // A real +0 addend: (−0) + (+0) = +0, but −0 when rounding toward −∞.
        XCTAssertEqual(FloatArithmetic.fma(one, negZero, .positiveZero, precision: .dynamic, environment: env()).value,
                       .positiveZero)
        XCTAssertEqual(FloatArithmetic.fma(one, negZero, .positiveZero, precision: .dynamic, environment: env(.down)).value,
                       negZero)
        // Exact cancellation 1×1 − 1.
        XCTAssertEqual(FloatArithmetic.fms(one, one, one, precision: .dynamic, environment: env()).value, .positiveZero)
        XCTAssertEqual(FloatArithmetic.fms(one, one, one, precision: .dynamic, environment: env(.down)).value, negZero)
        // fnma: −(1×1) + 0 = −1.
        XCTAssertEqual(FloatArithmetic.fnma(one, one, .positiveZero, precision: .dynamic, environment: env()).value,
                       FloatRegisterValue(sign: true, exponent: 0xFFFF, significand: 1 << 63))
    }

    func testOverflowMaskedAndTrapped() {
        let big = reg(false, 0xFFFF + 127, 1 << 63)  // 2^127
        let two = reg(false, 0x10000, 1 << 63)
        var r = FloatArithmetic.fma(big, two, .positiveZero, precision: .single, environment: env())
        XCTAssertEqual(r.value, .positiveInfinity)
        XCTAssertEqual(r.report.flags, [.overflow, .inexact])
        XCTAssertTrue(r.report.traps.isEmpty)
        r = FloatArithmetic.fma(big, two, .positiveZero, precision: .single, environment: env(.towardZero))
        XCTAssertEqual(r.value, reg(false, 0x1007E, 0xFFFF_FF00_0000_0000))  // largest single
        XCTAssertEqual(r.value.singleBits, 0x7F7F_FFFF)
        // wre widens the exponent: 2^128 is representable.
        r = FloatArithmetic.fma(big, two, .positiveZero, precision: .single, environment: env(wre: true))
        XCTAssertEqual(r.value, reg(false, 0x1007F, 1 << 63))
        XCTAssertTrue(r.report.flags.isEmpty)
        // Overflow trap enabled: the unbounded result is written, trap O (exact, so no I).
        r = FloatArithmetic.fma(big, two, .positiveZero, precision: .single, environment: env(enabled: .overflow))
        XCTAssertEqual(r.value, reg(false, 0x1007F, 1 << 63))
        XCTAssertEqual(r.report.traps, .overflow)
        XCTAssertFalse(r.report.isFault)
        // Exponent wraps at 17 bits in the register format: 2^65535 × 2^65535.
        let huge = reg(false, 0x1FFFE, 1 << 63)
        r = FloatArithmetic.fma(huge, huge, .positiveZero, precision: .dynamic, environment: env(wre: true, enabled: .overflow))
        XCTAssertEqual(r.value, reg(false, (0xFFFF + 131070) & 0x1FFFF, 1 << 63))
        // Inexact trap enabled but overflow masked: ∞ written, I trap with fpa.
        r = FloatArithmetic.fma(big, two, .positiveZero, precision: .single, environment: env(enabled: .inexact))
        XCTAssertEqual(r.report.traps, .inexact)
        XCTAssertTrue(r.report.roundedUp)
    }

    func testUnderflowDenormalFlushAndTrap() {
        let tiny = reg(false, 0xFFFF - 126, 1 << 63)  // 2^-126, smallest normal single
        let half = reg(false, 0xFFFE, 1 << 63)
        // Exact denormal result: no underflow flag when masked and exact.
        var r = FloatArithmetic.fma(tiny, half, .positiveZero, precision: .single, environment: env())
        XCTAssertEqual(r.value, reg(false, 0xFF81, 1 << 62))
        XCTAssertEqual(r.value.singleBits, 0x0040_0000)
        XCTAssertTrue(r.report.flags.isEmpty)
        // Inexact denormal: U and I.
        let halfPlus = reg(false, 0xFFFE, 1 << 63 | 1)
        r = FloatArithmetic.fma(tiny, halfPlus, .positiveZero, precision: .single, environment: env())
        XCTAssertEqual(r.value.singleBits, 0x0040_0000)
        XCTAssertEqual(r.report.flags, [.underflow, .inexact])
        // Flush to zero.
        r = FloatArithmetic.fma(tiny, half, .positiveZero, precision: .single, environment: env(ftz: true))
        XCTAssertEqual(r.value, .positiveZero)
        XCTAssertEqual(r.report.flags, [.underflow, .inexact])
        // Underflow trap enabled: unbounded result, U trap, even when exact.
        r = FloatArithmetic.fma(tiny, half, .positiveZero, precision: .single, environment: env(enabled: .underflow))
        XCTAssertEqual(r.value, reg(false, 0xFFFF - 127, 1 << 63))
        XCTAssertEqual(r.report.traps, .underflow)
        // Double-extended range (pc, wre=0) writes denormals with exponent 0.
        let extTiny = reg(false, 0xC001, 1 << 63)
        r = FloatArithmetic.fma(extTiny, half, .positiveZero, precision: .dynamic, environment: env())
        XCTAssertEqual(r.value, reg(false, 0, 1 << 62))
        // wre: register-format denormals at exponent 1.
        let regTiny = reg(false, 1, 1 << 63)
        r = FloatArithmetic.fma(regTiny, half, .positiveZero, precision: .dynamic, environment: env(wre: true))
        XCTAssertEqual(r.value, reg(false, 1, 1 << 62))
        // A value just below 2^-126 rounding up (rc = +inf) becomes the smallest normal single.
        let justBelow = reg(false, 0xFFFF - 127, UInt64.max)  // (2 − 2^-63) × 2^-127
        r = FloatArithmetic.fma(justBelow, one, .positiveZero, precision: .single, environment: env(.up))
        XCTAssertEqual(r.value, reg(false, 0xFF81, 1 << 63))
    }

    func testNaNPropagationOrderAndInvalid() {
        let qa = reg(false, 0x1FFFF, 0xC000_0000_0000_00AA)
        let qb = reg(false, 0x1FFFF, 0xC000_0000_0000_00BB)
        let qc = reg(true, 0x1FFFF, 0xC000_0000_0000_00CC)
        let sa = reg(false, 0x1FFFF, 0x8000_0000_0000_0011)
        // fma f1 = f3, f4, f2: f4's NaN first, then f2's, then f3's.
        XCTAssertEqual(FloatArithmetic.fma(qa, qb, qc, precision: .dynamic, environment: env()).value, qb)
        XCTAssertEqual(FloatArithmetic.fma(qa, one, qc, precision: .dynamic, environment: env()).value, qc)
        XCTAssertEqual(FloatArithmetic.fma(qa, one, one, precision: .dynamic, environment: env()).value, qa)
        // A signalling NaN anywhere raises invalid; the propagated NaN is quieted.
        var r = FloatArithmetic.fma(sa, one, one, precision: .dynamic, environment: env())
        XCTAssertEqual(r.value, reg(false, 0x1FFFF, 0xC000_0000_0000_0011))
        XCTAssertEqual(r.report.flags, .invalid)
        r = FloatArithmetic.fma(sa, one, qc, precision: .dynamic, environment: env())
        XCTAssertEqual(r.value, qc)
        XCTAssertEqual(r.report.flags, .invalid)
        // Invalid enabled: a fault, no flags.
        r = FloatArithmetic.fma(sa, one, one, precision: .dynamic, environment: env(enabled: .invalid))
        XCTAssertEqual(r.report.faults, .invalid)
        XCTAssertTrue(r.report.flags.isEmpty)
        XCTAssertTrue(r.report.isFault)
        // ∞ × 0, ∞ − ∞: real indefinite.
        r = FloatArithmetic.fma(.positiveInfinity, .positiveZero, one, precision: .dynamic, environment: env())
        XCTAssertEqual(r.value, .realIndefinite)
        XCTAssertEqual(r.report.flags, .invalid)
        r = FloatArithmetic.fms(.positiveInfinity, one, .positiveInfinity, precision: .dynamic, environment: env())
        XCTAssertEqual(r.value, .realIndefinite)
        XCTAssertEqual(FloatArithmetic.fma(.positiveInfinity, one, .positiveInfinity, precision: .dynamic,
                                           environment: env()).value, .positiveInfinity)
        // Pseudo-infinity is unsupported: invalid.
        r = FloatArithmetic.fma(reg(false, 0x1FFFF, 0), one, one, precision: .dynamic, environment: env())
        XCTAssertEqual(r.value, .realIndefinite)
        XCTAssertEqual(r.report.flags, .invalid)
    }

    func testNaTValPropagatesWithoutExceptions() {
        let r = FloatArithmetic.fma(.natVal, .positiveInfinity, .positiveZero, precision: .dynamic,
                                    environment: env(enabled: .all))
        XCTAssertEqual(r.value, .natVal)
        XCTAssertEqual(r.report, FloatExceptionReport())
    }

    func testUnnormalOperandsAreNormalizedAndSignalDenormal() {
        let unnormalOne = reg(false, 0x10000, 1 << 62)  // 0.1 × 2^1 = 1.0
        var r = FloatArithmetic.fma(unnormalOne, one, .positiveZero, precision: .dynamic, environment: env())
        XCTAssertEqual(r.value, one)
        XCTAssertEqual(r.report.flags, .denormal)
        r = FloatArithmetic.fma(unnormalOne, one, .positiveZero, precision: .dynamic, environment: env(enabled: .denormal))
        XCTAssertEqual(r.report.faults, .denormal)
        // Pseudo-zero is a zero (and an unnormal operand).
        r = FloatArithmetic.fma(reg(true, 0x12345, 0), one, one, precision: .dynamic, environment: env())
        XCTAssertEqual(r.value, one)
        XCTAssertEqual(r.report.flags, .denormal)
        // Exponent 0 with a significand is valued with exponent 0xC001.
        r = FloatArithmetic.fma(reg(false, 0, 1 << 63), one, .positiveZero, precision: .dynamic, environment: env())
        XCTAssertEqual(r.value, reg(false, 0xC001, 1 << 63))
    }

    func testInexactTrapReportsRoundedUp() {
        let three = reg(false, 0x10000, 0xC000_0000_0000_0000)
        let third = reg(false, 0xFFFD, 0xAAAA_AAAA_AAAA_AAAB)  // 1/3 rounded up at 64 bits
        let r = FloatArithmetic.fma(three, third, .positiveZero, precision: .single, environment: env(enabled: .inexact))
        XCTAssertEqual(r.value, one)
        XCTAssertEqual(r.report.traps, .inexact)
        XCTAssertEqual(r.report.flags, .inexact)
    }

    func testParallelMultiplyAdd() {
        let a = FloatRegisterValue.integer(UInt64(Float(1.5).bitPattern) << 32 | UInt64(Float(2).bitPattern))
        let b = FloatRegisterValue.integer(UInt64(Float(2).bitPattern) << 32 | UInt64(Float(3).bitPattern))
        let c = FloatRegisterValue.integer(UInt64(Float(0.5).bitPattern) << 32 | UInt64(Float(1).bitPattern))
        var r = FloatArithmetic.fpma(a, b, c, environment: env())
        XCTAssertEqual(r.value, .integer(UInt64(Float(3.5).bitPattern) << 32 | UInt64(Float(7).bitPattern)))
        r = FloatArithmetic.fpms(a, b, c, environment: env())
        XCTAssertEqual(r.value, .integer(UInt64(Float(2.5).bitPattern) << 32 | UInt64(Float(5).bitPattern)))
        r = FloatArithmetic.fpnma(a, b, c, environment: env())
        XCTAssertEqual(r.value, .integer(UInt64(Float(-2.5).bitPattern) << 32 | UInt64(Float(-5).bitPattern)))
        // Parallel halves keep the 8-bit exponent even with wre: overflow to +∞ in the high half only.
        let big = FloatRegisterValue.integer(UInt64(Float.greatestFiniteMagnitude.bitPattern) << 32 | UInt64(Float(1).bitPattern))
        r = FloatArithmetic.fpma(big, b, .positiveZero, addendIsF0: true, environment: env(wre: true))
        XCTAssertEqual(r.value, .integer(UInt64(0x7F80_0000) << 32 | UInt64(Float(3).bitPattern)))
        XCTAssertEqual(r.high.flags, [.overflow, .inexact])
        XCTAssertTrue(r.low.flags.isEmpty)
        XCTAssertEqual(FloatArithmetic.fpma(.natVal, b, c, environment: env()).value, .natVal)
    }
}
