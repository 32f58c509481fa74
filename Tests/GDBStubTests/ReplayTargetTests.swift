import Foundation
@testable import GDBStub
import IA64Exec
import Replay
import VMMCore
import XCTest

/// The bundled default session recorded once, its guests built by the real binutils.
enum RecordedDefaultSession {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// (trace path, kernel ELF path)
    static let recorded: Result<(trace: String, kernel: String), Error> = Result {
        var options = RecordSession.Options()
        options.checkInterval = 2_000_000
        return try record("Guests/sessions/default", guestsPrefix: "../../../out/guests/", root: "xdbg-gdbreplay", options: options)
    }

    /// Builds the guests with the real binutils into a temporary `root`, copies the session
    /// directory `source` with its guest paths (`guestsPrefix`) pointing there, and records it.
    static func record(_ source: String, guestsPrefix: String, root name: String,
                       options: RecordSession.Options) throws -> (trace: String, kernel: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())")
        let guests = root.appendingPathComponent("guests").path
        let build = Process()
        build.executableURL = packageRoot.appendingPathComponent("Guests/build.sh")
        build.arguments = [guests]
        build.standardOutput = FileHandle.nullDevice
        try build.run()
        build.waitUntilExit()
        guard build.terminationStatus == 0 else { throw GDBHarness.Failure(description: "Guests/build.sh failed") }
        let from = packageRoot.appendingPathComponent(source)
        let dir = root.appendingPathComponent("session").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: from.path).sorted() {
            var text = try String(contentsOf: from.appendingPathComponent(file), encoding: .utf8)
            text = text.replacingOccurrences(of: guestsPrefix, with: guests + "/")
            try text.write(toFile: dir + "/" + file, atomically: true, encoding: .utf8)
        }
        let trace = root.appendingPathComponent("recording.trace").path
        let end = try RecordSession(session: try SessionFile.load(path: dir + "/session.cfg"), source: "test", path: trace,
                                    options: options).run()
        guard options.chaosSeed == nil || !end.crashes.isEmpty else {
            throw GDBHarness.Failure(description: "chaos seed \(options.chaosSeed!) did not crash \(source)")
        }
        return (trace, guests + "/xenkernel")
    }
}

/// A replay served to gdb on an ephemeral loopback port.
final class ServedReplay: @unchecked Sendable {
    let target: ReplayDebugTarget
    let server: GDBServer
    let port: UInt16

    init(trace: String) throws {
        target = try ReplayDebugTarget(session: try ReplaySession(path: trace))
        target.note = { _ in }
        server = GDBServer(target: target, log: { _ in })
        port = try server.listen(port: 0)
        let s = UncheckedBox(server)
        Thread { s.value.serveForever() }.start()
    }

    func stop() {
        server.stop()
        usleep(300_000)
    }
}

/// The real gdb-multiarch against a replay of the recorded default session: registers, memory,
/// disassembly, breakpoints by name and by slot, stepi over slots and MLX, watchpoints with old
/// and new values, reverse step and continue, threads and monitor commands.
final class ReplayTargetTests: XCTestCase {
    var served: ServedReplay!
    var kernel: URL!
    var elf: ElfFile!

    override func setUpWithError() throws {
        let (trace, kernelPath) = try RecordedDefaultSession.recorded.get()
        kernel = URL(fileURLWithPath: kernelPath)
        elf = try ElfFile(bytes: Array(try Data(contentsOf: kernel)))
        served = try ServedReplay(trace: trace)
    }

    override func tearDown() { served?.stop() }

    var session: ReplaySession { served.target.session }
    func symbol(_ name: String) throws -> UInt64 { try XCTUnwrap(elf.symbol(named: name)).value }
    func gdb(_ commands: [String], timeout: TimeInterval = 120) throws -> String {
        try GDBHarness.gdb(port: served.port, file: kernel, commands, timeout: timeout)
    }

    /// The vCPU behind gdb's thread id.
    func vcpu(_ thread: Int) -> VirtualCPU { session.machine.domain((thread - 1) / 100)!.vcpus[(thread - 1) % 100] }

