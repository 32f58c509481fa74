import IA64Exec
import VMMCore
import XCTest

/// Faults stop execution with a precise record; nothing after the faulting slot happens.
final class FaultTests: XCTestCase {
    func outcome(_ body: String) throws -> (LinuxUserProcess, Interruption?) {
        let (process, outcome) = try GuestProgram.run(try GuestProgram.build(GuestProgram.snippet(body)))
        if case .fault(let i) = outcome { return (process, i) }
        return (process, nil)
    }

    func testUnalignedLoad() throws {
        let (process, i) = try outcome("""
            adds r8 = 1, r3 ;;
            ld8 r9 = [r8] ;;
            mov r10 = 1
            """)
        let fault = try XCTUnwrap(i)
        XCTAssertEqual(fault.kind, .unalignedReference)
        XCTAssertEqual(fault.ifa, process.cpu.r(3) + 1)
        XCTAssertEqual(fault.vectorOffset, 0x5a00)
        XCTAssertEqual(process.cpu.ip, fault.iip)
        XCTAssertEqual(process.cpu.slot, fault.slot)
    }

    func testNaTConsumptionOnStore() throws {
        let (_, i) = try outcome("""
            mov r8 = 0 ;;
            ld8.s r9 = [r8] ;;
            st8 [r3] = r9 ;;
            """)
        XCTAssertEqual(i?.kind, .natConsumption)
        XCTAssertEqual(i?.vectorOffset, 0x5600)
    }

    func testWildLoadIsADataFault() throws {
        let (_, i) = try outcome("""
            movl r8 = 0x7000000000000000 ;;
            ld8 r9 = [r8] ;;
            """)
        XCTAssertEqual(i?.kind, .dataAccess)
        XCTAssertEqual(i?.ifa, 0x7000_0000_0000_0000)
    }

    func testBreakCarriesItsImmediate() throws {
        let (process, i) = try outcome("""
            mov r8 = 1
            break.m 0x1234 ;;
            mov r9 = 2
            """)
        XCTAssertEqual(i?.kind, .breakInstruction)
        XCTAssertEqual(i?.iim, 0x1234)
        XCTAssertEqual(process.cpu.r(9), 0, "nothing after the fault ran")
    }

    /// An impossible frame in ar.pfs (sol > sof, or reserved bits) is a Reserved Register/Field
    /// fault (ISR.code 0x30), from the run loop's form and the general one alike; a valid one is
    /// written and br.ret restores it.
    func testImpossibleFrameInPFSIsAReservedFieldFault() throws {
        for (value, form) in [("0x80", "mov.i ar.pfs = r8"), ("0x80", "mov ar.pfs = r8"),
                              ("0x4000000000", "mov.i ar.pfs = r8"), ("0x3061", "mov.i ar.pfs = r8")] {
            let (process, i) = try outcome("""
                movl r8 = \(value) ;;
                \(form) ;;
                mov r9 = 1
                """)
            let fault = try XCTUnwrap(i, "\(value)")
            XCTAssertEqual(fault.kind, .reservedRegisterField, "\(value)")
            XCTAssertEqual(fault.isr & 0xf0, 0x30)
            XCTAssertEqual(fault.vectorOffset, 0x5400)
            XCTAssertEqual(process.cpu.r(9), 0, "nothing after the fault ran")
        }
        // sof 7, sol 0, sor 0: a possible frame, which br.ret then makes current.
        let cpu = try GuestProgram.runSnippet("""
            mov r8 = 7 ;;
            mov.i ar.pfs = r8
            movl r9 = returned ;;
            mov b6 = r9 ;;
            br.ret.sptk.many b6 ;;
            returned:
            mov r10 = ar.pfs ;;
            """)
        XCTAssertEqual(cpu.r(10), 7)
        XCTAssertEqual(cpu.currentFrame.sof, 7)
        XCTAssertEqual(cpu.currentFrame.sol, 0)
        // Loaders and debuggers cannot install one either.
        XCTAssertFalse(cpu.setApplicationRegisterForStartup(64, 0x80))
        XCTAssertEqual(cpu.applicationRegister(64), 7)
    }

    func testRegisterOutsideTheFrameIsIllegal() throws {
        // The snippet's frame has 24 registers (r32–r55): r60 is outside it.
        let (_, i) = try outcome("""
            mov r60 = 1 ;;
            """)
        XCTAssertEqual(i?.kind, .illegalOperation)
    }

    func testReservedEncodingIsIllegal() throws {
        // A hand-made bundle with a reserved template (0x06) in otherwise valid code.
        let cpu = Processor(bus: {
            let m = SparseMemory()
            m.map(0x1000, length: 0x1000)
            _ = m.write(InstructionBundle(template: 0x06, slots: 0, 0, 0).bytes, at: 0x1000)
            return m
        }())
        cpu.ip = 0x1000
        guard case .interruption(let i) = cpu.run(until: 10) else { return XCTFail("expected a fault") }
        XCTAssertEqual(i.kind, .illegalOperation)
        XCTAssertEqual(i.iip, 0x1000)
        XCTAssertEqual(i.slot, 0)
        XCTAssertEqual(cpu.retired, 0)
    }

    func testPrivilegedInstructionAtUserLevel() throws {
        let (_, i) = try outcome("""
            rsm 0x4000 ;;
            """)
        XCTAssertEqual(i?.kind, .privilegedOperation)
    }
}
