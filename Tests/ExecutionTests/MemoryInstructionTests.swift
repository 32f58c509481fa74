import IA64Exec
import XCTest

final class MemoryInstructionTests: XCTestCase {
    func testLoadsAndStoresOfEverySizeWithUpdate() throws {
        let cpu = try GuestProgram.runSnippet("""
            movl r8 = 0x1122334455667788
            ;;
            st8 [r3] = r8, 8 ;;          // r3 += 8
            st4 [r3] = r8 ;;
            adds r9 = -8, r3 ;;
            ld1 r10 = [r9]               // 0x88
            ld2 r11 = [r9]               // 0x7788
            ld4 r14 = [r9]               // 0x55667788
            ld8 r15 = [r9], 8 ;;         // r9 += 8
            ld4 r16 = [r9]               // 0x55667788 stored by st4
            mov r17 = 2 ;;
            ld1 r18 = [r9], r17 ;;       // r9 += 2
            """)
        XCTAssertEqual(cpu.r(10), 0x88)
        XCTAssertEqual(cpu.r(11), 0x7788)
        XCTAssertEqual(cpu.r(14), 0x5566_7788)
        XCTAssertEqual(cpu.r(15), 0x1122_3344_5566_7788)
        XCTAssertEqual(cpu.r(16), 0x5566_7788)
        XCTAssertEqual(cpu.r(18), 0x88)
        XCTAssertEqual(cpu.r(9), cpu.r(3) + 2)
    }

    func testSemaphores() throws {
        let cpu = try GuestProgram.runSnippet("""
            mov r8 = 10
            mov r9 = 20
            ;;
            st8 [r3] = r8
            mov ar.ccv = r8 ;;
            cmpxchg8.acq r10 = [r3], r9, ar.ccv ;;   // matches: memory = 20, r10 = 10
            cmpxchg8.acq r11 = [r3], r8, ar.ccv ;;   // 20 != 10: no store, r11 = 20
            xchg8 r14 = [r3], r8 ;;                  // r14 = 20, memory = 10
            fetchadd8.rel r15 = [r3], 16 ;;          // r15 = 10, memory = 26
            fetchadd4.acq r16 = [r3], -1 ;;          // r16 = 26, memory = 25
            ld8 r17 = [r3]
            """)
        XCTAssertEqual(cpu.r(10), 10)
        XCTAssertEqual(cpu.r(11), 20)
        XCTAssertEqual(cpu.r(14), 20)
        XCTAssertEqual(cpu.r(15), 10)
        XCTAssertEqual(cpu.r(16), 26)
        XCTAssertEqual(cpu.r(17), 25)
    }

    func testSpeculationDefersFaultsAndChkSRecovers() throws {
        let cpu = try GuestProgram.runSnippet("""
            mov r8 = 0 ;;                // address 0 is unmapped
            ld8.s r9 = [r8] ;;           // deferred: NaT, no fault
            add r10 = r9, r0 ;;          // NaT propagates
            tnat.nz p6, p7 = r10 ;;
            mov r11 = 1
            chk.s r9, recover ;;
            mov r11 = 2 ;;               // skipped
            recover:
            mov r14 = 3
            """)
        XCTAssertTrue(cpu.nat(9))
        XCTAssertTrue(cpu.nat(10))
        XCTAssertTrue(cpu.p(6))
        XCTAssertEqual(cpu.r(11), 1)
        XCTAssertEqual(cpu.r(14), 3)
    }

    func testAdvancedLoadsAndTheALAT() throws {
        let cpu = try GuestProgram.runSnippet("""
            mov r8 = 5
            mov r9 = 6
            ;;
            st8 [r3] = r8 ;;
            ld8.a r10 = [r3] ;;          // entry for r10
            ld8.c.clr r10 = [r3] ;;      // hit: no reload, entry removed
            ld8.a r11 = [r3] ;;
            st8 [r3] = r9 ;;             // overlapping store removes the entry
            ld8.c.clr r11 = [r3] ;;      // miss: reloads 6
            mov r14 = 0
            ld8.a r15 = [r3] ;;
            invala ;;
            chk.a.clr r15, reload ;;     // no entry: branch
            mov r14 = 1 ;;
            reload:
            mov r16 = 7
            """)
        XCTAssertEqual(cpu.r(10), 5)
        XCTAssertEqual(cpu.r(11), 6)
        XCTAssertEqual(cpu.r(14), 0)
        XCTAssertEqual(cpu.r(16), 7)
    }

    func testSpillAndFillKeepNaTInUNaT() throws {
        let cpu = try GuestProgram.runSnippet("""
            mov r8 = 0 ;;
            ld8.s r9 = [r8] ;;           // NaT
            mov r10 = 42 ;;
            st8.spill [r3] = r9, 8 ;;
            st8.spill [r3] = r10 ;;
            adds r3 = -8, r3 ;;
            ld8.fill r14 = [r3], 8 ;;
            ld8.fill r15 = [r3]
            mov r16 = ar.unat
            """)
        XCTAssertTrue(cpu.nat(14))
        XCTAssertFalse(cpu.nat(15))
        XCTAssertEqual(cpu.r(15), 42)
        XCTAssertNotEqual(cpu.r(16), 0)
    }

    func testBigEndianDataAccess() throws {
        let cpu = try GuestProgram.runSnippet("""
            movl r8 = 0x1122334455667788
            ;;
            sum 0x2 ;;                   // psr.be = 1
            st8 [r3] = r8 ;;
            ld4 r9 = [r3] ;;             // first four bytes, big-endian: 0x11223344
            rum 0x2 ;;
            ld1 r10 = [r3]               // byte 0 is 0x11
            """)
        XCTAssertEqual(cpu.r(9), 0x1122_3344)
        XCTAssertEqual(cpu.r(10), 0x11)
    }
}