    /// The thread id gdb printed in "[Switching to Thread N]" or a stop line, last one.
    func stopThread(_ out: String) -> Int? {
        out.components(separatedBy: "Switching to Thread ").dropFirst().last.flatMap { Int($0.prefix { $0.isNumber }) }
    }

    func testRegistersAndDisassemblyAtABreakpointMatchTheVCPU() throws {
        let out = try gdb([
            "break blk_read", "continue", "stepi", "stepi",
            "p/x $ip", "p/x $psr", "p/x $cfm", "p/x $bsp", "p/x $r32", "p/x $r33", "p/x $pc", "x/3i $pc", "monitor when",
        ])
        XCTAssertTrue(out.contains("hit Breakpoint 1, blk_read ()"), out)
        let thread = try XCTUnwrap(stopThread(out), out)
        let cpu = vcpu(thread).cpu
        let v = GDBHarness.printedValues(out)
        XCTAssertEqual(v.count, 7, out)
        guard v.count == 7 else { return }
        XCTAssertEqual(v[0], cpu.ip)
        XCTAssertEqual(v[0], try symbol("blk_read"))
        XCTAssertEqual(v[1] >> 41 & 3, 2, "psr.ri: two slots into blk_read")
        XCTAssertEqual(v[1] >> 41 & 3, UInt64(cpu.slot))
        XCTAssertEqual(v[2], cpu.currentFrame.bits)
        XCTAssertEqual(cpu.currentFrame.sof, 9, "blk_read: alloc 3 in, 2 locals, 4 out")
        XCTAssertEqual(v[3], cpu.debugRegisterFileRange.end, "bsp is the end of the frame")
        XCTAssertEqual(v[4], cpu.generalRegister(32)?.value, "r32 read through the backing store")
        XCTAssertEqual(v[5], cpu.generalRegister(33)?.value)
        XCTAssertEqual(v[6], cpu.ip | 2)
        XCTAssertTrue(out.contains("=> 0x\(String(cpu.ip | 2, radix: 16)) <blk_read+2>:"), out)
        XCTAssertTrue(out.contains("<blk_read+16>:"), out)
        XCTAssertTrue(out.contains("position \(session.position) of \(session.endOfHistory) instructions"), out)
        XCTAssertTrue(out.contains("thread \(thread) (dom1 vcpu0): \(cpu.retired) instructions retired"), out)
    }

    func testStepiWalksSlotsAndMLX() throws {
        let steps = 6
        let out = try gdb(["p/x $pc", "x/2i $pc"] + Array(repeating: ["stepi", "p/x $pc"], count: steps).flatMap { $0 })
        let pcs = GDBHarness.printedValues(out)
        // The processor's own walk of dom0 vcpu0, on a fresh replay, one instruction at a time.
        let s = try ReplaySession(path: try RecordedDefaultSession.recorded.get().trace)
        let v = s.machine.domains[0].vcpus[0]
        func pc() -> UInt64 {
            let mlx = v.domain.memory.load(v.cpu.debugTranslate(v.cpu.ip)!, size: 1).map { $0 & 0x1e == 4 } ?? false
            return v.cpu.ip | UInt64(mlx && v.cpu.slot == 2 ? 1 : v.cpu.slot)
        }
        var expected = [pc()]
        for n in 1...steps {
            XCTAssertEqual(s.run(to: .max, vcpuTarget: (v, UInt64(n))), .position)
            expected.append(pc())
        }
        XCTAssertEqual(pcs, expected, out)
        XCTAssertEqual(pcs.first, try symbol("_start"))
        XCTAssertTrue(out.contains("[MLX]"), out)
        XCTAssertEqual(Array(pcs.prefix(3)), [0x100040, 0x100041, 0x100050], "slot 0, the movl at slot 1, the next bundle")
    }

