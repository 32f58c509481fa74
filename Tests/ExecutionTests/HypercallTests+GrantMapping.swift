import Foundation
import IA64Exec
@testable import VMMCore
import XCTest

/// grant_table_op map_grant_ref / unmap_grant_ref between guests: one machine frame seen by
/// both domains, GTF_reading/GTF_writing while mapped, read-only mappings that refuse writes,
/// every GNTST error, the page under a mapping coming back, frames ballooned away while mapped,
/// and mappings dropped when the mapping domain dies.
extension HypercallTests {
    static let grantTable = XenABI.grantTablePhysical

    static func grantEntry(flags: UInt64, domid: UInt64, frame: UInt64) -> UInt64 { flags | domid << 16 | frame << 32 }

    /// map_grant_ref {u64 host_addr, u32 flags @8, u32 ref @12, u16 dom @16, i16 status @18,
    /// u32 handle @20, u64 dev_bus_addr @24}; status and handle preset so untouched ones show.
    func mapOp(_ g: G, _ at: UInt64, host: UInt64, flags: UInt64, ref: UInt64, dom: UInt64) {
        g.store(at, host)
        g.store(at + 8, flags, size: 4)
        g.store(at + 12, ref, size: 4)
        g.store(at + 16, dom, size: 2)
        g.store(at + 18, 0x7777, size: 2)
        g.store(at + 20, 0x5555, size: 4)
    }

    /// unmap_grant_ref {u64 host_addr, u64 dev_bus_addr @8, u32 handle @16, i16 status @20}
    func unmapOp(_ g: G, _ at: UInt64, host: UInt64, bus: UInt64 = 0, handle: UInt64) {
        g.store(at, host)
        g.store(at + 8, bus)
        g.store(at + 16, handle, size: 4)
        g.store(at + 20, 0x7777, size: 2)
    }

    /// xen_memory_reservation {handle extents, u64 nr @8, u32 order @16, u32 bits @20, u16 domid @24}
    /// for one page.
    func onePage(_ g: G, _ at: UInt64, gpfn: UInt64) {
        g.store(at + 0x40, gpfn)
        g.store(at, h(at + 0x40))
        g.store(at + 8, 1)
        g.store(at + 16, 0, size: 4)
        g.store(at + 24, SELF, size: 2)
    }

