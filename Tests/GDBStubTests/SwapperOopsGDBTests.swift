import Foundation
@testable import GDBStub
import IA64Exec
import Replay
import VMMCore
import XCTest

/// The gdb session on the swapper oops example: break at the oops, set a watchpoint on
/// the NULL pointer's home (the idle task's idle_acct slot), reverse-continue, and land on the
/// instruction that cleared it: the timer tick's store in event_callback.
final class SwapperOopsGDBTests: XCTestCase {
    /// examples/swapper-oops recorded with a chaos seed that hits the race.
    static let recorded: Result<(trace: String, kernel: String), Error> = Result {
        var options = RecordSession.Options()
        options.chaosSeed = 8
        options.stopAfterCrash = true
        options.maxInstructions = 60_000_000
        return try RecordedDefaultSession.record("examples/swapper-oops", guestsPrefix: "../../out/guests/",
                                                 root: "xdbg-gdboops", options: options)
    }

    func testReverseWatchFindsTheStoreThatClearedTheNullPointersHome() throws {
        let (trace, kernel) = try Self.recorded.get()
        let target = try ReplayDebugTarget(session: try ReplaySession(path: trace), domain: 1)
        target.note = { _ in }
        let server = GDBServer(target: target, log: { _ in })
        let port = try server.listen(port: 0)
        let box = UncheckedBox(server)
        Thread { box.value.serveForever() }.start()
        defer {
            server.stop()
            usleep(300_000)
        }
        let out = try GDBHarness.gdb(port: port, file: URL(fileURLWithPath: kernel), [
            "break oops_print", "continue", "bt 1",
            "watch *(long *)&idle_acct", "reverse-continue", "x/i $pc", "monitor when",
        ], timeout: 120)
        XCTAssertTrue(out.contains("hit Breakpoint 1, oops_print ()"), out)
        XCTAssertTrue(out.contains("Hardware watchpoint 2: *(long *)&idle_acct"), out)
        // Going back, the pointer reappears: the stop is at the store that set it to 0.
        XCTAssertTrue(out.contains("Old value = 0\n"), out)
        XCTAssertTrue(out.contains("event_callback"), out)
        XCTAssertTrue(out.contains("st8 [r29]=r0"), out)
    }
}
