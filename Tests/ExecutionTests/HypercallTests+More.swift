import Foundation
@testable import IA64Exec
@testable import VMMCore
import XCTest

/// callback_op, vcpu_op, firmware hypercalls, memory_op, multicall, domctl and sysctl.
extension HypercallTests {
    func testCallbackOpVCPUOpAndFirmwareCalls() throws {
        let flag = A + 0x1000
        let g = G()
        g.store(A, 0, size: 2)
        g.store(A + 8, 0x123450)
        g.call(30, 0, h(A), expect: 0, "register the event callback")
        g.load(A + 0x800, expect: 0, "(marker: callback registered)")
        g.store(A + 0x20, 1, size: 2)
        g.call(30, 0, h(A + 0x20), expect: 0, "register the failsafe callback")
        g.store(A + 0x40, 5, size: 2)
        g.call(30, 0, h(A + 0x40), expect: xerr(.einval), "register callback type 5")
        g.call(30, 0, h(bad), expect: xerr(.efault), "register, bad handle")
        g.call(30, 9, h(A), expect: xerr(.enosys), "unknown callback_op")
        // vcpu_op
        g.call(24, 3, 0, 0, expect: 1, "is_up vCPU 0")
        g.call(24, 3, 1, 0, expect: 0, "is_up vCPU 1 (not started)")
        g.call(24, 1, 1, 0, expect: xerr(.einval), "up vCPU 1 with no boot entry")
        g.call(24, 3, 2, 0, expect: xerr(.enoent), "is_up vCPU 2 of 2")
        // Xen's vcpuid is an int: beyond MAX_VIRT_CPUS (64) or negative is -EINVAL.
        g.call(24, 3, 63, 0, expect: xerr(.enoent), "is_up vCPU 63 of 2")
        g.call(24, 1, 64, 0, expect: xerr(.einval), "up vCPU 64")
        g.call(24, 2, 0xffff_ffff, 0, expect: xerr(.einval), "down vCPU 0xffffffff")
        g.call(24, 3, ~0, 0, expect: xerr(.einval), "is_up vCPU -1")
        g.call(24, 0, 1, h(A), expect: xerr(.einval), "initialise (ia64 boots through SAL)")
        g.call(24, 99, 0, 0, expect: xerr(.enosys), "unknown vcpu_op")
        // SAL through r2 = 0x1100, arguments r32..
        g.set("r34", symbol: "secondary")
        g.set("r32", 0x0100_0000)
        g.set("r33", 2)
        g.set("r2", 0x1100)
        g.raw("\tbreak.m 0x1000\n\t;;")
        g.record(expect: 0, "SAL_SET_VECTORS boot rendezvous")
        g.call(0x1100, 0x0100_0000, 0, 0x4000, expect: 0, "SAL_SET_VECTORS machine check")
        g.call(0x1100, 0x0100_0000, 9, 0x4000, expect: UInt64(bitPattern: -2), "SAL_SET_VECTORS type 9")
        g.call(0x1100, 0x0100_0099, expect: UInt64(bitPattern: -1), "unknown SAL procedure")
        g.call(0x1100, 0x0100_0012, expect: 0, "SAL_FREQ_BASE")
        g.record("r9", expect: 1_000_000_000, "platform clock")
        // PAL through r2 = 0x1000, index in r28.
        g.call(0x1000, r28: 99, expect: UInt64(bitPattern: -1), "unknown PAL procedure")
        g.call(0x1000, r28: 14, expect: 0, "PAL_FREQ_RATIOS")
        g.record("r9", expect: 1 << 32 | 1, "processor/bus ratio")
        // Bring vCPU 1 up; it stores 1 at `flag` and spins.
        g.call(24, 1, 1, 0, expect: 0, "up vCPU 1")
        g.call(24, 3, 1, 0, expect: 1, "is_up vCPU 1")
        g.call(24, 1, 1, 0, expect: 0, "up vCPU 1 again")
        g.waitNonZero(flag)
        g.load(flag, expect: 1, "vCPU 1 ran")
        g.call(24, 2, 1, 0, expect: 0, "down vCPU 1")
        g.call(24, 3, 1, 0, expect: 0, "is_up vCPU 1 after down")
        // unregister
        g.store(A + 0x60, 0, size: 2)
        g.call(30, 1, h(A + 0x60), expect: 0, "unregister the event callback")
        g.store(A + 0x80, 7, size: 2)
        g.call(30, 1, h(A + 0x80), expect: xerr(.einval), "unregister callback type 7")
        // FW_HYPERCALL_SET_SHARED_INFO_VA with good addresses.
        g.call(0x600, r28: 0xe000_0000_0000_0000, expect: 0, "SET_SHARED_INFO_VA region 7 base")
        g.call(0x600, r28: 0xffff_ffff_fff0_0000, expect: 0, "SET_SHARED_INFO_VA 0xfffffffffff00000")
        g.routine("secondary", """
            \tmovl r9 = 0x\(String(flag, radix: 16))
            \t;;
            \tmov r10 = 1
            \t;;
            \tst8 [r9] = r10
            \t;;
            Lsecondary_spin:
            \tbr.cond.sptk.few Lsecondary_spin
            \t;;
            """)
        let hv = Hypervisor()
        let d0 = try hv.boot(g, name: "Domain-0", vcpus: 2)
        let image = try g.build()
        XCTAssertEqual(hv.run(budget: 5_000_000), .allDomainsShutDown)
        g.check(d0)
        XCTAssertTrue(g.reachedEnd(d0))
        XCTAssertEqual(d0.vcpus[0].eventCallback, nil, "unregistered at the end")
        XCTAssertEqual(d0.rendezvousEntry, image.symbol(named: "secondary")?.value)
        XCTAssertEqual(d0.machineCheckHandler, 0x4000)
        XCTAssertEqual(d0.xsiBase, 0xffff_ffff_fff0_0000)
        XCTAssertEqual(d0.vcpus[1].state, .down)
    }

