import Foundation
@testable import IA64Exec
import VMMCore
import XCTest

/// Bare-metal programs at privilege level 0: their own vector table, interruption state
/// collection, rfi, and a drop to level 3. Expected register values follow the manual's rules:
/// IIP is the faulting bundle, ISR.ei its slot, IPSR the PSR at the interruption with ri and
/// cpl, IIM the break immediate, ISR.code 0x10 for Privileged Operation.
final class BareMetalTests: XCTestCase {
    static let link = ["-Ttext=0x100000", "-Tdata=0x200000"]

    /// Runs one of the bundled bare-metal programs to its halt (code 0) and gives its CPU.
    func haltedCPU(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> Processor {
        let (machine, _) = try machine(name)
        XCTAssertEqual(machine.run(maxInstructions: 10_000), .halted(code: 0), file: file, line: line)
        return machine.cpu
    }

    /// Runs an inline bare-metal program (explicit bundling when `explicit`) to its halt (code 0).
    func haltedCPU(program: String, explicit: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws -> Processor {
        let elf = try GuestProgram.build(program, explicit: explicit, linkerArguments: Self.link)
        let machine = try BareMetalMachine(elf: elf)
        XCTAssertEqual(machine.run(maxInstructions: 1000), .halted(code: 0), file: file, line: line)
        return machine.cpu
    }

    /// Assembles and links one of the bundled bare-metal programs and loads it.
    func machine(_ name: String) throws -> (BareMetalMachine, ElfFile) {
        let url = GuestProgram.packageRoot.appendingPathComponent("Guests/baremetal/\(name).s")
        let elf = try GuestProgram.build(try String(contentsOf: url, encoding: .utf8), explicit: true, linkerArguments: Self.link)
        return (try BareMetalMachine(elf: elf), elf)
    }

    func testVectorTableBreakRfiAndPrivilegedOperation() throws {
        let (machine, elf) = try machine("interruptions")
        XCTAssertEqual(machine.run(maxInstructions: 10_000), .halted(code: 5))
        let cpu = machine.cpu
        let brk = try XCTUnwrap(elf.symbol(named: "brk")).value
        let privileged = try XCTUnwrap(elf.symbol(named: "privileged")).value
        // Break: IIM, ISR (slot 0, nothing else: collection was on), IIP, IPSR.
        XCTAssertEqual(cpu.r(9), 0x42)
        XCTAssertEqual(cpu.r(10), 0)
        XCTAssertEqual(cpu.r(11), brk)
        XCTAssertEqual(cpu.r(14) & Processor.ProcessorStatus.ic, Processor.ProcessorStatus.ic)
        XCTAssertEqual(cpu.r(14) >> 32 & 3, 0, "taken at level 0")
        // rfi resumed at slot 1 of the break's bundle, then the program reached level 3.
        XCTAssertEqual(cpu.r(8), 7)
        // Privileged Operation at level 3, recorded by the handler in `results`.
        let results = try XCTUnwrap(elf.symbol(named: "results")).value
        let isr = try XCTUnwrap(machine.bus.ram.load(results, size: 8))
        let ipsr = try XCTUnwrap(machine.bus.ram.load(results + 8, size: 8))
        let iip = try XCTUnwrap(machine.bus.ram.load(results + 16, size: 8))
        XCTAssertEqual(isr & 0xff, 0x10, "General Exception code: Privileged Operation")
        XCTAssertEqual(isr >> 41 & 3, 0, "ISR.ei: slot 0")
        XCTAssertEqual(isr >> 39 & 1, 0, "ISR.ni: state was collected")
        XCTAssertEqual(ipsr >> 32 & 3, 3, "IPSR.cpl: the user level")
        XCTAssertEqual(ipsr & Processor.ProcessorStatus.ic, Processor.ProcessorStatus.ic)
        XCTAssertEqual(iip, privileged)
        // The handler runs with collection off, at level 0, on bank 0.
        XCTAssertEqual(cpu.psr & Processor.ProcessorStatus.ic, 0)
        XCTAssertEqual(cpu.privilegeLevel, 0)
        XCTAssertEqual(cpu.psr & Processor.ProcessorStatus.bn, 0)
    }

    func testInterruptionWithoutVectorTableEndsTheRun() throws {
        let elf = try GuestProgram.build("""
                .text
                .global _start
            _start:
                mov r8 = 1
                ;;
                break.m 0x7
                ;;
            """, linkerArguments: Self.link)
        let machine = try BareMetalMachine(elf: elf)
        guard case .unhandled(let reason, let i) = machine.run(maxInstructions: 1000) else {
            return XCTFail("expected an unhandled interruption")
        }
        XCTAssertEqual(i.kind, .breakInstruction)
        XCTAssertEqual(i.iim, 7)
        XCTAssertTrue(reason.contains("cr.iva"), reason)
    }

    /// cr.ifs naming an impossible frame (v set, sol > sof) is a Reserved Register/Field
    /// fault (ISR.code 0x30) at the mov; a possible one is written.
    func testImpossibleFrameInIFSIsAReservedFieldFault() throws {
        let elf = try GuestProgram.build("""
                .text
                .global _start
            _start:
                movl r8 = 0x8000000000000007
                movl r9 = 0x8000000000000080
                ;;
                mov cr.ifs = r8
                ;;
                mov cr.ifs = r9
                ;;
            """, linkerArguments: Self.link)
        let machine = try BareMetalMachine(elf: elf)
        guard case .unhandled(_, let i) = machine.run(maxInstructions: 1000) else {
            return XCTFail("expected an unhandled interruption")
        }
        XCTAssertEqual(i.kind, .reservedRegisterField)
        XCTAssertEqual(i.isr & 0xf0, 0x30)
        XCTAssertEqual(machine.cpu.controlRegister(.ifs), 0x8000_0000_0000_0007, "the valid frame was written")
    }

    func testBanksSwitchWithBsw() throws {
        let elf = try GuestProgram.build("""
                .text
                .global _start
            _start:
                bsw.1
                ;;
                mov r16 = 11
                ;;
                bsw.0
                ;;
                mov r16 = 22
                ;;
                bsw.1
                ;;
                mov r8 = r16                // bank 1's r16: 11
                ;;
                .global done
            done:
                nop.m 0
                ;;
            """, linkerArguments: Self.link)
        let machine = try BareMetalMachine(elf: elf)
        XCTAssertEqual(machine.run(stopAt: elf.symbol(named: "done")?.value, maxInstructions: 1000), .reachedStop)
        XCTAssertEqual(machine.cpu.r(8), 11)
    }
}

extension BareMetalTests {
    /// ar.itc reaching cr.itm pends cr.itv's vector; with psr.i set it arrives through the
    /// External Interrupt vector at the next instruction boundary; cr.ivr acknowledges it.
    func testTimerInterrupt() throws {
        let (machine, elf) = try machine("timer")
        XCTAssertEqual(machine.run(maxInstructions: 100_000), .halted(code: 1))
        let cpu = machine.cpu
        XCTAssertEqual(cpu.r(14), 0xef, "cr.ivr returns the timer vector")
        let itm = cpu.controlRegister(.itm)
        XCTAssertGreaterThanOrEqual(cpu.r(17), itm, "delivered once itc reached itm")
        XCTAssertLessThan(cpu.r(17) - itm, 4, "and at the next instruction boundary")
        let spin = try XCTUnwrap(elf.symbol(named: "spin")).value
        XCTAssertTrue(cpu.r(15) == spin || cpu.r(15) == spin + 16, "interrupted inside the spin loop")
        XCTAssertEqual(cpu.r(16) & 0xffff, 0, "ISR code 0 for an external interrupt")
        XCTAssertFalse(cpu.isPending(vector: 0xef))
    }

    func testMaskedInterruptWaitsForPsrI() {
        let cpu = Processor(bus: SparseMemory())
        cpu.assertExternalInterrupt(vector: 0x40)
        XCTAssertNil(cpu.pendingExternalInterruption(), "psr.i is off")
        cpu.psr |= Processor.ProcessorStatus.i
        XCTAssertEqual(cpu.pendingExternalInterruption()?.kind, .externalInterrupt)
        cpu.setControlRegister(.tpr, 4 << 4)  // mask classes 0..4: vector 0x40 is class 4
        XCTAssertNil(cpu.pendingExternalInterruption())
        cpu.setControlRegister(.tpr, 0)
        XCTAssertEqual(cpu.acknowledgeInterrupt(), 0x40)
        XCTAssertEqual(cpu.acknowledgeInterrupt(), 15, "nothing else pending: spurious")
        cpu.assertExternalInterrupt(vector: 0x30)
        XCTAssertNil(cpu.pendingExternalInterruption(), "lower than the vector in service")
        cpu.assertExternalInterrupt(vector: 2)
        XCTAssertEqual(cpu.acknowledgeInterrupt(), 2, "NMI first")
    }
}

extension BareMetalTests {
    /// psr.ss: after each instruction a Single Step trap (vector 0x6000), ISR.code 0x8,
    /// ISR.ei the stepped slot, IIP/IPSR.ri the next instruction.
    func testSingleStep() throws {
        let (machine, elf) = try machine("singlestep")
        XCTAssertEqual(machine.run(maxInstructions: 10_000), .halted(code: 4))
        let cpu = machine.cpu
        let stepped = try XCTUnwrap(elf.symbol(named: "stepped")).value
        XCTAssertEqual([cpu.r(9), cpu.r(10), cpu.r(11), cpu.r(14), cpu.r(18)], [1, 2, 3, 4, 5])
        // The fourth trap: after `mov r14 = 4`, slot 0 of the second bundle.
        XCTAssertEqual(cpu.r(15) & 0xff, 0x8, "ISR.code: single step")
        XCTAssertEqual(cpu.r(15) >> 41 & 3, 0, "ISR.ei: the stepped instruction's slot")
        XCTAssertEqual(cpu.r(16), stepped + 16, "IIP: the next instruction's bundle")
        XCTAssertEqual(cpu.r(17) >> 41 & 3, 1, "IPSR.ri: the next instruction's slot")
    }
}

extension BareMetalTests {
    /// Data translation: region registers, itc.d, Alternate Data TLB and Dirty Bit faults
    /// with cr.ifa, cr.itir (the region's page size and RID) and ISR access bits.
    func testDataTranslationAndTLBFaults() throws {
        let (machine, _) = try machine("translation")
        XCTAssertEqual(machine.run(maxInstructions: 10_000), .halted(code: 0))
        let cpu = machine.cpu
        XCTAssertEqual(machine.bus.ram.load(0x300010, size: 8), 0x55, "the virtual store reached its physical page")
        XCTAssertEqual(cpu.r(9), 0x1234, "the retried load read through the new translation")
        XCTAssertEqual(cpu.r(25), 0, "probe.r at level 3 of a level-0 page")
        XCTAssertEqual(cpu.r(26), 1, "probe.w at level 0 of a read/write page")
        XCTAssertEqual(machine.bus.ram.load(0x30_8000, size: 8), 0x66, "the store after the dirty-bit fault")
        // The last Alternate Data TLB fault was the dirty_store's page (its first access).
        XCTAssertEqual(cpu.r(20), 0x2000_0000_0000_c000, "cr.ifa")
        XCTAssertEqual(cpu.r(21), 0x100 << 8 | 14 << 2, "cr.itir: the region's RID and page size")
        XCTAssertNotEqual(cpu.r(22) & (1 << 33), 0, "ISR.w: a write")
        // Dirty Bit fault: a write to the page whose d bit was clear.
        XCTAssertNotEqual(cpu.r(23) & (1 << 33), 0, "ISR.w")
        XCTAssertEqual(cpu.r(24), 0x2000_0000_0000_c000)
    }

    func testAccessRightsTable() {
        // ar 2 (read/write) at pl 0: level 3 may not touch it; level 0 may read and write, not execute.
        XCTAssertFalse(Processor.rightsAllow(ar: 2, pl: 0, cpl: 3, .read))
        XCTAssertTrue(Processor.rightsAllow(ar: 2, pl: 0, cpl: 0, .write))
        XCTAssertFalse(Processor.rightsAllow(ar: 2, pl: 0, cpl: 0, .execute))
        // ar 0: read only; ar 3: everything at or above the page's level.
        XCTAssertFalse(Processor.rightsAllow(ar: 0, pl: 3, cpl: 3, .write))
        XCTAssertTrue(Processor.rightsAllow(ar: 3, pl: 3, cpl: 3, .execute))
        // ar 7: execute-only at every level (the epc promotion pages); reads only at level 0.
        XCTAssertTrue(Processor.rightsAllow(ar: 7, pl: 0, cpl: 3, .execute))
        XCTAssertFalse(Processor.rightsAllow(ar: 7, pl: 0, cpl: 3, .read))
        XCTAssertTrue(Processor.rightsAllow(ar: 7, pl: 0, cpl: 0, .read))
    }
}

extension BareMetalTests {
    /// The short-format VHPT walker fills the TLB from the guest's page table; psr.it
    /// translates instruction fetches through an instruction translation register; an unmapped
    /// fetch takes an Alternate Instruction TLB fault with cr.ifa and ISR.x.
    func testVHPTWalkerAndInstructionTranslation() throws {
        let (machine, _) = try machine("walker")
        XCTAssertEqual(machine.run(maxInstructions: 10_000), .halted(code: 0))
        let cpu = machine.cpu
        XCTAssertEqual(cpu.r(15), 0x777, "the load found its translation through the VHPT")
        XCTAssertEqual(cpu.r(20), 0x4000_0000_0000_0040, "cr.ifa: the unmapped fetch address")
        XCTAssertNotEqual(cpu.r(23) & (1 << 32), 0, "ISR.x: an instruction fetch")
    }
}

extension BareMetalTests {
    /// ISR.ed of a data fault is the ed bit of the faulting instruction's code page (Linux's
    /// kernel pages set it, hence the ISR 0x80200000000 of its NULL-store oopses), and 0 when
    /// instruction translation is off.
    func testDataFaultReportsCodePageDeferral() throws {
        let cpu = try haltedCPU("deferral")
        XCTAssertEqual(cpu.r(21) & Interruption.isrED, Interruption.isrED, "code page with ed = 1")
        XCTAssertNotEqual(cpu.r(21) & (1 << 34), 0, "ISR.r: a read")
        XCTAssertEqual(cpu.r(22) & Interruption.isrED, 0, "code page with ed = 0")
        XCTAssertNotEqual(cpu.r(22) & (1 << 34), 0, "the second fault was taken")
        XCTAssertEqual(cpu.r(23) & Interruption.isrED, 0, "instruction translation off")
        XCTAssertNotEqual(cpu.r(23) & (1 << 34), 0, "the third fault was taken")
    }
}

extension BareMetalTests {
    /// psr.da and psr.ed act on the one instruction after the rfi that set them, then clear;
    /// psr.di turns br.ia's Illegal Operation into Disabled Instruction Set Transition.
    func testNextInstructionBitsAndInstructionSetTransition() throws {
        let cpu = try haltedCPU("psrbits")
        XCTAssertEqual(cpu.r(26), 2, "one Dirty Bit fault per store: psr.da let only the first store through")
        XCTAssertEqual(cpu.r(13), 0x1234, "the second store went through too")
        XCTAssertEqual(cpu.r(11), 1, "ld8.s right after the rfi that set psr.ed: deferred (NaT)")
        XCTAssertEqual(cpu.r(12), 0, "the next ld8.s: psr.ed was cleared, a real load")
        XCTAssertEqual(cpu.r(10), 0x1234)
        XCTAssertEqual(cpu.r(24) & 0xf0, 0, "br.ia without psr.di: Illegal Operation (ISR.code 0)")
        XCTAssertEqual(cpu.r(25) & 0xf0, 0x40, "br.ia with psr.di: Disabled Instruction Set Transition")
        XCTAssertEqual(cpu.r(28), 2)
        XCTAssertEqual(cpu.psr & Processor.ProcessorStatus.nextInstructionOnly, 0)
    }
}

extension BareMetalTests {
    /// Speculative loads defer what the manual says hardware defers (dcr bits with psr.it and
    /// ITLB.ed; misalignment with psr.it and ITLB.ed) and raise the rest with ISR.sp, which an
    /// OS defers by returning with ipsr.ed.
    func testSpeculativeLoadDeferral() throws {
        let cpu = try haltedCPU("speculation")
        XCTAssertEqual(cpu.r(26), 2, "two faults: (a) the TLB miss with dcr.dm clear, (d) the misaligned load without psr.it")
        let isrSP: UInt64 = 1 << 36
        XCTAssertEqual(cpu.r(21) & (isrSP | 1 << 34 | Interruption.isrED), isrSP | 1 << 34 | Interruption.isrED,
                       "(a): ISR.sp, ISR.r, and ISR.ed from the code page")
        XCTAssertEqual(cpu.r(22) & (isrSP | 1 << 34 | Interruption.isrED), isrSP | 1 << 34, "(d): ISR.sp, ISR.r, no ISR.ed")
        XCTAssertEqual(cpu.r(11), 1, "(a) retired with NaT after the handler set ipsr.ed")
        XCTAssertEqual(cpu.r(12), 1, "(b) deferred by dcr.dm")
        XCTAssertEqual(cpu.r(15), 1, "(c) misaligned, deferred")
        XCTAssertEqual(cpu.r(17), 1, "(d) retired with NaT after the handler set ipsr.ed")
    }
}

extension BareMetalTests {
    /// psr.pk: a translated access needs a valid key register for the page's key (Data Key
    /// Miss otherwise) whose disable bits allow it (Key Permission otherwise).
    func testProtectionKeys() throws {
        let (machine, _) = try machine("keys")
        XCTAssertEqual(machine.run(maxInstructions: 10_000), .halted(code: 9))
        let cpu = machine.cpu
        XCTAssertNotEqual(cpu.r(20) & (1 << 33), 0, "key miss: ISR.w")
        XCTAssertEqual(cpu.r(21), 0x2000_0000_0000_4000, "key miss: cr.ifa")
        XCTAssertNotEqual(cpu.r(23) & (1 << 33), 0, "key permission: ISR.w")
        XCTAssertEqual(machine.bus.ram.load(0x300000, size: 8), 0, "the store never happened")
    }
}

extension BareMetalTests {
    func testLowerPrivilegeTransferTrap() throws {
        let (machine, elf) = try machine("lowerprivilege")
        XCTAssertEqual(machine.run(maxInstructions: 1000), .halted(code: 0))
        let cpu = machine.cpu
        XCTAssertEqual(cpu.r(20), try XCTUnwrap(elf.symbol(named: "user")).value, "IIP: the branch target")
        XCTAssertEqual(cpu.r(21) & 0xff, 0x2, "ISR.code: lower-privilege transfer")
        XCTAssertEqual(cpu.r(22) >> 32 & 3, 3, "IPSR.cpl: the demoted level")
    }
}

extension BareMetalTests {
    /// ibr/dbr with psr.db: Instruction and Data Debug faults (vector 0x5900) with cr.iip /
    /// cr.ifa and ISR.x / ISR.w; psr.id and psr.dd let the instruction through on return.
    func testDebugBreakpoints() throws {
        let (machine, elf) = try machine("breakpoints")
        // Three instruction faults (one per slot of the watched bundle) and one data fault.
        XCTAssertEqual(machine.run(maxInstructions: 10_000), .halted(code: 4))
        let cpu = machine.cpu
        XCTAssertEqual(cpu.r(24), try XCTUnwrap(elf.symbol(named: "watched")).value, "instruction breakpoint: cr.iip")
        let data = try XCTUnwrap(elf.symbol(named: "watched_data")).value
        XCTAssertEqual(cpu.r(25), data, "data breakpoint: cr.ifa")
        XCTAssertNotEqual(cpu.r(20) & (1 << 33), 0, "the last one was a write (ISR.w)")
        XCTAssertEqual(machine.bus.ram.load(data, size: 8), 0x5a, "the store went through after the fault")
        XCTAssertEqual(cpu.r(10), 0x5a, "the watched instruction ran after the fault")
    }
}

extension BareMetalTests {
    /// The firmware interface: PAL static and SAL procedure calls reach the platform's handler
    /// with their arguments and return to the caller with its results.
    func testFirmwareCalls() throws {
        let (machine, _) = try machine("firmware")
        var calls: [BareMetalMachine.FirmwareCall] = []
        machine.firmware = { call in
            calls.append(call)
            switch call.interface {
            case .pal: return .init(status: 0, values: [call.arguments[1] + 1])
            case .sal: return .init(status: 0, values: [call.arguments[1] * 6])
            }
        }
        XCTAssertEqual(machine.run(maxInstructions: 1000), .halted(code: 42))
        XCTAssertEqual(calls.count, 2)
        XCTAssertEqual(calls[0], .init(interface: .pal, arguments: [14, 0x111, calls[0].arguments[2], calls[0].arguments[3]]))
        XCTAssertEqual(Array(calls[1].arguments.prefix(2)), [0x200_0000, 7])
        XCTAssertEqual(machine.cpu.r(14), 0, "PAL status")
        XCTAssertEqual(machine.cpu.r(15), 0x112, "PAL result")
        XCTAssertEqual(machine.cpu.r(16), 0, "SAL status")
    }

    func testFirmwareDefaultsToUnimplemented() throws {
        let (machine, _) = try machine("firmware")
        // The halt code is the SAL call's r9: untouched by an unimplemented call.
        if case .halted = machine.run(maxInstructions: 1000) {} else { XCTFail("expected a halt") }
        XCTAssertEqual(Int64(bitPattern: machine.cpu.r(14)), -1, "PAL: unimplemented procedure")
        XCTAssertEqual(Int64(bitPattern: machine.cpu.r(16)), -1, "SAL: unimplemented procedure")
    }
}

extension BareMetalTests {
    /// When an access is both misaligned and untranslated, the TLB fault wins (it outranks
    /// Unaligned Data Reference in the architecture's priority order).
    func testTranslationFaultOutranksUnalignedReference() throws {
        let elf = try GuestProgram.build("""
                .text
                .global _start
            _start:
                movl r2 = ivt
                ;;
                mov cr.iva = r2
                ;;
                ssm 0x22000
                ;;
                srlz.d
                movl r3 = 0x2000000000004001
                ;;
                ld8 r4 = [r3]
                ;;
                .align 32768
            ivt:
                .org ivt + 0x1000
                movl r5 = 0xffff0008
                mov r6 = 1
                ;;
                rsm 0x20000
                ;;
                srlz.d
                ;;
                st8 [r5] = r6
                ;;
                .org ivt + 0x5a00
                movl r5 = 0xffff0008
                mov r6 = 2
                ;;
                rsm 0x20000
                ;;
                srlz.d
                ;;
                st8 [r5] = r6
                ;;
                .org ivt + 0x8000
            """, explicit: true, linkerArguments: Self.link)
        let machine = try BareMetalMachine(elf: elf)
        XCTAssertEqual(machine.run(maxInstructions: 1000), .halted(code: 1))
        XCTAssertEqual(machine.cpu.controlRegister(.ifa), 0x2000_0000_0000_4001)
    }
}

extension BareMetalTests {
    /// Assembly that registers `handler` with SAL_SET_VECTORS (type 0 machine check, 1 INIT)
    /// through the platform's SAL entry; needs a frame with three output registers.
    static func registerPlatformHandler(type: Int, _ handler: String) -> String {
        """
                movl r2 = 0xffff8010
                movl out0 = 0x1000000
                mov out1 = \(type)
                movl out2 = \(handler)
                ;;
                mov b6 = r2
                ;;
                br.call.sptk.many b0 = b6
                ;;
        """
    }

    /// INIT and machine check: the guest registers its handlers with SAL_SET_VECTORS; the
    /// platform raises the event mid-loop; the handler sees the interrupted ip in cr.iip, the
    /// event code in r8 and interruption collection turned off.
    func testInitAndMachineCheckReachRegisteredHandlers() throws {
        let elf = try GuestProgram.build("""
                .text
                .global _start
                .proc _start
            _start:
                alloc r32 = ar.pfs, 0, 2, 3, 0
            \(Self.registerPlatformHandler(type: 1, "on_init"))
            \(Self.registerPlatformHandler(type: 0, "on_mca"))
                ssm 0x2000
                ;;
                .global spin
            spin:
                adds r9 = 1, r9
                br.cond.sptk.many spin
                ;;
                .endp _start
                .align 32
                .global on_init
            on_init:
                mov r20 = cr.iip
                mov r21 = psr
                movl r5 = 0xffff0008
                ;;
                st8 [r5] = r8
                ;;
                .align 32
                .global on_mca
            on_mca:
                mov r22 = cr.iip
                movl r5 = 0xffff0008
                ;;
                adds r8 = 0x10, r8
                ;;
                st8 [r5] = r8
                ;;
            """, explicit: true, linkerArguments: Self.link)
        let spin = try XCTUnwrap(elf.symbol(named: "spin")?.value)
        for (event, code) in [(BareMetalMachine.PlatformEvent.initSignal, UInt64(1)), (.machineCheck, 0x12)] {
            let machine = try BareMetalMachine(elf: elf)
            XCTAssertFalse(machine.raise(event), "no handler registered yet")
            XCTAssertEqual(machine.run(maxInstructions: 200), .instructionLimit)
            XCTAssertGreaterThan(machine.cpu.r(9), 10, "the loop ran")
            XCTAssertTrue(machine.raise(event))
            XCTAssertEqual(machine.run(maxInstructions: 300), .halted(code: code), "the limit counts from the start")
            let iip = machine.cpu.r(event == .initSignal ? 20 : 22)
            XCTAssertTrue(iip == spin || iip == spin + 16, "interrupted inside the loop, got \(String(iip, radix: 16))")
            if event == .initSignal {
                XCTAssertEqual(machine.cpu.r(21) & (1 << 13), 0, "psr.ic cleared in the handler")
            }
        }
    }
}

extension BareMetalTests {
    /// psr.mc masks machine checks: one raised while it is set waits until an rfi clears it,
    /// then reaches the registered handler, which runs with psr.mc set.
    func testMachineCheckWaitsWhilePSRMCMasksIt() throws {
        let elf = try GuestProgram.build("""
                .text
                .global _start
                .proc _start
            _start:
                alloc r32 = ar.pfs, 0, 2, 3, 0
            \(Self.registerPlatformHandler(type: 0, "on_mca"))
                movl r19 = masked           // rfi into the masked loop with psr.mc and psr.ic
                mov r11 = 1000
                mov r21 = psr
                ;;
                dep r21 = -1, r21, 35, 1
                ;;
                dep r21 = -1, r21, 13, 1
                ;;
                mov cr.iip = r19
                mov cr.ipsr = r21
                mov cr.ifs = r0
                ;;
                rfi
                ;;
                .global masked
            masked:
                adds r9 = 1, r9
                ;;
                cmp.ltu p8, p0 = r11, r9    // r11 = 1000
            (p8)    br.cond.dpnt.few 1f
                br.cond.sptk.many masked
                ;;
            1:  rsm 0x2000                  // collection off to write cr.ipsr
                ;;
                srlz.d
                movl r19 = unmasked         // rfi again, psr.mc now clear
                mov r21 = psr
                ;;
                dep r21 = 0, r21, 35, 1
                ;;
                dep r21 = -1, r21, 13, 1
                ;;
                mov cr.iip = r19
                mov cr.ipsr = r21
                mov cr.ifs = r0
                ;;
                rfi
                ;;
                .global unmasked
            unmasked:
                adds r10 = 1, r10
                br.cond.sptk.many unmasked
                ;;
                .endp _start
                .align 32
                .global on_mca
            on_mca:
                mov r22 = cr.iip
                mov r23 = cr.ipsr
                movl r5 = 0xffff0008
                ;;
                adds r8 = 0x10, r8
                ;;
                st8 [r5] = r8
                ;;
            """, explicit: true, linkerArguments: Self.link)
        let unmasked = try XCTUnwrap(elf.symbol(named: "unmasked")?.value)
        let machine = try BareMetalMachine(elf: elf)
        XCTAssertEqual(machine.run(maxInstructions: 300), .instructionLimit)
        XCTAssertGreaterThan(machine.cpu.r(9), 10, "inside the masked loop")
        XCTAssertNotEqual(machine.cpu.psr & Processor.ProcessorStatus.mc, 0)
        XCTAssertTrue(machine.raise(.machineCheck))
        XCTAssertEqual(machine.run(maxInstructions: 100_000), .halted(code: 0x12))
        XCTAssertEqual(machine.cpu.r(9), 1001, "the masked loop ran to its end")
        XCTAssertEqual(machine.cpu.r(22), unmasked, "taken right after psr.mc cleared")
        XCTAssertEqual(machine.cpu.r(23) & Processor.ProcessorStatus.mc, 0, "cr.ipsr: the unmasked state")
        XCTAssertNotEqual(machine.cpu.psr & Processor.ProcessorStatus.mc, 0, "the handler runs with psr.mc set")
    }
}

extension BareMetalTests {
    /// psr.sp (secure performance monitors) keeps psr.up out of the user's reach: sum, rum
    /// and mov psr.um leave it alone while psr.sp is set, and change it again once it is clear.
    func testSecurePerformanceMonitorsFreezeUserUP() throws {
        let cpu = try haltedCPU(program: """
                .text
                .global _start
            _start:
                ssm 0x100000                // psr.sp
                ;;
                srlz.d
                sum 0xc                     // up and ac: only ac changes
                ;;
                mov r20 = psr.um
                mov r9 = 0x4
                ;;
                mov psr.um = r9             // up only: refused, ac cleared
                ;;
                mov r21 = psr.um
                rsm 0x100000
                ;;
                srlz.d
                sum 0x4                     // now up changes
                ;;
                mov r22 = psr.um
                movl r5 = 0xffff0008
                ;;
                st8 [r5] = r0
                ;;
            """)
        XCTAssertEqual(cpu.r(20), 0x8, "sum with psr.sp: ac set, up not")
        XCTAssertEqual(cpu.r(21), 0, "mov psr.um with psr.sp: ac cleared, up still not set")
        XCTAssertEqual(cpu.r(22), 0x4, "psr.sp clear: sum sets up")
    }
}

extension BareMetalTests {
    /// Interruption priority: a privileged instruction at level 3 that also names a register
    /// outside the frame takes Illegal Operation (ISR.code 0), which outranks Privileged
    /// Operation (0x10); with its registers in the frame it takes Privileged Operation.
    func testIllegalOperationOutranksPrivilegedOperation() throws {
        let cpu = try haltedCPU(program: """
                .text
                .global _start
            _start:
                movl r2 = ivt
                movl r19 = user
                mov r21 = psr
                ;;
                mov cr.iva = r2
                dep r21 = -1, r21, 32, 2        // ipsr.cpl = 3
                ;;
                dep r21 = -1, r21, 13, 1        // ipsr.ic
                ;;
                mov cr.iip = r19
                mov cr.ipsr = r21
                mov cr.ifs = r0
                ;;
                rfi
                ;;
                .align 16
            user:
                { .mii
                mov cr.ifa = r40            // r40 is outside the (empty) frame: Illegal Operation
                nop.i 0
                nop.i 0
                ;;
                }
                { .mii
                mov cr.ifa = r9             // Privileged Operation
                nop.i 0
                nop.i 0
                ;;
                }
                break.m 0x1                 // done
                ;;
                .align 32768
            ivt:
                .org ivt + 0x2c00           // Break: halt
                movl r5 = 0xffff0008
                ;;
                st8 [r5] = r0
                ;;
                .org ivt + 0x5400           // General Exception: keep ISR.code, skip the bundle
                mov r29 = cr.isr
                mov r30 = cr.iip
                mov r31 = cr.ipsr
                ;;
                cmp.eq p6, p7 = 0, r28
                adds r30 = 16, r30
                extr.u r29 = r29, 0, 8
                ;;
            (p6)    mov r24 = r29
            (p7)    mov r25 = r29
                adds r28 = 1, r28
                dep r31 = 0, r31, 41, 2
                ;;
                mov cr.iip = r30
                mov cr.ipsr = r31
                ;;
                rfi
                ;;
                .org ivt + 0x8000
            """, explicit: true)
        XCTAssertEqual(cpu.r(28), 2)
        XCTAssertEqual(cpu.r(24), 0, "out-of-frame register: Illegal Operation")
        XCTAssertEqual(cpu.r(25), 0x10, "in-frame register: Privileged Operation")
    }
}

extension BareMetalTests {
    /// Concurrent traps: an FP trap under psr.ss is delivered at the FP trap vector (the higher
    /// priority) with the single-step bit (ISR.code 0x8) beside the inexact trap code.
    func testFloatingPointTrapCarriesConcurrentSingleStep() throws {
        let cpu = try haltedCPU(program: """
                .text
                .global _start
            _start:
                movl r2 = ivt
                movl r3 = 0x9804c0270031f       // Linux's fpsr with the inexact trap enabled
                movl r9 = 0x3fb999999999999a    // 0.1
                movl r19 = stepped
                mov r21 = psr
                ;;
                mov cr.iva = r2
                mov.m ar.fpsr = r3
                setf.d f10 = r9
                dep r21 = -1, r21, 40, 1        // ipsr.ss
                ;;
                dep r21 = -1, r21, 13, 1        // ipsr.ic
                ;;
                mov cr.iip = r19
                mov cr.ipsr = r21
                mov cr.ifs = r0
                ;;
                rfi
                ;;
                .align 16
            stepped:
                { .mfi
                nop.m 0
                fma.s0 f8 = f1, f1, f0          // exact: single step only
                nop.i 0
                ;;
                }
                { .mfi
                nop.m 0
                fmpy.s.s0 f9 = f10, f10         // 0.1 × 0.1 in single precision: inexact
                nop.i 0
                ;;
                }
                .align 32768
            ivt:
                .org ivt + 0x5d00               // FP trap: keep ISR, halt
                mov r24 = cr.isr
                movl r5 = 0xffff0008
                ;;
                st8 [r5] = r0
                ;;
                .org ivt + 0x6000               // Single step: count, go on
                adds r25 = 1, r25
                ;;
                rfi
                ;;
                .org ivt + 0x8000
            """, explicit: true)
        XCTAssertGreaterThanOrEqual(cpu.r(25), 1, "single steps before the trapping instruction")
        XCTAssertNotEqual(cpu.r(24) & (1 << 13), 0, "ISR: the inexact trap")
        XCTAssertEqual(cpu.r(24) & 0x8, 0x8, "ISR.code: the concurrent single step")
    }
}

extension BareMetalTests {
    /// MLX bundles: the L+X instruction is slot 1 to the architecture. A single-step trap after
    /// slot 0 reports IPSR.ri = 1; an rfi with ri = 2 into an MLX bundle raises Illegal
    /// Operation there (IIP that bundle, ISR.ei = IPSR.ri = 2).
    func testLongInstructionIsArchitecturalSlotOne() throws {
        let cpu = try haltedCPU(program: """
                .text
                .global _start
            _start:
                movl r2 = ivt
                movl r19 = stepped
                mov r21 = psr
                ;;
                mov cr.iva = r2
                dep r21 = -1, r21, 40, 1        // ipsr.ss
                ;;
                dep r21 = -1, r21, 13, 1        // ipsr.ic
                ;;
                mov cr.iip = r19
                mov cr.ipsr = r21
                mov cr.ifs = r0
                ;;
                rfi
                ;;
                .align 16
            stepped:
                { .mlx
                nop.m 0
                movl r9 = 0x1234
                ;;
                }
                rsm 0x2000                      // rfi into `target` at ri = 2
                ;;
                srlz.d
                movl r19 = target
                mov r21 = psr
                ;;
                dep r21 = -1, r21, 13, 1
                mov r27 = 2
                ;;
                dep r21 = r27, r21, 41, 2       // ipsr.ri = 2
                ;;
                mov cr.iip = r19
                mov cr.ipsr = r21
                mov cr.ifs = r0
                ;;
                rfi
                ;;
                .align 16
                .global target
            target:
                { .mlx
                nop.m 0
                movl r10 = 0x5678
                ;;
                }
                .align 32768
            ivt:
                .org ivt + 0x5400               // General Exception: keep the state, halt
                mov r22 = cr.isr
                mov r23 = cr.ipsr
                mov r24 = cr.iip
                movl r5 = 0xffff0008
                ;;
                st8 [r5] = r0
                ;;
                .org ivt + 0x6000               // Single Step: keep the first; stop after two
                mov r29 = cr.ipsr
                cmp.eq p6, p0 = 0, r25
                ;;
            (p6)    mov r20 = r29
            (p6)    mov r26 = cr.isr
                adds r25 = 1, r25
                ;;
                cmp.eq p7, p0 = 2, r25
                ;;
            (p7)    dep r29 = 0, r29, 40, 1         // the last step: psr.ss off
                ;;
                mov cr.ipsr = r29
                ;;
                rfi
                ;;
                .org ivt + 0x8000
            """, explicit: true)
        XCTAssertEqual(cpu.r(9), 0x1234, "the movl ran after the step")
        XCTAssertEqual(cpu.r(20) >> 41 & 3, 1, "IPSR.ri before the movl: slot 1")
        XCTAssertEqual(cpu.r(26) >> 41 & 3, 0, "ISR.ei: the stepped nop.m was slot 0")
        XCTAssertEqual(cpu.r(22) & 0xf0, 0, "Illegal Operation")
        XCTAssertEqual(cpu.r(22) >> 41 & 3, 2, "ISR.ei = 2")
        XCTAssertEqual(cpu.r(23) >> 41 & 3, 2, "IPSR.ri = 2")
        XCTAssertEqual(cpu.r(10), 0, "the movl at ri = 2 did not run")
    }
}

extension BareMetalTests {
    /// Translation faults outrank Data Debug: a load from an untranslated page that a data
    /// breakpoint also watches takes the Alternate Data TLB fault.
    func testTranslationFaultOutranksDataDebug() throws {
        let cpu = try haltedCPU(program: """
                .text
                .global _start
            _start:
                movl r2 = ivt
                movl r7 = 0x4000000000000000    // region 2: nothing maps it
                movl r9 = (0xf << 56) | (1 << 63) | 0xfffffffffffff8     // all levels, read
                mov r5 = 0
                mov r6 = 1
                ;;
                mov cr.iva = r2
                mov dbr[r5] = r7
                ;;
                mov dbr[r6] = r9
                mov r12 = psr
                ;;
                dep r12 = -1, r12, 24, 1        // psr.db
                ;;
                dep r12 = -1, r12, 17, 1        // psr.dt
                ;;
                dep r12 = -1, r12, 13, 1        // psr.ic
                ;;
                mov psr.l = r12
                ;;
                srlz.d
                ;;
                ld8 r8 = [r7]
                ;;
                .align 32768
            ivt:
                .org ivt + 0x1000               // Alternate Data TLB
                mov r20 = 1
                br.sptk.few halt
                ;;
                .org ivt + 0x5900               // Debug
                mov r20 = 2
                ;;
            halt:
                movl r5 = 0xffff0008
                rsm 0x20000
                ;;
                srlz.d
                ;;
                st8 [r5] = r0
                ;;
                .org ivt + 0x8000
            """)
        XCTAssertEqual(cpu.r(20), 1, "the Alternate Data TLB fault, not Data Debug")
    }
}
