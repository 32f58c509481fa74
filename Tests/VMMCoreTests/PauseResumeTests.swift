import VMMCore
import XCTest

/// A run stopped at any instruction and resumed is the same run: the machine reaches the same
/// state whether it ran straight through, paused at arbitrary counts, or stopped at breakpoints.
extension DefaultSessionTests {
    func testPausingAnywhereDoesNotChangeTheRun() throws {
        let straight = try SessionBoot.hypervisor(for: try session())
        XCTAssertEqual(straight.run(budget: 200_000_000), .allDomainsShutDown)

        let paused = try SessionBoot.hypervisor(for: try session())
        var generator = SplitMix(seed: 0x5eed)
        var stops = 0
        while true {
            let next = paused.retiredInstructions + 1 + generator.next() % 1_500_000
            let outcome = paused.run(budget: next)
            if outcome != .budgetSpent { break }
            XCTAssertEqual(paused.retiredInstructions, next, "a budget stop is exact")
            stops += 1
        }
        XCTAssertGreaterThan(stops, 20)
        XCTAssertEqual(paused.retiredInstructions, straight.retiredInstructions)
        XCTAssertEqual(paused.stateHash(), straight.stateHash())
        XCTAssertEqual(paused.domains.map(\.consoleText), straight.domains.map(\.consoleText))
    }

    func testBreakpointsStopBeforeTheBundleAndResumeTransparently() throws {
        let straight = try SessionBoot.hypervisor(for: try session())
        XCTAssertEqual(straight.run(budget: 200_000_000), .allDomainsShutDown)

        let h = try SessionBoot.hypervisor(for: try session())
        let target = try XCTUnwrap(h.domains[1].kernelSymbol("blk_read"), "the kernel has blk_read")
        for v in h.domains[1].vcpus { v.cpu.breakAddresses = [target] }
        var hits = 0
        while case .breakpoint(let v) = h.run(budget: 200_000_000) {
            XCTAssertEqual(v.domain.id, 1)
            XCTAssertEqual(v.cpu.ip, target)
            XCTAssertEqual(v.cpu.slot, 0)
            hits += 1
        }
        XCTAssertGreaterThan(hits, 1)
        XCTAssertEqual(h.stateHash(), straight.stateHash())
    }
}

/// A small deterministic generator for test positions.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
