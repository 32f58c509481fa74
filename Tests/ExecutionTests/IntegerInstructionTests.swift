import IA64Exec
import XCTest

/// A- and I-unit instructions assembled by gas, with expected values worked from the manual's
/// definitions.
final class IntegerInstructionTests: XCTestCase {
    func testArithmeticAndLogical() throws {
        let cpu = try GuestProgram.runSnippet("""
            mov r8 = 100
            mov r9 = -7
            ;;
            add r10 = r8, r9            // 93
            sub r11 = r8, r9            // 107
            add r14 = r8, r9, 1         // 94
            sub r15 = r8, r9, 1         // 106
            adds r16 = -200, r8         // -100
            addl r17 = 0x1fffff, r0     // 2097151
            sub r18 = 5, r8             // -95
            and r19 = 0x70, r9          // 0x70 & ...fff9 = 0x70
            or r20 = r8, r9             // 100 | -7 = -3
            xor r21 = r8, r9            // 100 ^ -7 = -99
            andcm r22 = r8, r9          // 100 & 6 = 4
            shladd r23 = r8, 3, r9      // 800 - 7 = 793
            movl r24 = 0xfedcba9876543210
            ;;
            addp4 r25 = r24, r8         // low 32 of (r24 + r8{31:0}) = 0x76543274; bits 62:61 = r8{31:30} = 0
            addp4 r26 = r8, r24         // (100 + 0x76543210) & 0xffffffff | (r24{31:30}=1)<<61
            shladdp4 r27 = r8, 2, r24
            """)
        XCTAssertEqual(cpu.r(10), 93)
        XCTAssertEqual(cpu.r(11), 107)
        XCTAssertEqual(cpu.r(14), 94)
        XCTAssertEqual(cpu.r(15), 106)
        XCTAssertEqual(Int64(bitPattern: cpu.r(16)), -100)
        XCTAssertEqual(cpu.r(17), 0x1fffff)
        XCTAssertEqual(Int64(bitPattern: cpu.r(18)), -95)
        XCTAssertEqual(cpu.r(19), 0x70)
        XCTAssertEqual(Int64(bitPattern: cpu.r(20)), -3)
        XCTAssertEqual(Int64(bitPattern: cpu.r(21)), -99)
        XCTAssertEqual(cpu.r(22), 4)
        XCTAssertEqual(cpu.r(23), 793)
        XCTAssertEqual(cpu.r(24), 0xfedc_ba98_7654_3210)
        XCTAssertEqual(cpu.r(25), 0x7654_3274)
        XCTAssertEqual(cpu.r(26), 0x7654_3274 | 1 << 61)
        XCTAssertEqual(cpu.r(27), (0x7654_3210 + 400) | 1 << 61)
    }

    func testCompareTypesAndRelations() throws {
        let cpu = try GuestProgram.runSnippet("""
            mov r8 = -5
            mov r9 = 3
            ;;
            cmp.lt p6, p7 = r8, r9          // signed: true
            cmp.ltu p8, p9 = r8, r9         // unsigned: false
            cmp4.gt p10, p11 = r9, r8       // true
            cmp.eq p12, p13 = 3, r9         // true
            ;;
            cmp.eq.unc p14, p15 = r0, r0 ;; // true
            (p8) cmp.eq.unc p16, p17 = r0, r0 ;;  // qp false: both cleared
            mov r10 = 1 ;;
            cmp.eq p18, p19 = r0, r0 ;;     // p18 = 1
            cmp.ne.and p18, p19 = r0, r10 ;; // rel true: no change (and clears on false)
            cmp.eq.and p20, p21 = r0, r10 ;; // rel false: both cleared
            cmp.eq.or p22, p23 = r10, r10 ;; // rel true: both set
            cmp.ne.or.andcm p24, p25 = r0, r10 ;; // true: p24=1, p25=0
            """)
        XCTAssertTrue(cpu.p(6)); XCTAssertFalse(cpu.p(7))
        XCTAssertFalse(cpu.p(8)); XCTAssertTrue(cpu.p(9))
        XCTAssertTrue(cpu.p(10)); XCTAssertFalse(cpu.p(11))
        XCTAssertTrue(cpu.p(12)); XCTAssertFalse(cpu.p(13))
        XCTAssertTrue(cpu.p(14)); XCTAssertFalse(cpu.p(15))
        XCTAssertFalse(cpu.p(16)); XCTAssertFalse(cpu.p(17))
        XCTAssertTrue(cpu.p(18))
        XCTAssertFalse(cpu.p(20)); XCTAssertFalse(cpu.p(21))
        XCTAssertTrue(cpu.p(22)); XCTAssertTrue(cpu.p(23))
        XCTAssertTrue(cpu.p(24)); XCTAssertFalse(cpu.p(25))
    }

