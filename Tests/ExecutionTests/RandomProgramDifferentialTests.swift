import Foundation
import IA64Exec
import VMMCore
import XCTest

/// Seeded random straight-line integer programs (scripts/generate-random-programs.py) run to
/// `done`; every general register r1..r31, its NaT bit and the 64 predicates must match the
/// committed final state, which an independent IA-64 simulator produced (see the JSON's
/// "oracle" and "notes" fields, and any program's "note" where the expected state follows the
/// Intel manual rather than that simulator).
final class RandomProgramDifferentialTests: XCTestCase {
    struct Corpus: Decodable {
        let seed: UInt64
        let programs: [Program]
    }

    struct Program: Decodable {
        let index: Int
        let source: String
        let expected: Expected
        let note: String?
    }

    struct Expected: Decodable {
        /// r1..r31 as "0x" hex strings.
        let gr: [String]
        /// NaT bits of r1..r31.
        let nat: [Bool]
        /// p0..p63, bit n = pn.
        let pr: String
    }

    static let dataURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("Data/random-programs.json")

    static func hex(_ s: String) -> UInt64? {
        UInt64(s.hasPrefix("0x") ? String(s.dropFirst(2)) : s, radix: 16)
    }

    static func hex(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    func testRandomProgramsMatchExpectedStates() throws {
        let corpus = try JSONDecoder().decode(Corpus.self, from: Data(contentsOf: Self.dataURL))
        XCTAssertGreaterThanOrEqual(corpus.programs.count, 50, "corpus too small")
        var mismatchedPrograms: [Int] = []
        for program in corpus.programs {
            let elf = try GuestProgram.build(program.source, explicit: true)
            let (process, outcome) = try GuestProgram.run(elf, maxInstructions: 100_000)
            let label = "seed \(corpus.seed) program \(program.index)"
            guard outcome == .reachedStop else {
                XCTFail("\(label): did not reach done: \(outcome)")
                mismatchedPrograms.append(program.index)
                continue
            }
            let cpu = process.cpu
            var failures: [String] = []
            XCTAssertEqual(program.expected.gr.count, 31)
            XCTAssertEqual(program.expected.nat.count, 31)
            for r in 1...31 {
                guard let expected = Self.hex(program.expected.gr[r - 1]) else {
                    XCTFail("\(label): bad expected value for r\(r)")
                    continue
                }
                guard let (value, nat) = cpu.generalRegister(r) else {
                    failures.append("r\(r) unreadable")
                    continue
                }
                let expectedNaT = program.expected.nat[r - 1]
                if value != expected {
                    failures.append("r\(r): expected \(Self.hex(expected)), xdbg \(Self.hex(value))")
                }
                if nat != expectedNaT {
                    failures.append("r\(r).nat: expected \(expectedNaT ? 1 : 0), xdbg \(nat ? 1 : 0)")
                }
            }
            let expectedPR = Self.hex(program.expected.pr) ?? 0
            if cpu.predicates != expectedPR {
                let diff = cpu.predicates ^ expectedPR
                let which = (0..<64).filter { diff >> UInt64($0) & 1 != 0 }.map { n in
                    "p\(n): expected \(expectedPR >> UInt64(n) & 1), xdbg \(cpu.predicates >> UInt64(n) & 1)"
                }
                failures.append("pr: expected \(Self.hex(expectedPR)), xdbg \(Self.hex(cpu.predicates)) (\(which.joined(separator: ", ")))")
            }
            if !failures.isEmpty {
                mismatchedPrograms.append(program.index)
                XCTFail("\(label):\n  " + failures.joined(separator: "\n  ")
                        + (program.note.map { "\n  note: \($0)" } ?? ""))
            }
        }
        if !mismatchedPrograms.isEmpty {
            print("RandomProgramDifferentialTests: \(mismatchedPrograms.count) of \(corpus.programs.count) programs differ: \(mismatchedPrograms)")
        }
    }
}
