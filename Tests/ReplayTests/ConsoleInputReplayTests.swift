import Foundation
import Replay
import VMMCore
import XCTest

/// Console input typed at the default session's domains: logged as it is delivered, echoed by
/// the guests, and given back by the trace alone when replaying.
final class ConsoleInputReplayTests: XCTestCase {
    func testConsoleInputIsRecordedEchoedAndReplayedFromTheTrace() throws {
        var options = RecordSession.Options()
        options.consoleInputs = [
            (ConsoleInputRequest(domain: 1, bytes: Array("hello\n".utf8)), 20_000_000),
            (ConsoleInputRequest(domain: 0, bytes: Array("uptime\nxl list\n".utf8)), 15_000_000),
        ]
        let session = try ReplayFixture.session()
        let path = try ReplayFixture.scratch() + "/t.trace"
        let recording = try RecordSession(session: session, source: "test", path: path, options: options)
        let end = try recording.run()
        XCTAssertEqual(end.outcome, "all domains shut down")
        let consoles = recording.machine.domains.map(\.consoleText)
        XCTAssertTrue(consoles[1].contains("\nconsole input: hello\n"), consoles[1])
        XCTAssertTrue(consoles[0].contains("\nconsole input: uptime\nconsole input: xl list\n"), consoles[0])
        XCTAssertFalse(consoles[2].contains("console input"), "domu2 got none")

        let trace = try Trace.read(path: path)
        let logged = trace.events.compactMap { e -> (UInt64, ConsoleInputRequest)? in
            if case .consoleInput(let p, let r) = e { return (p.instructions, r) }
            return nil
        }
        XCTAssertEqual(logged.map(\.1), [options.consoleInputs[1].request, options.consoleInputs[0].request], "in delivery order")
        XCTAssertGreaterThanOrEqual(logged[0].0, 15_000_000)
        XCTAssertLessThan(logged[0].0, 15_000_000 + 200_000, "at the first round boundary after the point")
        XCTAssertGreaterThanOrEqual(logged[1].0, 20_000_000)

        // The replay has no input of its own: everything comes from the trace.
        let replay = try ReplaySession(path: path)
        XCTAssertEqual(replay.run(), .endOfHistory)
        XCTAssertEqual(replay.machine.stateHash(), end.stateHash)
        XCTAssertEqual(replay.machine.domains.map(\.consoleText), consoles)

        // Without the logged input the replay is another run: caught at the next state check.
        var stripped = trace
        stripped.events.removeAll { $0.kind == .consoleInput }
        let s = try ReplaySession(trace: stripped, blobs: BlobStore.beside(trace: path))
        guard case .divergence(let d) = s.run() else { return XCTFail("a replay without the input did not diverge") }
        XCTAssertEqual(d.intervalStart, 10_000_000, "the interval the first input fell in: \(d.description)")
    }
}
