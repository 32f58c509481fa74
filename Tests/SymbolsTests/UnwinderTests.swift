import Foundation
import IA64Exec
import Symbols
import VMMCore
import XCTest

/// A sparse doubleword memory for synthetic register-stack states.
struct DictionaryMemory: UnwindMemory {
    var words: [UInt64: UInt64] = [:]
    func read64(at address: UInt64) -> UInt64? { words[address] }
}

/// The emulator's memory as the unwinder reads it.
struct ProcessMemory: UnwindMemory {
    let memory: SparseMemory
    func read64(at address: UInt64) -> UInt64? { memory.load(address, size: 8) }
}

final class UnwinderTests: XCTestCase {
    func testRegisterStackSkipsCollectionSlots() {
        XCTAssertEqual(RegisterStackBacking.skip(0x9208, registers: -4), 0x91e0)
        XCTAssertEqual(RegisterStackBacking.skip(0x91e0, registers: 4), 0x9208)
        XCTAssertEqual(RegisterStackBacking.skip(0x91e8, registers: 3), 0x9208)
        XCTAssertEqual(RegisterStackBacking.skip(0x9000, registers: 63), 0x9200)
        XCTAssertEqual(RegisterStackBacking.skip(0x9200, registers: -63), 0x9000)
        XCTAssertEqual(RegisterStackBacking.skip(0x9000, registers: 0), 0x9000)
    }

    func testProcedureStatesThroughPrologueBodyAndEpilogue() throws {
        let table = try SymbolTable(path: try Fixtures.calls.get())
        let unwinder = IA64Unwinder(table: table.unwindTable)
        let inner = try XCTUnwrap(table.address(ofSymbol: "inner"))
        func state(_ slots: UInt64) throws -> IA64ProcedureState {
            try XCTUnwrap(unwinder.state(at: GuestPC(bundle: inner + slots / 3 * 16, slot: Int(slots % 3))))
        }
        XCTAssertEqual(try state(0).rp, .unsaved)
        XCTAssertEqual(try state(0).pfs, .unsaved)
        XCTAssertEqual(try state(1).pfs, .gr(34))
        XCTAssertEqual(try state(1).rp, .unsaved)
        XCTAssertEqual(try state(2).rp, .gr(35))
        XCTAssertNil(try state(2).frameSize)
        XCTAssertEqual(try state(3).frameSize, 32)
        XCTAssertEqual(try state(7).frameSize, 32)   // `adds sp = 32, sp` not yet executed
        XCTAssertTrue(try state(8).spRestored)
        XCTAssertNil(try state(8).frameSize)
        XCTAssertNil(unwinder.state(at: GuestPC(bundle: try XCTUnwrap(table.address(ofSymbol: "leaf")))))
    }

    /// A synthetic stop in `inner` with the register stack straddling a NaT collection slot.
    func testSyntheticWalkAcrossCollectionSlot() throws {
        let table = try SymbolTable(path: try Fixtures.calls.get())
        let unwinder = IA64Unwinder(table: table.unwindTable)
        let stop = try XCTUnwrap(table.address(ofSymbol: "stop"))
        let outer = try XCTUnwrap(table.address(ofSymbol: "outer"))
        let done = try XCTUnwrap(table.address(ofSymbol: "done"))
        let outerReturn = outer + 0x20     // the bundle after outer's br.call
        // Frame markers: _start (sof 9, sol 8), outer (sof 5, sol 4), inner (sof 4, sol 4).
        let startCFM: UInt64 = 9 | 8 << 7, outerCFM: UInt64 = 5 | 4 << 7, innerCFM: UInt64 = 4 | 4 << 7
        let innerBSP: UInt64 = 0x9208
        let outerBSP = RegisterStackBacking.skip(innerBSP, registers: -4)
        XCTAssertEqual(outerBSP, 0x91e0)
        var memory = DictionaryMemory()
        // outer's r32 (rp) and r33 (pfs) at its bsp; 0x91f8 is a collection slot.
        memory.words[0x91e0] = done
        memory.words[0x91e8] = startCFM
        memory.words[0x91f8] = 0xdead
        // inner's r34 (pfs), r35 (rp): third and fourth registers from 0x9208.
        memory.words[RegisterStackBacking.address(ofRegister: 34, frameBase: innerBSP)] = outerCFM
        memory.words[RegisterStackBacking.address(ofRegister: 35, frameBase: innerBSP)] = outerReturn
        let initial = IA64InitialFrame(pc: GuestPC(bundle: stop), cfm: innerCFM, bsp: innerBSP, sp: 0x8000 - 32,
                                       b0: 0x1234_5670, pfs: 0)
        let trace = unwinder.backtrace(from: initial, memory: memory)
        XCTAssertEqual(trace.frames.map(\.pc), [GuestPC(bundle: stop), GuestPC(bundle: outerReturn), GuestPC(bundle: done)])
        XCTAssertEqual(trace.frames.map(\.sp), [0x8000 - 32, 0x8000, 0x8000])
        XCTAssertEqual(trace.frames.map(\.bsp), [innerBSP, outerBSP, RegisterStackBacking.skip(outerBSP, registers: -8)])
        XCTAssertEqual(trace.frames.map(\.cfm), [innerCFM, outerCFM, startCFM])
        XCTAssertEqual(trace.frames.map(\.hasUnwindInfo), [true, true, false])
        XCTAssertEqual(trace.end, .noUnwindInfo)
        XCTAssertEqual(trace.frames.map { table.symbolize($0.pc).function?.name }, ["inner", "outer", "_start"])

        // The innermost frame's registers from the register file win over the backing store.
        var stale = memory
        stale.words[RegisterStackBacking.address(ofRegister: 35, frameBase: innerBSP)] = 0
        let live = IA64InitialFrame(pc: GuestPC(bundle: stop), cfm: innerCFM, bsp: innerBSP, sp: 0x8000 - 32,
                                    b0: 0, pfs: 0, readGR: { $0 == 35 ? outerReturn : ($0 == 34 ? outerCFM : nil) })
        XCTAssertEqual(unwinder.backtrace(from: live, memory: stale).frames.count, 3)
        XCTAssertEqual(unwinder.backtrace(from: initial, memory: stale).end, .outermost)
    }