    func testCallbackRegistrationIsRecorded() throws {
        let g = G()
        g.store(A, 0, size: 2)
        g.store(A + 8, 0x123450)
        g.call(30, 0, h(A), expect: 0, "register the event callback")
        let hv = Hypervisor()
        let d0 = try hv.boot(g, name: "Domain-0")
        XCTAssertEqual(hv.run(budget: 1_000_000), .allDomainsShutDown)
        g.check(d0)
        XCTAssertEqual(d0.vcpus[0].eventCallback, 0x123450)
    }

    /// A bad FW_HYPERCALL_SET_SHARED_INFO_VA or a load beyond the domain's memory crashes that
    /// domain only: the hypervisor and Dom0 go on, and Dom0's memory is untouched.
    func testFirmwareFaultsAndWildAccessesCrashOnlyTheGuilty() throws {
        let marker: UInt64 = 0x400000
        let dom0 = G()
        dom0.store(marker, 0x0dd0_0dd0)
        dom0.call(0x600, r28: 0xffff_ffff_fff0_0000, expect: 0, "SET_SHARED_INFO_VA good")
        dom0.delay(300_000)
        dom0.load(marker, expect: 0x0dd0_0dd0, "Dom0's memory unchanged")
        let unaligned = G()
        unaligned.call(0x600, r28: 0xe000_0000_0000_1000, "SET_SHARED_INFO_VA unaligned")
        unaligned.store(A, 1)
        let region1 = G()
        region1.call(0x600, r28: 0x2000_0000_0000_0000, "SET_SHARED_INFO_VA region 1")
        let wild = G()
        wild.store(marker, 0xbad)
        wild.call(17, 0, 0, expect: 0x0003_0001)
        wild.load(0x7000_0000, "load beyond the domain's memory")
        wild.store(A, 1)
        let handles = G()
        // Handles into the unmapped space between the hypervisor-shared pages and past them,
        // at the very top, and just below the end of memory: -EFAULT, never a host crash.
        for address: UInt64 in [XenABI.sharedInfoPhysical + 0x100_0000, XenABI.grantTablePhysical + 4 * 16384,
                        0x7fff_ffff_ffff_fff8, (8 << 20) - 4] {
            handles.call(17, 3, h(address), expect: xerr(.efault), "capabilities to 0x\(String(address, radix: 16))")
        }
        handles.call(29, 2, h(0x7fff_ffff_ffff_fffe), expect: xerr(.efault), "shutdown reason at the top")
        handles.call(32, 6, 0xffff_ffff_ffff_fff8, expect: xerr(.efault), "descriptor handle at the top")
        handles.call(20, 5, h(A), 0xffff_ffff, expect: xerr(.einval), "grant copy, 2^32-1 ops")
        handles.call(20, 5, h(A), ~0, expect: xerr(.einval), "grant copy, 2^64-1 ops")
        handles.call(20, 5, h(0x7fff_ffff_ffff_0000), 512, expect: xerr(.efault), "grant copy, 512 ops at the top")
        handles.call(13, h(A), ~0, expect: xerr(.einval), "multicall, 2^64-1 entries")
        handles.call(12, 0, h(bad), expect: xerr(.efault), "increase_reservation, bad handle")

        let hv = Hypervisor()
        let d0 = try hv.boot(dom0, name: "Domain-0")
        let d1 = try hv.boot(unaligned, name: "unaligned", memoryMiB: 8, onCrash: .preserve)
        let d2 = try hv.boot(region1, name: "region1", memoryMiB: 8)
        let d3 = try hv.boot(wild, name: "wild", memoryMiB: 8, onCrash: .preserve)
        let d4 = try hv.boot(handles, name: "handles", memoryMiB: 8)
        XCTAssertEqual(hv.run(budget: 10_000_000), .allDomainsShutDown)
        dom0.check(d0)
        wild.check(d3)
        handles.check(d4)
        XCTAssertEqual(d0.life, .shutdown(.poweroff))
        XCTAssertTrue(dom0.reachedEnd(d0))
        XCTAssertEqual(d1.life, .crashed)
        XCTAssertEqual(d1.memory.u64(A), 0, "nothing ran after the bad call")
        XCTAssertEqual(d2.life, .destroyed)
        XCTAssertEqual(d3.life, .crashed)
        XCTAssertEqual(d3.memory.u64(A), 0, "nothing ran after the wild load")
        XCTAssertEqual(wild.results(in: d3).count, 2)
        XCTAssertEqual(d4.life, .shutdown(.poweroff))
        XCTAssertTrue(handles.reachedEnd(d4))
        XCTAssertEqual(d0.memory.u64(marker), 0x0dd0_0dd0)
        XCTAssertTrue(hv.log.contains { $0.contains("SET_SHARED_INFO_VA: bad address 0xe000000000001000") })
        XCTAssertTrue(hv.log.contains { $0.contains("SET_SHARED_INFO_VA: bad address 0x2000000000000000") })
    }

