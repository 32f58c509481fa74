import Foundation
import IA64Exec
@testable import VMMCore
import XCTest

/// Virtual block devices: the guest kernel's blkfront against the hypervisor's blkback in a
/// whole session, and the back end driven directly through the ring with good and bad
/// requests (BlockBackend.swift has the protocol).
final class BlockDeviceTests: XCTestCase {
    typealias G = HypercallGuest

    // MARK: - Helpers

    final class Scratch {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-blk-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: url) }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        @discardableResult
        func write(_ name: String, _ text: String) throws -> String {
            try text.write(toFile: path(name), atomically: true, encoding: .utf8)
            return path(name)
        }
    }

    /// A deterministic image: byte i of sector s is (s × 31 + i × 7 + salt) & 0xff.
    static func image(sectors: Int, salt: Int) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: sectors * 512)
        for s in 0..<sectors { for i in 0..<512 { b[s * 512 + i] = UInt8(truncatingIfNeeded: s * 31 + i * 7 + salt) } }
        return b
    }

    /// blk_demo's checksum: sum = rotl(sum, 7) + each little-endian u64.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var sum: UInt64 = 0
        var i = bytes.startIndex
        while i + 8 <= bytes.endIndex {
            sum = ((sum << 7) | (sum >> 57)) &+ G.le(bytes[i..<i + 8])
            i += 8
        }
        return sum
    }

    /// The guest kernel, built by Guests/kernel/build.sh. domu_main is owned elsewhere: when it
    /// does not call the block demo yet, a copy of the sources gets the two calls after
    /// control_init_domu.
    static func buildKernel(into scratch: Scratch) throws -> String {
        let src = scratch.url.appendingPathComponent("kernel-src")
        try FileManager.default.copyItem(at: GuestProgram.packageRoot.appendingPathComponent("Guests/kernel"), to: src)
        let roles = src.appendingPathComponent("roles.s")
        var text = try String(contentsOf: roles, encoding: .utf8)
        if !text.contains("blk_demo") {
            let anchor = "\tbr.call.sptk.many b0 = control_init_domu\n\t;;\n"
            XCTAssertTrue(text.contains(anchor))
            text = text.replacingOccurrences(of: anchor, with: anchor + "\tbr.call.sptk.many b0 = blk_init\n\t;;\n\tbr.call.sptk.many b0 = blk_demo\n\t;;\n")
            try text.write(to: roles, atomically: true, encoding: .utf8)
        }
        let out = scratch.path("out")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [src.appendingPathComponent("build.sh").path, out]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw GuestProgram.BuildError(description: "Guests/kernel/build.sh failed") }
        return out + "/xenkernel"
    }

    /// A session of Dom0 and two single-vCPU DomUs, the first with a read-write disk, the
    /// second with a read-only one.
    static func session(in scratch: Scratch, kernel: String) throws -> Session {
        try scratch.write("dom0.cfg", "name = \"Domain-0\"\nkernel = \"\(kernel)\"\nmemory = 256\nvcpus = 1\n")
        try scratch.write("rw.cfg", "name = \"rw\"\nkernel = \"\(kernel)\"\nmemory = 128\nvcpus = 1\ndisk = [ 'file:disk1.img,xvda,w' ]\n")
        try scratch.write("ro.cfg", "name = \"ro\"\nkernel = \"\(kernel)\"\nmemory = 128\nvcpus = 1\ndisk = [ 'file:disk2.img,xvda,r' ]\n")
        let s = try scratch.write("session.cfg", "cpus = 4\nmemory = 1024\ndom0 = \"dom0.cfg\"\ndomains = [ \"rw.cfg\", \"ro.cfg\" ]\n")
        return try SessionFile.load(path: s)
    }

    // MARK: - The guest kernel's front end

    func testGuestFrontEndReadsWritesAndIsDeterministic() throws {
        let scratch = try Scratch()
        let kernel = try Self.buildKernel(into: scratch)
        let disk1 = Self.image(sectors: 2048, salt: 1), disk2 = Self.image(sectors: 1024, salt: 2)
        try Data(disk1).write(to: URL(fileURLWithPath: scratch.path("disk1.img")))
        try Data(disk2).write(to: URL(fileURLWithPath: scratch.path("disk2.img")))
        let session = try Self.session(in: scratch, kernel: kernel)

        var hashes: [String] = []
        for _ in 0..<2 {
            let hv = try SessionBoot.hypervisor(for: session)
            XCTAssertEqual(hv.run(budget: 200_000_000), .allDomainsShutDown, hv.log.suffix(10).joined(separator: "\n"))
            hashes.append(hv.stateHash())
            let rw = try XCTUnwrap(hv.domain(1)), ro = try XCTUnwrap(hv.domain(2))
            let sum1 = String(Self.checksum(disk1[0..<65536]), radix: 16), sum2 = String(Self.checksum(disk2[0..<65536]), radix: 16)
            let pad = { (s: String) in String(repeating: "0", count: 16 - s.count) + s }
            XCTAssertTrue(rw.consoleText.contains("blkfront: xvda 2048 sectors, read 64 KiB checksum \(pad(sum1)), write/read-back ok\n"), rw.consoleText)
            XCTAssertTrue(ro.consoleText.contains("blkfront: xvda 1024 sectors, read 64 KiB checksum \(pad(sum2)), read-only: write refused\n"), ro.consoleText)
            // The read-write disk's writes stayed in the overlay: 64 sectors at the end.
            let dev = try XCTUnwrap(rw.blockDevices.first)
            XCTAssertEqual(dev.overlay.keys.sorted(), Array(1984..<2048))
            XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: scratch.path("disk1.img")))), disk1, "the host image is never written")
            XCTAssertEqual(ro.blockDevices.first?.overlay.isEmpty, true)
            // Every response came after its latency, at the first round boundary after it.
            for d in [rw, ro] {
                let log = try XCTUnwrap(d.blockDevices.first).completionLog
                XCTAssertEqual(log.count, d === rw ? 3 : 2)
                for r in log {
                    XCTAssertGreaterThanOrEqual(r.delivered, r.submitted + BlockDevice.latency(sectors: r.sectors))
                    XCTAssertEqual(r.due, r.submitted + BlockDevice.latency(sectors: r.sectors))
                    XCTAssertLessThan(r.delivered - r.due, 20_000)
                }
            }
            XCTAssertEqual(ro.blockDevices.first?.completionLog.last?.status, -1, "the read-only disk refused the write")
        }
        XCTAssertEqual(hashes[0], hashes[1])
    }

    func testDiskImageErrorsAtBuildTime() throws {
        let scratch = try Scratch()
        let kernel = try G().build()
        let hv = Hypervisor()
        try hv.createDomain(DomainSetup(name: "Domain-0", kernel: kernel, memoryMiB: 16))
        func buildError(_ spec: String) -> String {
            guard case .success(let d) = DiskSpec.parse(spec, relativeTo: scratch.url.path) else { return "parse" }
            do {
                try hv.createDomain(DomainSetup(name: "u", kernel: kernel, memoryMiB: 16, disks: [d]))
                return "built"
            } catch { return String(describing: error) }
        }
        XCTAssertTrue(buildError("file:missing.img,xvda,r").contains("does not exist"))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: scratch.path("tiny.img")))
        XCTAssertTrue(buildError("file:tiny.img,xvda,r").contains("smaller than one sector"))
        XCTAssertTrue(buildError("phy:sda1,xvda,r").contains("not supported"))
        XCTAssertTrue(buildError("file:\(scratch.url.path),xvda,r").contains("directory"))
        XCTAssertThrowsError(try hv.createDomain(DomainSetup(name: "Domain-X", kernel: kernel, memoryMiB: 16,
                                                             disks: [DiskSpec(backendKind: .file, path: "/x", virtualDevice: "xvda", writable: false)])))
        XCTAssertEqual(hv.domains.count, 1, "no domain is left half built")
    }

    // MARK: - The back end through the ring

    /// A DomU that blocks forever (woken by each completion, it blocks again) with
    /// xvda (read-write) and xvdb (read-only) over the same 64-sector image; Swift plays the
    /// front end by writing the guest's memory.
    struct Rig {
        let hv: Hypervisor
        let d: Domain
        let image: [UInt8]
        static let ring: UInt64 = 0x400000, data: UInt64 = 0x404000, data2: UInt64 = 0x408000, ring2: UInt64 = 0x40c000

        init(scratch: Scratch) throws {
            image = BlockDeviceTests.image(sectors: 64, salt: 9)
            let path = scratch.path("disk.img")
            try Data(image).write(to: URL(fileURLWithPath: path))
            let sleeper = G()
            let l = sleeper.label()
            sleeper.raw("\(l):")
            sleeper.store(XenABI.sharedInfoPhysical, 0, size: 1)  // upcall_pending = 0: no callback here
            sleeper.call(29, 1, 0)
            sleeper.raw("\tbr.cond.sptk.few \(l)\n\t;;")
            hv = Hypervisor(options: .init(physicalCPUs: 2))
            try hv.boot(sleeper, name: "Domain-0", end: false)
            d = try hv.createDomain(DomainSetup(name: "u", kernel: try sleeper.build(end: false), memoryMiB: 16, disks: [
                DiskSpec(backendKind: .file, path: path, virtualDevice: "xvda", writable: true),
                DiskSpec(backendKind: .file, path: path, virtualDevice: "xvdb", writable: false),
            ]))
        }

        func grant(_ ref: UInt64, frame: UInt64, flags: UInt64, domid: UInt64 = 0) {
            d.memory.setU64(XenABI.grantTablePhysical + ref * 8, flags | domid << 16 | frame << 32)
        }

        func entry(_ n: Int) -> UInt64 { d.devicePagePhysical + 0x40 + UInt64(n) * 64 }

        /// Front-end connection of device n: ring page granted as `ref`, a fresh unbound port.
        @discardableResult
        func connect(_ n: Int, ring: UInt64, ref: UInt64) -> Int {
            grant(ref, frame: ring >> 14, flags: 1)
            d.memory.setU32(ring + 4, 1)
            d.memory.setU32(ring + 12, 1)
            let port = d.eventChannels.freePort()!
            d.eventChannels[port] = .init(binding: .unbound(remoteDomain: 0), vcpu: 0)
            d.memory.setU32(entry(n) + 0x30, ref)
            d.memory.setU32(entry(n) + 0x34, UInt64(port))
            d.memory.setU32(entry(n) + 0x2c, 3)
            hv.send(from: d, port: Int(d.memory.u32(entry(n) + 0x24)!))
            return port
        }

        struct Request {
            var op: UInt64 = 0, id: UInt64, sector: UInt64
            var segments: [(gref: UInt64, first: UInt64, last: UInt64)]
            var count: UInt64? = nil
        }

        func put(_ r: Request, ring: UInt64, slot: UInt64) {
            let a = ring + 64 + slot * 112
            d.memory.setBytes(at: a, [UInt8](repeating: 0, count: 112))
            d.memory.setU8(a, r.op)
            d.memory.setU8(a + 1, r.count ?? UInt64(r.segments.count))
            d.memory.setU64(a + 8, r.id)
            d.memory.setU64(a + 16, r.sector)
            for (k, s) in r.segments.prefix(11).enumerated() {
                d.memory.setU32(a + 24 + 8 * UInt64(k), s.gref)
                d.memory.setU8(a + 28 + 8 * UInt64(k), s.first)
                d.memory.setU8(a + 29 + 8 * UInt64(k), s.last)
            }
        }

        /// (id, operation, status) of response slot i.
        func response(ring: UInt64, _ i: UInt64) -> (UInt64, UInt64, Int16) {
            let a = ring + 64 + i * 112
            return (d.memory.u64(a)!, d.memory.u8(a + 8)!, Int16(bitPattern: UInt16(d.memory.u16(a + 10)!)))
        }
    }

    func testRequestsGoodAndBad() throws {
        let scratch = try Scratch()
        let rig = try Rig(scratch: scratch)
        let d = rig.d, ring = Rig.ring
        let dev = d.blockDevices[0]
        XCTAssertEqual(d.devicePagePhysical, (d.memory.u64(d.startInfoPhysical + 0x38)! << 14), "the device page is the xenstore page")
        XCTAssertEqual(d.memory.u32(d.devicePagePhysical), 0x4b4c_4258)
        XCTAssertEqual(d.memory.u32(d.devicePagePhysical + 8), 2)
        XCTAssertEqual(d.memory.bytes(at: rig.entry(1), count: 5), Array("xvdb\0".utf8))
        XCTAssertEqual(d.memory.u64(rig.entry(0) + 0x10), 64)
        XCTAssertEqual(d.memory.u32(rig.entry(0) + 0x18), 0)
        XCTAssertEqual(d.memory.u32(rig.entry(1) + 0x18), 4, "VDISK_READONLY")
        XCTAssertEqual(d.memory.u16(rig.entry(0) + 0x20), 202 << 8)
        XCTAssertEqual(d.memory.u32(rig.entry(0) + 0x28), 2, "InitWait")

        // A ring grant to the wrong domain does not connect.
        rig.grant(1, frame: ring >> 14, flags: 1, domid: 3)
        d.memory.setU32(rig.entry(0) + 0x30, 1)
        d.memory.setU32(rig.entry(0) + 0x2c, 3)
        rig.hv.send(from: d, port: dev.setupPort)
        XCTAssertFalse(dev.connected)
        let port = rig.connect(0, ring: ring, ref: 1)
        XCTAssertTrue(dev.connected)
        XCTAssertEqual(d.memory.u32(rig.entry(0) + 0x28), 4, "Connected")
        XCTAssertEqual(d.eventChannels[port].binding, .backend(.block(0)))

        rig.grant(2, frame: Rig.data >> 14, flags: 1)          // writable
        rig.grant(3, frame: Rig.data2 >> 14, flags: 1 | 4)     // read-only
        rig.grant(4, frame: Rig.data >> 14, flags: 1, domid: 5)
        d.memory.setBytes(at: Rig.data2, [UInt8](repeating: 0xab, count: 512))
        typealias R = Rig.Request
        let requests: [(R, Int16, String)] = [
            (R(id: 100, sector: 0, segments: [(2, 0, 7)]), 0, "read 8 sectors"),
            (R(id: 101, sector: 60, segments: [(2, 0, 7)]), -1, "read past the end"),
            (R(id: 102, sector: 0, segments: [(999, 0, 0)]), -1, "empty grant entry"),
            (R(id: 103, sector: 0, segments: [(3, 0, 0)]), -1, "read into a read-only grant"),
            (R(id: 104, sector: 0, segments: Array(repeating: (2, 0, 0), count: 11), count: 12), -1, "12 segments"),
            (R(id: 105, sector: 0, segments: [], count: 0), -1, "no segments"),
            (R(op: 7, id: 106, sector: 0, segments: [(2, 0, 0)]), -1, "unknown operation"),
            (R(op: 2, id: 107, sector: 0, segments: [(2, 0, 0)]), -2, "write barrier (not offered)"),
            (R(op: 1, id: 108, sector: 10, segments: [(3, 0, 0)]), 0, "write one sector from a read-only grant"),
            (R(id: 109, sector: 10, segments: [(2, 8, 8)]), 0, "read it back"),
            (R(id: 110, sector: 0, segments: [(2, 5, 3)]), -1, "first_sect > last_sect"),
            (R(id: 111, sector: 0, segments: [(2, 0, 32)]), -1, "last_sect beyond the page"),
            (R(id: 112, sector: 0, segments: [(4, 0, 0)]), -1, "grant for another domain"),
            (R(id: 113, sector: ~1, segments: [(2, 0, 7)]), -1, "sector near 2^64"),
            (R(id: 114, sector: 0, segments: [(50_000, 0, 0)]), -1, "grant reference beyond the table"),
        ]
        for (i, r) in requests.enumerated() { rig.put(r.0, ring: ring, slot: UInt64(i)) }
        d.memory.setU32(ring, UInt64(requests.count))
        let submitted = rig.hv.now
        rig.hv.send(from: d, port: port)
        XCTAssertEqual(d.memory.u32(ring + 8), 0, "no response before the latency has passed")
        XCTAssertEqual(d.memory.u32(ring + 4), UInt64(requests.count + 1), "req_event asks for the next request")

        XCTAssertEqual(rig.hv.run(budget: 10_000_000), .deadlocked)
        XCTAssertEqual(d.memory.u32(ring + 8), UInt64(requests.count))
        var seen: [UInt64: Int16] = [:]
        for i in 0..<UInt64(requests.count) {
            let (id, _, status) = rig.response(ring: ring, i)
            seen[id] = status
        }
        for (r, status, what) in requests {
            XCTAssertEqual(seen[r.id], status, what)
            let rec = try XCTUnwrap(dev.completionLog.first { $0.id == r.id })
            XCTAssertEqual(UInt64(rec.operation), r.op, what)
            XCTAssertGreaterThanOrEqual(rec.delivered, submitted + BlockDevice.latency(sectors: rec.sectors), what)
        }
        let dues = dev.completionLog.map(\.delivered)
        XCTAssertEqual(dues, dues.sorted(), "delivered in order of completion")
        XCTAssertEqual(dev.completionLog.first { $0.id == 100 }?.sectors, 8)
        XCTAssertEqual(d.memory.bytes(at: Rig.data, count: 4096), Array(rig.image[0..<4096]))
        XCTAssertEqual(d.memory.bytes(at: Rig.data + 8 * 512, count: 512), [UInt8](repeating: 0xab, count: 512), "the written sector reads back")
        XCTAssertEqual(dev.overlay.keys.sorted(), [10])
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: scratch.path("disk.img")))), rig.image, "the host image is untouched")

        // Every image read goes through the one door for outside input (what Replay implements).
        let door = CountingInputs()
        rig.hv.inputs = door
        // The read-only device refuses writes and serves reads.
        rig.grant(5, frame: Rig.ring2 >> 14, flags: 1)
        let port2 = rig.connect(1, ring: Rig.ring2, ref: 5)
        rig.put(R(op: 1, id: 200, sector: 0, segments: [(3, 0, 0)]), ring: Rig.ring2, slot: 0)
        rig.put(R(id: 201, sector: 63, segments: [(2, 0, 0)]), ring: Rig.ring2, slot: 1)
        d.memory.setU32(Rig.ring2, 2)
        rig.hv.send(from: d, port: port2)
        XCTAssertEqual(rig.hv.run(budget: 20_000_000), .deadlocked)
        XCTAssertEqual(rig.response(ring: Rig.ring2, 0).2, -1)
        XCTAssertEqual(rig.response(ring: Rig.ring2, 1).2, 0)
        XCTAssertEqual(d.memory.bytes(at: Rig.data, count: 512), Array(rig.image[63 * 512..<64 * 512]), "the overlay is per device")
        XCTAssertEqual(door.hooked.map(\.0), ["xvdb"])
        XCTAssertEqual(door.hooked.first?.1, 63)
        XCTAssertEqual(door.hooked.first?.2, 1)

        // A front end that claims more than a ring of requests: the device closes, the
        // hypervisor carries on.
        d.memory.setU32(ring, UInt64(requests.count) + 500)
        rig.hv.send(from: d, port: port)
        XCTAssertTrue(dev.broken)
        XCTAssertEqual(d.memory.u32(rig.entry(0) + 0x28), 5, "Closing")
        rig.hv.send(from: d, port: port)
        XCTAssertEqual(rig.hv.run(budget: 30_000_000), .deadlocked)
        XCTAssertTrue(rig.hv.log.contains { $0.contains("more than a ring ahead") })
    }

    func testCompletionsWakeAnIdleMachineAtTheirTime() throws {
        let scratch = try Scratch()
        let rig = try Rig(scratch: scratch)
        let d = rig.d, ring = Rig.ring
        let port = rig.connect(0, ring: ring, ref: 1)
        rig.grant(2, frame: Rig.data >> 14, flags: 1)
        // Let both domains go idle first.
        XCTAssertEqual(rig.hv.run(budget: 1_000_000), .deadlocked)
        let idleAt = rig.hv.now
        rig.put(.init(id: 7, sector: 0, segments: [(2, 0, 31)]), ring: ring, slot: 0)
        d.memory.setU32(ring, 1)
        rig.hv.send(from: d, port: port)
        XCTAssertEqual(rig.hv.run(budget: 2_000_000), .deadlocked)
        let rec = try XCTUnwrap(d.blockDevices[0].completionLog.first)
        XCTAssertEqual(rec.submitted, idleAt)
        XCTAssertEqual(rec.due, idleAt + 20_000 + 32 * 100)
        XCTAssertEqual(rec.delivered, rec.due, "time skipped straight to the completion")
        XCTAssertEqual(rig.response(ring: ring, 0).2, 0)
        XCTAssertEqual(d.memory.bytes(at: Rig.data, count: 16384), Array(rig.image[0..<16384]))
        // The response raised the front end's port (rsp_event was 1).
        let pending = d.memory.u64(XenABI.sharedInfoPhysical + 0xc00)!
        XCTAssertNotEqual(pending & (1 << UInt64(port)), 0)
    }
}

/// Standard answers, noting every disk read asked of the door.
private final class CountingInputs: ExternalInputs {
    let standard = StandardInputs()
    var hooked: [(String, UInt64, Int)] = []
    func wallClock(at point: InputPoint) -> WallClock { standard.wallClock(at: point) }
    func diskRead(_ device: BlockDevice, sector: UInt64, count: Int, at point: InputPoint,
                  hostRead: () -> [UInt8]?) -> [UInt8]? {
        hooked.append((device.spec.virtualDevice, sector, count))
        return hostRead()
    }
    func platformEvents(at point: InputPoint) -> [PlatformEventRequest] { [] }
    func consoleInput(at point: InputPoint) -> [ConsoleInputRequest] { [] }
    func quantum(at point: InputPoint, standard: UInt64) -> UInt64 { standard }
    func blockLatency(at point: InputPoint, standard: UInt64) -> UInt64 { standard }
}
