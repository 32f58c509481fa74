import Foundation
import IA64Exec
@testable import VMMCore
import XCTest

/// A domain's p2m outgrowing the Xen heap: leaves beyond the boot memory are charged as they
/// are first needed, and a populate that cannot have one crashes that domain only.
extension HypercallTests {
    func testLargeMaxmemIsChargedAsTheDomainGrowsAndExhaustionCrashesOnlyIt() throws {
        let hv = Hypervisor(options: .init(memoryMiB: 8192, xenheapMiB: 1))  // 64 heap pages
        let dom0 = G()
        dom0.store(A, SELF, size: 2)
        dom0.call(12, 3, h(A), expect: 1024, "Dom0 runs on")
        // The DomU: 16 MiB at boot, maxmem 88 GB (2816 p2m leaves: more than the whole heap).
        let domU = G()
        domU.store(A, SELF, size: 2)
        domU.call(12, 4, h(A), expect: 5_767_168, "maximum_reservation: 88 GB")
        // 100 order-0 extents, each in a p2m leaf of its own above the boot memory.
        for k in 0..<UInt64(100) { domU.store(A + 0x100 + 8 * k, 2048 * (k + 1)) }
        domU.store(A + 0x40, h(A + 0x100))
        domU.store(A + 0x48, 100)
        domU.store(A + 0x50, 0, size: 4)
        domU.store(A + 0x58, SELF, size: 2)
        domU.call(12, 6, h(A + 0x40), expect: nil, "populate_physmap until the heap runs out")

        let d0 = try hv.boot(dom0, name: "Domain-0")
        let before = hv.heap.usedPages
        let d1 = try hv.boot(domU, name: "big", maxMemoryMiB: 90112)
        XCTAssertLessThan(hv.heap.usedPages - before, 8, "only the boot memory's p2m is charged at build")
        XCTAssertEqual(hv.run(budget: 5_000_000), .allDomainsShutDown)
        dom0.check(d0)
        XCTAssertTrue(dom0.reachedEnd(d0))
        XCTAssertEqual(d0.life, .shutdown(.poweroff))
        XCTAssertFalse(domU.reachedEnd(d1))
        XCTAssertEqual(d1.life, .destroyed)
        XCTAssertEqual(hv.crashes.map(\.domain), [1])
        XCTAssertEqual(hv.heap.freePages, 0)
        XCTAssertGreaterThan(d1.reservationPages, 1024)
        let at = try XCTUnwrap(hv.log.firstIndex(of: "(XEN) Cannot handle page request order 0!"), hv.log.joined(separator: "\n"))
        XCTAssertEqual(hv.log[at + 1], "(XEN) domain 1 (big) vcpu 0: call trace:")
        XCTAssertTrue(hv.log[at + 2].hasPrefix("(XEN)  [<"), hv.log[at + 2])
        XCTAssertTrue(hv.log.contains("(XEN) unwind.desc_label_state(): out of memory"))
        XCTAssertTrue(hv.log.contains { $0.hasPrefix("(XEN) domain 1 (big) crashed: out of Xen heap for its p2m") })
    }

    func testTakeHeapFailureNamesTheHeapOnlyWhenItWasTheHeap() throws {
        let machine = MachineMemory(bytes: 1 << 30)
        let d = try DomainMemory(machine: machine, heap: XenHeap(pages: 1), maxPages: 2048)
        XCTAssertTrue(d.populate(gpfn: 0))
        XCTAssertFalse(d.populate(gpfn: 0), "already there")
        XCTAssertNil(d.takeHeapFailure())
        XCTAssertFalse(d.populate(gpfn: 1 << 20), "a new leaf, and the heap is full")
        XCTAssertEqual(d.takeHeapFailure(), XenHeapError(order: 0))
        XCTAssertNil(d.takeHeapFailure(), "cleared by reading")
    }

    /// memory_op reads its extent list an entry at a time: the same bytes, and the same
    /// failures, as reading the whole prefix.
    func testXencommReadAtAnOffsetMatchesTheWholePrefix() throws {
        let page = XenABI.pageSize
        let m = try DomainMemory(machine: MachineMemory(bytes: 1 << 26), heap: XenHeap(pages: 64), maxPages: 64)
        m.populate(gpfns: 0..<8)
        for i in 0..<UInt64(4 * page / 8) { m.setU64(page + 8 * i, i &* 0x9e37_79b9_7f4a_7c15) }
        // A descriptor of three pieces: the second half of page 1, page 2, then page 9 (unmapped).
        let desc: UInt64 = 6 * page
        m.setU32(desc, UInt64(XenABI.xencommMagic))
        m.setU32(desc + 4, 3)
        m.setU64(desc + 8, page + page / 2)
        m.setU64(desc + 16, 2 * page)
        m.setU64(desc + 24, 9 * page)
        for handle in [XencommHandle(raw: (page + 24) | XenABI.xencommInlineFlag), XencommHandle(raw: desc)] {
            for offset in [0, 8, 4096, Int(page / 2) - 8, Int(page / 2), Int(page) + Int(page / 2) - 8, Int(page) + Int(page / 2)] {
                let whole = handle.read(count: offset + 8, from: m).map { Array($0.suffix(8)) }
                XCTAssertEqual(handle.read(count: 8, at: offset, from: m), whole, "offset \(offset)")
            }
        }
        XCTAssertNil(XencommHandle(raw: desc).read(count: 8, at: Int(page) + Int(page / 2), from: m), "the third piece is unmapped")
        m.release(gpfn: 1)
        XCTAssertNil(XencommHandle(raw: desc).read(count: 8, at: Int(page / 2), from: m), "a piece before the offset is gone")
    }
}
