import Foundation
import IA64Exec
import VMMCore
import XCTest

/// One CPU, snapshotted mid-run and restored into a fresh Processor over a copy of its
/// memory: both continue identically (random programs of real encodings exercise registers,
/// NaTs, FP, predicates, the register stack, the ALAT and faults).
final class ProcessorSnapshotTests: XCTestCase {
    func encode(_ cpu: Processor) throws -> [UInt8] {
        var w = StateWriter()
        try cpu.code(&w)
        return w.bytes
    }

    func clone(_ memory: SparseMemory) -> SparseMemory {
        let copy = SparseMemory()
        for n in memory.mappedPageNumbers {
            let base = n << SparseMemory.pageShift
            copy.map(base, length: SparseMemory.pageSize)
            for offset in stride(from: UInt64(0), to: SparseMemory.pageSize, by: 8) {
                _ = copy.store(base + offset, size: 8, value: memory.load(base + offset, size: 8)!)
            }
        }
        return copy
    }

    func testRestoredProcessorContinuesIdentically() throws {
        var rng = RandomProgramRobustnessTests.Generator(state: 0x5eed_0f_5a_b0_7)
        let table = OpcodeTable.shared
        var byType: [InstructionType: [OpcodeEntry]] = [:]
        for e in table.entries { byType[e.type, default: []].append(e) }
        let templates: [UInt8] = [0x00, 0x01, 0x02, 0x03, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
                                  0x10, 0x11, 0x12, 0x13, 0x16, 0x17, 0x18, 0x19, 0x1c, 0x1d, 0x04, 0x05]
        func slot(_ unit: ExecutionUnit?) -> UInt64 {
            guard let unit else { return rng.next() & InstructionBundle.slotMask }
            let type: InstructionType
            switch unit {
            case .m: type = rng.next() % 3 == 0 ? .a : .m
            case .i: type = rng.next() % 3 == 0 ? .a : .i
            case .f: type = .f
            case .b: type = .b
            case .l, .x: type = .x
            }
            let list = byType[type]!
            let e = list[Int(rng.next() % UInt64(list.count))]
            return e.opcode | (rng.next() & ~e.mask & InstructionBundle.slotMask)
        }
        let base: UInt64 = 0x4000_0000_0000_0000
        let bundles = 2048
        let memory = SparseMemory()
        memory.map(base, length: UInt64(bundles * 16))
        memory.map(0, length: 1 << 20)
        for i in 0..<bundles {
            let code = templates[Int(rng.next() % UInt64(templates.count))]
            let units = BundleTemplate(code: code).units
            let b = InstructionBundle(template: code, slots: slot(units?.0), slot(units?.1), slot(units?.2))
            _ = memory.write(b.bytes, at: base + UInt64(16 * i))
        }
        let a = Processor(bus: memory)
        a.ip = base
        a.setBackingStore(0x8000)
        for r in 1..<32 {
            let v = rng.next()
            a.setGeneralRegister(r, value: rng.next() % 4 == 0 ? v & 0xf_fff8 : v, nat: rng.next() % 16 == 0)
        }
        for f in 2..<128 {
            a.setFloatingRegister(f, FloatRegisterBits(significand: rng.next(), signExponent: UInt32(rng.next() & 0x3ffff)))
        }
        func step(_ cpu: Processor, _ rng: inout RandomProgramRobustnessTests.Generator) {
            if case .interruption = cpu.run(until: cpu.retired + 64) { cpu.skipCurrentInstruction() }
            if cpu.ip < base || cpu.ip >= base + UInt64(bundles * 16) {
                cpu.ip = base + (rng.next() % UInt64(bundles)) * 16
                cpu.slot = 0
            }
        }
        for _ in 0..<20_000 { step(a, &rng) }

        let saved = try encode(a)
        let b = Processor(bus: clone(memory))
        try StateReader.withReader(saved) { r in
            try b.code(&r)
            XCTAssertTrue(r.isAtEnd)
        }
        XCTAssertEqual(try encode(b), saved, "restored state encodes the same")
        XCTAssertEqual(ArchitecturalStateReport.json(b), ArchitecturalStateReport.json(a))

        var rngA = rng, rngB = rng
        for _ in 0..<20_000 {
            step(a, &rngA)
            step(b, &rngB)
        }
        XCTAssertGreaterThan(a.retired, 100_000)
        XCTAssertEqual(a.retired, b.retired)
        XCTAssertEqual(try encode(a), try encode(b), "both continue identically")
        XCTAssertEqual(ArchitecturalStateReport.json(b), ArchitecturalStateReport.json(a))
        let bMemory = b.bus as! SparseMemory
        for n in memory.mappedPageNumbers {
            let p = n << SparseMemory.pageShift
            for offset in stride(from: UInt64(0), to: SparseMemory.pageSize, by: 8)
            where memory.load(p + offset, size: 8) != bMemory.load(p + offset, size: 8) {
                XCTFail("memory differs at 0x\(String(p + offset, radix: 16))")
                return
            }
        }
    }

    func testTruncatedProcessorStateIsRejectedWithItsOffset() throws {
        let cpu = Processor(bus: SparseMemory())
        cpu.setGeneralRegister(5, value: 0x1234_5678_9abc_def0)
        let saved = try encode(cpu)
        for cut in [0, 1, saved.count / 2, saved.count - 1] {
            XCTAssertThrowsError(try StateReader.withReader(Array(saved.prefix(cut))) { r in
                try Processor(bus: SparseMemory()).code(&r)
            }) { error in
                let e = error as? SnapshotFormatError
                XCTAssertNotNil(e)
                XCTAssertLessThanOrEqual(e?.offset ?? .max, cut)
                XCTAssertTrue("\(error)".contains("offset"), "\(error)")
            }
        }
    }
}
