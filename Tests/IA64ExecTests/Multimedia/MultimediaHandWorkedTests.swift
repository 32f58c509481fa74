import XCTest
@testable import IA64Exec

/// Small cases worked by hand from the manual's instruction pages, one edge each.
final class MultimediaHandWorkedTests: XCTestCase {
    func testSaturationEdges() {
        // bytes 7..0 of a: 7f 80 ff 01 …; +1 each
        XCTAssertEqual(ParallelArithmetic.padd1_sss(0x7f80_ff01_0203_0405, 0x0101_0101_0101_0101), 0x7f81_0002_0304_0506)
        XCTAssertEqual(ParallelArithmetic.padd1_uuu(0x7f80_ff01_0203_0405, 0x0101_0101_0101_0101), 0x8081_ff02_0304_0506)
        // uus: ff + (-1) = fe; 00 + (-1) → 0; ff + 7f → ff; 80 + 80(-128) = 0
        XCTAssertEqual(ParallelArithmetic.padd1_uus(0x0000_0000_80ff_00ff, 0x0000_0000_80ff_ff7f), 0x0000_0000_00fe_00ff)
        // psub.uus: 00 - (-1) = 1; ff - (-1) → ff; 00 - 01 → 0
        XCTAssertEqual(ParallelArithmetic.psub1_uus(0x0000_0000_0000_ff00, 0x0000_0000_0001_ffff), 0x0000_0000_0000_ff01)
        // psub2.sss: -32768 - 1 → -32768; 32767 - (-1) → 32767
        XCTAssertEqual(ParallelArithmetic.psub2_sss(0x0000_0000_8000_7fff, 0x0000_0000_0001_ffff), 0x0000_0000_8000_7fff)
        XCTAssertEqual(ParallelArithmetic.psub2_uuu(0x0001_0000_ffff_0005, 0x0002_0001_0001_0003), 0x0000_0000_fffe_0002)
        // modulo forms wrap inside the lane and do not carry into the next one
        XCTAssertEqual(ParallelArithmetic.padd2(0x0000_ffff_0000_ffff, 0x0000_0001_0000_0001), 0)
        XCTAssertEqual(ParallelArithmetic.psub4(0, 1), 0x0000_0000_ffff_ffff)
        XCTAssertEqual(ParallelArithmetic.padd4(0xffff_ffff_ffff_ffff, 1), 0xffff_ffff_0000_0000)
    }

    func testAverages() {
        // sum 3 → 1 | 1 = 1 (plain), 2 (raz); sum 0x1fe → 0xff either way; sum 5 → 2|1 = 3, raz 3
        XCTAssertEqual(ParallelArithmetic.pavg1(0x0000_0000_00ff_0102, 0x0000_0000_00ff_0203), 0x0000_0000_00ff_0103)
        XCTAssertEqual(ParallelArithmetic.pavg1_raz(0x0000_0000_00ff_0102, 0x0000_0000_00ff_0203), 0x0000_0000_00ff_0203)
        // pavgsub1: 00 - ff = -255 → floor(-127.5) = -128 = 0x80, | 1 → 0x81; 05 - 01 = 4 → 2
        XCTAssertEqual(ParallelArithmetic.pavgsub1(0x0000_0000_0000_0005, 0x0000_0000_0000_ff01), 0x0000_0000_0000_8102)
    }

