import Foundation
import VMMCore
import XCTest

final class MachineMemoryTests: XCTestCase {
    func testAllocationIsLowestAddressFirstAndMerges() {
        let m = MachineMemory(bytes: 64 * MachineMemory.frameSize)
        XCTAssertEqual(m.totalFrames, 64)
        XCTAssertEqual(m.allocate(), 0)
        XCTAssertEqual(m.allocate(), 1)
        XCTAssertEqual(m.allocate(order: 2), 4, "the smallest free block that fits: 4-7 after 0, 1 were split off")
        XCTAssertEqual(m.allocate(), 2)
        XCTAssertEqual(m.allocatedFrames, 7)
        XCTAssertEqual(m.freeFrames, 57)
        XCTAssertTrue(m.free(mfn: 0))
        XCTAssertTrue(m.free(mfn: 1))
        XCTAssertTrue(m.free(mfn: 2))
        XCTAssertTrue(m.free(mfn: 4, order: 2))
        XCTAssertEqual(m.allocate(order: 6), 0, "everything merged back into one block")
        XCTAssertNil(m.allocate())
    }

    func testBadFreesAreRefused() {
        let m = MachineMemory(bytes: 16 * MachineMemory.frameSize)
        let a = m.allocate(order: 1)
        XCTAssertEqual(a, 0)
        XCTAssertFalse(m.free(mfn: 5), "never allocated")
        XCTAssertFalse(m.free(mfn: 1, order: 1), "misaligned")
        XCTAssertFalse(m.free(mfn: 1000), "out of range")
        XCTAssertFalse(m.free(mfn: 0, order: 2), "larger than the allocation")
        XCTAssertFalse(m.free(mfn: 0, order: -1))
        XCTAssertTrue(m.free(mfn: 0, order: 1))
        XCTAssertFalse(m.free(mfn: 0, order: 1), "double free")
        XCTAssertEqual(m.freeFrames, 16)
        XCTAssertNil(m.frame(3), "free frames have no storage")
        XCTAssertNil(m.allocate(order: 40))
    }

    func testOddSizedMachineUsesEveryFrame() {
        let m = MachineMemory(bytes: 13 * MachineMemory.frameSize + 100)
        XCTAssertEqual(m.totalFrames, 13)
        var got: [UInt64] = []
        while let f = m.allocate() { got.append(f) }
        // 13 = 8 + 4 + 1: the smallest block goes first, then the 4, then the 8.
        XCTAssertEqual(got, [12, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7])
    }

    func testStorageIsCreatedOnTouchAndFreed() throws {
        let m = MachineMemory(bytes: 1 << 30)
        let f = try XCTUnwrap(m.allocate())
        XCTAssertEqual(m.touchedFrames, 0)
        XCTAssertNil(m.touchedFrame(f))
        let p = try XCTUnwrap(m.frame(f))
        XCTAssertEqual(p.load(fromByteOffset: 100, as: UInt8.self), 0)
        p.storeBytes(of: 7, toByteOffset: 100, as: UInt8.self)
        XCTAssertEqual(m.frame(f), p)
        XCTAssertEqual(m.touchedFrames, 1)
        XCTAssertTrue(m.free(mfn: f))
        XCTAssertEqual(m.touchedFrames, 0)
        let again = try XCTUnwrap(m.allocate())
        XCTAssertEqual(again, f)
        XCTAssertEqual(m.frame(again)?.load(fromByteOffset: 100, as: UInt8.self), 0, "reused frames start zeroed")
    }

    func testXenHeapExhaustionUsesXensMessage() throws {
        let heap = XenHeap(pages: 8)
        XCTAssertEqual(heap.totalPages, 8)
        let a = try heap.allocate(order: 2)
        XCTAssertEqual(a, XenHeapAllocation(firstPage: 0, order: 2))
        XCTAssertThrowsError(try heap.allocate(order: 3)) {
            XCTAssertEqual("\($0)", "Cannot handle page request order 3!")
        }
        XCTAssertEqual(XenHeapError(order: 5).description, "Cannot handle page request order 5!")
        XCTAssertTrue(heap.free(a))
        XCTAssertFalse(heap.free(a))
        XCTAssertEqual(heap.freePages, 8)
        XCTAssertEqual(XenHeap(megabytes: 32).totalPages, 2048)
    }

    func testXenHeapChargeRoundsToPagesAndIsAllOrNothing() throws {
        let heap = XenHeap(pages: 8)
        // 5 pages and a bit: 6 pages, as an order-2 and an order-1 block.
        let charge = try heap.charge(bytes: 5 * XenHeap.pageSize + 1)
        XCTAssertEqual(charge.pages, 6)
        XCTAssertEqual(charge.allocations.map(\.order), [2, 1])
        XCTAssertEqual(heap.usedPages, 6)
        XCTAssertThrowsError(try heap.charge(bytes: 3 * XenHeap.pageSize)) {
            XCTAssertEqual("\($0)", "Cannot handle page request order 0!")
        }
        XCTAssertEqual(heap.usedPages, 6, "a failed charge keeps nothing")
        XCTAssertTrue(heap.release(charge))
        XCTAssertFalse(heap.release(charge))
        XCTAssertEqual(heap.usedPages, 0)
        XCTAssertEqual(try heap.charge(bytes: 0).pages, 0)
    }
}
