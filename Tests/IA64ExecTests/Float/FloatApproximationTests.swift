import XCTest
@testable import IA64Exec

final class FloatApproximationTests: XCTestCase {
    func testReciprocalTableCases() {
        var r = FloatArithmetic.frcpa(.positiveOne, .positiveOne, environment: env())
        XCTAssertEqual(r.value, reg(false, 0xFFFE, 0x7FC << 53))  // ≈ 0.998
        XCTAssertTrue(r.predicate)
        r = FloatArithmetic.frcpa(.positiveOne, dbl(-3), environment: env())
        // 3 = 1.1 × 2^1: index 0x80 → 0x554; exponent −2; sign of the divisor.
        XCTAssertEqual(r.value, reg(true, 0xFFFD, 0x554 << 53))
        // Each seed is within 2^-8.886 of the reciprocal (the documented accuracy).
        for i in 0..<256 {
            let d = reg(false, 0xFFFF, 1 << 63 | UInt64(i) << 55 | 1 << 54)
            let seed = FloatArithmetic.frcpa(.positiveOne, d, environment: env()).value
            let dv = Double(d.significand) / 9223372036854775808.0
            let sv = Double(seed.significand) / 9223372036854775808.0 / 2
            XCTAssertLessThan(abs(sv * dv - 1), 0.0022, "index \(i)")
        }
    }

    func testReciprocalSpecialCases() {
        var r = FloatArithmetic.frcpa(.positiveOne, .positiveZero, environment: env())
        XCTAssertEqual(r.value, .positiveInfinity)
        XCTAssertEqual(r.report.flags, .zeroDivide)
        XCTAssertFalse(r.predicate)
        r = FloatArithmetic.frcpa(.positiveOne, .negativeZero, environment: env(enabled: .zeroDivide))
        XCTAssertEqual(r.report.faults, .zeroDivide)
        r = FloatArithmetic.frcpa(.positiveZero, .positiveZero, environment: env())
        XCTAssertEqual(r.value, .realIndefinite)
        XCTAssertEqual(r.report.flags, .invalid)
        r = FloatArithmetic.frcpa(.negativeInfinity, dbl(2), environment: env())
        XCTAssertEqual(r.value, .negativeInfinity)
        r = FloatArithmetic.frcpa(dbl(2), .negativeInfinity, environment: env())
        XCTAssertEqual(r.value, .negativeZero)
        XCTAssertFalse(r.predicate)
        let q = reg(false, 0x1FFFF, 0xC000_0000_0000_0042)
        XCTAssertEqual(FloatArithmetic.frcpa(q, .realIndefinite, environment: env()).value, q)  // f2's NaN first
        XCTAssertEqual(FloatArithmetic.frcpa(.natVal, dbl(1), environment: env()).value, .natVal)
        // Huge divisor: software assistance.
        r = FloatArithmetic.frcpa(.positiveOne, reg(false, 0x1FFFC, 1 << 63), environment: env())
        XCTAssertTrue(r.report.softwareAssist)
        XCTAssertTrue(r.report.isFault)
    }

    func testReciprocalSquareRoot() {
        var r = FloatArithmetic.frsqrta(dbl(4), environment: env())
        XCTAssertEqual(r.value, reg(false, 0xFFFD, 0x7FC << 53))  // ≈ 0.499
        XCTAssertTrue(r.predicate)
        r = FloatArithmetic.frsqrta(dbl(2), environment: env())
        XCTAssertEqual(r.value, reg(false, 0xFFFE, 0x5A5 << 53))  // ≈ 0.7058
        r = FloatArithmetic.frsqrta(dbl(-1), environment: env())
        XCTAssertEqual(r.value, .realIndefinite)
        XCTAssertEqual(r.report.flags, .invalid)
        r = FloatArithmetic.frsqrta(.negativeZero, environment: env())
        XCTAssertEqual(r.value, .negativeZero)
        XCTAssertFalse(r.predicate)
        XCTAssertEqual(FloatArithmetic.frsqrta(.positiveInfinity, environment: env()).value, .positiveInfinity)
    }

    func testParallelApproximations() {
        let num = FloatRegisterValue.integer(UInt64(Float(1).bitPattern) << 32 | UInt64(Float(1).bitPattern))
        let den = FloatRegisterValue.integer(UInt64(Float(1).bitPattern) << 32 | 0)
        let r = FloatArithmetic.fprcpa(num, den, environment: env())
        XCTAssertEqual(r.value.significand >> 32, UInt64(reg(false, 0xFFFE, 0x7FC << 53).singleBits))
        XCTAssertEqual(UInt32(truncatingIfNeeded: r.value.significand), 0x7F80_0000)  // 1/0 = +∞
        XCTAssertEqual(r.low.flags, .zeroDivide)
        XCTAssertFalse(r.predicate)
        let s = FloatArithmetic.fprsqrta(.integer(UInt64(Float(4).bitPattern) << 32 | UInt64(Float(4).bitPattern)),
                                         environment: env())
        XCTAssertTrue(s.predicate)
        XCTAssertEqual(UInt32(truncatingIfNeeded: s.value.significand), reg(false, 0xFFFD, 0x7FC << 53).singleBits)
    }
}
