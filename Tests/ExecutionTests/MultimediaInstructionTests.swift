import IA64Exec
import XCTest

/// Multimedia instructions assembled by gas; expected lanes worked by hand from the manual.
final class MultimediaInstructionTests: XCTestCase {
    func testParallelArithmeticAndSaturation() throws {
        let cpu = try GuestProgram.runSnippet("""
            movl r8 = 0x7f80ff0102030405
            movl r9 = 0x0101010101010101
            ;;
            padd1 r10 = r8, r9              // modulo: 80 81 00 02 03 04 05 06
            padd1.sss r11 = r8, r9          // 7f+1 saturates at 7f; 80+1 = 81
            padd1.uuu r14 = r8, r9          // ff+1 saturates at ff
            psub1.uus r15 = r9, r8          // 01 - (signed) per byte, clamped to 0..ff
            pavg1 r16 = r8, r9
            pavg1.raz r17 = r8, r9
            pcmp1.eq r18 = r8, r8
            pcmp2.gt r19 = r8, r9           // signed 16-bit lanes
            ;;
            """)
        XCTAssertEqual(cpu.r(10), 0x8081_0002_0304_0506)
        XCTAssertEqual(cpu.r(11), 0x7f81_0002_0304_0506)
        XCTAssertEqual(cpu.r(14), 0x8081_ff02_0304_0506)
        // bytes: 01-7f<0→0, 01-(-80)=81, 01-(-1)=02, 01-01=0, 01-02<0→0, 01-03→0, 01-04→0, 01-05→0
        XCTAssertEqual(cpu.r(15), 0x0081_0200_0000_0000)
        // pavg: (a+b)>>1 | (a+b)&1: 7f+1=80→40, 80+1=81→41, ff+1=100→80, 1+1=2→1, 2+1=3→1|1=1, 3+1→2, 4+1=5→3, 5+1→3
        XCTAssertEqual(cpu.r(16), 0x4041_8001_0102_0303)
        // pavg.raz: (a+b+1)>>1: 40, 41, 80, 1, 2, 2, 3, 3
        XCTAssertEqual(cpu.r(17), 0x4041_8001_0202_0303)
        XCTAssertEqual(cpu.r(18), ~0)
        // 16-bit lanes of r8: 7f80 (>0101: yes), ff01 (-255 > 0101? no), 0203 (> yes), 0405 (> yes)
        XCTAssertEqual(cpu.r(19), 0xffff_0000_ffff_ffff)
    }

    func testArrangementAndShifts() throws {
        let cpu = try GuestProgram.runSnippet("""
            movl r8 = 0x0706050403020100
            movl r9 = 0x1716151413121110
            ;;
            mix1.r r10 = r8, r9             // bytes 7..0: 06 16 04 14 02 12 00 10
            mix1.l r11 = r8, r9             // 07 17 05 15 03 13 01 11
            unpack1.l r14 = r8, r9          // 03 13 02 12 01 11 00 10
            mux1 r15 = r8, @rev             // 00 01 02 ... 07
            mux1 r16 = r8, @brcst           // all 00
            mux2 r17 = r8, 0x1b             // lanes reversed: 0100 0302 0504 0706
            pshl2 r18 = r8, 4
            pshr2.u r19 = r9, 8
            popcnt r20 = r8
            czx1.r r21 = r8                 // byte 0 is zero
            psad1 r22 = r8, r9              // 8 * 0x10
            ;;
            """)
        XCTAssertEqual(cpu.r(10), 0x0616_0414_0212_0010)
        XCTAssertEqual(cpu.r(11), 0x0717_0515_0313_0111)
        XCTAssertEqual(cpu.r(14), 0x0313_0212_0111_0010)
        XCTAssertEqual(cpu.r(15), 0x0001_0203_0405_0607)
        XCTAssertEqual(cpu.r(16), 0)
        XCTAssertEqual(cpu.r(17), 0x0100_0302_0504_0706)
        XCTAssertEqual(cpu.r(18), 0x7060_5040_3020_1000)
        XCTAssertEqual(cpu.r(19), 0x0017_0015_0013_0011)
        XCTAssertEqual(cpu.r(20), UInt64((0x0706050403020100 as UInt64).nonzeroBitCount))
        XCTAssertEqual(cpu.r(21), 0)
        XCTAssertEqual(cpu.r(22), 0x80)
    }
}
