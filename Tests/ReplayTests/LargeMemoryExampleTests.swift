import Foundation
import Replay
import VMMCore
import XCTest

/// examples/large-memory: a DomU with maxmem = 88 GB grows its reservation (balloon_up=max)
/// until the p2m leaves for the new memory exhaust the hypervisor's 1 MB heap. Only that
/// domain goes down; Dom0 and the other DomU run to their normal shutdown.
final class LargeMemoryExampleTests: XCTestCase {
    func testLargeMemoryDomUExhaustsTheHeap() throws {
        let (path, end) = try ReplayFixture.record(try CrashExampleTests.example("large-memory"))
        XCTAssertEqual(end.crashes.map(\.domain), [1], "only domu1 crashed")
        let crash = try XCTUnwrap(end.crashes.first)
        XCTAssertEqual(crash.name, "domu1")
        XCTAssertTrue(crash.reason.hasPrefix("out of Xen heap for its p2m"), crash.reason)
        XCTAssertTrue(crash.reason.hasSuffix("maxmem 5767168)"), "88 GB in 16 KiB pages: \(crash.reason)")

        let s = try ReplaySession(path: path)
        XCTAssertEqual(s.run(), .endOfHistory)
        let m = s.machine
        let log = m.log
        func index(_ text: String) throws -> Int {
            try XCTUnwrap(log.firstIndex { $0.contains(text) }, "no \"\(text)\" in the log:\n" + log.joined(separator: "\n"))
        }
        // Xen's complaint, the vCPU's backtrace cut short by the unwinder, then the crash.
        let order = try [
            index("(XEN) Cannot handle page request order 0!"),
            index("(XEN) domain 1 (domu1) vcpu 0: call trace:"),
            index("] xen_hypercall+"),
            index("] xen_memory_op+"),
            index("(XEN) unwind.desc_label_state(): out of memory"),
            index("(XEN) domain 1 (domu1) crashed: out of Xen heap for its p2m"),
        ]
        XCTAssertEqual(order, order.sorted())
        XCTAssertEqual(order.last! - order.first!, order.count - 1, "one block of lines")
        XCTAssertEqual(log.filter { $0.contains("Cannot handle page request") }.count, 1)
        XCTAssertEqual(log.filter { $0.contains("crashed") }.count, 1)

        // The others keep running and shut down normally after the crash.
        let crashed = order.last!
        XCTAssertGreaterThan(try index("(XEN) domain 2 (domu2) shut down: poweroff"), crashed)
        XCTAssertGreaterThan(try index("(XEN) domain 0 (Domain-0) shut down: poweroff"), crashed)
        XCTAssertEqual(m.domain(0)?.life, .shutdown(.poweroff))
        XCTAssertEqual(m.domain(2)?.life, .shutdown(.poweroff))
        XCTAssertEqual(m.domain(1)?.life, .crashed, "on_crash = preserve")
        XCTAssertTrue(try XCTUnwrap(m.domain(0)).consoleText.contains("dom0: all guests have shut down"))
        let domu1 = try XCTUnwrap(m.domain(1)).consoleText
        XCTAssertTrue(domu1.contains("balloon: growing past the boot 256 MB toward 90112 MB (balloon_up)"), domu1)
        XCTAssertFalse(try XCTUnwrap(m.domain(2)).consoleText.contains("balloon: growing"), "balloon_up is off by default")

        try CrashExampleTests.checkReplays(path, end, function: "balloon_grow", domain: 1)
    }

    /// A 92 GB DomU goes the same way; without balloon_up= the same machine runs clean.
    func testNinetyTwoGigabytesTooAndNothingWithoutBalloonUp() throws {
        let big = try CrashExampleTests.example("large-memory", replacing: [("maxmem = 90112", "maxmem = 94208")])
        let (_, end) = try ReplayFixture.record(big)
        XCTAssertEqual(end.crashes.map(\.domain), [1])
        XCTAssertTrue(try XCTUnwrap(end.crashes.first).reason.hasSuffix("maxmem 6029312)"))

        let off = try CrashExampleTests.example("large-memory", replacing: [(" balloon_up=max", "")])
        XCTAssertEqual(try ReplayFixture.record(off).1.crashes, [])
    }
}