    func testShiftAddSaturatesTheShiftFirst() {
        // A lane whose shift overflows takes the saturated shift and r3 is not added; one combined
        // saturation of (a << n) + b would give the bracketed values instead.
        // 0x4000 << 1 = 0x8000 → 0x7fff (not 0x8000 - 0x8000 = 0); -0x4001 << 1 → -0x8000 (not -3).
        XCTAssertEqual(ParallelArithmetic.pshladd2(0x0000_0000_bfff_4000, count: 1, 0x0000_0000_7fff_8000), 0x0000_0000_8000_7fff)
        // in range: 0x0100 << 3 = 0x0800, + 0x7800 = 0x8000 → saturates to 0x7fff
        XCTAssertEqual(ParallelArithmetic.pshladd2(0x0000_0000_0000_0100, count: 3, 0x0000_0000_0000_7800), 0x0000_0000_0000_7fff)
        // pshradd2: -1 >> 3 = -1, + 1 = 0; 0x7fff >> 1 = 0x3fff, + 0x7fff → 0x7fff
        XCTAssertEqual(ParallelArithmetic.pshradd2(0x0000_0000_7fff_ffff, count: 3, 0x0000_0000_7fff_0001), 0x0000_0000_7fff_0000)
        XCTAssertEqual(ParallelArithmetic.pshradd2(0x0000_0000_7fff_ffff, count: 1, 0x0000_0000_7fff_0001), 0x0000_0000_7fff_0000)
    }

    func testMultiplies() {
        // pmpy2.r: halfwords 0 and 2: -1 * 2 = -2, 0x7fff * 0x7fff = 0x3fff0001
        XCTAssertEqual(ParallelMultiply.pmpy2_r(0x1111_7fff_2222_ffff, 0x3333_7fff_4444_0002), 0x3fff_0001_ffff_fffe)
        // pmpy2.l: halfwords 1 and 3: 0x8000 * 0x8000 = 0x40000000; 2 * -3 = -6
        XCTAssertEqual(ParallelMultiply.pmpy2_l(0x8000_0000_0002_0000, 0x8000_0000_fffd_0000), 0x4000_0000_ffff_fffa)
        // pmpyshr2 count 16: high halves of products; -1 * -1 = 1 → 0; 0x8000² = 0x40000000 → 0x4000
        XCTAssertEqual(ParallelMultiply.pmpyshr2(0x8000_ffff, 0x8000_ffff, count: 16), 0x4000_0000)
        XCTAssertEqual(ParallelMultiply.pmpyshr2_u(0x8000_ffff, 0x8000_ffff, count: 16), 0x4000_fffe)
        XCTAssertEqual(ParallelMultiply.pmpyshr2(0x0000_0003, 0x0000_fffb, count: 0), 0x0000_fff1)  // 3 * -5 = -15
        XCTAssertEqual(ParallelMultiply.pmpyshr2(0x0000_0003, 0x0000_fffb, count: 7), 0x0000_ffff)  // -15 >> 7 = -1
        XCTAssertEqual(ParallelMultiply.mpy4(0xdead_beef_ffff_ffff, 0x1234_5678_ffff_ffff), 0xffff_fffe_0000_0001)
        XCTAssertEqual(ParallelMultiply.mpy4(0x0000_0000_0001_0000, 0x0000_0000_0001_0000), 0x0000_0001_0000_0000)
        // mpyshl4: low word of r2 times high word of r3, then << 32
        XCTAssertEqual(ParallelMultiply.mpyshl4(0xffff_ffff_0000_0003, 0x0000_0005_ffff_ffff), 0x0000_000f_0000_0000)
        XCTAssertEqual(ParallelMultiply.mpyshl4(0x0000_0000_ffff_ffff, 0xffff_ffff_0000_0000), 0x0000_0001_0000_0000)
    }

