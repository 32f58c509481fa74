import Foundation
import IA64Exec
@testable import VMMCore
import XCTest

/// vcpu_op set/stop_periodic_timer and set/stop_singleshot_timer: VIRQ_TIMER events counted by
/// a guest that blocks for them, at deadlines in virtual ITC time (1 tick = 1 ns), Xen's
/// errors for bad periods, other vCPUs and bad ids, and the timers through a snapshot.
extension HypercallTests {
    static let period: UInt64 = 1_000_000

    /// r8 = ar.itc + `delta`, stored at `address` (and kept in r8).
    func storeITC(_ g: G, plus delta: UInt64, at address: UInt64) {
        g.raw("\tmov r8 = ar.itc\n\t;;\n\tmovl r9 = 0x\(String(delta, radix: 16))\n\t;;\n\tadd r8 = r8, r9\n\t;;")
        g.raw("\tmovl r9 = 0x\(String(address, radix: 16))\n\t;;\n\tst8 [r9] = r8\n\t;;")
    }

    @discardableResult
    func recordITC(_ g: G) -> Int {
        g.raw("\tmov r8 = ar.itc\n\t;;")
        return g.record()
    }

    /// Blocks until an event, then records the ITC, that the timer port is pending, and
    /// acknowledges it (pending bit and upcall flag cleared).
    func blockForTimer(_ g: G, portBit: UInt64) -> Int {
        g.call(29, 1, 0, expect: 0, "block for VIRQ_TIMER")
        let itc = recordITC(g)
        g.load(Self.pendingWord, expect: portBit, mask: portBit, "VIRQ_TIMER pending")
        g.store(Self.pendingWord, 0)
        g.store(XenABI.sharedInfoPhysical, 0, size: 1)
        return itc
    }

    /// The guest for the timer tests: counts five periodic ticks, then a single shot, checks
    /// that stopped timers stay quiet and every error path. Returns the slots of the tick and
    /// single-shot ITCs.
    func timerGuest() -> (G, ticks: [Int], shotDeadline: Int, shot: Int, quietUntil: Int, quietEnd: Int) {
        let g = G()
        let portBit: UInt64 = 1 << 1
        g.store(A, 0, size: 4)  // bind_virq {u32 virq, u32 vcpu, out u32 port}
        g.call(32, 1, h(A), expect: 0, "bind_virq VIRQ_TIMER")
        g.load(A + 8, size: 4, expect: 1, "port 1")
        g.store(A + 0x20, Self.period)
        g.call(24, 6, 0, h(A + 0x20), expect: 0, "set_periodic_timer 1 ms")
        let ticks = (0..<5).map { _ in blockForTimer(g, portBit: portBit) }
        g.call(24, 7, 0, 0, expect: 0, "stop_periodic_timer")
        // A single shot 3 ms from now, that must be in the future.
        storeITC(g, plus: 3_000_000, at: A + 0x40)
        let shotDeadline = g.record()
        g.store(A + 0x48, 1, size: 4)
        g.call(24, 8, 0, h(A + 0x40), expect: 0, "set_singleshot_timer, future")
        let shot = blockForTimer(g, portBit: portBit)
        // Stopped timers stay quiet: poll the timer port until a deadline 5 ms away.
        storeITC(g, plus: 1_000_000, at: A + 0x60)
        g.store(A + 0x68, 0, size: 4)
        g.call(24, 8, 0, h(A + 0x60), expect: 0, "a single shot in 1 ms…")
        g.call(24, 9, 0, 0, expect: 0, "…stopped")
        g.store(A + 0x80, 1, size: 4)  // the port list
        g.store(A + 0x90, h(A + 0x80))  // sched_poll {handle ports, u32 nr_ports @8, u64 timeout @16}
        g.store(A + 0x98, 1, size: 4)
        storeITC(g, plus: 5_000_000, at: A + 0xa0)
        let quietUntil = g.record()
        g.call(29, 3, h(A + 0x90), expect: 0, "poll the timer port for 5 ms")
        let quietEnd = recordITC(g)
        g.load(Self.pendingWord, expect: 0, mask: portBit, "no tick while stopped")
        // A deadline already passed fires at once, unless it had to be in the future.
        g.store(A + 0xc0, 1)
        g.store(A + 0xc8, 0, size: 4)
        g.call(24, 8, 0, h(A + 0xc0), expect: 0, "single shot at ITC 1")
        g.load(Self.pendingWord, expect: portBit, mask: portBit, "fired at once")
        g.store(Self.pendingWord, 0)
        g.store(XenABI.sharedInfoPhysical, 0, size: 1)
        g.store(A + 0xc8, 1, size: 4)
        g.call(24, 8, 0, h(A + 0xc0), expect: xerr(.etime), "single shot at ITC 1, future")
        // A deadline reached while the vCPU runs.
        storeITC(g, plus: 2_000, at: A + 0x100)
        g.store(A + 0x108, 1, size: 4)
        g.call(24, 8, 0, h(A + 0x100), expect: 0, "single shot 2,000 ticks ahead")
        g.load(Self.pendingWord, expect: 0, mask: portBit, "not yet")
        g.delay(2_000)
        g.load(Self.pendingWord, expect: portBit, mask: portBit, "fired while running")
        g.store(Self.pendingWord, 0)
        g.store(XenABI.sharedInfoPhysical, 0, size: 1)
        // A period reaching past the end of time never fires (and never wraps around).
        g.store(A + 0xf0, ~0)
        g.call(24, 6, 0, h(A + 0xf0), expect: 0, "a period of 2^64-1 ns")
        storeITC(g, plus: 2_000_000, at: A + 0xa0)
        g.call(29, 3, h(A + 0x90), expect: 0, "poll the timer port for 2 ms")
        g.load(Self.pendingWord, expect: 0, mask: portBit, "no tick")
        g.call(24, 7, 0, 0, expect: 0, "stop it")
        // Errors.
        g.store(A + 0xe0, Self.period - 1)
        g.call(24, 6, 0, h(A + 0xe0), expect: xerr(.einval), "period under 1 ms")
        g.call(24, 6, 0, h(bad), expect: xerr(.efault), "set_periodic_timer, bad handle")
        g.call(24, 8, 0, h(bad), expect: xerr(.efault), "set_singleshot_timer, bad handle")
        g.call(24, 8, 1, h(A + 0x40), expect: xerr(.einval), "single shot for another vCPU")
        g.call(24, 9, 1, 0, expect: xerr(.einval), "stop another vCPU's single shot")
        g.call(24, 6, 1, h(A + 0x20), expect: 0, "periodic timer of vCPU 1 (down: it never fires)")
        g.call(24, 7, 1, 0, expect: 0, "stop it")
        g.call(24, 6, 2, h(A + 0x20), expect: xerr(.enoent), "vCPU 2 of 2")
        g.call(24, 6, 64, h(A + 0x20), expect: xerr(.einval), "vCPU 64")
        g.call(24, 8, 0xffff_ffff, h(A + 0x40), expect: xerr(.einval), "vCPU -1")
        g.call(24, 10, 0, 0, expect: xerr(.enosys), "register_vcpu_info")
        return (g, ticks, shotDeadline, shot, quietUntil, quietEnd)
    }