    /// A leaf without an unwind entry: rp from b0 and ar.pfs once, then by the tables.
    func testLeafConventionForTheInnermostFrame() throws {
        let table = try SymbolTable(path: try Fixtures.calls.get())
        let unwinder = IA64Unwinder(table: table.unwindTable)
        let leaf = try XCTUnwrap(table.address(ofSymbol: "leaf"))
        let outer = try XCTUnwrap(table.address(ofSymbol: "outer"))
        let initial = IA64InitialFrame(pc: GuestPC(bundle: leaf, slot: 1), cfm: 0, bsp: 0x9100, sp: 0x8000,
                                       b0: outer + 0x20, pfs: 5 | 4 << 7)
        let memory = DictionaryMemory(words: [0x90e0: 0, 0x90e8: 0])
        let trace = unwinder.backtrace(from: initial, memory: memory)
        XCTAssertEqual(trace.frames.map(\.pc), [GuestPC(bundle: leaf, slot: 1), GuestPC(bundle: outer + 0x20)])
        XCTAssertEqual(trace.frames[1].bsp, 0x90e0)
        XCTAssertEqual(trace.end, .outermost)
    }

    /// Runs the program on the emulator to `stop` (inner, called by outer, called by _start)
    /// and unwinds from the real machine state.
    func testWalkFromEmulatorStateReachesStart() throws {
        let image = try Fixtures.calls.get()
        let table = try SymbolTable(path: image)
        let elf = try ElfFile(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: image))))
        let process = try LinuxUserProcess(elf: elf)
        let stop = try XCTUnwrap(table.address(ofSymbol: "stop"))
        XCTAssertEqual(process.run(stopAt: stop, maxInstructions: 10_000), .reachedStop)
        let cpu = process.cpu
        let initial = IA64InitialFrame(
            pc: GuestPC(bundle: cpu.ip, slot: cpu.slot), cfm: cpu.currentFrame.bits,
            bsp: cpu.applicationRegister(17), sp: cpu.generalRegister(12)?.value ?? 0,
            b0: cpu.branchRegister(0), pfs: cpu.applicationRegister(64),
            readGR: { cpu.generalRegister($0)?.value }, readBR: { cpu.branchRegister($0) })
        let trace = IA64Unwinder(table: table.unwindTable).backtrace(from: initial, memory: ProcessMemory(memory: process.memory))
        let names = trace.frames.map { table.symbolize($0.pc).function?.name ?? "??" }
        XCTAssertEqual(names, ["inner", "outer", "_start"], "\(trace)")
        XCTAssertEqual(trace.end, .noUnwindInfo)
        guard trace.frames.count == 3 else { return }
        XCTAssertEqual(trace.frames[1].sp, initial.sp + 32)
        XCTAssertEqual(trace.frames[2].pc, GuestPC(bundle: try XCTUnwrap(table.address(ofSymbol: "done"))))
        XCTAssertEqual(trace.frames[2].sizeOfLocals, 8)
        XCTAssertEqual(trace.frames[1].sizeOfLocals, 4)
        // The caller frames' lines: the call sites.
        let callSite = table.symbolize(trace.frames[1].lookupPC(isInnermost: false))
        XCTAssertEqual(callSite.location?.line, 24)
    }
}
