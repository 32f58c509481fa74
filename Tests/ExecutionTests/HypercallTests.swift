import Foundation
import IA64Exec
@testable import VMMCore
import XCTest

/// Every implemented hypercall, success and error paths, called by real guest programs (see
/// HypercallGuest): results are recorded in guest memory and checked against Xen 3.1's errno
/// and GNTST values.
final class HypercallTests: XCTestCase {
    typealias G = HypercallGuest
    static let A: UInt64 = 0x300000  // argument structures
    static let bad: UInt64 = 0x7000_0000_0000  // far beyond any domain's memory
    static let selfID: UInt64 = 0x7ff0
    static let pendingWord = XenABI.sharedInfoPhysical + 0xc00

    let A = HypercallTests.A, bad = HypercallTests.bad, SELF = HypercallTests.selfID
    func h(_ a: UInt64) -> UInt64 { G.h(a) }

    /// Boots `dom0` and `domU` (8 MiB) on `hv`, runs until both shut down, and checks every
    /// recorded result and that both programs ran to their end.
    @discardableResult
    func runToShutdown(_ dom0: G, _ domU: G, on hv: Hypervisor,
                       file: StaticString = #filePath, line: UInt = #line) throws -> (Domain, Domain) {
        let d0 = try hv.boot(dom0, name: "Domain-0")
        let d1 = try hv.boot(domU, name: "domU", memoryMiB: 8)
        XCTAssertEqual(hv.run(budget: 5_000_000), .allDomainsShutDown, file: file, line: line)
        dom0.check(d0)
        domU.check(d1)
        XCTAssertTrue(dom0.reachedEnd(d0), file: file, line: line)
        XCTAssertTrue(domU.reachedEnd(d1), file: file, line: line)
        return (d0, d1)
    }

    // MARK: - xen_version, console_io, unknown numbers

    func testXenVersionConsoleIOAndUnknownHypercalls() throws {
        let dom0 = G()
        dom0.call(17, 0, 0, expect: 0x0003_0001, "XENVER_version")
        dom0.call(17, 1, h(A), expect: 0, "XENVER_extraversion")
        dom0.load(A, expect: G.le(".0-xdbg\0"), "extraversion text")
        dom0.call(17, 3, h(A + 0x100), expect: 0, "XENVER_capabilities")
        dom0.load(A + 0x100, expect: G.le("xen-3.0-"), "capabilities text")
        dom0.call(17, 7, 0, expect: 16384, "XENVER_pagesize")
        dom0.call(17, 99, 0, expect: xerr(.enosys), "unknown xen_version cmd")
        dom0.call(17, 1, h(bad), expect: xerr(.efault), "extraversion to a bad handle")
        // 1024 bytes of capabilities do not fit before the end of memory: nothing is written.
        dom0.call(17, 3, h((16 << 20) - 0x100), expect: xerr(.efault), "capabilities across the end of memory")

        dom0.store(A + 0x200, string: "hello from dom0\n")
        dom0.call(18, 0, 16, h(A + 0x200), expect: 0, "console write")
        dom0.call(18, 0, 16, h(bad), expect: xerr(.efault), "console write, bad handle")
        dom0.call(18, 0, 16, 0, expect: xerr(.efault), "console write, null handle")
        dom0.call(18, 0, 0x10001, h(A + 0x200), expect: xerr(.einval), "console write, huge count")
        dom0.call(18, 0, ~0, h(A + 0x200), expect: xerr(.einval), "console write, count -1")
        dom0.call(18, 9, 1, h(A + 0x200), expect: xerr(.enosys), "unknown console_io cmd")
        // A xencomm descriptor (not inline): two pieces in different pages.
        dom0.store(A + 0x3ffc, string: "xcom")
        dom0.store(A + 0x8000, string: "-ok\n")
        dom0.store(A + 0x400, 0x5843_4f4d, size: 4)
        dom0.store(A + 0x404, 2, size: 4)
        dom0.store(A + 0x408, A + 0x3ffc)
        dom0.store(A + 0x410, A + 0x8000)
        dom0.call(18, 0, 8, A + 0x400, expect: 0, "console write through a xencomm descriptor")
        dom0.call(18, 0, 8, A + 0x500, expect: xerr(.efault), "descriptor without the XCOM magic")
        dom0.store(A + 0x600, 0x5843_4f4d, size: 4)
        dom0.store(A + 0x604, 1, size: 4)
        dom0.store(A + 0x608, A + 0x3ffc)
        dom0.call(18, 0, 8, A + 0x600, expect: xerr(.efault), "descriptor with too few pieces")
        dom0.store(A + 0x700, 0x5843_4f4d, size: 4)
        dom0.store(A + 0x704, 0xffff_ffff, size: 4)
        dom0.call(18, 0, 8, A + 0x700, expect: xerr(.efault), "descriptor with a huge nr_addrs")
        dom0.call(18, 0, 8, ~0, expect: xerr(.efault), "descriptor at the top of the address space")

        for n: UInt64 in [0, 1, 2, 7, 15, 16, 19, 33, 48, 63, 64, 100, 255] {
            dom0.call(n, 0, 0, 0, expect: xerr(.enosys), "unimplemented hypercall \(n)")
        }
        dom0.call(0x1300, expect: xerr(.enosys), "unknown firmware hypercall")

        let domU = G()
        domU.call(17, 0, 0, expect: 0x0003_0001, "DomU XENVER_version")
        domU.store(A, string: "nope\n")
        domU.call(18, 0, 5, h(A), expect: xerr(.eperm), "DomU console write")
        domU.call(18, 0, 5, 0, expect: xerr(.eperm), "DomU console write, null handle")

        let hv = Hypervisor()
        let (d0, d1) = try runToShutdown(dom0, domU, on: hv)
        XCTAssertEqual(d0.consoleText, "hello from dom0\nxcom-ok\n")
        XCTAssertEqual(d1.consoleText, "")
        XCTAssertEqual(d0.memory.bytes(at: (16 << 20) - 0x100, count: 0x100), [UInt8](repeating: 0, count: 0x100))
        XCTAssertEqual(d0.life, .shutdown(.poweroff))
    }
}