    /// The RFI hyperprivop takes cr.ifs from the guest's own mapped_regs: an impossible frame
    /// there (sol > sof) crashes that domain with the reason, never the hypervisor, and
    /// nothing after the rfi runs.
    func testRFIWithAnImpossibleFrameCrashesOnlyThatDomain() throws {
        let dom0 = G()
        dom0.delay(100_000)
        dom0.call(17, 0, 0, expect: 0x0003_0001, "Dom0 still runs")
        let bad = G()
        bad.raw("\tbreak.m 0x\(String(XenABI.HyperPrivop.rfi.rawValue, radix: 16))\n\t;;")
        bad.store(A, 1)
        let hv = Hypervisor()
        let d0 = try hv.boot(dom0, name: "Domain-0")
        let d1 = try hv.boot(bad, name: "bad-ifs", memoryMiB: 8, onCrash: .preserve)
        d1.vcpus[0].setXSI(XSI.ifs, 1 << 63 | 0x80)
        XCTAssertEqual(hv.run(budget: 5_000_000), .allDomainsShutDown)
        dom0.check(d0)
        XCTAssertTrue(dom0.reachedEnd(d0))
        XCTAssertEqual(d1.life, .crashed)
        XCTAssertEqual(d1.memory.u64(A), 0, "nothing ran after the rfi")
        XCTAssertTrue(hv.log.contains { $0.contains("rfi: ifs 0x8000000000000080 names an impossible register frame") })
    }

