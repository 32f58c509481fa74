import Foundation
@testable import GDBStub
import IA64Exec
import VMMCore
import XCTest

/// The real gdb-multiarch against the reference target running a real binutils-built program.
final class GDBIntegrationTests: XCTestCase {
    /// _start makes a frame (4 locals, 1 output), a movl, then calls bump(3) and bump(5), which
    /// add their argument to `counter`; it halts with the last sum (8) as exit code.
    static let program = """
            .data
            .align 8
            .global counter
        counter:
            data8 0
            .text
            .global _start
            .proc _start
        _start:
            alloc r32 = ar.pfs, 0, 4, 1, 0
            mov r33 = 0x11
            mov r34 = 0x22
            ;;
            movl r35 = 0x123456789abcdef0
            ;;
            movl r14 = counter
            mov r36 = 3
            ;;
            br.call.sptk.many b0 = bump
            ;;
            mov r36 = 5
            ;;
            br.call.sptk.many b0 = bump
            ;;
            movl r15 = 0xffff0008
            ;;
            st8 [r15] = r8
            ;;
            .endp _start

            .global bump
            .proc bump
        bump:
            alloc r16 = ar.pfs, 1, 2, 0, 0
            ld8 r17 = [r14]
            ;;
            add r17 = r17, r32
            ;;
            st8 [r14] = r17
            mov r8 = r17
            mov ar.pfs = r16
            br.ret.sptk.many b0
            ;;
            .endp bump
        """

    var elf: ElfFile!
    var elfPath: URL!
    var served: ServedTarget!

    override func setUpWithError() throws {
        (elf, elfPath) = try GDBHarness.build(Self.program)
        served = try ServedTarget(try BareMetalDebugTarget(elf: elf, programName: "test"))
    }

    override func tearDown() {
        served?.stop()
        if let elfPath { try? FileManager.default.removeItem(at: elfPath.deletingLastPathComponent()) }
    }

    var cpu: Processor { served.target.machine.cpu }
    func symbol(_ name: String) throws -> UInt64 { try XCTUnwrap(elf.symbol(named: name)).value }

    func testRegistersAtABreakpointMatchTheProcessor() throws {
        let out = try GDBHarness.gdb(port: served.port, file: elfPath, [
            "break bump", "continue", "stepi", "stepi",
            "p/x $ip", "p/x $psr", "p/x $cfm", "p/x $bsp", "p/x $r32", "p/x $pc", "p/x $r14", "p/x $bof",
        ])
        XCTAssertTrue(out.contains("Breakpoint 1, "), out)
        let v = GDBHarness.printedValues(out)
        XCTAssertEqual(v.count, 8, out)
        guard v.count == 8 else { return }
        XCTAssertEqual(v[0], cpu.ip)
        XCTAssertEqual(v[1] >> 41 & 3, UInt64(cpu.slot), "psr.ri is the slot")
        XCTAssertEqual(v[2], cpu.currentFrame.bits)
        XCTAssertEqual(cpu.currentFrame.sof, 3, "bump's alloc ran")
        XCTAssertEqual(v[3], cpu.debugRegisterFileRange.end, "bsp is the end of the frame")
        XCTAssertEqual(v[4], 3, "r32 read through the backing store")
        XCTAssertEqual(v[4], cpu.generalRegister(32)?.value)
        XCTAssertEqual(v[5], cpu.ip | UInt64(cpu.slot))
        XCTAssertEqual(v[6], try symbol("counter"))
        XCTAssertEqual(v[7], RegisterStackMath.advance(v[3], by: -3))
    }

    func testDisassembleAtPC() throws {
        let out = try GDBHarness.gdb(port: served.port, ["x/3i $pc"])
        XCTAssertTrue(out.contains("0x100000:"), out)
        XCTAssertTrue(out.contains("alloc r32=ar.pfs,5,4,0"), out)
        XCTAssertTrue(out.contains("0x100001:") && out.contains("mov r33=17"), out)
        XCTAssertTrue(out.contains("0x100002:") && out.contains("mov r34=34"), out)
    }

    func testStepiWalksSlotsAndMLX() throws {
        let steps = 8
        let out = try GDBHarness.gdb(port: served.port, ["p/x $pc"] + Array(repeating: ["stepi", "p/x $pc"], count: steps).flatMap { $0 })
        let pcs = GDBHarness.printedValues(out)
        // The processor's own walk, on a fresh machine, one instruction at a time.
        let machine = try BareMetalMachine(elf: elf)
        var expected = [machine.cpu.ip | UInt64(machine.cpu.slot)]
        for n in 1...steps {
            _ = machine.run(maxInstructions: UInt64(n))
            // The CPU rests at slot 2 for an MLX bundle's movl; gdb calls it slot 1.
            let mlx = machine.bus.ram.load(machine.cpu.ip, size: 1).map { $0 & 0x1e == 4 } ?? false
            expected.append(machine.cpu.ip | UInt64(mlx && machine.cpu.slot == 2 ? 1 : machine.cpu.slot))
        }
        XCTAssertEqual(pcs, expected, out)
        XCTAssertEqual(Array(pcs.prefix(3)), [0x100000, 0x100001, 0x100002])
        XCTAssertEqual(pcs[3], 0x100010, "the movl's bundle starts at slot 0")
        XCTAssertEqual(pcs[4], 0x100011, "the movl is at slot 1 of its MLX bundle")
        XCTAssertEqual(pcs[5], 0x100020, "after the movl: the next bundle's slot 0")
        XCTAssertEqual(cpu.generalRegister(35)?.value, 0x1234_5678_9abc_def0)
    }

