import Foundation
import XCTest

/// xdbg record / replay / info as a user runs them, including a recorder killed with SIGKILL.
final class RecordCommandTests: XCTestCase {
    func defaultSession() throws -> String { try DefaultSessionFixture.make() }

    func testRecordReplayVerifyAndInfo() throws {
        let session = try defaultSession()
        let trace = session + "/t.trace"
        let record = try Tools.run(Tools.xdbg, ["record", session, "-o", trace, "--quiet", "--console-dir", session + "/recorded"])
        XCTAssertEqual(record.status, 0, record.stderr)
        XCTAssertTrue(record.stdout.contains("xdbg: recorded "), record.stdout)
        let hash = try XCTUnwrap(record.stdout.split(separator: "\n").last { $0.hasPrefix("state hash: ") })
        let replay = try Tools.run(Tools.xdbg, ["replay", trace, "--verify", "--console-dir", session + "/replayed"])
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertTrue(replay.stdout.contains("final state matches the recording"), replay.stdout)
        XCTAssertTrue(replay.stdout.contains(String(hash)), replay.stdout)
        // The replay's consoles and hypervisor log are the recording's, byte for byte.
        let names = ["Domain-0.log", "domu1.log", "domu2.log", "xen.log"]
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: session + "/recorded").sorted(), names)
        for name in names {
            let recorded = try Data(contentsOf: URL(fileURLWithPath: session + "/recorded/" + name))
            XCTAssertGreaterThan(recorded.count, 100, name)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: session + "/replayed/" + name)), recorded, name)
        }
        let info = try Tools.run(Tools.xdbg, ["info", trace])
        XCTAssertEqual(info.status, 0, info.stderr)
        for expected in ["domain 2: domu2", "disk read", "state check", "size split:", "crashes: none"] {
            XCTAssertTrue(info.stdout.contains(expected), info.stdout)
        }
        let stop = try Tools.run(Tools.xdbg, ["replay", trace, "--break", "blk_read", "--domain", "1"])
        XCTAssertEqual(stop.status, 0, stop.stderr)
        XCTAssertTrue(stop.stdout.contains("xdbg: breakpoint blk_read hit"), stop.stdout)
        XCTAssertTrue(stop.stdout.contains("domain 1 (domu1) vcpu 0"), stop.stdout)
        XCTAssertTrue(stop.stdout.contains("<blk_read>: [MII] alloc"), stop.stdout)
        XCTAssertTrue(stop.stdout.contains("at blk_read+0x0 ") && stop.stdout.contains("blkfront.s:"), stop.stdout)
        // The guest call trace from the kernel's unwind tables, and a FILE:LINE breakpoint.
        let bt = try Tools.run(Tools.xdbg, ["replay", trace, "--break", "blk_read", "--domain", "1", "--backtrace"])
        XCTAssertEqual(bt.status, 0, bt.stderr)
        for frame in ["#0 ", "in blk_read+0x0 at ", "blkfront.s:", "in blk_demo+", "in domu_main+", "roles.s:"] {
            XCTAssertTrue(bt.stdout.contains(frame), bt.stdout)
        }
        // The line of blk_read's alloc, found in the source so edits elsewhere do not move it.
        let source = try String(contentsOf: Tools.packageRoot.appendingPathComponent("Guests/kernel/blkfront.s"), encoding: .utf8)
        let lines = source.components(separatedBy: "\n")
        let label = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("blk_read:") })
        let alloc = try XCTUnwrap(lines[label...].firstIndex { $0.contains("alloc ") }) + 1
        let line = try Tools.run(Tools.xdbg, ["replay", trace, "--break", "blkfront.s:\(alloc)", "--domain", "2"])
        XCTAssertEqual(line.status, 0, line.stderr)
        XCTAssertTrue(line.stdout.contains("xdbg: breakpoint blkfront.s:\(alloc) hit"), line.stdout)
        XCTAssertTrue(line.stdout.contains("<blk_read>"), line.stdout)
        XCTAssertTrue(line.stdout.contains("domain 2 (domu2)"), line.stdout)
        let bad = try Tools.run(Tools.xdbg, ["replay", trace, "--break", "no_such_function"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
        let foreign = try Tools.run(Tools.xdbg, ["info", session + "/session.cfg"])
        XCTAssertEqual(foreign.status, 2)
        XCTAssertTrue(foreign.stderr.contains("not an xdbg trace"), foreign.stderr)
    }

    func testRecordingKilledWithSIGKILLReplaysToItsLastChunk() throws {
        let session = try defaultSession()
        let trace = session + "/killed.trace"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Tools.xdbg)
        p.arguments = ["record", session, "-o", trace, "--quiet", "--check-interval", "1000000"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Wait until a few state-check chunks are on disk, then kill it outright.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let size = (try? FileManager.default.attributesOfItem(atPath: trace)[.size] as? Int) ?? 0
            if size > 1200 { break }
            usleep(20_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal, "the recorder was killed before it finished")
        let info = try Tools.run(Tools.xdbg, ["info", trace])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("recording cut short"), info.stdout)
        let replay = try Tools.run(Tools.xdbg, ["replay", trace, "--verify"])
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertTrue(replay.stdout.contains("recording cut short"), replay.stdout)
        XCTAssertFalse(replay.stdout.contains(" 0 state checks passed"), replay.stdout)
    }

    /// xdbg save at an instruction count, xdbg restore: the restored machine ends exactly as
    /// an uninterrupted boot of the same session does.
    func testSaveRestoreContinuesBitIdentically() throws {
        let session = try defaultSession()
        let boot = try Tools.run(Tools.xdbg, ["boot", session + "/session.cfg", "--quiet", "--hash"])
        XCTAssertEqual(boot.status, 0, boot.stderr)
        let hash = try XCTUnwrap(boot.stdout.split(separator: "\n").last { $0.hasPrefix("state hash: ") })
        let file = session + "/machine.save"
        let save = try Tools.run(Tools.xdbg, ["save", session, "--at", "12000000", "-o", file])
        XCTAssertEqual(save.status, 0, save.stderr)
        XCTAssertTrue(save.stdout.contains("saved the machine at instruction 12000000"), save.stdout)
        let restore = try Tools.run(Tools.xdbg, ["restore", file, "--quiet", "--hash"])
        XCTAssertEqual(restore.status, 0, restore.stderr)
        XCTAssertTrue(restore.stdout.contains("restored the machine at instruction 12000000"), restore.stdout)
        XCTAssertTrue(restore.stdout.contains(String(hash)), restore.stdout + " vs " + hash)
        let bad = try Tools.run(Tools.xdbg, ["restore", session + "/session.cfg"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("not an xdbg snapshot"), bad.stderr)
    }

    /// The debug-only hook xdbg_debug_panic=N makes the hypervisor panic at instruction N: the
    /// recording fails with a report (host stack from libunwind, demangled; guest state; trace
    /// position), and replaying the trace panics at the same instruction count.
    func testHypervisorPanicReportAndReplay() throws {
        let session = try defaultSession()
        let cfg = session + "/session.cfg"
        let text = try String(contentsOfFile: cfg, encoding: .utf8)
        try text.replacingOccurrences(of: "xenheap_megabytes=32", with: "xenheap_megabytes=32 xdbg_debug_panic=5000000")
            .write(toFile: cfg, atomically: true, encoding: .utf8)
        let trace = session + "/panic.trace"
        let record = try Tools.run(Tools.xdbg, ["record", session, "-o", trace, "--quiet"])
        XCTAssertEqual(record.status, 3, record.stdout + record.stderr)
        XCTAssertTrue(record.stderr.contains("hypervisor panic at instruction 5000000: debug panic requested"), record.stderr)
        let report = try String(contentsOfFile: trace + ".panic.txt", encoding: .utf8)
        for expected in ["xdbg fatal error: hypervisor panic at instruction 5000000", "== guest state ==",
                         "domain 0 (Domain-0) vcpu 0, machine instruction 5000000", "== trace position ==",
                         "== host stack ==", "VMMCore.Hypervisor.raisePanic(", "xdbg.RecordCommand.run()"] {
            XCTAssertTrue(report.contains(expected), report)
        }
        let replay = try Tools.run(Tools.xdbg, ["replay", trace])
        XCTAssertEqual(replay.status, 3, replay.stdout + replay.stderr)
        XCTAssertTrue(replay.stderr.contains("hypervisor panic at instruction 5000000"), replay.stderr)
        let again = try String(contentsOfFile: trace + ".replay-panic.txt", encoding: .utf8)
        XCTAssertTrue(again.contains("domain 0 (Domain-0) vcpu 0, machine instruction 5000000"), again)
    }
}