    // MARK: - memory_op

    func testMemoryOpReservationsAndBallooning() throws {
        let dom0 = G()
        func domid(_ at: UInt64, _ id: UInt64) { dom0.store(at, id, size: 2) }
        domid(A, SELF)
        dom0.call(12, 3, h(A), expect: 1024, "current_reservation DOMID_SELF")
        dom0.call(12, 4, h(A), expect: 1536, "maximum_reservation DOMID_SELF")
        domid(A + 0x10, 0)
        dom0.call(12, 3, h(A + 0x10), expect: 1024, "current_reservation domain 0")
        domid(A + 0x20, 1)
        dom0.call(12, 3, h(A + 0x20), expect: 512, "current_reservation of the DomU")
        dom0.call(12, 4, h(A + 0x20), expect: 512, "maximum_reservation of the DomU")
        domid(A + 0x30, 9)
        dom0.call(12, 3, h(A + 0x30), expect: xerr(.esrch), "current_reservation of no domain")
        dom0.call(12, 3, h(bad), expect: xerr(.efault), "current_reservation, bad handle")
        dom0.call(12, 99, h(A), expect: xerr(.enosys), "unknown memory_op")
        // xen_memory_reservation {handle extents @0, u64 nr @8, u32 order @16, u32 bits @20, u16 domid @24}
        func reservation(_ at: UInt64, list: UInt64, count: UInt64, order: UInt64 = 0, dom: UInt64 = SELF) {
            dom0.store(at, list)
            dom0.store(at + 8, count)
            dom0.store(at + 16, order, size: 4)
            dom0.store(at + 24, dom, size: 2)
        }
        dom0.store(A + 0x100, 900)
        dom0.store(A + 0x108, 901)
        reservation(A + 0x200, list: h(A + 0x100), count: 2)
        dom0.call(12, 1, h(A + 0x200), expect: 2, "decrease_reservation of 2 pages")
        dom0.call(12, 3, h(A), expect: 1022, "reservation after the balloon inflates")
        dom0.call(12, 0, h(A + 0x200), expect: 2, "increase_reservation of 2 pages")
        dom0.call(12, 3, h(A), expect: 1024, "reservation after the balloon deflates")
        dom0.store(A + 0x120, 1100)
        reservation(A + 0x240, list: h(A + 0x120), count: 1)
        dom0.call(12, 6, h(A + 0x240), expect: 1, "populate_physmap above the initial memory")
        dom0.call(12, 3, h(A), expect: 1025, "reservation after populate")
        dom0.store(1100 << 14, 0xfeed_f00d)
        dom0.load(1100 << 14, expect: 0xfeed_f00d, "the new page is usable")
        dom0.store(A + 0x140, 2000)
        reservation(A + 0x280, list: h(A + 0x140), count: 1)
        dom0.call(12, 0, h(A + 0x280), expect: 0, "increase beyond the maximum: no extent done")
        dom0.call(12, 1, h(A + 0x280), expect: 0, "decrease of a page beyond the maximum: none done")
        dom0.store(A + 0x160, 901)
        reservation(A + 0x2c0, list: h(A + 0x160), count: 1, order: 1)
        dom0.call(12, 1, h(A + 0x2c0), expect: xerr(.einval), "misaligned order-1 extent")
        reservation(A + 0x300, list: h(A + 0x100), count: 1, order: 11)
        dom0.call(12, 0, h(A + 0x300), expect: xerr(.einval), "order 11")
        reservation(A + 0x340, list: h(A + 0x100), count: 1 << 40)
        dom0.call(12, 0, h(A + 0x340), expect: xerr(.einval), "2^40 extents")
        reservation(A + 0x380, list: h(bad), count: 1)
        dom0.call(12, 0, h(A + 0x380), expect: xerr(.efault), "bad extent list")
        reservation(A + 0x3c0, list: h(A + 0x100), count: 1, dom: 9)
        dom0.call(12, 1, h(A + 0x3c0), expect: xerr(.esrch), "decrease_reservation of no domain")
        dom0.call(12, 1, h(bad), expect: xerr(.efault), "decrease_reservation, bad handle")
        // Dom0 may balloon another domain.
        dom0.store(A + 0x180, 500)
        reservation(A + 0x400, list: h(A + 0x180), count: 1, dom: 1)
        dom0.call(12, 1, h(A + 0x400), expect: 1, "Dom0 takes a page from the DomU")
        dom0.call(12, 3, h(A + 0x20), expect: 511, "the DomU's reservation")

        let domU = G()
        domU.store(A, 0, size: 2)
        domU.call(12, 3, h(A), expect: xerr(.eperm), "DomU current_reservation of Dom0")
        domU.call(12, 4, h(A), expect: xerr(.eperm), "DomU maximum_reservation of Dom0")
        domU.store(A + 0x10, SELF, size: 2)
        domU.call(12, 3, h(A + 0x10), expect: 511, "DomU's own reservation (Dom0 took one page)")
        domU.store(A + 0x100, 10)
        domU.store(A + 0x200, h(A + 0x100))
        domU.store(A + 0x208, 1)
        domU.store(A + 0x218, 0, size: 2)
        domU.call(12, 1, h(A + 0x200), expect: xerr(.eperm), "DomU decrease_reservation of Dom0")
        domU.call(12, 0, h(A + 0x200), expect: xerr(.eperm), "DomU increase_reservation of Dom0")
        domU.call(12, 6, h(A + 0x200), expect: xerr(.eperm), "DomU populate_physmap of Dom0")
        domU.call(12, 3, h(bad), expect: xerr(.efault), "DomU current_reservation, bad handle")

        let hv = Hypervisor()
        let d0 = try hv.boot(dom0, name: "Domain-0", maxMemoryMiB: 24)
        let d1 = try hv.boot(domU, name: "domU", memoryMiB: 8)
        XCTAssertEqual(hv.run(budget: 5_000_000), .allDomainsShutDown)
        dom0.check(d0)
        domU.check(d1)
        XCTAssertTrue(dom0.reachedEnd(d0))
        XCTAssertTrue(domU.reachedEnd(d1))
        XCTAssertEqual(d0.reservationPages, 1025)
        XCTAssertEqual(d1.reservationPages, 511)
    }

