import Foundation
import IA64Exec
@testable import VMMCore
import XCTest

/// Console input through the one door (StandardInputs here): Dom0 reads the hypervisor's
/// serial input with CONSOLEIO_read after VIRQ_CONSOLE; a DomU gets it in its console ring's
/// in[], the rest waiting in the back end until the guest makes room.
extension HypercallTests {
    func testConsoleReadGivesDom0ItsSerialInput() throws {
        let dom0 = G()
        dom0.store(A, 2, size: 4)  // bind_virq: VIRQ_CONSOLE on vCPU 0
        dom0.store(A + 4, 0, size: 4)
        dom0.call(32, 1, h(A), expect: 0, "bind_virq VIRQ_CONSOLE")
        dom0.load(A + 8, size: 4, expect: 1, "its port")
        dom0.call(18, 1, 64, h(A + 0x100), expect: 0, "read before any input: nothing")
        dom0.load(A + 0x100, expect: 0, "buffer untouched")
        dom0.waitNonZero(Self.pendingWord)
        dom0.load(Self.pendingWord, expect: 2, mask: 2, "VIRQ_CONSOLE pending once input came")
        dom0.call(18, 1, 8, h(bad), expect: xerr(.efault), "read to a bad handle")
        dom0.call(18, 1, 5, h(A + 0x100), expect: 5, "read 5 of 13")
        dom0.load(A + 0x100, expect: G.le("hello\0\0\0"), "the first five bytes, nothing past count")
        dom0.call(18, 1, 64, h(A + 0x200), expect: 8, "the remaining 8")
        dom0.load(A + 0x200, expect: G.le(", world\n"), "the rest, in order")
        dom0.call(18, 1, 64, h(A + 0x300), expect: 0, "drained")
        // 200 bytes more: Xen's 128-byte serial ring keeps 128, the rest is dropped.
        dom0.store(Self.pendingWord, 0)
        dom0.waitNonZero(Self.pendingWord)
        dom0.call(18, 1, 100, h(A + 0x400), expect: 100, "read 100")
        dom0.call(18, 1, 100, h(A + 0x500), expect: 28, "28 more: 128 kept")
        dom0.load(A + 0x500 + 16, expect: G.le(Array(repeating: UInt8(ascii: "x"), count: 8)), "the last bytes kept")
        dom0.call(18, 1, 100, h(A + 0x600), expect: 0, "nothing beyond the buffer")

        let domU = G()
        domU.call(18, 1, 8, h(A), expect: xerr(.eperm), "DomU console read")

        let hv = Hypervisor()
        let inputs = StandardInputs()
        hv.inputs = inputs
        inputs.schedule(ConsoleInputRequest(domain: 0, bytes: Array("hello, world\n".utf8)), atInstruction: 200_000)
        inputs.schedule(ConsoleInputRequest(domain: 0, bytes: [UInt8](repeating: UInt8(ascii: "x"), count: 200)),
                        atInstruction: 400_000)
        try runToShutdown(dom0, domU, on: hv)
        XCTAssertEqual(hv.log.filter { $0.contains("serial input buffer full: 72 byte(s) for domain 0 dropped") }.count, 1, "\(hv.log)")
        XCTAssertEqual(hv.serialInput, [])
    }