    func testGrantMapAndUnmapShareOneFrameBetweenDomains() throws {
        let GT = Self.grantTable
        let src: UInt64 = 0x400000, readOnly: UInt64 = 0x404000, secret: UInt64 = 0x40c000, ballooned: UInt64 = 0x410000
        let entry = Self.grantEntry
        let (permit, ro, reading, writing): (UInt64, UInt64, UInt64, UInt64) = (1, 4, 8, 16)

        let dom0 = G()
        dom0.store(src, string: "granted!")
        dom0.store(readOnly, string: "readonly")
        dom0.store(secret, string: "secret!!")
        dom0.store(ballooned, string: "balloon!")
        dom0.store(GT + 8, entry(permit, 1, src >> 14))
        dom0.store(GT + 16, entry(permit | ro, 1, readOnly >> 14))
        dom0.store(GT + 24, entry(permit, 2, src >> 14))
        dom0.store(GT + 32, entry(permit, 1, 0x7ffff))
        dom0.store(GT + 40, entry(2, 1, src >> 14))  // GTF_accept_transfer: not an access grant
        dom0.store(GT + 48, entry(permit, 1, ballooned >> 14))
        // The DomU mapped refs 1 (twice, once read-only) and 2, and wrote through ref 1.
        dom0.waitNonZero(src + 0x100)
        dom0.load(src + 0x100, expect: G.le("from dom"), "the DomU's write, in Dom0's own page")
        dom0.load(GT + 8, size: 2, expect: permit | reading | writing, "ref 1: GTF_reading | GTF_writing")
        dom0.load(GT + 16, size: 2, expect: permit | ro | reading, "ref 2: GTF_reading only")
        dom0.store(readOnly + 0x100, G.le("phase 1"))
        // The DomU unmaps both mappings of ref 1.
        dom0.waitEqual(GT + 8, permit, size: 2)
        dom0.load(GT + 16, size: 2, expect: permit | ro | reading, "ref 2 still mapped")
        // It maps ref 6 writable; Dom0 balloons that page out and back in meanwhile.
        dom0.waitEqual(GT + 48, permit | reading | writing, size: 2)
        onePage(dom0, A, gpfn: ballooned >> 14)
        dom0.call(12, 1, h(A), expect: 1, "decrease_reservation of the mapped page")
        dom0.call(12, 0, h(A), expect: 1, "increase_reservation: a fresh page there")
        dom0.load(ballooned, expect: 0, "the new page is not the mapped one")
        dom0.store(ballooned, string: "dom0 new")
        dom0.store(readOnly + 0x108, 1)
        // Until the DomU's crash (its write to the read-only mapping) drops ref 2; then the
        // third domain, told through its mapping of ref 3, shuts down holding it.
        dom0.waitEqual(GT + 16, permit | ro, size: 2)
        dom0.waitEqual(GT + 24, permit | reading, size: 2)
        dom0.store(src + 0x300, 1)
        dom0.waitEqual(GT + 24, permit, size: 2)
        dom0.load(GT + 48, size: 2, expect: permit, "ref 6 unmapped")
        dom0.load(readOnly, expect: G.le("readonly"), "the read-only page is unchanged")
        dom0.load(ballooned, expect: G.le("dom0 new"), "the DomU's write went to the old frame")
        dom0.load(secret, expect: G.le("secret!!"))
        dom0.load(src, expect: G.le("granted!"))

        let domU = G()
        let host: UInt64 = 0x500000, roHost: UInt64 = 0x504000, orphanHost: UInt64 = 0x508000
        let third: UInt64 = 0x50c000, hole: UInt64 = 0x540000
        domU.store(host, string: "domU own")
        domU.store(roHost, string: "mine too")
        domU.store(orphanHost, string: "fourth p")
        domU.store(third, string: "third pg")
        domU.delay(50_000)  // Dom0 writes its grant entries first
        var maps: [(host: UInt64, flags: UInt64, ref: UInt64, dom: UInt64, status: XenABI.GrantStatus, what: String)] = []
        maps.append((host, 2, 1, 0, .okay, "map ref 1 writable"))
        maps.append((roHost, 6, 2, 0, .okay, "map ref 2 read-only"))
        maps.append((third + 0x10000, 2, 2, 0, .generalError, "writable map of a read-only grant"))
        maps.append((third + 0x10000, 2, 3, 0, .generalError, "grant for domain 2"))
        maps.append((third + 0x10000, 2, 100, 0, .generalError, "empty grant entry"))
        maps.append((third + 0x10000, 2, 5000, 0, .badGntref, "ref 5000 of 2048"))
        maps.append((third + 0x10000, 2, 0xffff_ffff, 0, .badGntref, "ref 2^32-1"))
        maps.append((third + 0x10000, 0, 1, 0, .badGntref, "no host_map flag"))
        maps.append((third + 0x10000, 2, 1, 7, .badDomain, "no such domain"))
        maps.append((third + 0x10000, 2, 1, SELF, .badDomain, "DOMID_SELF"))
        maps.append((third + 0x10000, 2, 1, 1, .badDomain, "its own grant"))
        maps.append((third + 0x10000, 2, 4, 0, .generalError, "grant of a frame Dom0 does not have"))
        maps.append((third + 0x10000, 2, 5, 0, .generalError, "accept_transfer entry"))
        maps.append((third + 8, 2, 1, 0, .badVirtAddr, "unaligned host_addr"))
        maps.append((8 << 20, 2, 1, 0, .badVirtAddr, "host_addr beyond its memory"))
        maps.append((0, 2, 1, 0, .badVirtAddr, "host_addr in page 0 (firmware)"))
        maps.append((host, 2, 1, 0, .badVirtAddr, "host_addr already mapped"))
        maps.append((XenABI.sharedInfoPhysical, 2, 1, 0, .badVirtAddr, "over shared_info"))
        maps.append((third + 0x10000, 3, 1, 0, .generalError, "device_map"))
        maps.append((third + 0x10000, 10, 1, 0, .generalError, "application_map"))
        maps.append((third, 6, 1, 0, .okay, "ref 1 again, read-only"))
        for (i, m) in maps.enumerated() { mapOp(domU, A + 32 * UInt64(i), host: m.host, flags: m.flags, ref: m.ref, dom: m.dom) }
        domU.call(20, 0, h(A), UInt64(maps.count), expect: 0, "\(maps.count) maps in one call")
        for (i, m) in maps.enumerated() {
            domU.load(A + 32 * UInt64(i) + 18, size: 2, expect: gnt(m.status), m.what)
        }
        domU.load(A + 20, size: 4, expect: 0, "handle 0")
        domU.load(A + 32 + 20, size: 4, expect: 1, "handle 1")
        domU.load(A + 32 * 2 + 20, size: 4, expect: 0x5555, "no handle on failure")
        let last = A + 32 * UInt64(maps.count - 1)
        domU.load(last + 20, size: 4, expect: 2, "handle 2")
        let busSlot = domU.load(A + 24)
        let busSlotAgain = domU.load(last + 24)
        domU.load(host, expect: G.le("granted!"), "Dom0's page at the DomU's address")
        domU.load(roHost, expect: G.le("readonly"))
        domU.load(third, expect: G.le("granted!"), "the same frame twice")
        domU.store(host + 0x100, string: "from domU")
        domU.load(third + 0x100, expect: G.le("from dom"), "seen through the other mapping at once")
        // The hypervisor refuses to write into a read-only mapping for the guest too.
        domU.call(17, 1, h(roHost), expect: xerr(.efault), "xen_version into the read-only mapping")
        let copyAt = A + 0x1000
        domU.store(copyAt, 1)
        domU.store(copyAt + 8, 0, size: 2)
        domU.store(copyAt + 10, 0, size: 2)
        domU.store(copyAt + 16, roHost >> 14)
        domU.store(copyAt + 24, SELF, size: 2)
        domU.store(copyAt + 26, 0, size: 2)
        domU.store(copyAt + 32, 8, size: 2)
        domU.store(copyAt + 34, 1, size: 2)
        domU.call(20, 5, h(copyAt), 1, expect: 0, "copy into the read-only mapping by frame number")
        domU.load(copyAt + 36, size: 2, expect: gnt(.badPage), "not a frame of its own")
        domU.waitNonZero(roHost + 0x100)
        domU.load(roHost + 0x100, expect: G.le("phase 1"), "Dom0's write, through the read-only mapping")

        var unmaps: [(host: UInt64, bus: UInt64, handle: UInt64, status: XenABI.GrantStatus, what: String)] = []
        unmaps.append((host, 0, 7, .badHandle, "handle 7 was never given"))
        unmaps.append((host, 0, 0xffff_ffff, .badHandle, "handle 2^32-1"))
        unmaps.append((roHost, 0, 0, .generalError, "handle 0 at the wrong address"))
        unmaps.append((host, 0x4000, 0, .generalError, "handle 0 with the wrong frame"))
        unmaps.append((0, 0, 0, .okay, "host_addr 0: no host mapping removed"))
        for (i, u) in unmaps.enumerated() { unmapOp(domU, A + 0x400 + 24 * UInt64(i), host: u.host, bus: u.bus, handle: u.handle) }
        domU.call(20, 1, h(A + 0x400), UInt64(unmaps.count), expect: 0, "\(unmaps.count) unmaps")
        for (i, u) in unmaps.enumerated() {
            domU.load(A + 0x400 + 24 * UInt64(i) + 20, size: 2, expect: gnt(u.status), u.what)
        }
        domU.load(host, expect: G.le("granted!"), "still mapped")
        unmapOp(domU, A + 0x600, host: host, handle: 0)
        domU.copy(from: A + 24, to: A + 0x608, size: 8)  // dev_bus_addr as map_grant_ref gave it
        unmapOp(domU, A + 0x618, host: host, handle: 0)
        unmapOp(domU, A + 0x630, host: third, handle: 2)
        domU.call(20, 1, h(A + 0x600), 3, expect: 0, "unmap handle 0, again, and handle 2")
        domU.load(A + 0x600 + 20, size: 2, expect: gnt(.okay), "handle 0 with its frame")
        domU.load(A + 0x618 + 20, size: 2, expect: gnt(.badHandle), "handle 0 again")
        domU.load(A + 0x630 + 20, size: 2, expect: gnt(.okay), "handle 2")
        domU.load(host, expect: G.le("domU own"), "its own page is back")
        domU.load(third, expect: G.le("third pg"), "…both of them")
        domU.call(20, 1, h(bad), 1, expect: xerr(.efault), "unmap, bad handle array")
        domU.call(20, 0, h(A), 513, expect: xerr(.einval), "513 maps")

        // Ref 6 mapped writable; Dom0 balloons its page away meanwhile: the frame stays the
        // DomU's to use until it unmaps, and never becomes Dom0's new page.
        mapOp(domU, A + 0x700, host: orphanHost, flags: 2, ref: 6, dom: 0)
        domU.call(20, 0, h(A + 0x700), 1, expect: 0, "map ref 6")
        domU.load(A + 0x712, size: 2, expect: gnt(.okay))
        domU.load(A + 0x714, size: 4, expect: 0, "the lowest free handle")
        let orphanBusSlot = domU.load(A + 0x718)
        domU.store(orphanHost + 8, string: "domU->6!")
        domU.waitNonZero(roHost + 0x108)
        domU.load(orphanHost, expect: G.le("balloon!"), "the ballooned frame keeps its contents")
        domU.load(orphanHost + 8, expect: G.le("domU->6!"))
        domU.store(orphanHost, string: "orphan!!")
        unmapOp(domU, A + 0x740, host: orphanHost, handle: 0)
        domU.call(20, 1, h(A + 0x740), 1, expect: 0, "unmap ref 6")
        domU.load(A + 0x754, size: 2, expect: gnt(.okay))
        domU.load(orphanHost, expect: G.le("fourth p"))
        // A mapping over a hole (a page ballooned out) leaves a hole again.
        onePage(domU, A + 0x800, gpfn: hole >> 14)
        domU.call(12, 1, h(A + 0x800), expect: 1, "balloon out a page of its own")
        mapOp(domU, A + 0x900, host: hole, flags: 6, ref: 2, dom: 0)
        domU.call(20, 0, h(A + 0x900), 1, expect: 0, "map ref 2 into the hole")
        domU.load(A + 0x912, size: 2, expect: gnt(.okay))
        domU.load(hole, expect: G.le("readonly"))
        unmapOp(domU, A + 0x940, host: hole, handle: 0)
        domU.call(20, 1, h(A + 0x940), 1, expect: 0, "unmap it")
        domU.load(A + 0x954, size: 2, expect: gnt(.okay))
        // A write to the read-only mapping faults: the domain crashes, Dom0's page is unchanged.
        domU.store(A + 0xa00, 1)
        domU.store(roHost, string: "scribble")
        domU.store(A + 0xa08, 1)

        let other = G()
        other.delay(50_000)
        mapOp(other, A, host: 0x500000, flags: 6, ref: 3, dom: 0)
        mapOp(other, A + 32, host: 0x504000, flags: 6, ref: 1, dom: 0)
        other.call(20, 0, h(A), 2, expect: 0, "map refs 3 and 1")
        other.load(A + 18, size: 2, expect: gnt(.okay), "ref 3 is for domain 2")
        other.load(A + 32 + 18, size: 2, expect: gnt(.generalError), "ref 1 is not")
        other.load(0x500000, expect: G.le("granted!"))
        other.load(0x504000, expect: 0, "its own page, untouched")
        other.waitNonZero(0x500300)  // then shuts down holding the mapping

        let hv = Hypervisor()
        let d0 = try hv.boot(dom0, name: "Domain-0")
        let d1 = try hv.boot(domU, name: "domU", memoryMiB: 8, onCrash: .preserve)
        let d2 = try hv.boot(other, name: "other", memoryMiB: 8)
        XCTAssertEqual(hv.run(budget: 20_000_000), .allDomainsShutDown)
        dom0.check(d0)
        domU.check(d1)
        other.check(d2)
        XCTAssertTrue(dom0.reachedEnd(d0))
        XCTAssertTrue(other.reachedEnd(d2))
        XCTAssertEqual(d1.life, .crashed)
        XCTAssertEqual(d1.memory.u64(A + 0xa00), 1)
        XCTAssertEqual(d1.memory.u64(A + 0xa08), 0, "nothing ran after the write to the read-only mapping")
        XCTAssertTrue(d1.grants.mappings.isEmpty, "the crash dropped its mapping")
        XCTAssertTrue(d2.grants.mappings.isEmpty, "the shutdown dropped its mapping")
        XCTAssertEqual(d1.memory.u64(roHost), G.le("mine too"), "the crashed domain's own page is back")
        XCTAssertNil(d1.memory.mfn(ofGPFN: hole >> 14), "the hole is a hole again")
        let srcFrame = try XCTUnwrap(d0.memory.mfn(ofGPFN: src >> 14))
        let r = domU.results(in: d1)
        XCTAssertEqual(r[busSlot], srcFrame << 14, "dev_bus_addr is the machine address of the frame")
        XCTAssertEqual(r[busSlotAgain], srcFrame << 14)
        let orphan = r[orphanBusSlot] >> 14
        XCTAssertNotEqual(orphan, d0.memory.mfn(ofGPFN: ballooned >> 14), "Dom0's new page is another frame")
        XCTAssertFalse(hv.machineMemory.isAllocated(orphan), "the orphaned frame was freed at the unmap")
        XCTAssertTrue(hv.orphanedFrames.isEmpty)
    }

