import Foundation
import Replay
import VMMCore
import XCTest

/// examples/io-load: five DomUs run the I/O load (io=N, Guests/kernel/blkfront.s), whose
/// polling loop races the completion upcall on the front end's slot table. Never on the
/// standard schedule; with a chaos seed known to hit it, one DomU oopses on a NULL request,
/// and the replay reproduces it exactly.
final class IOLoadExampleTests: XCTestCase {
    static let domUs = 1...5

    /// Without chaos every DomU finishes the load: no crash, every request answered.
    func testNoRaceWithoutChaos() throws {
        let session = try CrashExampleTests.example("io-load")
        var options = RecordSession.Options()
        options.maxInstructions = 22_000_000
        let path = try ReplayFixture.scratch() + "/t.trace"
        let r = try RecordSession(session: session, source: "test", path: path, options: options)
        let end = try r.run()
        XCTAssertEqual(end.crashes, [], "no race without chaos")
        for id in Self.domUs {
            let console = try XCTUnwrap(r.machine.domain(id)).consoleText
            XCTAssertTrue(console.contains("blkfront: io load 6 rounds, 24 requests, checksum "), console)
            XCTAssertTrue(console.contains(", errors 0\n"), console)
        }
    }

    /// Chaos seed 1 (one of the seeds that hit the race) makes domain 4 oops in the
    /// polling loop; two replays end in the same state, and a breakpoint on blk_ioload stops
    /// before the crash.
    func testSlotTableOopsUnderChaos() throws {
        let session = try CrashExampleTests.example("io-load")
        var options = RecordSession.Options()
        options.chaosSeed = 1
        options.stopAfterCrash = true
        options.maxInstructions = 30_000_000
        let (path, end) = try ReplayFixture.record(session, options: options)
        let crash = try XCTUnwrap(end.crashes.first, "seed 1 hits the race")
        XCTAssertEqual(crash.domain, 4)
        let s = try ReplaySession(path: path)
        XCTAssertEqual(s.run(), .endOfHistory)
        let console = try XCTUnwrap(s.machine.domain(crash.domain)).consoleText
        for line in ["Unable to handle kernel NULL pointer dereference (address 0000000000000010)",
                     ": Oops ", "ip is at blk_ioload+", "Call Trace:"] {
            XCTAssertTrue(console.contains(line), console)
        }
        XCTAssertFalse(console.contains("blkfront: io load "), "the crashed DomU never finished its load")
        try CrashExampleTests.checkReplays(path, end, function: "blk_ioload", domain: crash.domain)
    }
}