    func testConsoleInputFillsDomUInRingAndWaitsInTheBackEndWhenFull() throws {
        let memoryMiB: UInt64 = 8
        let ring = (memoryMiB << 20) - 0x4000          // the last page (libxc's layout)
        let startInfo = (memoryMiB << 20) - 3 * 0x4000
        let text = (0..<6000).map { UInt8($0 % 251) }  // ring 1024 + back end 4096, 880 dropped

        let domU = G()
        domU.waitEqual(ring + 0xc04, 1024, size: 4)
        let pending = domU.load(Self.pendingWord, "pending ports once in_prod reached 1024")
        domU.load(ring, expect: G.le(text[0..<8]), "in[0..8]")
        domU.load(ring + 1016, expect: G.le(text[1016..<1024]), "in[1016..1024]")
        // A guest that has not consumed anything yet: the notification moves nothing.
        domU.copy(from: startInfo + 0x50, to: A)  // console.domU.evtchn
        domU.call(32, 4, h(A), expect: 0, "notify with the ring still full")
        domU.load(ring + 0xc04, size: 4, expect: 1024, "nothing more went in")
        domU.delay(100_000)  // the test looks at the back end meanwhile
        // Consume 1000 bytes, then notify: the back end refills as far as in_cons.
        domU.store(ring + 0xc00, 1000, size: 4)
        domU.call(32, 4, h(A), expect: 0, "notify after consuming")
        domU.load(ring + 0xc04, size: 4, expect: 2024, "in_prod advanced by the room made")
        domU.load(ring, expect: G.le(text[1024..<1032]), "in[] wrapped: bytes 1024.. at offset 0")
        domU.load(ring + 992, expect: G.le(text[2016..<2024]), "the newest bytes end at in_prod")
        domU.load(ring + 1000, expect: G.le(text[1000..<1008]), "past in_prod: the consumed old bytes")

        let hv = Hypervisor()
        let inputs = StandardInputs()
        hv.inputs = inputs
        inputs.schedule(ConsoleInputRequest(domain: 1, bytes: text), atInstruction: 100_000)
        inputs.schedule(ConsoleInputRequest(domain: 0, bytes: Array("never read".utf8)), atInstruction: 100_000)
        let d0 = try hv.boot(G(), name: "Domain-0", end: false)
        let d1 = try hv.boot(domU, name: "domU", memoryMiB: memoryMiB)
        XCTAssertEqual(d1.consoleRingPhysical, ring)
        let port = try XCTUnwrap(d1.memory.u32(startInfo + 0x50))
        XCTAssertEqual(d1.eventChannels[Int(port)].binding, .backend(.console))

        XCTAssertEqual(hv.run(budget: 160_000), .budgetSpent)
        XCTAssertEqual(d1.memory.u32(ring + 0xc04), 1024, "the ring is full")
        XCTAssertTrue(d1.consoleInputBacklog == Array(text[1024..<5120]), "the back end keeps 4096 bytes, in order")
        XCTAssertEqual(hv.log.filter { $0.contains("input backlog of domain 1 full: 880 byte(s) dropped") }.count, 1, "\(hv.log)")

        // Input still waiting in the hypervisor (the DomU's backlog, Dom0's unread serial
        // input) travels in snapshots: the restored machine goes on identically.
        XCTAssertEqual(hv.serialInput, Array("never read".utf8))
        let restored = try Hypervisor(restoring: try MachineSnapshot(decoding: hv.snapshot().encoded()))
        XCTAssertEqual(restored.stateHash(), hv.stateHash())
        XCTAssertTrue(restored.domain(1)?.consoleInputBacklog == d1.consoleInputBacklog)
        XCTAssertEqual(restored.serialInput, hv.serialInput)
        XCTAssertEqual(restored.run(budget: 5_000_000), .budgetSpent)

        XCTAssertEqual(hv.run(budget: 5_000_000), .budgetSpent)  // Dom0 never ends
        XCTAssertEqual(restored.stateHash(), hv.stateHash())
        domU.check(d1)
        XCTAssertTrue(domU.reachedEnd(d1))
        XCTAssertNotEqual(domU.results(in: d1)[pending] & (1 << port), 0, "the console port was raised")
        let backlog = d1.consoleInputBacklog
        XCTAssertTrue(backlog == Array(text[2024..<5120]), "backlog: \(backlog.count) bytes from \(backlog.first.map(String.init) ?? "-"), ring in_prod \(d1.memory.u32(ring + 0xc04) ?? 0)")
        _ = d0
    }

    /// A guest that wrote an impossible in_cons: the back end starts again from it instead of
    /// overrunning the ring.
    func testBrokenInRingIndicesAreResynchronised() throws {
        let ring = (UInt64(8) << 20) - 0x4000
        let domU = G()
        domU.store(ring + 0xc00, 0x10000, size: 4)  // in_cons far ahead of in_prod (0)
        domU.waitEqual(ring + 0xc04, 0x10005, size: 4)
        domU.load(ring, size: 4, expect: G.le("abcd"), "written from in_cons on")

        let hv = Hypervisor()
        let inputs = StandardInputs()
        hv.inputs = inputs
        inputs.schedule(ConsoleInputRequest(domain: 1, bytes: Array("abcde".utf8)), atInstruction: 100_000)
        try hv.boot(G(), name: "Domain-0", end: false)
        let d1 = try hv.boot(domU, name: "domU", memoryMiB: 8)
        XCTAssertEqual(hv.run(budget: 1_000_000), .budgetSpent)
        domU.check(d1)
        XCTAssertTrue(domU.reachedEnd(d1))
        XCTAssertTrue(hv.log.contains("(XEN) console: domain 1 input ring indices broken (prod 0, cons 65536): resynchronised"), "\(hv.log)")
    }
}
