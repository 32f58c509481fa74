import Foundation
import IA64Exec
@testable import VMMCore
import XCTest

/// grant_table_op: setup_table, query_size and copy between two domains, with every GNTST
/// error a copy can meet, and a DomU trying to reach Dom0's memory by frame number.
extension HypercallTests {
    func testGrantTableSetupQueryAndCopy() throws {
        let GT = XenABI.grantTablePhysical
        let src: UInt64 = 0x400000, readOnly: UInt64 = 0x404000, dst: UInt64 = 0x408000, secret: UInt64 = 0x40c000
        func entry(flags: UInt64, domid: UInt64, frame: UInt64) -> UInt64 { flags | domid << 16 | frame << 32 }

        let dom0 = G()
        dom0.store(src, string: "granted!")
        dom0.store(readOnly, string: "readonly")
        dom0.store(secret, string: "secret!!")
        dom0.store(A, 3, size: 4)
        dom0.call(32, 1, h(A), expect: 0, "bind_virq VIRQ_DOM_EXC")
        dom0.store(GT + 8, entry(flags: 1, domid: 1, frame: src >> 14))
        dom0.store(GT + 16, entry(flags: 1 | 4, domid: 1, frame: readOnly >> 14))
        dom0.store(GT + 24, entry(flags: 1, domid: 2, frame: src >> 14))
        dom0.store(GT + 32, entry(flags: 1, domid: 1, frame: dst >> 14))
        dom0.store(GT + 40, entry(flags: 1, domid: 1, frame: 0x7ffff))
        // setup_table {u16 dom, u32 nr_frames @4, i16 status @8, handle frame_list @16}
        dom0.store(A + 0x40, SELF, size: 2)
        dom0.store(A + 0x44, 1, size: 4)
        dom0.store(A + 0x50, h(A + 0x100))
        dom0.call(20, 2, h(A + 0x40), 1, expect: 0, "setup_table")
        dom0.load(A + 0x48, size: 2, expect: 0, "GNTST_okay")
        dom0.load(A + 0x100, expect: GT >> 14, "grant frame")
        dom0.store(A + 0x44, 5, size: 4)
        dom0.call(20, 2, h(A + 0x40), 1, expect: 0, "setup_table of 5 frames")
        dom0.load(A + 0x48, size: 2, expect: gnt(.generalError), "more frames than the maximum")
        dom0.store(A + 0x40, 9, size: 2)
        dom0.store(A + 0x44, 1, size: 4)
        dom0.call(20, 2, h(A + 0x40), 1, expect: 0, "setup_table of no domain")
        dom0.load(A + 0x48, size: 2, expect: gnt(.badDomain), "GNTST_bad_domain")
        // query_size {u16 dom, u32 nr_frames @4, u32 max @8, i16 status @12}
        dom0.store(A + 0x80, SELF, size: 2)
        dom0.call(20, 6, h(A + 0x80), 1, expect: 0, "query_size")
        dom0.load(A + 0x84, size: 4, expect: 1, "nr_frames")
        dom0.load(A + 0x88, size: 4, expect: 4, "max_nr_frames")
        dom0.load(A + 0x8c, size: 2, expect: 0, "GNTST_okay")
        dom0.store(A + 0xa0, 1, size: 2)
        dom0.call(20, 6, h(A + 0xa0), 1, expect: 0, "query_size of the DomU")
        dom0.load(A + 0xac, size: 2, expect: 0, "Dom0 may ask about the DomU")
        dom0.call(20, 3, h(A), 1, expect: xerr(.enosys), "dump_table")
        dom0.call(20, 4, h(A), 1, expect: xerr(.enosys), "transfer")
        dom0.call(20, 5, h(A), 513, expect: xerr(.einval), "513 copies")
        dom0.call(20, 5, h(bad), 1, expect: xerr(.efault), "copy, bad handle")
        dom0.call(20, 5, 0, 0, expect: 0, "no copies")
        dom0.call(29, 1, 0, expect: 0, "block until the DomU has shut down (VIRQ_DOM_EXC)")
        dom0.load(dst, expect: G.le("from dom"), "the DomU wrote through grant 4")
        dom0.load(dst + 8, size: 1, expect: UInt64(UInt8(ascii: "U")), "…all 16 bytes")
        dom0.load(readOnly, expect: G.le("readonly"), "the read-only page is unchanged")
        dom0.load(secret, expect: G.le("secret!!"), "the ungranted page is unchanged")
        dom0.load(src, expect: G.le("granted!"), "the source page is unchanged")
        // Dom0 may copy a DomU's frame by number, but not once that domain is gone.
        func copy(_ g: G, _ at: UInt64, src: (UInt64, UInt64, UInt64), dst: (UInt64, UInt64, UInt64), length: UInt64, flags: UInt64) {
            g.store(at, src.0); g.store(at + 8, src.1, size: 2); g.store(at + 10, src.2, size: 2)
            g.store(at + 16, dst.0); g.store(at + 24, dst.1, size: 2); g.store(at + 26, dst.2, size: 2)
            g.store(at + 32, length, size: 2); g.store(at + 34, flags, size: 2)
            g.store(at + 36, 0x7777, size: 2)
        }
        copy(dom0, A + 0x200, src: (0x100, 1, 0), dst: (dst >> 14, SELF, 0x100), length: 8, flags: 0)
        dom0.call(20, 5, h(A + 0x200), 1, expect: 0, "copy from a dead DomU")
        dom0.load(A + 0x224, size: 2, expect: gnt(.badDomain), "GNTST_bad_domain")

        let domU = G()
        let own: UInt64 = 0x400000, landing: UInt64 = 0x404000
        domU.store(own, string: "from domU, hello")
        var ops: [(src: (UInt64, UInt64, UInt64), dst: (UInt64, UInt64, UInt64), length: UInt64, flags: UInt64, status: UInt64, what: String)] = []
        ops.append(((1, 0, 0), (landing >> 14, SELF, 0), 8, 1, gnt(.okay), "read through grant 1"))
        ops.append(((own >> 14, SELF, 0), (4, 0, 0), 16, 2, gnt(.okay), "write through grant 4"))
        ops.append(((5000, 0, 0), (landing >> 14, SELF, 0), 8, 1, gnt(.badGntref), "grant ref 5000"))
        ops.append(((100, 0, 0), (landing >> 14, SELF, 0), 8, 1, gnt(.generalError), "empty grant entry"))
        ops.append(((3, 0, 0), (landing >> 14, SELF, 0), 8, 1, gnt(.generalError), "grant for domain 2"))
        ops.append(((own >> 14, SELF, 0), (2, 0, 0), 8, 2, gnt(.generalError), "read-only grant as destination"))
        ops.append(((2, 0, 0), (landing >> 14, SELF, 0x100), 8, 1, gnt(.okay), "read-only grant as source"))
        ops.append(((1, 7, 0), (landing >> 14, SELF, 0), 8, 1, gnt(.badDomain), "grant of no domain"))
        ops.append(((secret >> 14, 0, 0), (landing >> 14, SELF, 0x200), 8, 0, gnt(.permissionDenied), "Dom0 frame by number as source"))
        ops.append(((own >> 14, SELF, 0), (src >> 14, 0, 0), 8, 0, gnt(.permissionDenied), "Dom0 frame by number as destination"))
        ops.append(((1, 0, 0x3ff8), (landing >> 14, SELF, 0), 16, 1, gnt(.badCopyArg), "copy across the page end"))
        ops.append(((0x7ffff, SELF, 0), (landing >> 14, SELF, 0), 8, 0, gnt(.badPage), "own frame beyond memory"))
        ops.append(((5, 0, 0), (landing >> 14, SELF, 0), 8, 1, gnt(.badPage), "grant of a frame beyond the granter's memory"))
        ops.append(((~0, 0, 0), (landing >> 14, SELF, 0), 8, 1, gnt(.badGntref), "grant ref 2^64-1"))
        ops.append(((~0 >> 14, SELF, 0), (landing >> 14, SELF, 0), 8, 0, gnt(.badPage), "huge own frame number"))
        for (i, op) in ops.enumerated() {
            copy(domU, A + 40 * UInt64(i), src: op.src, dst: op.dst, length: op.length, flags: op.flags)
        }
        domU.call(20, 5, h(A), UInt64(ops.count), expect: 0, "\(ops.count) copies in one call")
        for (i, op) in ops.enumerated() {
            domU.load(A + 40 * UInt64(i) + 36, size: 2, expect: op.status, op.what)
        }
        domU.load(landing, expect: G.le("granted!"), "copied from Dom0 through grant 1")
        domU.load(landing + 0x100, expect: G.le("readonly"), "copied through the read-only grant")
        domU.load(landing + 0x200, expect: 0, "nothing copied from Dom0's ungranted page")
        let B = A + 0x1000
        domU.store(B, 0, size: 2)
        domU.store(B + 4, 1, size: 4)
        domU.store(B + 16, h(B + 0x100))
        domU.call(20, 2, h(B), 1, expect: 0, "DomU setup_table of Dom0")
        domU.load(B + 8, size: 2, expect: gnt(.badDomain), "GNTST_bad_domain")
        domU.store(B + 0x40, 0, size: 2)
        domU.call(20, 6, h(B + 0x40), 1, expect: 0, "DomU query_size of Dom0")
        domU.load(B + 0x4c, size: 2, expect: gnt(.badDomain), "GNTST_bad_domain")
        domU.store(B + 0x80, SELF, size: 2)
        domU.call(20, 6, h(B + 0x80), 1, expect: 0, "DomU query_size of itself")
        domU.load(B + 0x8c, size: 2, expect: 0, "GNTST_okay")
        domU.load(B + 0x84, size: 4, expect: 1, "one frame")

        let hv = Hypervisor()
        let d0 = try hv.boot(dom0, name: "Domain-0")
        let d1 = try hv.boot(domU, name: "domU", memoryMiB: 8)
        XCTAssertEqual(hv.run(budget: 10_000_000), .allDomainsShutDown)
        dom0.check(d0)
        domU.check(d1)
        XCTAssertTrue(dom0.reachedEnd(d0))
        XCTAssertTrue(domU.reachedEnd(d1))
        XCTAssertEqual(d0.memory.bytes(at: secret, count: 8), Array("secret!!".utf8))
    }
}