    func testVCPUOpPeriodicAndSingleShotTimersFireVIRQTimer() throws {
        let (g, ticks, shotDeadline, shot, quietUntil, quietEnd) = timerGuest()
        let hv = Hypervisor()
        let d0 = try hv.boot(g, name: "Domain-0", vcpus: 2)
        XCTAssertEqual(hv.run(budget: 5_000_000), .allDomainsShutDown)
        g.check(d0)
        XCTAssertTrue(g.reachedEnd(d0))
        let r = g.results(in: d0)
        for k in 1..<ticks.count {
            XCTAssertEqual(r[ticks[k]] - r[ticks[k - 1]], Self.period, "tick \(k) one period after the one before")
        }
        XCTAssertGreaterThanOrEqual(r[shot], r[shotDeadline])
        XCTAssertLessThan(r[shot] - r[shotDeadline], 100, "woken at the single shot's deadline")
        XCTAssertGreaterThanOrEqual(r[quietEnd], r[quietUntil], "the poll ran to its timeout")
        XCTAssertFalse(d0.vcpus[0].timers.isArmed)
        XCTAssertFalse(d0.vcpus[1].timers.isArmed)
        XCTAssertLessThan(hv.retiredInstructions, 100_000, "waiting skipped ahead in virtual time")
        XCTAssertGreaterThan(hv.now, 5 * Self.period + 3_000_000 + 5_000_000)
    }

    /// A machine snapshotted between ticks carries the armed timer and finishes identically.
    func testVCPUTimersSurviveSnapshotAndRestore() throws {
        let (g, ticks, _, _, _, _) = timerGuest()
        let hv = Hypervisor()
        let d0 = try hv.boot(g, name: "Domain-0", vcpus: 2)
        var point: UInt64 = 0
        while (d0.memory.u64(HypercallGuest.results + 8 * UInt64(ticks[1])) ?? 0) == 0 && point < 1_000_000 {
            point += 100
            _ = hv.run(budget: point)
        }
        XCTAssertTrue(d0.vcpus[0].timers.isArmed, "paused with the periodic timer running")
        let snapshot = hv.snapshot()
        let restored = try Hypervisor(restoring: try MachineSnapshot(decoding: snapshot.encoded()))
        XCTAssertEqual(restored.domains[0].vcpus[0].timers, d0.vcpus[0].timers)
        XCTAssertEqual(restored.stateHash(), hv.stateHash())
        // The hash covers the timer: another deadline hashes differently.
        let probeMachine = try Hypervisor(restoring: snapshot)
        probeMachine.domains[0].vcpus[0].timers.periodicDeadline! += 1
        XCTAssertNotEqual(probeMachine.stateHash(), hv.stateHash())
        XCTAssertEqual(hv.run(budget: 5_000_000), .allDomainsShutDown)
        XCTAssertEqual(restored.run(budget: 5_000_000), .allDomainsShutDown)
        XCTAssertEqual(restored.stateHash(), hv.stateHash())
        XCTAssertEqual(g.results(in: restored.domains[0]), g.results(in: d0))
        g.check(restored.domains[0])
    }

    /// set_periodic_timer for another vCPU of the domain starts the period on that vCPU's own
    /// clock (the time it sees when it next runs), not on the caller's.
    func testPeriodicTimerForAnotherVCPUUsesItsClock() throws {
        let g = G()
        g.store(A + 0x20, Self.period)
        g.call(24, 6, 1, h(A + 0x20), expect: 0, "set_periodic_timer for vCPU 1")
        let hv = Hypervisor()
        let d = try hv.boot(g, name: "Domain-0", vcpus: 2)
        let later: UInt64 = 1 << 40
        d.vcpus[1].lastITC = later
        XCTAssertEqual(hv.run(budget: 1_000_000), .allDomainsShutDown)
        g.check(d)
        let deadline = try XCTUnwrap(d.vcpus[1].timers.periodicDeadline)
        XCTAssertGreaterThan(deadline, later, "counted from vCPU 1's clock")
        XCTAssertLessThanOrEqual(deadline, later + Self.period)
    }
}