    func testBreakpointOnTheMovlSlotOfAnMLXBundleAndThreadName() throws {
        let out = try GDBHarness.gdb(port: served.port, [
            "break *0x100011", "hbreak *0x100020", "continue", "p/x $pc", "p/x $r35", "continue", "p/x $pc", "p/x $r35",
            "info threads",
        ])
        XCTAssertEqual(GDBHarness.printedValues(out), [0x100011, 0, 0x100020, 0x1234_5678_9abc_def0], out)
        XCTAssertTrue(out.contains("Breakpoint 1, 0x0000000000100011"), out)
        XCTAssertTrue(out.contains("Breakpoint 2, 0x0000000000100020"), out)
        XCTAssertTrue(out.contains("vcpu0 \"test\""), out)
    }

    func testWatchpointShowsOldAndNewValues() throws {
        let out = try GDBHarness.gdb(port: served.port, file: elfPath, [
            "watch *(long *)&counter", "continue", "p/x $pc", "continue", "continue",
        ])
        XCTAssertTrue(out.contains("Hardware watchpoint 1"), out)
        XCTAssertTrue(out.contains("Old value = 0\nNew value = 3"), out)
        XCTAssertTrue(out.contains("Old value = 3\nNew value = 8"), out)
        XCTAssertTrue(out.contains("exited with code 010"), out)
    }

    func testReadWatchpointStopsAfterTheLoad() throws {
        let out = try GDBHarness.gdb(port: served.port, file: elfPath, ["rwatch *(long *)&counter", "continue", "p/x $r17"])
        XCTAssertTrue(out.contains("Value = 0"), out)
        XCTAssertEqual(GDBHarness.printedValues(out).last, 0)
        XCTAssertEqual(cpu.ip, try symbol("bump"))
        XCTAssertEqual(cpu.slot, 2, "stopped after the ld8 (slot 1 of bump's first bundle)")
    }

    func testReverseStepAndReverseContinueRestoreState() throws {
        let out = try GDBHarness.gdb(port: served.port, file: elfPath, [
            "break bump", "continue", "continue", "p/x $r32", "x/gx &counter",
            "reverse-continue", "p/x $r32", "x/gx &counter", "p/x $pc",
            "reverse-stepi", "p/x $pc",
            "reverse-continue", "p/x $pc",
        ])
        let v = GDBHarness.printedValues(out)
        XCTAssertEqual(v.count, 5, out)
        guard v.count == 5 else { return }
        XCTAssertEqual(v[0], 5, "second call")
        XCTAssertTrue(out.contains("0x200000:\t0x0000000000000003"), out)
        XCTAssertEqual(v[1], 3, "back in the first call")
        XCTAssertTrue(out.contains("0x200000:\t0x0000000000000000"), out)
        XCTAssertEqual(v[2], try symbol("bump") + 1, "gdb puts the breakpoint after the alloc")
        XCTAssertEqual(v[3], try symbol("bump"), "reverse-stepi: back to the alloc")
        XCTAssertTrue(out.contains("No more reverse-execution history."), out)
        XCTAssertEqual(v[4], 0x100000)
        XCTAssertEqual(cpu.retired, 0)
    }

    func testStackedRegisterWriteGoesThroughMemory() throws {
        let out = try GDBHarness.gdb(port: served.port, ["stepi 3", "set var $r33 = 0x77", "p/x $r33", "p/x $r34"])
        XCTAssertEqual(GDBHarness.printedValues(out), [0x77, 0x22], out)
        XCTAssertEqual(cpu.generalRegister(33)?.value, 0x77)
    }

    func testProgramExitAndMonitor() throws {
        let out = try GDBHarness.gdb(port: served.port, ["monitor help", "continue"])
        XCTAssertTrue(out.contains("monitor commands"), out)
        XCTAssertTrue(out.contains("exited with code 010"), out)
    }

    func testClientThatLeavesMidPacketThenAnotherConnects() throws {
        // A raw client: half a packet, then gone.
        try RawClient.send(port: served.port, "+$qSupported:multipro")
        // A client that connects and never speaks, still connected when gdb arrives.
        let silent = try RawClient(port: served.port)
        usleep(300_000)
        let out = try GDBHarness.gdb(port: served.port, ["p/x $pc"])
        XCTAssertEqual(GDBHarness.printedValues(out), [0x100000], out)
        silent.close()
        XCTAssertTrue(served.log.contains { $0.contains("middle of a packet") }, "\(served.log)")
        XCTAssertTrue(served.log.contains { $0.contains("never sent a packet") }, "\(served.log)")
    }
}