    func testBitFieldsShiftsAndExtends() throws {
        let cpu = try GuestProgram.runSnippet("""
            movl r8 = 0x8123456789abcdef
            mov r9 = 12
            ;;
            extr.u r10 = r8, 8, 16      // 0xabcd
            extr r11 = r8, 8, 16        // sign-extended 0xabcd
            dep.z r14 = r8, 4, 8        // 0xef0
            dep r15 = r0, r8, 0, 16     // clear low 16
            shl r16 = r8, r9
            shr r17 = r8, r9            // arithmetic
            shr.u r18 = r8, r9
            shrp r19 = r8, r8, 8        // rotate right by 8
            zxt1 r20 = r8
            sxt2 r21 = r8               // 0xcdef sign-extended
            sxt4 r22 = r8               // 0x89abcdef sign-extended
            tbit.nz p6, p7 = r8, 63 ;;
            tbit.z p8, p9 = r8, 4 ;;    // bit 4 of 0xef is 0 -> p8 true
            mov r23 = 64 ;;
            shl r24 = r8, r23           // count >= 64 gives 0
            shr r25 = r8, r23           // sign fill
            """)
        XCTAssertEqual(cpu.r(10), 0xabcd)
        XCTAssertEqual(cpu.r(11), 0xffff_ffff_ffff_abcd)
        XCTAssertEqual(cpu.r(14), 0xef0)
        XCTAssertEqual(cpu.r(15), 0x8123_4567_89ab_0000)
        XCTAssertEqual(cpu.r(16), 0x8123_4567_89ab_cdef << 12)
        XCTAssertEqual(cpu.r(17), UInt64(bitPattern: Int64(bitPattern: 0x8123_4567_89ab_cdef) >> 12))
        XCTAssertEqual(cpu.r(18), 0x8123_4567_89ab_cdef >> 12)
        XCTAssertEqual(cpu.r(19), 0xef81_2345_6789_abcd)
        XCTAssertEqual(cpu.r(20), 0xef)
        XCTAssertEqual(cpu.r(21), 0xffff_ffff_ffff_cdef)
        XCTAssertEqual(cpu.r(22), 0xffff_ffff_89ab_cdef)
        XCTAssertTrue(cpu.p(6)); XCTAssertFalse(cpu.p(7))
        XCTAssertTrue(cpu.p(8)); XCTAssertFalse(cpu.p(9))
        XCTAssertEqual(cpu.r(24), 0)
        XCTAssertEqual(cpu.r(25), ~0)
    }

    func testPredicateAndBranchRegisterMoves() throws {
        let cpu = try GuestProgram.runSnippet("""
            movl r8 = 0x00000000000000f0
            ;;
            mov pr = r8, -2 ;;           // every predicate from r8: p4..p7 set, the rest clear
            mov r9 = pr
            mov pr.rot = 0x30000 ;;      // p16, p17 set; p18..p63 cleared
            mov r10 = pr
            mov b6 = r8 ;;
            mov r11 = b6
            mov r14 = ip
            """)
        XCTAssertEqual(cpu.r(9) & 0xffff, 0xf1)
        XCTAssertEqual(cpu.r(10) >> 16, 0x3)
        XCTAssertEqual(cpu.r(11), 0xf0)
        XCTAssertEqual(cpu.r(14) & 0xf, 0)
    }
}