    /// A DomU holding a writable mapping, destroyed by Dom0: the mapping goes with it.
    func testDestroyingTheMappingDomainDropsItsMappings() throws {
        let GT = Self.grantTable, page: UInt64 = 0x400000
        let dom0 = G()
        dom0.store(page, string: "dom0pg!!")
        dom0.store(GT + 8, Self.grantEntry(flags: 1, domid: 1, frame: page >> 14))
        dom0.waitEqual(GT + 8, 0x19, size: 2)
        dom0.waitNonZero(page + 8)
        dom0.store(A, 2, size: 4)  // domctl destroy {u32 cmd, u32 interface_version, u16 domain @8}
        dom0.store(A + 8, 1, size: 2)
        dom0.call(36, h(A), expect: 0, "destroy the DomU")
        dom0.load(GT + 8, size: 2, expect: 1, "no longer reading or writing")
        dom0.load(page + 8, expect: G.le("domU was"), "what it wrote stays")
        let domU = G()
        domU.delay(20_000)
        mapOp(domU, A, host: 0x500000, flags: 2, ref: 1, dom: 0)
        domU.call(20, 0, h(A), 1, expect: 0)
        domU.load(A + 18, size: 2, expect: gnt(.okay))
        domU.store(0x500008, string: "domU was")
        domU.spinForever()
        let hv = Hypervisor()
        let d0 = try hv.boot(dom0, name: "Domain-0")
        let d1 = try hv.boot(domU, name: "domU", memoryMiB: 8, end: false)
        XCTAssertEqual(hv.run(budget: 5_000_000), .allDomainsShutDown)
        dom0.check(d0)
        domU.check(d1)
        XCTAssertTrue(dom0.reachedEnd(d0))
        XCTAssertEqual(d1.life, .destroyed)
        XCTAssertTrue(d1.grants.mappings.isEmpty)
        XCTAssertEqual(d1.memory.u64(0x500000), 0, "its own (zero) page is back under the address")
    }

