import Foundation
import IA64Exec
@testable import VMMCore
import XCTest

final class DomainMemoryTests: XCTestCase {
    static let page = DomainMemory.pageSize

    func domain(pages: UInt64 = 64, machineFrames: UInt64 = 256, heapPages: UInt64 = 64) throws -> DomainMemory {
        try DomainMemory(machine: MachineMemory(bytes: machineFrames * MachineMemory.frameSize),
                         heap: XenHeap(pages: heapPages), maxPages: pages)
    }

    /// Resident memory of this process in bytes (Linux), to show big guests are not backed eagerly.
    func residentBytes() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = UInt64(fields[1]) else { return nil }
        return pages * UInt64(sysconf(Int32(_SC_PAGESIZE)))
    }

    func testLargeDomainOnLargeMachineTouchesOnlyWhatItUses() throws {
        let residentBefore = residentBytes()
        let machine = MachineMemory(bytes: 96 << 30)
        let heap = XenHeap(megabytes: 64)
        let pages: UInt64 = (64 << 30) / DomainMemory.pageSize
        let domain = try DomainMemory(machine: machine, heap: heap, maxPages: pages)
        XCTAssertEqual(heap.usedPages, pages * 8 / XenHeap.pageSize, "the p2m is charged to the heap")
        XCTAssertEqual(domain.populate(gpfns: 0..<pages), pages)
        XCTAssertEqual(domain.reservation, pages)
        XCTAssertFalse(domain.populate(gpfn: pages), "at maxPages")
        XCTAssertEqual(machine.allocatedFrames, pages)
        let addresses: [UInt64] = [0, 1 << 30, 40 << 30, (64 << 30) - 8]
        for gpa in addresses {
            XCTAssertTrue(domain.store64(gpa, gpa ^ 0x5a5a))
        }
        XCTAssertEqual(domain.load64(40 << 30), UInt64(40 << 30) ^ 0x5a5a)
        XCTAssertEqual(domain.load64(50 << 30), 0, "untouched pages read as zero")
        XCTAssertEqual(machine.touchedFrames, 4)
        if let before = residentBefore, let after = residentBytes() {
            XCTAssertLessThan(after - min(after, before), UInt64(1) << 30, "64 GiB of guest must not be backed by host memory")
        }
    }

    func testDomainsAreIsolated() throws {
        let machine = MachineMemory(bytes: 64 * MachineMemory.frameSize)
        let heap = XenHeap(pages: 16)
        let a = try DomainMemory(machine: machine, heap: heap, maxPages: 8)
        let b = try DomainMemory(machine: machine, heap: heap, maxPages: 8)
        XCTAssertEqual(a.populate(gpfns: 0..<8), 8)
        XCTAssertEqual(b.populate(gpfns: 0..<4), 4)
        XCTAssertTrue(a.store64(0x100, 0x1111))
        XCTAssertTrue(b.store64(0x100, 0x2222))
        XCTAssertEqual(a.load64(0x100), 0x1111)
        XCTAssertEqual(b.load64(0x100), 0x2222)
        XCTAssertNil(b.load64(5 * Self.page), "b has no page 5, even though a does")
        XCTAssertFalse(b.store(5 * Self.page, size: 1, value: 1))
        XCTAssertNotEqual(a.mfn(ofGPFN: 0), b.mfn(ofGPFN: 0))
    }

    func testBallooningReleaseAndPopulate() throws {
        let machine = MachineMemory(bytes: 16 * MachineMemory.frameSize)
        let d = try DomainMemory(machine: machine, heap: XenHeap(pages: 4), maxPages: 4)
        XCTAssertEqual(d.populate(gpfns: 0..<4), 4)
        XCTAssertTrue(d.store32(3 * Self.page + 4, 0xdead_beef))
        let generation = d.codeGeneration
        XCTAssertTrue(d.release(gpfn: 3))
        XCTAssertNotEqual(d.codeGeneration, generation, "the CPU must drop pointers into the released frame")
        XCTAssertFalse(d.release(gpfn: 3), "already released")
        XCTAssertNil(d.load32(3 * Self.page + 4))
        XCTAssertFalse(d.store32(3 * Self.page, 1))
        XCTAssertEqual(d.reservation, 3)
        XCTAssertEqual(machine.allocatedFrames, 3)
        XCTAssertEqual(machine.touchedFrames, 0)
        XCTAssertTrue(d.populate(gpfn: 9), "any gpfn, once under the limit again")
        XCTAssertFalse(d.populate(gpfn: 10))
        XCTAssertFalse(d.populate(gpfn: 9))
        d.maxPages = 5
        XCTAssertTrue(d.populate(gpfn: 3))
        XCTAssertEqual(d.load32(3 * Self.page + 4), 0, "a repopulated page is fresh")
    }

    func testMachineExhaustionFailsPopulate() throws {
        let d = try domain(pages: 100, machineFrames: 3)
        XCTAssertEqual(d.populate(gpfns: 0..<10), 3)
        XCTAssertFalse(d.populate(gpfn: 20))
    }

    func testP2MIsChargedToTheXenHeap() throws {
        let machine = MachineMemory(bytes: 1 << 30)
        let heap = XenHeap(pages: 3)
        XCTAssertThrowsError(try DomainMemory(machine: machine, heap: heap, maxPages: 4 * 2048)) {
            XCTAssertEqual("\($0)", "Cannot handle page request order 2!")
        }
        XCTAssertEqual(heap.usedPages, 0)
        do {
            let d = try DomainMemory(machine: machine, heap: heap, maxPages: 2 * 2048)
            XCTAssertEqual(heap.usedPages, 2)
            XCTAssertTrue(d.populate(gpfn: 1 << 20), "a gpfn beyond maxPages needs another p2m page")
            XCTAssertEqual(heap.usedPages, 3)
            XCTAssertFalse(d.populate(gpfn: 1 << 30), "and the heap is out")
            XCTAssertEqual(machine.allocatedFrames, 1)
        }
        XCTAssertEqual(heap.usedPages, 0, "a destroyed domain gives back its p2m")
        XCTAssertEqual(machine.allocatedFrames, 0, "and its frames")
    }

    func testSharedMappings() throws {
        let machine = MachineMemory(bytes: 64 * MachineMemory.frameSize)
        let sharedInfo = try XCTUnwrap(machine.allocate())
        let d = try DomainMemory(machine: machine, heap: XenHeap(pages: 4), maxPages: 4)
        XCTAssertFalse(d.mapShared(gpfn: 7, mfn: 60, writable: true), "not an allocated frame")
        XCTAssertTrue(d.mapShared(gpfn: 7, mfn: sharedInfo, writable: true))
        XCTAssertFalse(d.mapShared(gpfn: 7, mfn: sharedInfo, writable: true), "gpfn in use")
        XCTAssertTrue(d.store64(7 * Self.page + 8, 42))
        XCTAssertEqual(machine.frame(sharedInfo)?.load(fromByteOffset: 8, as: UInt64.self), 42)
        XCTAssertEqual(d.reservation, 0, "shared frames are not the domain's")
        XCTAssertFalse(d.release(gpfn: 7), "nor can it balloon them away")
        XCTAssertTrue(d.unmapShared(gpfn: 7))
        XCTAssertFalse(d.unmapShared(gpfn: 7))
        XCTAssertNil(d.load64(7 * Self.page))
        XCTAssertTrue(machine.isAllocated(sharedInfo), "the owner keeps the frame")

        XCTAssertTrue(d.mapShared(gpfn: 8, mfn: sharedInfo, writable: false))
        XCTAssertEqual(d.load64(8 * Self.page + 8), 42)
        XCTAssertFalse(d.store64(8 * Self.page, 1), "read-only mapping")
        XCTAssertNil(d.directPage(8, forWriting: true))
        XCTAssertNotNil(d.directPage(8, forWriting: false))
    }

    /// A foreign mapping covers an own page, which stays owned and hashed, and comes back.
    func testForeignMappingsSetTheCoveredPageAside() throws {
        let machine = MachineMemory(bytes: 64 * MachineMemory.frameSize)
        let heap = XenHeap(pages: 8)
        do {
            let granter = try DomainMemory(machine: machine, heap: heap, maxPages: 4)
            let mapper = try DomainMemory(machine: machine, heap: heap, maxPages: 4)
            XCTAssertEqual(granter.populate(gpfns: 0..<4), 4)
            XCTAssertEqual(mapper.populate(gpfns: 0..<4), 4)
            XCTAssertTrue(granter.store64(2 * Self.page, 0x6772_616e_7465_6421))
            XCTAssertTrue(mapper.store64(1 * Self.page, 0x6d69_6e65))
            let own = mapper.stateHash
            let frame = try XCTUnwrap(granter.mfn(ofGPFN: 2))
            XCTAssertFalse(mapper.mapForeign(gpfn: 1, mfn: 60, writable: true), "not an allocated frame")
            XCTAssertTrue(mapper.mapForeign(gpfn: 1, mfn: frame, writable: false))
            XCTAssertFalse(mapper.mapForeign(gpfn: 1, mfn: frame, writable: false), "already foreign")
            XCTAssertTrue(mapper.isShared(gpfn: 1))
            XCTAssertFalse(mapper.isPopulated(gpfn: 1))
            XCTAssertEqual(mapper.load64(1 * Self.page), 0x6772_616e_7465_6421, "the granter's frame")
            XCTAssertFalse(mapper.store64(1 * Self.page, 1), "read-only")
            XCTAssertFalse(mapper.write(1 * Self.page - 4, bytes: [1, 2, 3, 4, 5, 6, 7, 8]), "all or nothing")
            XCTAssertEqual(mapper.load(1 * Self.page - 4, size: 4), 0)
            XCTAssertFalse(mapper.isWritable(1 * Self.page - 4, count: 8))
            XCTAssertTrue(mapper.isWritable(1 * Self.page - 4, count: 4))
            XCTAssertFalse(mapper.release(gpfn: 1), "not its own page to balloon")
            XCTAssertEqual(mapper.reservation, 4, "the covered page is still its own")
            XCTAssertNotEqual(mapper.stateHash, own)
            XCTAssertTrue(granter.store64(2 * Self.page + 8, 7))
            XCTAssertEqual(mapper.load64(1 * Self.page + 8), 7, "one frame, seen by both")
            XCTAssertEqual(mapper.pageHash(gpfn: 1), granter.pageHash(gpfn: 2))
            XCTAssertEqual(mapper.unmapForeign(gpfn: 1), frame)
            XCTAssertNil(mapper.unmapForeign(gpfn: 1))
            XCTAssertEqual(mapper.load64(1 * Self.page), 0x6d69_6e65, "its own page is back")
            XCTAssertEqual(mapper.stateHash, own)
            XCTAssertTrue(mapper.release(gpfn: 3))
            XCTAssertTrue(mapper.mapForeign(gpfn: 3, mfn: frame, writable: true), "over a hole")
            XCTAssertTrue(mapper.store64(3 * Self.page, 9))
            XCTAssertEqual(granter.load64(2 * Self.page), 9)
            XCTAssertTrue(mapper.mapForeign(gpfn: 0, mfn: frame, writable: true))
            XCTAssertEqual(machine.allocatedFrames, 7)
        }
        XCTAssertEqual(machine.allocatedFrames, 0, "covered pages are freed with the domain")
    }

    func testMemoryBusSemantics() throws {
        let d = try domain()
        XCTAssertEqual(d.populate(gpfns: 0..<2), 2)
        // Bit 63 is the uncacheable alias of the same memory.
        XCTAssertTrue(d.store64(0x8000_0000_0000_0010, 0x0102_0304_0506_0708))
        XCTAssertEqual(d.load(0x10, size: 8), 0x0102_0304_0506_0708)
        XCTAssertEqual(d.load(0x10, size: 2), 0x0708)
        // Accesses straddling pages work, and fail as a whole at the edge of populated memory.
        XCTAssertTrue(d.store(Self.page - 4, size: 8, value: 0x1122_3344_5566_7788))
        XCTAssertEqual(d.load(Self.page - 4, size: 8), 0x1122_3344_5566_7788)
        XCTAssertNil(d.load(2 * Self.page - 4, size: 8))
        XCTAssertFalse(d.store(2 * Self.page - 4, size: 8, value: 0xffff_ffff_ffff_ffff))
        XCTAssertEqual(d.load(2 * Self.page - 4, size: 4), 0, "a refused straddling store writes nothing")

        // Fetching code marks the page; a later store to it bumps the generation.
        XCTAssertTrue(d.write(0x20, bytes: (0..<16).map { UInt8($0) }))
        let directWrite = d.directPage(0, forWriting: true)
        XCTAssertNotNil(directWrite)
        let g0 = d.codeGeneration
        let bundle = try XCTUnwrap(d.fetchBundle(0x20))
        XCTAssertEqual(bundle, InstructionBundle(bytes: (0..<16).map { UInt8($0) }, offset: 0))
        XCTAssertEqual(d.codeGeneration, g0 + 1, "a page turning into code drops writable pointers")
        XCTAssertNil(d.fetchBundle(0x28), "misaligned")
        XCTAssertEqual(d.codeGeneration, g0 + 1)
        XCTAssertNil(d.directPage(0, forWriting: true), "code pages are written through store")
        XCTAssertEqual(d.directPage(0, forWriting: false), directWrite)
        XCTAssertTrue(d.store(0x3000, size: 1, value: 9))
        XCTAssertEqual(d.codeGeneration, g0 + 2)
        XCTAssertEqual(d.codeGenerationCell.pointee, d.codeGeneration)
        XCTAssertTrue(d.store(Self.page, size: 1, value: 9))
        XCTAssertEqual(d.codeGeneration, g0 + 2, "data pages do not bump it")
        XCTAssertNil(d.fetchBundle(5 * Self.page))
        XCTAssertNil(d.directPage(5, forWriting: false))
        XCTAssertEqual(d.read(0x20, count: 4), [0, 1, 2, 3])
        XCTAssertNil(d.read(2 * Self.page - 2, count: 4))
        XCTAssertFalse(d.write(2 * Self.page - 2, bytes: [1, 2, 3, 4]))
        XCTAssertEqual(d.read(2 * Self.page - 2, count: 2), [0, 0])
    }

    /// The hash cache never hides a write: a store, a write through a pointer still held
    /// from before the hash (the frame stays open until the CPUs drop their pointers), and a
    /// write through a pointer taken after the seal all change the hash.
    func testStateHashSeesEveryWrite() throws {
        let d = try domain()
        XCTAssertEqual(d.populate(gpfns: 0..<2), 2)
        let pointer = try XCTUnwrap(d.directPage(1, forWriting: true))
        let h0 = d.stateHash
        pointer.storeBytes(of: UInt64(5), toByteOffset: 8, as: UInt64.self)
        let h1 = d.stateHash
        XCTAssertNotEqual(h1, h0, "a write through an open pointer")
        d.machine.sealWrites()  // as if every CPU dropped its pointers
        XCTAssertEqual(d.stateHash, h1)
        XCTAssertEqual(d.machine.keptHashCount, 1, "the written frame's hash is kept (the other was never touched)")
        XCTAssertTrue(d.store64(16, 3))
        let h2 = d.stateHash
        XCTAssertNotEqual(h2, h1, "a hypervisor store")
        let again = try XCTUnwrap(d.directPage(1, forWriting: true))
        again.storeBytes(of: UInt64(6), toByteOffset: 8, as: UInt64.self)
        XCTAssertNotEqual(d.stateHash, h2, "a write through a pointer taken after the seal")
        // Kept hashes equal fresh ones.
        let cached = d.stateHash
        d.machine.forgetAllHashes()
        XCTAssertEqual(d.stateHash, cached)
    }

    func testStateHash() throws {
        let a = try domain(), b = try domain()
        XCTAssertEqual(a.populate(gpfns: 0..<4), 4)
        XCTAssertEqual(b.populate(gpfns: 0..<4), 4)
        XCTAssertEqual(a.stateHash, b.stateHash)
        let empty = a.stateHash
        XCTAssertTrue(a.store64(2 * Self.page + 16, 77))
        XCTAssertNotEqual(a.stateHash, empty)
        XCTAssertTrue(b.store64(2 * Self.page + 16, 78))
        XCTAssertNotEqual(a.stateHash, b.stateHash)
        XCTAssertTrue(b.store64(2 * Self.page + 16, 77))
        XCTAssertEqual(a.stateHash, b.stateHash)
        XCTAssertTrue(b.store64(3 * Self.page, 0), "touched but still zero")
        XCTAssertEqual(a.stateHash, b.stateHash)
        XCTAssertTrue(b.release(gpfn: 1))
        XCTAssertNotEqual(a.stateHash, b.stateHash, "which pages exist counts")
        XCTAssertTrue(b.populate(gpfn: 1))
        XCTAssertEqual(a.stateHash, b.stateHash)
    }
}