    // MARK: - multicall

    func testMulticall() throws {
        let dom0 = G()
        func entry(_ g: G, _ at: UInt64, _ op: UInt64, _ args: UInt64...) {
            g.store(at, op)
            g.store(at + 8, 0x5a5a_5a5a)
            for (k, a) in args.enumerated() { g.store(at + 16 + 8 * UInt64(k), a) }
        }
        entry(dom0, A, 17, 0, 0)
        entry(dom0, A + 64, 17, 7, 0)
        entry(dom0, A + 128, 13, h(A), 1)
        entry(dom0, A + 192, 32, 99, h(A))
        entry(dom0, A + 256, 99, 0)
        dom0.call(13, h(A), 5, expect: 0, "multicall of 5")
        dom0.load(A + 8, expect: 0x0003_0001, "entry 0: xen_version")
        dom0.load(A + 64 + 8, expect: 16384, "entry 1: pagesize")
        dom0.load(A + 128 + 8, expect: xerr(.einval), "entry 2: nested multicall")
        dom0.load(A + 192 + 8, expect: xerr(.enosys), "entry 3: unknown event_channel_op")
        dom0.load(A + 256 + 8, expect: xerr(.enosys), "entry 4: unknown hypercall")
        dom0.call(13, h(A), 65, expect: xerr(.einval), "multicall of 65")
        dom0.call(13, h(bad), 2, expect: xerr(.efault), "multicall, bad handle")
        dom0.call(13, 0, 0, expect: 0, "multicall of nothing")

        let domU = G()
        entry(domU, A, 6, 0, 0)
        entry(domU, A + 64, 6, 2, 0)
        entry(domU, A + 128, 17, 0, 0)
        domU.call(13, h(A), 3, expect: nil, "multicall: yield, shutdown, xen_version")
        let hv = Hypervisor()
        let d0 = try hv.boot(dom0, name: "Domain-0")
        let d1 = try hv.boot(domU, name: "domU", memoryMiB: 8, end: false)
        XCTAssertEqual(hv.run(budget: 5_000_000), .allDomainsShutDown)
        dom0.check(d0)
        XCTAssertTrue(dom0.reachedEnd(d0))
        XCTAssertEqual(d1.life, .shutdown(.poweroff))
        XCTAssertEqual(d1.memory.u64(A + 8), 0, "yield done")
        XCTAssertEqual(d1.memory.u64(A + 72), 0, "shutdown done")
        XCTAssertEqual(d1.memory.u64(A + 136), 0x5a5a_5a5a, "the batch ended at the shutdown")
        XCTAssertEqual(domU.results(in: d1), [0], "the multicall never returned to the guest")
    }