    func testArrangement() {
        let a: UInt64 = 0x0706_0504_0302_0100, b: UInt64 = 0x1716_1514_1312_1110
        XCTAssertEqual(DataArrangement.mix1_l(a, b), 0x0717_0515_0313_0111)
        XCTAssertEqual(DataArrangement.mix1_r(a, b), 0x0616_0414_0212_0010)
        XCTAssertEqual(DataArrangement.mix2_l(a, b), 0x0706_1716_0302_1312)
        XCTAssertEqual(DataArrangement.mix4_r(a, b), 0x0302_0100_1312_1110)
        XCTAssertEqual(DataArrangement.unpack1_h(a, b), 0x0717_0616_0515_0414)
        XCTAssertEqual(DataArrangement.unpack1_l(a, b), 0x0313_0212_0111_0010)
        XCTAssertEqual(DataArrangement.unpack2_l(a, b), 0x0302_1312_0100_1110)
        XCTAssertEqual(DataArrangement.unpack4_h(a, b), 0x0706_0504_1716_1514)
        XCTAssertEqual(DataArrangement.mux1(a, .reverse), 0x0001_0203_0405_0607)
        XCTAssertEqual(DataArrangement.mux1(a, .broadcast), 0)
        XCTAssertEqual(DataArrangement.mux1(0xff, .broadcast), ~0)
        XCTAssertEqual(DataArrangement.mux1(a, .mix), 0x0703_0501_0602_0400)
        XCTAssertEqual(DataArrangement.mux1(a, .shuffle), 0x0703_0602_0501_0400)
        XCTAssertEqual(DataArrangement.mux1(a, .alternate), 0x0705_0301_0604_0200)
        XCTAssertEqual(DataArrangement.Mux1Permutation(rawValue: 0xb), .reverse)
        XCTAssertNil(DataArrangement.Mux1Permutation(rawValue: 0x1))
        XCTAssertEqual(DataArrangement.mux2(0x3333_2222_1111_0000, 0x1b), 0x0000_1111_2222_3333)
        XCTAssertEqual(DataArrangement.mux2(0x3333_2222_1111_0000, 0xe4), 0x3333_2222_1111_0000)
        XCTAssertEqual(DataArrangement.mux2(0x3333_2222_1111_0000, 0xaa), 0x2222_2222_2222_2222)
        // pack2.sss: r2's halfwords 7fff 0080 ff7f 8000 → 7f 7f 80 80; r3's into the high word
        XCTAssertEqual(DataArrangement.pack2_sss(0x7fff_0080_ff7f_8000, 0x0001_ffff_007f_ff80), 0x01ff_7f80_7f7f_8080)
        XCTAssertEqual(DataArrangement.pack2_uss(0x7fff_0080_ff7f_8000, 0x0001_ffff_00ff_0100), 0x0100_ffff_ff80_0000)
        XCTAssertEqual(DataArrangement.pack4_sss(0x0001_0000_ffff_7fff, 0xffff_8000_0000_7fff), 0x8000_7fff_7fff_8000)
    }

    func testFieldsAndShifts() {
        // extr past bit 63: field cut at 63, sign from bit 63
        XCTAssertEqual(FieldOps.extr(0x8000_0000_0000_0000, pos: 60, len: 16), 0xffff_ffff_ffff_fff8)
        XCTAssertEqual(FieldOps.extr_u(0x8000_0000_0000_0000, pos: 60, len: 16), 0x8)
        XCTAssertEqual(FieldOps.extr(0x0000_0000_0000_00f0, pos: 4, len: 4), ~0)
        XCTAssertEqual(FieldOps.extr(0x1234, pos: 0, len: 64), 0x1234)
        XCTAssertEqual(FieldOps.dep(0xffff, 0, pos: 60, len: 16), 0xf000_0000_0000_0000)
        XCTAssertEqual(FieldOps.dep(0xabcd, 0x1111_1111_1111_1111, pos: 8, len: 16), 0x1111_1111_11ab_cd11)
        XCTAssertEqual(FieldOps.dep(imm1: 1, 0, pos: 4, len: 8), 0xff0)
        XCTAssertEqual(FieldOps.dep(imm1: ~0, ~0, pos: 0, len: 64), ~0)
        XCTAssertEqual(FieldOps.dep(imm1: 0, ~0, pos: 0, len: 64), 0)
        XCTAssertEqual(FieldOps.dep_z(imm8: 0x80, pos: 4, len: 12), 0xf800)  // -128 sign-extended
        XCTAssertEqual(FieldOps.dep_z(imm8: 0x7f, pos: 60, len: 8), 0xf000_0000_0000_0000)
        XCTAssertEqual(FieldOps.shrp(0x1, 0x8000_0000_0000_0000, count: 0), 0x8000_0000_0000_0000)
        XCTAssertEqual(FieldOps.shrp(0x1, 0x8000_0000_0000_0000, count: 63), 0x3)
        XCTAssertEqual(FieldOps.shrp(0xabcd, 0x1234, count: 8), 0xcd00_0000_0000_0012)
        XCTAssertEqual(IntegerShift.shl(1, by: 63), 0x8000_0000_0000_0000)
        XCTAssertEqual(IntegerShift.shl(1, by: 64), 0)
        XCTAssertEqual(IntegerShift.shr(0x8000_0000_0000_0000, by: 1000), ~0)
        XCTAssertEqual(IntegerShift.shr(0x7fff_ffff_ffff_ffff, by: 64), 0)
        XCTAssertEqual(IntegerShift.shr_u(~0, by: 63), 1)
        XCTAssertEqual(IntegerShift.shr_u(~0, by: 64), 0)
        XCTAssertEqual(IntegerShift.shladd(3, count: 4, 1), 49)
        XCTAssertEqual(ParallelShift.pshr2(0x8000_7fff_0000_ffff, by: 15), 0xffff_0000_0000_ffff)
        XCTAssertEqual(ParallelShift.pshr2(0x8000_7fff_0000_ffff, by: 16), 0xffff_0000_0000_ffff)
        XCTAssertEqual(ParallelShift.pshl4(0x0000_0001_8000_0001, by: 31), 0x8000_0000_8000_0000)
        XCTAssertEqual(ParallelShift.pshl4(0x0000_0001_8000_0001, by: 32), 0)
        XCTAssertEqual(ParallelShift.pshr4_u(0x8000_0000_8000_0000, by: 31), 0x0000_0001_0000_0001)
    }

