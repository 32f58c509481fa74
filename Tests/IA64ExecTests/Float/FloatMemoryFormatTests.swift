import XCTest
@testable import IA64Exec

/// Register ⇄ memory conversions (SDM Vol. 1 §5.1.3) and getf/setf.
final class FloatMemoryFormatTests: XCTestCase {
    func testSingleLoads() {
        XCTAssertEqual(FloatRegisterValue.fromSingle(0x3F80_0000), .positiveOne)
        XCTAssertEqual(FloatRegisterValue.fromSingle(0x8000_0000), .negativeZero)
        XCTAssertEqual(FloatRegisterValue.fromSingle(0x0000_0001), reg(false, 0xFF81, 1 << 40))  // denormal
        XCTAssertEqual(FloatRegisterValue.fromSingle(0x7F80_0000), .positiveInfinity)
        XCTAssertEqual(FloatRegisterValue.fromSingle(0xFFC0_0000), .realIndefinite)
        XCTAssertEqual(FloatRegisterValue.fromSingle(0x7F80_0001), reg(false, 0x1FFFF, 1 << 63 | 1 << 40))  // SNaN
        XCTAssertTrue(FloatRegisterValue.fromSingle(0x7F80_0001).isSignalingNaN)
        XCTAssertEqual(FloatRegisterValue.fromSingle(0x7F7F_FFFF), reg(false, 0x1007E, 0xFFFF_FF00_0000_0000))
    }

    func testDoubleLoads() {
        XCTAssertEqual(FloatRegisterValue.fromDouble(0x3FF0_0000_0000_0000), .positiveOne)
        XCTAssertEqual(FloatRegisterValue.fromDouble(1), reg(false, 0xFC01, 1 << 11))
        XCTAssertEqual(FloatRegisterValue.fromDouble(0xFFF0_0000_0000_0000), .negativeInfinity)
        XCTAssertEqual(FloatRegisterValue.fromDouble(Double(-2.5).bitPattern), reg(true, 0x10000, 0xA000_0000_0000_0000))
    }

    func testDoubleExtendedIntegerAndFill() {
        XCTAssertEqual(FloatRegisterValue.fromDoubleExtended(significand: 1 << 63, signExponent: 0x3FFF), .positiveOne)
        XCTAssertEqual(FloatRegisterValue.fromDoubleExtended(significand: 5, signExponent: 0x8000), reg(true, 0, 5))
        XCTAssertEqual(FloatRegisterValue.fromDoubleExtended(significand: 1 << 63, signExponent: 0x7FFF), .positiveInfinity)
        XCTAssertEqual(FloatRegisterValue.fromInteger(0), reg(false, 0x1003E, 0))
        XCTAssertEqual(FloatRegisterValue.fill(low: 0x1234, high: 0xFFFF_FFFF_FFFF_FFFE), reg(true, 0x1FFFE, 0x1234))
        XCTAssertEqual(FloatRegisterValue.natVal.spillBytes.high, 0x1FFFE)
        XCTAssertEqual(FloatRegisterValue.natVal.spillBytes.low, 0)
        let v = reg(true, 0x1ABCD, 0x8765_4321_0FED_CBA9)
        XCTAssertEqual(FloatRegisterValue.fill(low: v.spillBytes.low, high: v.spillBytes.high), v)
    }

    func testStoresSelectBits() {
        XCTAssertEqual(FloatRegisterValue.positiveOne.singleBits, 0x3F80_0000)
        XCTAssertEqual(FloatRegisterValue.realIndefinite.singleBits, 0xFFC0_0000)
        XCTAssertEqual(FloatRegisterValue.realIndefinite.doubleBits, 0xFFF8_0000_0000_0000)
        XCTAssertEqual(reg(false, 0xFF81, 1 << 40).singleBits, 1)  // denormal back to memory
        XCTAssertEqual(reg(false, 0xFC01, 1 << 11).doubleBits, 1)
        // Out-of-range values are not rounded or clamped: exponent bits are selected.
        XCTAssertEqual(reg(false, 0x10080, 1 << 63).singleBits, 0x4000_0000)  // 2^129 → exponent {1, 0000000} = 2.0
        XCTAssertEqual(reg(false, 0xFFFF, 0xFFFF_FFFF_FFFF_FFFF).singleBits, 0x3FFF_FFFF)  // truncated fraction
        XCTAssertEqual(FloatRegisterValue.positiveOne.doubleExtendedBits.signExponent, 0x3FFF)
        XCTAssertEqual(reg(true, 0x1FFFF, 1 << 63).doubleExtendedBits.signExponent, 0xFFFF)
        XCTAssertEqual(reg(false, 0, 5).doubleExtendedBits.signExponent, 0)
        XCTAssertEqual(FloatRegisterValue.integer(0xDEAD).integerBits, 0xDEAD)
        // Round trips through memory for every class of single.
        for bits: UInt32 in [0, 0x8000_0000, 1, 0x807F_FFFF, 0x3F80_0000, 0x7F80_0000, 0x7FC0_1234, 0x7F80_0001] {
            XCTAssertEqual(FloatRegisterValue.fromSingle(bits).singleBits, bits)
        }
        for bits: UInt64 in [0, 1, 0x000F_FFFF_FFFF_FFFF, 0x3FF0_0000_0000_0001, 0x7FF0_0000_0000_0000, 0xFFF8_0000_0000_0001] {
            XCTAssertEqual(FloatRegisterValue.fromDouble(bits).doubleBits, bits)
        }
    }

    func testGetfSetfExponent() {
        XCTAssertEqual(FloatRegisterValue.fromExponentBits(0x2_FFFF), reg(true, 0xFFFF, 1 << 63))
        XCTAssertEqual(FloatRegisterValue.fromExponentBits(0xFFFF_FFFF_FFFC_0000 | 0x1003E), reg(false, 0x1003E, 1 << 63))
        XCTAssertEqual(reg(true, 0x1003E, 7).exponentBits, 0x3_003E)
        XCTAssertEqual(FloatRegisterValue(significand: 9, signExponent: 0x3_0000).signExponent, 0x3_0000)
    }

    func testClassification() {
        XCTAssertTrue(FloatRegisterValue.natVal.isNaTVal)
        XCTAssertFalse(FloatRegisterValue.natVal.isPseudoZero)
        XCTAssertTrue(reg(true, 0x1FFFE, 0).isPseudoZero)
        XCTAssertTrue(reg(false, 5, 0).isPseudoZero)
        XCTAssertTrue(reg(false, 0, 1).isDoubleExtendedDenormal)
        XCTAssertTrue(reg(false, 1, 1 << 62).isDenormal)
        XCTAssertTrue(reg(false, 0x1234, 1 << 62).isUnnormal)
        XCTAssertTrue(reg(false, 0x1FFFF, 1 << 62).isUnsupported)
        XCTAssertFalse(reg(false, 0x1FFFF, 1 << 62).isNaN)
        XCTAssertTrue(FloatRegisterValue.realIndefinite.isQuietNaN)
        XCTAssertTrue(FloatRegisterValue.positiveOne.isNormal)
        XCTAssertFalse(FloatRegisterValue.positiveInfinity.isNormal)
    }
}