    // MARK: - domctl, sysctl

    func testDomctlAndSysctl() throws {
        let dom0 = G()
        func domctl(_ cmd: UInt64, _ dom: UInt64, expect: UInt64, _ what: String, line: UInt = #line) {
            dom0.store(A, cmd, size: 4)
            dom0.store(A + 8, dom, size: 2)
            dom0.call(36, h(A), expect: expect, what, line: line)
        }
        func info(running: Bool = false, flags: UInt64, _ what: String, line: UInt = #line) {
            domctl(5, 1, expect: 0, "getdomaininfo (\(what))", line: line)
            dom0.load(A + 16, size: 2, expect: 1, "domain", line: line)
            dom0.load(A + 20, size: 4, expect: flags, "flags (\(what))", line: line)
        }
        domctl(5, 1, expect: 0, "getdomaininfo of the DomU")
        dom0.load(A + 8, size: 2, expect: 1, "domctl.domain echoed")
        dom0.load(A + 16, size: 2, expect: 1, "info.domain")
        dom0.load(A + 20, size: 4, expect: 1 << 5, mask: 0x3f, "XEN_DOMINF_running")
        dom0.load(A + 24, expect: 512, "tot_pages")
        dom0.load(A + 32, expect: 512, "max_pages")
        dom0.load(A + 40, expect: XenABI.sharedInfoPhysical >> 14, "shared_info_frame")
        dom0.load(A + 56, size: 4, expect: 1, "nr_online_vcpus")
        dom0.load(A + 60, size: 4, expect: 1, "max_vcpu_id")
        domctl(3, 1, expect: 0, "pause the DomU")
        info(flags: 1 << 3, "paused")
        domctl(3, 1, expect: 0, "pause it again")
        domctl(3, 0, expect: xerr(.einval), "pause oneself")
        domctl(4, 1, expect: 0, "unpause the DomU")
        domctl(4, 1, expect: 0, "unpause a running domain")
        dom0.store(A + 16, 16384)
        domctl(11, 1, expect: 0, "max_mem 16 MiB")
        domctl(5, 1, expect: 0, "getdomaininfo after max_mem")
        dom0.load(A + 32, expect: 1024, "max_pages after max_mem")
        dom0.store(A + 16, 1024)
        domctl(11, 1, expect: xerr(.einval), "max_mem below the reservation")
        domctl(5, 9, expect: xerr(.esrch), "getdomaininfo of no domain")
        domctl(3, 9, expect: xerr(.esrch), "pause no domain")
        domctl(999, 1, expect: xerr(.enosys), "unknown domctl")
        dom0.call(36, h(bad), expect: xerr(.efault), "domctl, bad handle")
        domctl(2, 1, expect: 0, "destroy the DomU")
        info(flags: 1, "dying")
        domctl(2, 0, expect: xerr(.einval), "destroy oneself")
        // getdomaininfo of a domain that shut down: flags carry the reason.
        dom0.delay(100_000)
        dom0.store(A, 5, size: 4)
        dom0.store(A + 8, 2, size: 2)
        dom0.call(36, h(A), expect: 0, "getdomaininfo of the DomU that shut down")
        dom0.load(A + 20, size: 4, expect: 1 << 2 | 1 << 16, "XEN_DOMINF_shutdown | reboot << 16")
        // sysctl physinfo {u32 threads @8, cores @12, sockets @16, nodes @20, cpu_khz @24, u64 total_pages @32}
        dom0.store(A + 0x100, 3, size: 4)
        dom0.call(35, h(A + 0x100), expect: 0, "physinfo")
        dom0.load(A + 0x108, size: 4, expect: 1, "threads_per_core")
        dom0.load(A + 0x10c, size: 4, expect: 8, "cores_per_socket")
        dom0.load(A + 0x118, size: 4, expect: 1_000_000, "cpu_khz")
        // readconsole {u32 clear @8, handle buffer @16, u32 count @24}
        dom0.store(A + 0x200, 1, size: 4)
        dom0.store(A + 0x210, h(A + 0x1000))
        dom0.store(A + 0x218, 4096, size: 4)
        dom0.call(35, h(A + 0x200), expect: 0, "readconsole")
        dom0.load(A + 0x1000, expect: G.le("(XEN) "), mask: 0xffff_ffff_ffff, "the log")
        let count = dom0.load(A + 0x218, size: 4)
        dom0.store(A + 0x210, h(bad))
        dom0.call(35, h(A + 0x200), expect: xerr(.efault), "readconsole to a bad buffer")
        dom0.store(A + 0x300, 99, size: 4)
        dom0.call(35, h(A + 0x300), expect: xerr(.enosys), "unknown sysctl")
        dom0.call(35, h(bad), expect: xerr(.efault), "sysctl, bad handle")

        let spin = G()
        spin.spinForever()
        let domU = G()
        domU.store(A, 5, size: 4)
        domU.call(36, h(A), expect: xerr(.eperm), "DomU domctl")
        domU.store(A + 0x100, 3, size: 4)
        domU.call(35, h(A + 0x100), expect: xerr(.eperm), "DomU sysctl")
        domU.call(36, h(bad), expect: xerr(.eperm), "DomU domctl, bad handle")
        domU.call(6, 2, 1)

        let hv = Hypervisor()
        let d0 = try hv.boot(dom0, name: "Domain-0")
        let d1 = try hv.boot(spin, name: "spin", memoryMiB: 8, vcpus: 2, end: false)
        let d2 = try hv.boot(domU, name: "domU", memoryMiB: 8, end: false)
        XCTAssertEqual(hv.run(budget: 10_000_000), .allDomainsShutDown)
        dom0.check(d0)
        domU.check(d2)
        XCTAssertTrue(dom0.reachedEnd(d0))
        XCTAssertEqual(d1.life, .destroyed)
        XCTAssertEqual(d2.life, .shutdown(.reboot))
        let n = Int(dom0.results(in: d0)[count])
        XCTAssertGreaterThan(n, 40)
        let text = String(decoding: d0.memory.bytes(at: A + 0x1000, count: n) ?? [], as: UTF8.self)
        XCTAssertTrue(text.contains("domain 1 paused"), text)
    }
}

