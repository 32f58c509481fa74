import Foundation
@testable import VMMCore
import XCTest

/// The bundled default session, end to end: Dom0 and two DomUs boot the guest kernel, bring
/// up their vCPUs, exchange events over the control channel, balloon, hot-plug a vCPU, run
/// their workloads and shut down; and a second run reaches the same machine state.
final class DefaultSessionTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The guests (kernel and disks), built once per test process with the real binutils.
    static let guests: Result<String, Error> = Result {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-guests-\(getpid())")
        let p = Process()
        p.executableURL = packageRoot.appendingPathComponent("Guests/build.sh")
        p.arguments = [out.path]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
        return out.path
    }

    /// The default session's files with the kernel path pointing at the test build.
    func session() throws -> Session {
        let guests = try Self.guests.get()
        let source = Self.packageRoot.appendingPathComponent("Guests/sessions/default")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path).sorted() {
            var text = try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8)
            text = text.replacingOccurrences(of: "../../../out/guests/", with: guests + "/")
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try SessionFile.load(path: dir.appendingPathComponent("session.cfg").path)
    }

    /// Memory hashes taken through the frame-hash cache (only frames written since the last
    /// seal are rehashed) equal hashes computed from scratch, all along the default session.
    func testCachedMemoryHashesMatchFreshOnes() throws {
        let h = try SessionBoot.hypervisor(for: try session())
        for step in 1...12 {
            _ = h.run(budget: 1_500_000)
            h.sealMemoryWrites()
            let cached = h.domains.map(\.memoryHash)
            h.machineMemory.forgetAllHashes()
            XCTAssertEqual(h.domains.map(\.memoryHash), cached, "after \(step * 1_500_000) instructions")
        }
    }

    func boot() throws -> Hypervisor {
        let h = try SessionBoot.hypervisor(for: try session())
        XCTAssertEqual(h.run(budget: 200_000_000), .allDomainsShutDown)
        return h
    }

    func testDefaultSessionBootsBalloonsHotplugsAndShutsDown() throws {
        let h = try boot()
        XCTAssertEqual(h.domains.map(\.name), ["Domain-0", "domu1", "domu2"])
        XCTAssertEqual(h.domains.map(\.life), [.shutdown(.poweroff), .shutdown(.poweroff), .shutdown(.poweroff)])
        let dom0 = h.domains[0].consoleText
        XCTAssertTrue(dom0.contains("xdbg ia64 PV kernel: domain 0 (dom0), 2 vCPU(s), 1024 MB"), dom0)
        XCTAssertTrue(dom0.contains("vcpu 1 up: compute checksum"), dom0)
        XCTAssertTrue(dom0.contains("control: found domain 1, balloon target 24576 pages"), dom0)
        XCTAssertTrue(dom0.contains("control: domain 2 reached its balloon target"), dom0)
        XCTAssertTrue(dom0.contains("dom0: all guests have shut down"), dom0)
        for (id, vcpus) in [(1, 2), (2, 4)] {
            let text = h.domains[id].consoleText
            XCTAssertTrue(text.contains("xdbg ia64 PV kernel: domain \(id), \(vcpus) vCPU(s), 512 MB"), text)
            for v in 1..<vcpus { XCTAssertTrue(text.contains("vcpu \(v) up: compute checksum"), text) }
            XCTAssertTrue(text.contains("vcpu \(vcpus - 1) offline (VCPUOP_down), is_up = 0"), text)
            XCTAssertTrue(text.contains("vcpu \(vcpus - 1) online again (VCPUOP_up)"), text)
            XCTAssertTrue(text.contains("workload compute: checksum"), text)
            XCTAssertTrue(text.contains("workload sort: checksum"), text)
            // Three kernel tasks preempted by the timer, interleaved before any finished.
            XCTAssertTrue(text.contains("sched: 3 tasks, "), text)
            XCTAssertTrue(text.contains("(interleaved)"), text)
            XCTAssertTrue(text.contains("balloon: 512 MB -> 384 MB (target from dom0)"), text)
            // The virtual disk: 64 KiB read through the block ring; domu1's disk is writable.
            XCTAssertTrue(text.contains("blkfront: xvda 2048 sectors, read 64 KiB checksum"), text)
            XCTAssertTrue(text.contains(id == 1 ? "write/read-back ok" : "read-only: write refused"), text)
            XCTAssertTrue(text.hasSuffix("shutting down\n"), text)
        }
        // The balloon really gave the pages back to the hypervisor.
        XCTAssertEqual(h.domains[1].memory.reservation, 24576, "populated pages after ballooning")
        XCTAssertTrue(h.log.contains { $0.contains("domain 1 vcpu 1 down") })
        XCTAssertTrue(h.log.contains { $0.contains("domain 2 (domu2) shut down: poweroff") })
    }

    func testTwoRunsReachTheSameState() throws {
        let a = try boot(), b = try boot()
        XCTAssertEqual(a.retiredInstructions, b.retiredInstructions)
        XCTAssertEqual(a.stateHash(), b.stateHash())
        XCTAssertEqual(a.domains.map(\.consoleText), b.domains.map(\.consoleText))
    }
}

extension DefaultSessionTests {
    /// A machine check and an INIT injected into the DomUs: the hypervisor logs them, the
    /// guests' OS handlers run (the MCA one reads the SAL error record), both DomUs end as
    /// crashed as their on_crash says, and Dom0 carries on and shuts down.
    func testInjectedMachineCheckAndINIT() throws {
        let inputs = StandardInputs()
        let h = try SessionBoot.hypervisor(for: try session(), inputs: inputs)
        inputs.schedule(PlatformEventRequest(event: .machineCheck, domain: 1, vcpu: 0), atInstruction: 8_000_000)
        inputs.schedule(PlatformEventRequest(event: .initSignal, domain: 2, vcpu: 1), atInstruction: 9_000_000)
        XCTAssertEqual(h.run(budget: 200_000_000), .allDomainsShutDown)
        XCTAssertTrue(h.log.contains { $0.hasPrefix("(XEN) MCA: injected into domain 1 (domu1) vcpu 0 at ip 0x") })
        XCTAssertTrue(h.log.contains { $0.hasPrefix("(XEN) INIT: injected into domain 2 (domu2) vcpu 1") })
        let d1 = h.domains[1].consoleText, d2 = h.domains[2].consoleText
        XCTAssertTrue(d1.contains("MCA: SAL error record 1, severity 1: MCA injected by xdbg into domain 1 vcpu 0"), d1)
        XCTAssertTrue(d1.contains("Kernel panic - not syncing: MCA: unrecoverable machine check"), d1)
        XCTAssertTrue(d2.contains("Delaying for 5 seconds...\n"), d2)
        XCTAssertTrue(d2.contains("INIT dump complete.  Please reboot now."), d2)
        XCTAssertTrue(d2.contains("psr : "), "the register dump")
        XCTAssertEqual(h.domains[1].life, .crashed, "on_crash = preserve")
        XCTAssertEqual(h.domains[2].life, .destroyed, "on_crash = destroy")
        XCTAssertEqual(h.domains[0].life, .shutdown(.poweroff))
        XCTAssertFalse(h.inject(.machineCheck, domain: 1, vcpu: 0), "no live domain to inject into")
    }
}