    /// A machine snapshotted while a mapping is live restores it (the frame shared again, the
    /// covered page set aside, the handle) and runs on to the same end.
    func testGrantMappingsSurviveSnapshotAndRestore() throws {
        let GT = Self.grantTable, page: UInt64 = 0x400000
        let dom0 = G()
        dom0.store(page, string: "shared!!")
        dom0.store(GT + 16, Self.grantEntry(flags: 1, domid: 1, frame: page >> 14))
        dom0.waitNonZero(page + 8)
        dom0.store(page + 16, G.le("answer!!"))
        dom0.waitEqual(GT + 16, 1, size: 2)
        dom0.load(page + 8, expect: G.le("question"))
        let domU = G()
        domU.store(0x500000, string: "covered!")
        domU.delay(20_000)
        mapOp(domU, A, host: 0x500000, flags: 2, ref: 2, dom: 0)
        domU.call(20, 0, h(A), 1, expect: 0)
        domU.load(A + 18, size: 2, expect: gnt(.okay))
        domU.delay(300_000)
        domU.store(0x500008, string: "question")
        domU.waitNonZero(0x500010)
        domU.load(0x500010, expect: G.le("answer!!"))
        unmapOp(domU, A + 0x40, host: 0x500000, handle: 0)
        domU.call(20, 1, h(A + 0x40), 1, expect: 0)
        domU.load(A + 0x54, size: 2, expect: gnt(.okay))
        domU.load(0x500000, expect: G.le("covered!"))

        let hv = Hypervisor()
        let d0 = try hv.boot(dom0, name: "Domain-0")
        let d1 = try hv.boot(domU, name: "domU", memoryMiB: 8)
        var point: UInt64 = 0
        while d1.grants.mappings.isEmpty && point < 2_000_000 {
            point += 20_000
            _ = hv.run(budget: point)
        }
        XCTAssertEqual(d1.grants.mappings.count, 1, "stopped with the mapping live")
        let snapshot = hv.snapshot()
        let restored = try Hypervisor(restoring: try MachineSnapshot(decoding: snapshot.encoded()))
        XCTAssertEqual(restored.stateHash(), hv.stateHash())
        XCTAssertEqual(restored.snapshot().state, snapshot.state, "restores to the same state")
        let r1 = restored.domains[1]
        XCTAssertEqual(r1.grants.mappings, d1.grants.mappings)
        XCTAssertEqual(r1.memory.mfn(ofGPFN: 0x500000 >> 14), restored.domains[0].memory.mfn(ofGPFN: page >> 14),
                       "one frame in both domains")
        // The domain's memory hash covers the mapping and the page it covers.
        let probeMachine = try Hypervisor(restoring: snapshot)
        let probe = probeMachine.domains[1]
        let mapped = probe.memoryHash
        XCTAssertEqual(mapped, d1.memoryHash)
        let m = try XCTUnwrap(probe.grants.mappings[0])
        probe.grants.mappings[0] = .init(grantingDomain: m.grantingDomain, reference: m.reference, hostAddress: m.hostAddress, readOnly: true)
        XCTAssertNotEqual(probe.memoryHash, mapped, "a read-only mapping")
        probe.grants.mappings[0] = m
        XCTAssertEqual(probe.memoryHash, mapped)
        let covered = try XCTUnwrap(probe.memory.displaced[0x500000 >> 14]) >> DomainMemory.mfnShift
        probe.memory.machine.frame(covered)?.storeBytes(of: 0x21, toByteOffset: 0, as: UInt8.self)
        probe.memory.machine.noteWritten(covered)  // a write past the p2m: drop the kept hash
        XCTAssertNotEqual(probe.memoryHash, mapped, "the covered page changed")

        XCTAssertEqual(hv.run(budget: 10_000_000), .allDomainsShutDown)
        XCTAssertEqual(restored.run(budget: 10_000_000), .allDomainsShutDown)
        XCTAssertEqual(restored.stateHash(), hv.stateHash())
        for (g, d) in [(dom0, restored.domains[0]), (domU, r1)] {
            g.check(d)
            XCTAssertTrue(g.reachedEnd(d))
        }
        dom0.check(d0)
        domU.check(d1)
    }
}