    func testPointerArithmeticAndExtension() {
        // Region bits come from r3, not from the sum: 0x7fffffff sum but r3 has 10 in 31:30.
        XCTAssertEqual(PointerArithmetic.addp4(0xffff_ffff_ffff_ffff, 0x8000_0000), 0x4000_0000_7fff_ffff)
        XCTAssertEqual(PointerArithmetic.addp4(0x4000_0000, 0x1234_5678_0000_0000), 0x4000_0000)
        XCTAssertEqual(PointerArithmetic.shladdp4(0x1000, count: 4, 0xffff_ffff_c000_0000), 0x6000_0000_c001_0000)
        XCTAssertEqual(IntegerExtension.sxt1(0x80), 0xffff_ffff_ffff_ff80)
        XCTAssertEqual(IntegerExtension.sxt2(0x1_7fff), 0x7fff)
        XCTAssertEqual(IntegerExtension.sxt4(0x1_8000_0000), 0xffff_ffff_8000_0000)
        XCTAssertEqual(IntegerExtension.zxt4(~0), 0xffff_ffff)
    }

    func testCounts() {
        XCTAssertEqual(BitCount.clz(0), 64)
        XCTAssertEqual(BitCount.clz(1), 63)
        XCTAssertEqual(BitCount.clz(~0), 0)
        XCTAssertEqual(BitCount.popcnt(~0), 64)
        XCTAssertEqual(BitCount.czx1_l(~0), 8)
        XCTAssertEqual(BitCount.czx1_r(~0), 8)
        XCTAssertEqual(BitCount.czx2_l(~0), 4)
        XCTAssertEqual(BitCount.czx2_r(~0), 4)
        XCTAssertEqual(BitCount.czx1_l(0x1122_0044_0066_7788), 2)
        XCTAssertEqual(BitCount.czx1_r(0x1122_0044_0066_7788), 3)  // bytes from the right: 88 77 66 00
        XCTAssertEqual(BitCount.czx2_l(0x0100_0000_0000_0001), 1)
        XCTAssertEqual(BitCount.czx2_r(0x0001_0000_0001_0100), 2)
        XCTAssertEqual(BitCount.czx1_l(0), 0)
        XCTAssertEqual(ParallelArithmetic.psad1(0xffff_ffff_ffff_ffff, 0), 8 * 255)
    }
}
