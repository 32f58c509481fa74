import Foundation
import Replay
import VMMCore
import XCTest

/// Record a session, replay it, and compare: every state check and the final hash must match,
/// with and without chaos, with injected machine checks; and a tampered input is caught.
final class RecordReplayTests: XCTestCase {
    func replayToEnd(_ path: String) throws -> (ReplaySession, ReplaySession.Stop) {
        let s = try ReplaySession(path: path)
        return (s, s.run())
    }

    func testDefaultSessionReplaysBitIdenticallyAndCompactly() throws {
        let (path, end) = try ReplayFixture.record(try ReplayFixture.session())
        XCTAssertEqual(end.outcome, "all domains shut down")
        let trace = try Trace.read(path: path)
        XCTAssertGreaterThan(trace.events.filter { $0.kind == .stateCheck }.count, 2)
        XCTAssertEqual(trace.events.filter { $0.kind == .wallClock }.count, 3, "one wall clock per domain")
        XCTAssertEqual(trace.events.filter { $0.kind == .diskRead }.count, 2, "each DomU's disk read")
        let perThousand = Double(trace.fileSize) * 1000 / Double(end.instructions)
        XCTAssertLessThan(perThousand, 0.5, "trace bytes per 1000 instructions")
        for _ in 0..<2 {
            let (s, stop) = try replayToEnd(path)
            XCTAssertEqual(stop, .endOfHistory)
            XCTAssertEqual(s.position, end.instructions)
            XCTAssertEqual(s.machine.stateHash(), end.stateHash)
            XCTAssertEqual(s.checksPassed, trace.events.filter { $0.kind == .stateCheck }.count)
        }
    }

    func testChaosRecordingsDifferBySeedAndEachReplaysExactly() throws {
        var hashes: [String] = []
        for seed: UInt64 in [7, 8] {
            var options = RecordSession.Options()
            options.chaosSeed = seed
            options.maxInstructions = 100_000_000  // chaos may expose guest races: stay bounded
            let (path, end) = try ReplayFixture.record(try ReplayFixture.session(), options: options)
            let trace = try Trace.read(path: path)
            XCTAssertGreaterThan(trace.events.filter { $0.kind == .quantum }.count, 100, "chaos quanta are logged")
            let (s, stop) = try replayToEnd(path)
            XCTAssertEqual(stop, .endOfHistory)
            XCTAssertEqual(s.machine.stateHash(), end.stateHash)
            hashes.append(end.stateHash)
        }
        XCTAssertNotEqual(hashes[0], hashes[1], "different chaos seeds give different runs")
    }

    func testInjectedMachineCheckIsRecordedAndReplayedAtItsPoint() throws {
        var options = RecordSession.Options()
        options.injections = [(PlatformEventRequest(event: .machineCheck, domain: 1, vcpu: 0), 8_000_000)]
        let (path, end) = try ReplayFixture.record(try ReplayFixture.session(), options: options)
        XCTAssertTrue(end.crashes.contains { $0.domain == 1 }, "\(end.crashes)")
        let trace = try Trace.read(path: path)
        let mca = trace.events.compactMap { e -> UInt64? in
            if case .platformEvent(let p, let r) = e, r.event == .machineCheck { return p.instructions }
            return nil
        }
        XCTAssertEqual(mca.count, 1)
        XCTAssertGreaterThanOrEqual(mca[0], 8_000_000)
        let (s, stop) = try replayToEnd(path)
        XCTAssertEqual(stop, .endOfHistory)
        XCTAssertEqual(s.machine.stateHash(), end.stateHash)
        XCTAssertEqual(s.machine.crashes.map(\.instructions), end.crashes.map(\.instructions))
    }

    /// A replay given a different input than the recording saw (here the wall clock Dom0 was
    /// built with) no longer matches: the first state check reports domain 0's memory.
    func testTamperedInputIsCaughtAsADivergence() throws {
        let (path, _) = try ReplayFixture.record(try ReplayFixture.session())
        var trace = try Trace.read(path: path)
        guard case .wallClock(let p, var clock) = trace.events[0] else { return XCTFail("first event is the wall clock") }
        clock.seconds += 1
        trace.events[0] = .wallClock(p, clock)
        let s = try ReplaySession(trace: trace, blobs: BlobStore.beside(trace: path))
        guard case .divergence(let d) = s.run() else { return XCTFail("the divergence was not caught") }
        XCTAssertEqual(d.interval, 0)
        XCTAssertEqual(d.instructions, trace.header.checkInterval, "caught at the first check")
        XCTAssertTrue(d.differences.contains("domain 0 memory differs"), d.description)
    }

    /// A replay that asks a question the recording did not ask there stops at that point.
    func testMissingInputIsCaughtWhereItIsAsked() throws {
        let (path, _) = try ReplayFixture.record(try ReplayFixture.session())
        var trace = try Trace.read(path: path)
        let diskIndex = try XCTUnwrap(trace.events.firstIndex { $0.kind == .diskRead })
        let asked = trace.events[diskIndex].instructions
        trace.events.remove(at: diskIndex)
        let s = try ReplaySession(trace: trace, blobs: BlobStore.beside(trace: path))
        guard case .divergence(let d) = s.run() else { return XCTFail("the divergence was not caught") }
        XCTAssertEqual(d.instructions, asked)
        XCTAssertTrue(d.description.contains("disk read"), d.description)
    }

    func testSeekBackwardsReachesTheSameStateAsGoingForward() throws {
        let (path, _) = try ReplayFixture.record(try ReplayFixture.session())
        let s = try ReplaySession(path: path)
        XCTAssertEqual(s.run(to: 9_000_000), .position)
        let at9 = s.machine.stateHash()
        XCTAssertEqual(s.run(to: 20_000_000), .position)
        XCTAssertEqual(try s.seek(to: 9_000_000), .position)
        XCTAssertEqual(s.position, 9_000_000)
        XCTAssertEqual(s.machine.stateHash(), at9)
    }
}
