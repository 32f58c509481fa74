// xdbg-bench: speed figures for Benchmarks/RESULTS.md. Release builds only:
//   swift run -c release xdbg-bench decode
import Foundation
import IA64Exec
import VMMCore

#if canImport(Glibc)
import Glibc
#endif

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Bundles of real encodings: each slot is a table entry of the slot's unit type with its
/// operand bits filled pseudo-randomly, in the ten valid templates.
func realisticBundles(count: Int) -> [InstructionBundle] {
    let table = OpcodeTable.shared
    var state: UInt64 = 0x1a64
    func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 11 | state << 53
    }
    let templates: [UInt8] = [0x00, 0x02, 0x04, 0x08, 0x0a, 0x0c, 0x0e, 0x10, 0x12, 0x16, 0x18, 0x1c]
    var byType: [InstructionType: [OpcodeEntry]] = [:]
    for e in table.entries { byType[e.type, default: []].append(e) }
    func slot(for unit: ExecutionUnit) -> UInt64 {
        let type: InstructionType
        switch unit {
        case .m: type = next() % 3 == 0 ? .a : .m
        case .i: type = next() % 3 == 0 ? .a : .i
        case .f: type = .f
        case .b: type = .b
        case .l, .x: type = .x
        }
        let list = byType[type]!
        let e = list[Int(next() % UInt64(list.count))]
        return e.opcode | (next() & ~e.mask & InstructionBundle.slotMask)
    }
    return (0..<count).map { _ in
        let code = templates[Int(next() % UInt64(templates.count))]
        let units = BundleTemplate(code: code).units!
        return InstructionBundle(template: code, slots: slot(for: units.0), slot(for: units.1), slot(for: units.2))
    }
}

func benchDecode() {
    let bundles = realisticBundles(count: 1 << 16)
    let decoder = Decoder()
    var checksum: UInt64 = 0
    var decoded = 0
    // Warm up (builds the opcode index), then measure at least two seconds.
    for b in bundles { checksum &+= UInt64(decoder.decode(b).slot0.opcodeIndex) }
    let start = now()
    var elapsed = 0.0
    repeat {
        for b in bundles {
            let d = decoder.decode(b)
            checksum &+= UInt64(d.slot0.opcodeIndex) &+ UInt64(d.slot2.opcodeIndex)
        }
        decoded += bundles.count
        elapsed = now() - start
    } while elapsed < 2.0
    let rate = Double(decoded) / elapsed
    print("decode: \(decoded) bundles in \(String(format: "%.2f", elapsed)) s = \(String(format: "%.2f", rate / 1e6)) M bundles/s (checksum \(checksum))")
}

/// Runs a benchmark program to its `done` symbol, checks r20, and reports millions of
/// instructions per second (counted as Ski counts: every slot up to a taken branch, MLX as 2).
func benchProgram(path: String, expectedR20: UInt64) -> Bool {
    guard let data = FileManager.default.contents(atPath: path),
          let elf = try? ElfFile(bytes: Array(data)),
          let done = elf.symbol(named: "done"),
          let process = try? LinuxUserProcess(elf: elf) else {
        print("xdbg-bench: cannot load \(path) (an IA-64 executable with a `done` symbol)")
        return false
    }
    let start = now()
    let outcome = process.run(stopAt: done.value)
    let elapsed = now() - start
    let r20 = process.cpu.generalRegister(20)?.value ?? 0
    let count = process.cpu.retired
    let name = URL(fileURLWithPath: path).lastPathComponent
    let ok = outcome == .reachedStop && r20 == expectedR20
    print("\(name): \(count) instructions in \(String(format: "%.3f", elapsed)) s = \(String(format: "%.1f", Double(count) / elapsed / 1e6)) MIPS; r20 = 0x\(String(r20, radix: 16)) \(ok ? "(correct)" : "(WRONG: expected 0x\(String(expectedR20, radix: 16)), outcome \(outcome))")")
    return ok
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "decode", nil:
    benchDecode()
case "program" where arguments.count == 3:
    guard let expected = UInt64(arguments[2].hasPrefix("0x") ? String(arguments[2].dropFirst(2)) : arguments[2], radix: 16) else {
        print("xdbg-bench: expected r20 must be hex")
        exit(2)
    }
    exit(benchProgram(path: arguments[1], expectedR20: expected) ? 0 : 1)
case "replay" where arguments.count == 3:
    guard let n = UInt64(arguments[2]) else { print("xdbg-bench: N must be a number"); exit(2) }
    do { try benchReplay(sessionPath: arguments[1], instructions: n) } catch { print("xdbg-bench: \(error)"); exit(2) }
case "restore" where arguments.count == 3:
    guard let n = UInt64(arguments[2]) else { print("xdbg-bench: N must be a number"); exit(2) }
    do { try benchRestore(sessionPath: arguments[1], instructions: n) } catch { print("xdbg-bench: \(error)"); exit(2) }
case "domus" where arguments.count == 3:
    guard let n = UInt64(arguments[2]) else { print("xdbg-bench: N must be a number"); exit(2) }
    do { try benchDomUs(kernel: arguments[1], instructions: n) } catch { print("xdbg-bench: \(error)"); exit(2) }
default:
    print("usage: xdbg-bench decode | program EXECUTABLE EXPECTED_R20_HEX | replay SESSION N | domus KERNEL N")
    exit(2)
}