    func testWatchpointShowsOldAndNewValuesForwardAndBackward() throws {
        let out = try gdb([
            "watch *(long *)&ticks", "continue", "monitor when", "continue", "monitor when",
            "reverse-continue", "monitor when", "p/x $pc",
        ])
        XCTAssertTrue(out.contains("Hardware watchpoint 1: *(long *)&ticks"), out)
        // dom0 vcpu0's timer ticks counter: forward 0 → 1 → 2, then back over the second store.
        let changes = out.components(separatedBy: "Old value = ").dropFirst().map { $0.prefix { $0 != "\n" } + "→" + ($0.components(separatedBy: "New value = ").dropFirst().first?.prefix { $0 != "\n" } ?? "") }
        XCTAssertEqual(changes.count, 3, out)
        guard changes.count == 3 else { return }
        let first = changes[0].split(separator: "→").compactMap { Int($0) }
        let second = changes[1].split(separator: "→").compactMap { Int($0) }
        let back = changes[2].split(separator: "→").compactMap { Int($0) }
        XCTAssertEqual(first.count, 2, out)
        XCTAssertEqual(first.last.map { $0 + 1 }, second.last, out)
        XCTAssertEqual(back, second.reversed(), "going back over the store: new → old")
        let positions = out.components(separatedBy: "position ").dropFirst().compactMap { UInt64($0.prefix { $0.isNumber }) }
        XCTAssertEqual(positions.count, 3, out)
        guard positions.count == 3 else { return }
        XCTAssertEqual(positions[2], positions[1] - 1, "stopped just before the store going back")
        // Stopped after the store (forward): the previous slot was the st8 into ticks.
        let pcs = GDBHarness.printedValues(out)
        XCTAssertTrue(out.contains("event_callback ()"), out)
        XCTAssertEqual(pcs.last.map { $0 & ~0xf }, vcpu(stopThread(out) ?? 1).cpu.ip)
    }

    /// Values `x/gx` printed, in order ("0x1001f08:\t0x0000000000000003" → 3).
    func examined(_ out: String) -> [UInt64] {
        out.split(separator: "\n").compactMap { line -> UInt64? in
            guard line.hasPrefix("0x"), let r = line.range(of: ":\t0x") else { return nil }
            return UInt64(line[r.upperBound...].prefix { $0.isHexDigit }, radix: 16)
        }
    }

    func testReverseContinueAndReverseStepRestoreRegistersAndMemory() throws {
        // gdb's thread 3 is Thread 101, dom1 vcpu0 (domu1); both domUs call blk_read.
        let out = try gdb([
            "break blk_read thread 3", "continue", "p/x $r32", "p/x $b0", "x/gx &ticks", "monitor when",
            "continue", "p/x $r32", "x/gx &ticks", "monitor when",
            "reverse-continue", "p/x $r32", "p/x $b0", "x/gx &ticks", "monitor when",
            "reverse-stepi", "p/x $pc", "monitor when",
        ])
        let v = GDBHarness.printedValues(out)
        XCTAssertEqual(v.count, 6, out)
        XCTAssertEqual(out.components(separatedBy: "Thread 3 hit Breakpoint 1, blk_read").count - 1, 3, out)
        let positions = out.components(separatedBy: "position ").dropFirst().compactMap { UInt64($0.prefix { $0.isNumber }) }
        XCTAssertEqual(positions.count, 4, out)
        guard v.count == 6, positions.count == 4 else { return }
        XCTAssertLessThan(positions[0], positions[1])
        XCTAssertEqual(positions[2], positions[0], "reverse-continue: back at the first hit")
        XCTAssertLessThan(positions[3], positions[2], "reverse-stepi went back")
        XCTAssertEqual(v[3], v[0], "r32 as at the first hit")
        XCTAssertEqual(v[4], v[1], "b0 as at the first hit")
        let ticks = examined(out)
        XCTAssertEqual(ticks.count, 3, out)
        if ticks.count == 3 {
            XCTAssertGreaterThan(ticks[1], ticks[0], "timer ticks went on between the two reads")
            XCTAssertEqual(ticks[2], ticks[0], "memory restored")
        }
        XCTAssertTrue(out.contains("br.call.sptk.many b0 = blk_read"), "one instruction before blk_read: the caller's br.call: \(out)")
        XCTAssertEqual(v[5] & ~0xf, vcpu(101).cpu.ip)
        XCTAssertEqual(session.position, positions[3])
    }

