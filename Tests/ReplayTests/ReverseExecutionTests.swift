import Foundation
import Replay
import VMMCore
import XCTest

/// Checkpoints and going backwards: restored checkpoints continue bit-identically, a reverse
/// step lands one instruction earlier on that vCPU, reverse-continue lands on the previous
/// breakpoint hit.
final class ReverseExecutionTests: XCTestCase {
    static let recorded: Result<String, Error> = Result {
        var options = RecordSession.Options()
        options.checkInterval = 2_000_000
        return try ReplayFixture.record(try ReplayFixture.session(), options: options).0
    }

    func testCheckpointsAreTakenThinnedAndRestoreExactly() throws {
        let s = try ReplaySession(path: try Self.recorded.get())
        XCTAssertEqual(s.run(to: 25_000_000), .position)
        let hash = s.machine.stateHash()
        // The first pass checkpoints at checks 4, 8, 16… (2 M instructions apart here).
        XCTAssertEqual(s.checkpoints.map(\.position), [8_000_000, 16_000_000])
        XCTAssertEqual(try s.seek(to: 7_000_001), .position)
        XCTAssertEqual(s.position, 7_000_001)
        XCTAssertEqual(s.run(to: 25_000_000), .position)
        XCTAssertEqual(s.machine.stateHash(), hash, "forward again from a checkpoint: the same machine")
        // Going over it again: every fourth check.
        XCTAssertEqual(s.checkpoints.map(\.position), [8_000_000, 16_000_000, 24_000_000])
        XCTAssertEqual(s.run(), .endOfHistory)
        XCTAssertLessThanOrEqual(s.checkpoints.count, 24)
        XCTAssertEqual(s.checkpoints.last?.position, s.trace.end?.instructions, "one at the end of the history")
    }

    func testReverseStepGoesBackOneInstructionOfThatVCPU() throws {
        let s = try ReplaySession(path: try Self.recorded.get())
        let target = try XCTUnwrap(s.machine.domains[1].kernelSymbol("blk_read"))
        s.setBreakpoint(target, domain: 1)
        guard case .breakpoint(let d, let v) = s.run() else { return XCTFail("blk_read was not hit") }
        let vcpu = s.machine.domains[d].vcpus[v]
        let (retired, position, hash) = (vcpu.cpu.retired, s.position, s.machine.stateHash())
        XCTAssertTrue(try s.reverseStep(domain: d, vcpu: v))
        let back = s.machine.domains[d].vcpus[v]
        XCTAssertEqual(back.cpu.retired, retired - 1)
        XCTAssertLessThan(s.position, position)
        XCTAssertNotEqual(back.cpu.ip, target, "one instruction before the breakpoint's bundle")
        // Stepping that vCPU forward again reaches the breakpoint's state exactly.
        s.clearBreakpoints()
        XCTAssertEqual(s.run(to: .max, vcpuTarget: (back, retired)), .position)
        XCTAssertEqual(s.position, position)
        XCTAssertEqual(s.machine.stateHash(), hash)
    }

    func testReverseContinueLandsOnThePreviousBreakpointHit() throws {
        let s = try ReplaySession(path: try Self.recorded.get())
        let target = try XCTUnwrap(s.machine.domains[0].kernelSymbol("console_write"))
        s.setBreakpoint(target, domain: 0)
        var hits: [UInt64] = []
        for _ in 0..<3 {
            guard case .breakpoint = s.run() else { return XCTFail("console_write was not hit three times") }
            hits.append(s.position)
        }
        XCTAssertEqual(s.run(to: 20_000_000), .breakpoint(domain: 0, vcpu: s.machine.domains[0].vcpus.firstIndex { $0.cpu.ip == target } ?? 0))
        let here = s.position
        guard case .breakpoint? = try s.reverseContinue() else { return XCTFail("no earlier hit found") }
        XCTAssertLessThan(s.position, here)
        XCTAssertEqual(s.machine.domains[0].vcpus.contains { $0.cpu.ip == target }, true)
        let previous = s.position
        guard case .breakpoint? = try s.reverseContinue() else { return XCTFail("no earlier hit found") }
        XCTAssertLessThan(s.position, previous)
        XCTAssertEqual(try s.seek(to: hits[0]), .position)
    }
}
