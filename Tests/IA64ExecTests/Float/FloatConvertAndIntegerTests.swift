import XCTest
@testable import IA64Exec

final class FloatConvertAndIntegerTests: XCTestCase {
    func fx(_ x: FloatRegisterValue, unsigned: Bool = false, truncate: Bool = false,
            _ e: FloatEnvironment = env()) -> FloatResult {
        FloatArithmetic.fcvtToInteger(x, unsigned: unsigned, truncate: truncate, environment: e)
    }

    func testToSignedInteger() {
        XCTAssertEqual(fx(dbl(2.5)).value, .integer(2))  // ties to even
        XCTAssertEqual(fx(dbl(3.5)).value, .integer(4))
        XCTAssertEqual(fx(dbl(2.5)).report.flags, .inexact)
        XCTAssertEqual(fx(dbl(-2.7), truncate: true).value, .integer(UInt64(bitPattern: -2)))
        XCTAssertEqual(fx(dbl(-2.2), env(.down)).value, .integer(UInt64(bitPattern: -3)))
        XCTAssertEqual(fx(dbl(0.3)).value, .integer(0))  // exponent stays 0x1003E
        XCTAssertEqual(fx(dbl(-9.223372036854775808e18)).value, .integer(1 << 63))
        XCTAssertTrue(fx(dbl(-9.223372036854775808e18)).report.flags.isEmpty)
        var r = fx(dbl(9.223372036854775808e18))
        XCTAssertEqual(r.value, .integer(1 << 63))
        XCTAssertEqual(r.report.flags, .invalid)
        r = fx(.realIndefinite, env(enabled: .invalid))
        XCTAssertEqual(r.report.faults, .invalid)
        XCTAssertEqual(fx(.natVal).value, .natVal)
        XCTAssertEqual(fx(dbl(1.5), env(enabled: .inexact)).report.traps, .inexact)
        // Unnormal input: denormal flag.
        XCTAssertEqual(fx(reg(false, 0x10000, 1 << 62)).report.flags, .denormal)
    }

    func testToUnsignedInteger() {
        XCTAssertEqual(fx(dbl(1.8446744073709550e19), unsigned: true).value, .integer(18_446_744_073_709_549_568))
        XCTAssertEqual(fx(dbl(-1), unsigned: true).report.flags, .invalid)
        let r = fx(dbl(-0.3), unsigned: true)
        XCTAssertEqual(r.value, .integer(0))
        XCTAssertEqual(r.report.flags, .inexact)
    }

    func testParallelToInteger() {
        let x = FloatRegisterValue.integer(UInt64(Float(-3.75).bitPattern) << 32 | UInt64(Float(1e10).bitPattern))
        let r = FloatArithmetic.fpcvtToInteger(x, unsigned: false, truncate: true, environment: env())
        XCTAssertEqual(r.value, .integer(0xFFFF_FFFD_8000_0000))
        XCTAssertEqual(r.high.flags, .inexact)
        XCTAssertEqual(r.low.flags, .invalid)
    }

    func testFromInteger() {
        XCTAssertEqual(FloatArithmetic.fcvtFromInteger(.integer(UInt64(bitPattern: -5))), dbl(-5))
        XCTAssertEqual(FloatArithmetic.fcvtFromInteger(.integer(0)), .positiveZero)
        XCTAssertEqual(FloatArithmetic.fcvtFromInteger(.integer(1 << 63)), reg(true, 0x1003E, 1 << 63))
        XCTAssertEqual(FloatArithmetic.fcvtFromInteger(.natVal), .natVal)
    }

    func testXma() {
        let m1 = FloatRegisterValue.integer(UInt64.max)  // −1 signed
        let three = FloatRegisterValue.integer(3)
        XCTAssertEqual(FloatArithmetic.xma(.low, m1, three, .integer(5)), .integer(2))
        XCTAssertEqual(FloatArithmetic.xma(.high, m1, three, .integer(0)), .integer(UInt64.max))  // −3 >> 64
        XCTAssertEqual(FloatArithmetic.xma(.highUnsigned, m1, three, .integer(0)), .integer(2))
        XCTAssertEqual(FloatArithmetic.xma(.high, m1, m1, .integer(0)), .integer(0))  // (−1)² = 1
        // The addend is zero-extended: carry into the high half.
        XCTAssertEqual(FloatArithmetic.xma(.highUnsigned, .integer(1 << 63), .integer(2), .integer(UInt64.max)), .integer(1))
        XCTAssertEqual(FloatArithmetic.xma(.low, .natVal, three, three), .natVal)
    }

    func testMinMax() {
        func mm(_ k: FloatMinMaxKind, _ a: FloatRegisterValue, _ b: FloatRegisterValue) -> FloatResult {
            FloatArithmetic.minMax(k, a, b, environment: env())
        }
        XCTAssertEqual(mm(.minimum, dbl(1), dbl(2)).value, dbl(1))
        XCTAssertEqual(mm(.maximum, dbl(1), dbl(2)).value, dbl(2))
        XCTAssertEqual(mm(.absoluteMinimum, dbl(-1), dbl(2)).value, dbl(-1))
        XCTAssertEqual(mm(.absoluteMaximum, dbl(-3), dbl(2)).value, dbl(-3))
        XCTAssertEqual(mm(.minimum, .positiveZero, .negativeZero).value, .negativeZero)  // tie → f3
        XCTAssertEqual(mm(.minimum, .negativeZero, .positiveZero).value, .positiveZero)
        let r = mm(.maximum, .realIndefinite, dbl(1))
        XCTAssertEqual(r.value, dbl(1))
        XCTAssertEqual(r.report.flags, .invalid)
        XCTAssertEqual(mm(.minimum, dbl(1), .realIndefinite).value, .realIndefinite)  // NaN in f3 is returned
        // The selected register is returned unchanged (not normalized).
        let unnormal = reg(false, 0x10000, 1 << 62)
        XCTAssertEqual(mm(.minimum, unnormal, dbl(3)).value, unnormal)
        XCTAssertEqual(mm(.minimum, .natVal, dbl(3)).value, .natVal)
        let pair = FloatRegisterValue.integer(UInt64(Float(1).bitPattern) << 32 | UInt64(Float(-4).bitPattern))
        let other = FloatRegisterValue.integer(UInt64(Float(2).bitPattern) << 32 | UInt64(Float(3).bitPattern))
        XCTAssertEqual(FloatArithmetic.fpMinMax(.maximum, pair, other, environment: env()).value,
                       .integer(UInt64(Float(2).bitPattern) << 32 | UInt64(Float(3).bitPattern)))
        XCTAssertEqual(FloatArithmetic.fpMinMax(.absoluteMaximum, pair, other, environment: env()).value,
                       .integer(UInt64(Float(2).bitPattern) << 32 | UInt64(Float(-4).bitPattern)))
    }
}
