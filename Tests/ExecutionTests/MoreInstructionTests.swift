import IA64Exec
import VMMCore
import XCTest

/// Long branches, 16-byte accesses, while-loop branches and FP register disabling.
final class MoreInstructionTests: XCTestCase {
    func testLongBranchAndSixteenByteAccesses() throws {
        let cpu = try GuestProgram.runSnippet("""
            mov r8 = 1
            brl.sptk.few over ;;
            mov r8 = 2 ;;                    // skipped
            over:
            movl r9 = 0x1111111122222222
            movl r10 = 0x3333333344444444
            ;;
            mov ar.csd = r10 ;;
            st16 [r3] = r9, ar.csd ;;
            ld16 r11, ar.csd = [r3] ;;
            mov r14 = ar.csd
            mov ar.ccv = r9 ;;
            movl r15 = 0x5555555555555555 ;;
            cmp8xchg16.acq r16 = [r3], r15, ar.csd, ar.ccv ;;   // matches: 16 bytes stored
            ld8 r17 = [r3]
            """)
        XCTAssertEqual(cpu.r(8), 1)
        XCTAssertEqual(cpu.r(11), 0x1111_1111_2222_2222)
        XCTAssertEqual(cpu.r(14), 0x3333_3333_4444_4444)
        XCTAssertEqual(cpu.r(16), 0x1111_1111_2222_2222)
        XCTAssertEqual(cpu.r(17), 0x5555_5555_5555_5555)
    }

    func testWhileLoopBranch() throws {
        // br.wtop: taken while the qualifying predicate is true; p63 is cleared and registers rotate.
        let cpu = try GuestProgram.runSnippet("""
            mov r8 = 0
            mov r9 = 3
            mov ar.ec = 1 ;;
            loop:
            adds r8 = 1, r8
            adds r9 = -1, r9 ;;
            cmp.ne p16, p0 = 0, r9 ;;
            (p16) br.wtop.sptk.few loop ;;
            clrrrb ;;
            """)
        // Worked by hand: two taken wtops while p16 holds; the third sees p16 false with
        // ec = 1, so it decrements ec, rotates, and falls through after three bodies.
        XCTAssertEqual(cpu.r(8), 3)
        XCTAssertEqual(cpu.r(9), 0)
    }

    func testDisabledFloatingPointRegisterFault() throws {
        let elf = try GuestProgram.build(GuestProgram.snippet("""
            mov f6 = f1 ;;
            """))
        let process = try LinuxUserProcess(elf: elf)
        process.cpu.psr |= 1 << 18  // psr.dfl: f2..f31 disabled
        guard case .fault(let i) = process.run(stopAt: elf.symbol(named: "done")?.value) else {
            return XCTFail("expected a fault")
        }
        XCTAssertEqual(i.kind, .disabledFloatingPointRegister)
        XCTAssertEqual(i.vectorOffset, 0x5500)
        XCTAssertEqual(i.isr & 3, 1)
    }

    /// Illegal Operation outranks Disabled Floating-Point Register: a load into a disabled FR
    /// through a base register outside the frame is an Illegal Operation.
    func testIllegalOperationOutranksDisabledFloatingPointRegister() throws {
        let elf = try GuestProgram.build(GuestProgram.snippet("""
            ldfd f6 = [r60] ;;
            """))
        let process = try LinuxUserProcess(elf: elf)
        process.cpu.psr |= 1 << 18  // psr.dfl: f2..f31 disabled
        guard case .fault(let i) = process.run(stopAt: elf.symbol(named: "done")?.value) else {
            return XCTFail("expected a fault")
        }
        XCTAssertEqual(i.kind, .illegalOperation, "r60 is outside the 24-register frame")
    }
}
