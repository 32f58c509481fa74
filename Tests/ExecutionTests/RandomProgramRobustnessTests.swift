import Foundation
import IA64Exec
import XCTest

/// Whatever the bytes, the CPU never crashes or hangs: random bundles of real encodings (every
/// table entry, random operand bits, random predicates) run with every fault skipped.
final class RandomProgramRobustnessTests: XCTestCase {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    func testRandomEncodingsNeverCrashTheCPU() {
        let seed = ProcessInfo.processInfo.environment["XDBG_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        print("RandomProgramRobustnessTests seed: \(seed) (rerun with XDBG_SEED=\(seed))")
        var rng = Generator(state: seed)
        let table = OpcodeTable.shared
        var byType: [InstructionType: [OpcodeEntry]] = [:]
        for e in table.entries { byType[e.type, default: []].append(e) }
        let templates: [UInt8] = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
                                  0x10, 0x11, 0x12, 0x13, 0x16, 0x17, 0x18, 0x19, 0x1c, 0x1d, 0x06, 0x1e]
        func slot(_ unit: ExecutionUnit?) -> UInt64 {
            guard let unit, rng.next() % 16 != 0 else { return rng.next() & InstructionBundle.slotMask }
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
        let memory = SparseMemory()
        let bundles = 4096
        memory.map(base, length: UInt64(bundles * 16))
        memory.map(0, length: 1 << 20)  // so that small addresses are sometimes valid
        for i in 0..<bundles {
            let code = templates[Int(rng.next() % UInt64(templates.count))]
            let units = BundleTemplate(code: code).units
            let b = InstructionBundle(template: code, slots: slot(units?.0), slot(units?.1), slot(units?.2))
            _ = memory.write(b.bytes, at: base + UInt64(16 * i))
        }
        let cpu = Processor(bus: memory)
        cpu.ip = base
        cpu.setBackingStore(0x8000)
        // Random register contents, so arithmetic meets every kind of value: tiny and huge
        // exponents, NaNs, NaTVal, unnormals, small valid addresses.
        for r in 1..<32 {
            let v = rng.next()
            cpu.setGeneralRegister(r, value: rng.next() % 4 == 0 ? v & 0xf_fff8 : v, nat: rng.next() % 16 == 0)
        }
        for f in 2..<128 {
            let exponentChoices: [UInt32] = [0, 1, 0xfc01, 0xffff, 0x1003e, 0x1fffe, 0x1ffff, UInt32(rng.next() & 0x3ffff)]
            let e = exponentChoices[Int(rng.next() % 8)] | (rng.next() % 2 == 0 ? 0 : 1 << 17)
            let sig = rng.next() % 3 == 0 ? (1 << 63 | (rng.next() & ~0x7ff)) : rng.next()
            cpu.setFloatingRegister(f, FloatRegisterBits(significand: sig, signExponent: e))
        }
        var faults = 0
        var executedSlots = 0
        for _ in 0..<300_000 {
            let before = cpu.retired
            let outcome = cpu.run(until: cpu.retired + 64)
            executedSlots += Int(cpu.retired - before)
            if case .interruption = outcome {
                faults += 1
                cpu.skipCurrentInstruction()
            }
            // Keep execution inside the generated code.
            if cpu.ip < base || cpu.ip >= base + UInt64(bundles * 16) {
                cpu.ip = base + (rng.next() % UInt64(bundles)) * 16
                cpu.slot = 0
            }
        }
        XCTAssertGreaterThan(executedSlots, 10_000)
        XCTAssertGreaterThan(faults, 100)
    }
}
