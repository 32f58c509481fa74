import Foundation
import Replay
import VMMCore
import XCTest

/// The crash reproductions under examples/: each is recorded (with a chaos seed known to hit
/// the race where there is one), replayed twice to the same final state, and replayed again
/// to a breakpoint on the faulting kernel function, which stops there before the crash.
final class CrashExampleTests: XCTestCase {
    /// examples/NAME with its kernel paths pointing at the test build of the guests.
    static func example(_ name: String, replacing edits: [(String, String)] = []) throws -> Session {
        let guests = try ReplayFixture.guests.get()
        let source = ReplayFixture.packageRoot.appendingPathComponent("examples/\(name)")
        let dir = try ReplayFixture.scratch()
        for file in try FileManager.default.contentsOfDirectory(atPath: source.path).sorted() {
            var text = try String(contentsOf: source.appendingPathComponent(file), encoding: .utf8)
            text = text.replacingOccurrences(of: "../../out/guests/", with: guests + "/")
            for (a, b) in edits { text = text.replacingOccurrences(of: a, with: b) }
            try text.write(toFile: dir + "/" + file, atomically: true, encoding: .utf8)
        }
        return try SessionFile.load(path: dir + "/session.cfg")
    }

    /// A kernel function's address and size, from the test build's symbol table.
    static func symbol(_ name: String) throws -> (address: UInt64, size: UInt64) {
        let p = Process()
        let pipe = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["ia64-linux-gnu-nm", "-S", "--defined-only", try ReplayFixture.guests.get() + "/xenkernel"]
        p.standardOutput = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        for line in out.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 4, f[3] == name, let a = UInt64(f[0], radix: 16), let s = UInt64(f[1], radix: 16) { return (a, s) }
            if f.count == 3, f[2] == name, let a = UInt64(f[0], radix: 16) { return (a, 0) }  // a label without a size
        }
        throw CocoaError(.fileReadNoSuchFile)
    }

    /// Replays `path` to its end twice (same final hash as recorded, same crash point), then
    /// once more to a breakpoint on `function` in `domain`: the stop is inside the function,
    /// before the crash's instruction count.
    static func checkReplays(_ path: String, _ end: TraceEnd, function: String, domain: Int) throws {
        for _ in 0..<2 {
            let s = try ReplaySession(path: path)
            XCTAssertEqual(s.run(), .endOfHistory)
            XCTAssertEqual(s.machine.stateHash(), end.stateHash)
            XCTAssertEqual(s.machine.crashes.map(\.instructions), end.crashes.map(\.instructions))
        }
        let crash = try XCTUnwrap(end.crashes.first)
        let (address, size) = try Self.symbol(function)
        let s = try ReplaySession(path: path)
        s.setBreakpoint(address, domain: domain)
        guard case .breakpoint(let d, let vcpu) = s.run() else { return XCTFail("no stop in \(function)") }
        XCTAssertEqual(d, domain)
        let ip = try XCTUnwrap(s.machine.domain(d)).vcpus[vcpu].cpu.ip
        XCTAssertTrue(ip >= address && ip < address + size, "stopped at 0x\(String(ip, radix: 16)), not in \(function)")
        XCTAssertLessThan(s.position, crash.instructions)
    }

    /// A 2 GB Dom0 truncates its end of memory to 32 bits and branches onto a reserved
    /// encoding with collection off (n = -2: the first guard bundle): "fatal opcode", Dom0
    /// crashed, the machine down.
    func testFatalOpcodeWithTwoGigabyteDom0() throws {
        let (path, end) = try ReplayFixture.record(try Self.example("fatal-opcode"))
        let crash = try XCTUnwrap(end.crashes.first)
        XCTAssertEqual(crash.domain, 0)
        XCTAssertEqual(crash.reason, "fatal opcode")
        let s = try ReplaySession(path: path)
        _ = s.run()
        let fatal = try XCTUnwrap(s.machine.log.first { $0.contains("fatal opcode") })
        let guard0 = try Self.symbol("zone_guard").address
        XCTAssertTrue(fatal.contains("fatal opcode: domain 0 (Domain-0) vcpu 0 ip 0x\(String(guard0, radix: 16)) slot 0: "), fatal)
        try Self.checkReplays(path, end, function: "memzone_init", domain: 0)
    }

    /// The same kernel with the default session's 1 GB Dom0 does not take that path.
    func testOneGigabyteDom0DoesNotHitTheTruncation() throws {
        let session = try Self.example("fatal-opcode", replacing: [("dom0_mem=2048M", "dom0_mem=1024M"), ("memory = 2048", "memory = 1024")])
        var options = RecordSession.Options()
        options.maxInstructions = 3_000_000
        let (_, end) = try ReplayFixture.record(session, options: options)
        XCTAssertEqual(end.crashes, [])
    }

    /// The idle task's bookkeeping race: never on the standard schedule, and with chaos seed 8
    /// (one of the third or so of seeds that hit it) the swapper oops, replayed exactly.
    func testSwapperOopsUnderChaos() throws {
        let session = try Self.example("swapper-oops")
        var plain = RecordSession.Options()
        plain.maxInstructions = 40_000_000
        XCTAssertEqual(try ReplayFixture.record(session, options: plain).1.crashes, [], "no race without chaos")

        var options = RecordSession.Options()
        options.chaosSeed = 8
        options.stopAfterCrash = true
        options.maxInstructions = 60_000_000
        let (path, end) = try ReplayFixture.record(session, options: options)
        let crash = try XCTUnwrap(end.crashes.first, "seed 8 hits the race")
        XCTAssertEqual(crash.domain, 1)
        let s = try ReplaySession(path: path)
        XCTAssertEqual(s.run(), .endOfHistory)
        let console = try XCTUnwrap(s.machine.domain(1)).consoleText
        for line in ["Unable to handle kernel NULL pointer dereference (address 0000000000000000)",
                     "swapper[0]: Oops 8804682956800 [1]", "ip is at idle_poll+", "Call Trace:",
                     "Kernel panic - not syncing: Attempted to kill the idle task!"] {
            XCTAssertTrue(console.contains(line), console)
        }
        try Self.checkReplays(path, end, function: "idle_poll", domain: 1)
    }
}
