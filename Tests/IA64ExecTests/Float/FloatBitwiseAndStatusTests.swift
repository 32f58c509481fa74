import XCTest
@testable import IA64Exec

final class FloatBitwiseAndStatusTests: XCTestCase {
    let a = reg(true, 0x1ABCD, 0x1111_2222_3333_4444)
    let b = reg(false, 0x0F00F, 0xAAAA_BBBB_8CCC_DDDD)

    func testMerges() {
        XCTAssertEqual(FloatBitwise.fmergeSign(a, b), reg(true, 0x0F00F, b.significand))
        XCTAssertEqual(FloatBitwise.fmergeNegatedSign(a, b), reg(false, 0x0F00F, b.significand))
        XCTAssertEqual(FloatBitwise.fmergeSignExponent(a, b), reg(true, 0x1ABCD, b.significand))
        XCTAssertEqual(FloatBitwise.fmergeSign(.natVal, b), .natVal)
    }

    func testHalves() {
        XCTAssertEqual(FloatBitwise.fmixLeft(a, b), .integer(0x1111_2222_AAAA_BBBB))
        XCTAssertEqual(FloatBitwise.fmixRight(a, b), .integer(0x3333_4444_8CCC_DDDD))
        XCTAssertEqual(FloatBitwise.fmixLeftRight(a, b), .integer(0x1111_2222_8CCC_DDDD))
        XCTAssertEqual(FloatBitwise.fswap(a, b), .integer(0x8CCC_DDDD_1111_2222))
        XCTAssertEqual(FloatBitwise.fswapNegateLeft(a, b), .integer(0x0CCC_DDDD_1111_2222))
        XCTAssertEqual(FloatBitwise.fswapNegateRight(a, b), .integer(0x8CCC_DDDD_9111_2222))
        XCTAssertEqual(FloatBitwise.fsxtLeft(b, a), .integer(0xFFFF_FFFF_1111_2222))
        XCTAssertEqual(FloatBitwise.fsxtRight(b, a), .integer(0xFFFF_FFFF_3333_4444))
        XCTAssertEqual(FloatBitwise.fsxtLeft(a, b), .integer(0x0000_0000_AAAA_BBBB))
        XCTAssertEqual(FloatBitwise.fand(a, b), .integer(a.significand & b.significand))
        XCTAssertEqual(FloatBitwise.fandcm(a, b), .integer(a.significand & ~b.significand))
        XCTAssertEqual(FloatBitwise.forBits(a, b), .integer(a.significand | b.significand))
        XCTAssertEqual(FloatBitwise.fxor(a, b), .integer(a.significand ^ b.significand))
        XCTAssertEqual(FloatBitwise.fselect(a, b, .integer(0xFFFF_0000_FFFF_0000)), .integer(0x1111_BBBB_3333_DDDD))
        XCTAssertEqual(FloatBitwise.fpmergeSign(b, a), .integer(0x9111_2222_B333_4444))
        XCTAssertEqual(FloatBitwise.fpmergeNegatedSign(b, a), .integer(0x1111_2222_3333_4444))
        XCTAssertEqual(FloatBitwise.fpmergeSignExponent(b, a), .integer(0xAAAA_2222_8CCC_4444 & 0xFF80_0000_FF80_0000
                                                                         | 0x1111_2222_3333_4444 & 0x007F_FFFF_007F_FFFF))
        XCTAssertEqual(FloatBitwise.fpack(.positiveOne, .realIndefinite), .integer(0x3F80_0000_FFC0_0000))
        XCTAssertEqual(FloatBitwise.fpack(.positiveOne, .natVal), .natVal)
    }

    func testStatusFields() {
        var s = FloatStatus.linuxDefault
        XCTAssertEqual(s.disabledTraps, .all)
        XCTAssertEqual(s.field(0).controls.precision, .doubleExtended)
        XCTAssertEqual(s.field(0).controls.rounding, .nearest)
        XCTAssertTrue(s.field(1).controls.widestRange)
        XCTAssertTrue(s.field(2).controls.trapsDisabled)
        s.accumulate([.inexact, .underflow], field: 1)
        XCTAssertEqual(s.field(1).flags, [.inexact, .underflow])
        XCTAssertEqual(s.rawValue >> 19 & 0x1FFF, UInt64(s.field(1).rawValue))
        XCTAssertEqual(s.rawValue >> (19 + 11) & 3, 3)  // u at sf bit 11, i at sf bit 12
        // fchkf: sf1 has flags sf0 lacks.
        XCTAssertTrue(s.fchkfBranches(field: 1))
        s.accumulate([.inexact, .underflow], field: 0)
        XCTAssertFalse(s.fchkfBranches(field: 1))
        s.disabledTraps = FloatExceptions.all.subtracting(.inexact)
        XCTAssertTrue(s.fchkfBranches(field: 1))  // an enabled trap's flag is set
        s.fclrf(field: 1)
        XCTAssertTrue(s.field(1).flags.isEmpty)
        XCTAssertFalse(s.fchkfBranches(field: 1))
        // fsetc: sf2.controls = (sf0.controls & amask) | omask.
        s.fsetc(field: 2, andMask: 0x7F, orMask: 0x30)
        XCTAssertEqual(s.field(2).controls.rounding, .towardZero)
        XCTAssertEqual(s.field(2).controls.precision, .doubleExtended)
        XCTAssertFalse(s.field(2).controls.trapsDisabled)
        // td makes every trap disabled for that field's environment.
        s.fsetc(field: 3, andMask: 0, orMask: 0x40)
        XCTAssertEqual(s.environment(3).disabledTraps, .all)
        XCTAssertEqual(s.environment(2).disabledTraps, FloatExceptions.all.subtracting(.inexact))
    }
}