extension HypercallTests {
    /// A block inside a multicall takes effect when the multicall returns: the entries after
    /// it still run, and the guest resumes after the multicall once woken.
    func testMulticallWithBlockRunsTheRestOfTheBatch() throws {
        let dom0 = G()
        dom0.store(A, SELF, size: 2)
        dom0.store(A + 2, 1, size: 2)
        dom0.call(32, 6, h(A), expect: 0, "alloc_unbound for domain 1")
        dom0.call(29, 1, 0, expect: 0, "block until the DomU binds")
        dom0.store(A + 0x10, 1, size: 4)
        dom0.call(32, 4, h(A + 0x10), expect: 0, "wake the DomU")
        let domU = G()
        domU.store(A, 0, size: 2)
        domU.store(A + 4, 1, size: 4)
        domU.call(32, 0, h(A), expect: 0, "bind_interdomain")
        for (i, op) in [(UInt64(6), UInt64(1)), (17, 0)].enumerated() {
            let at = A + 0x100 + 64 * UInt64(i)
            domU.store(at, op.0)
            domU.store(at + 8, 0x5a5a_5a5a)
            domU.store(at + 16, op.1)
        }
        domU.call(13, h(A + 0x100), 2, expect: 0, "multicall: block, xen_version")
        domU.load(A + 0x108, expect: 0, "block")
        domU.load(A + 0x148, expect: 0x0003_0001, "xen_version after the block")
        domU.load(Self.pendingWord, expect: 4, mask: 4, "resumed by Dom0's event")
        let hv = Hypervisor()
        try runToShutdown(dom0, domU, on: hv)
    }
}

