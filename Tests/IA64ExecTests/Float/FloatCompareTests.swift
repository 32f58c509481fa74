import XCTest
@testable import IA64Exec

final class FloatCompareTests: XCTestCase {
    let q = FloatRegisterValue.realIndefinite
    let s = reg(false, 0x1FFFF, 0x8000_0000_0000_0001)

    func cmp(_ r: FloatCompareRelation, _ a: FloatRegisterValue, _ b: FloatRegisterValue,
             _ e: FloatEnvironment = env()) -> FloatCompareResult {
        FloatArithmetic.fcmp(r, a, b, environment: e)
    }

    func testOrderedRelations() {
        XCTAssertTrue(cmp(.equal, .positiveZero, .negativeZero).p1)
        XCTAssertFalse(cmp(.lessThan, .negativeZero, .positiveZero).p1)
        XCTAssertTrue(cmp(.lessThan, dbl(-1), dbl(0.5)).p1)
        XCTAssertTrue(cmp(.lessThan, dbl(-2), dbl(-1)).p1)
        XCTAssertTrue(cmp(.lessOrEqual, dbl(2), dbl(2)).p1)
        XCTAssertFalse(cmp(.lessOrEqual, dbl(3), dbl(2)).p1)
        XCTAssertTrue(cmp(.lessThan, .negativeInfinity, dbl(-1e300)).p1)
        XCTAssertTrue(cmp(.equal, .positiveInfinity, .positiveInfinity).p1)
        // Unnormal 1.0 equals normal 1.0 (operands are normalized), with the denormal flag.
        let r = cmp(.equal, reg(false, 0x10000, 1 << 62), .positiveOne)
        XCTAssertTrue(r.p1)
        XCTAssertFalse(r.p2)
        XCTAssertEqual(r.report.flags, .denormal)
    }

    func testNaNs() {
        var r = cmp(.equal, q, .positiveOne)
        XCTAssertFalse(r.p1); XCTAssertTrue(r.p2); XCTAssertTrue(r.report.flags.isEmpty)
        r = cmp(.unordered, q, .positiveOne)
        XCTAssertTrue(r.p1); XCTAssertTrue(r.report.flags.isEmpty)
        r = cmp(.lessThan, q, .positiveOne)
        XCTAssertFalse(r.p1); XCTAssertEqual(r.report.flags, .invalid)
        r = cmp(.equal, s, .positiveOne)
        XCTAssertEqual(r.report.flags, .invalid)
        r = cmp(.lessOrEqual, .positiveOne, q, env(enabled: .invalid))
        XCTAssertEqual(r.report.faults, .invalid)
        XCTAssertTrue(cmp(.notEqual, q, q).p1)
        XCTAssertFalse(cmp(.ordered, q, .positiveOne).p1)
        r = cmp(.equal, .natVal, .positiveOne)
        XCTAssertFalse(r.p1); XCTAssertFalse(r.p2)
    }

    func testParallelCompare() {
        let a = FloatRegisterValue.integer(UInt64(Float(1).bitPattern) << 32 | UInt64(Float(2).bitPattern))
        let b = FloatRegisterValue.integer(UInt64(Float(1).bitPattern) << 32 | UInt64(Float(3).bitPattern))
        XCTAssertEqual(FloatArithmetic.fpcmp(.equal, a, b, environment: env()).value, .integer(0xFFFF_FFFF_0000_0000))
        XCTAssertEqual(FloatArithmetic.fpcmp(.lessThan, a, b, environment: env()).value, .integer(0x0000_0000_FFFF_FFFF))
        XCTAssertEqual(FloatArithmetic.fpcmp(.notLessOrEqual, b, a, environment: env()).value, .integer(0x0000_0000_FFFF_FFFF))
        let nanLow = FloatRegisterValue.integer(UInt64(Float(1).bitPattern) << 32 | 0x7FC0_0000)
        let r = FloatArithmetic.fpcmp(.lessThan, nanLow, b, environment: env())
        XCTAssertEqual(r.low.flags, .invalid)
        XCTAssertTrue(r.high.flags.isEmpty)
    }

    func testFclass() {
        let pos: UInt16 = 0x001, neg: UInt16 = 0x002, zero: UInt16 = 0x004, unorm: UInt16 = 0x008
        let norm: UInt16 = 0x010, inf: UInt16 = 0x020, snan: UInt16 = 0x040, qnan: UInt16 = 0x080, nat: UInt16 = 0x100
        XCTAssertTrue(FloatArithmetic.fclass(.positiveOne, mask: pos | norm))
        XCTAssertFalse(FloatArithmetic.fclass(.positiveOne, mask: neg | norm))
        XCTAssertFalse(FloatArithmetic.fclass(.positiveOne, mask: pos | zero))
        XCTAssertTrue(FloatArithmetic.fclass(.negativeZero, mask: neg | zero))
        XCTAssertTrue(FloatArithmetic.fclass(reg(false, 0x1234, 0), mask: pos | unorm))  // pseudo-zero
        XCTAssertTrue(FloatArithmetic.fclass(reg(true, 0xFF81, 1), mask: neg | unorm))
        XCTAssertTrue(FloatArithmetic.fclass(.negativeInfinity, mask: neg | inf))
        XCTAssertTrue(FloatArithmetic.fclass(.realIndefinite, mask: qnan))  // NaNs ignore the sign bits
        XCTAssertFalse(FloatArithmetic.fclass(.realIndefinite, mask: snan | 0x3F))
        XCTAssertTrue(FloatArithmetic.fclass(s, mask: snan))
        XCTAssertTrue(FloatArithmetic.fclass(.natVal, mask: nat))
        XCTAssertFalse(FloatArithmetic.fclass(.natVal, mask: 0xFF))
        XCTAssertFalse(FloatArithmetic.fclass(reg(false, 0x1FFFF, 0), mask: 0x1FF))  // unsupported: no class
    }
}