    func testSlotBreakpointThreadsAndMonitorCommands() throws {
        let slot = try symbol("blk_read") + 2
        let out = try gdb([
            "break *0x\(String(slot, radix: 16))", "continue", "p/x $pc", "info threads", "thread 1", "p/x $pc",
            "monitor domains", "monitor events 3", "monitor crash", "monitor checkpoint take", "monitor checkpoint",
            "monitor help", "set var $r33 = 1",
        ])
        let v = GDBHarness.printedValues(out)
        XCTAssertEqual(v.first, slot, out)
        // Threads are named by the task the guest runs there: the idle task during boot.
        XCTAssertTrue(out.contains("dom1 vcpu0 \"swapper\""), out)
        XCTAssertTrue(out.contains("dom2 vcpu3 \""), out)
        for v in session.machine.domains.flatMap(\.vcpus) {
            XCTAssertEqual(ReplayDebugTarget.taskName(of: v), "swapper", "dom\(v.domain.id) vcpu\(v.id) at \(session.position)")
        }
        XCTAssertTrue(out.contains("[Switching to thread 1 (Thread 1)]"), out)
        XCTAssertEqual(v.count, 2, out)
        if v.count == 2 { XCTAssertEqual(v[1] & ~0xf, session.machine.domains[0].vcpus[0].cpu.ip) }
        XCTAssertTrue(out.contains("dom0 \"Domain-0\" running"), out)
        XCTAssertTrue(out.contains("vcpu0 thread 101 "), out)
        XCTAssertTrue(out.contains("the recording has no crash") || out.contains("crashed at instruction"), out)
        XCTAssertTrue(out.contains("checkpoint at \(session.position)"), out)
        XCTAssertTrue(session.checkpoints.contains { $0.position == session.position })
        XCTAssertTrue(out.contains("monitor commands:"), out)
        XCTAssertTrue(out.contains("Cannot access memory at address"), "writes are refused: \(out)")
        XCTAssertEqual(vcpu(101).cpu.generalRegister(33)?.value, vcpu(101).cpu.generalRegister(33)?.value)
    }

    func testCtrlCStopsAContinue() throws {
        func packet(_ text: String) -> String {
            "$" + text + "#" + String(format: "%02x", text.utf8.reduce(0) { ($0 + Int($1)) & 0xff })
        }
        let c = try RawClient(port: served.port)
        defer { c.close() }
        c.write(packet("vCont;c"))
        usleep(300_000)
        c.write("\u{03}")
        let reply = c.read(milliseconds: 10_000) { $0.contains("#") && $0.contains("$T") }
        XCTAssertTrue(reply.contains("$T02"), reply)
        XCTAssertGreaterThan(session.position, 0)
        XCTAssertLessThan(session.position, session.endOfHistory, "stopped before the end")
    }

    func testEndOfHistoryAndGdbStdio() throws {
        let (trace, _) = try RecordedDefaultSession.recorded.get()
        var xdbg = Bundle(for: ReplayTargetTests.self).bundleURL
        while xdbg.pathExtension == "xctest" || xdbg.lastPathComponent == "Contents" || xdbg.lastPathComponent == "MacOS" {
            xdbg.deleteLastPathComponent()
        }
        xdbg.appendPathComponent("xdbg")
        let out = try GDBHarness.run("gdb-multiarch", [
            "-nx", "-batch", "-ex", "set architecture ia64-elf64", "-ex", "set osabi none", "-ex", "file \(kernel.path)",
            "-ex", "set remotetimeout 120",
            "-ex", "target remote | \(xdbg.path) replay \(trace) --gdb-stdio --domain 2",
            "-ex", "info threads", "-ex", "monitor seek 20000000", "-ex", "monitor when", "-ex", "continue", "-ex", "monitor when",
        ], timeout: 180).output
        XCTAssertTrue(out.contains("Thread 201 (dom2 vcpu0 \"swapper\")"), out)
        XCTAssertFalse(out.contains("dom0 vcpu0"), "--domain 2: only domu2's vCPUs: \(out)")
        XCTAssertTrue(out.contains("position 20000000 of"), out)
        XCTAssertTrue(out.contains("No more reverse-execution history."), out)
        XCTAssertTrue(out.contains("position \(session.endOfHistory) of \(session.endOfHistory)"), out)
    }
}