extension HypercallTests {
    /// ptc.ga and the PTC_GA hyperprivop purge the translation caches of every vCPU of the
    /// domain (a global purge), matching the issuer's region ID; other pages stay.
    func testGlobalPurgesReachEveryVCPU() throws {
        let g = G()
        // ptc.ga r3, r2 at CPL 2 faults into the hypervisor, which emulates it.
        g.set("r3", 0x0040_0000)
        g.set("r2", 14 << 2)
        g.raw("\tptc.ga r3, r2\n\t;;")
        g.record("r0", expect: 0, "(after ptc.ga)")
        // PTC_GA hyperprivop: r8 = address, r9 = itir (page size in bits 7:2).
        g.set("r8", 0x0080_0000)
        g.set("r9", 14 << 2)
        g.raw("\tbreak.m 0x\(String(XenABI.HyperPrivop.ptcGA.rawValue, radix: 16))\n\t;;")
        g.record("r0", expect: 0, "(after PTC_GA)")
        let hv = Hypervisor()
        let d = try hv.boot(g, name: "Domain-0", vcpus: 2)
        let other = d.vcpus[1].cpu
        let pte: UInt64 = 0x10_0000 | 2 << 9 | 1 << 6 | 1 << 5 | 1
        for page: UInt64 in [0x0040_0000, 0x0080_0000, 0x00c0_0000] {
            other.insertTranslation(instruction: false, registerSlot: nil, ifa: page, itir: 14 << 2, pte: pte | page)
        }
        func cached(_ address: UInt64) -> Bool {
            other.tlb.lookup(instruction: false, rid: other.regionID(of: address), address: address) != nil
        }
        XCTAssertTrue(cached(0x0040_0000) && cached(0x0080_0000) && cached(0x00c0_0000))
        XCTAssertEqual(hv.run(budget: 5_000_000), .allDomainsShutDown)
        g.check(d)
        XCTAssertTrue(g.reachedEnd(d))
        XCTAssertFalse(cached(0x0040_0000), "ptc.ga on vCPU 0 purged vCPU 1's entry")
        XCTAssertFalse(cached(0x0080_0000), "PTC_GA on vCPU 0 purged vCPU 1's entry")
        XCTAssertTrue(cached(0x00c0_0000), "another page stays")
    }
}
