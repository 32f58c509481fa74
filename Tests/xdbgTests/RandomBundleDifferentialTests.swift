import Foundation
import VMMCore
import XCTest

/// Seeded random bundles through `xdbg dis --raw` and objdump. Set XDBG_SEED to replay a run.
final class RandomBundleDifferentialTests: XCTestCase {
    /// SplitMix64: a small, fully determined generator, so a printed seed reproduces a run.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    /// Real encodings: the text of the assembled every-form corpus.
    func realBundles() throws -> [[UInt8]] {
        let dir = try Tools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let object = dir.appendingPathComponent("c.o")
        try Tools.assemble(Tools.packageRoot.appendingPathComponent("Tests/Corpus/every-form.s"), to: object,
                           extraFlags: ["-mhint.b=ok"])
        let elf = try ElfFile(bytes: Array(try Data(contentsOf: object)))
        let text = try XCTUnwrap(elf.sections.first { $0.name == ".text" })
        let bytes = Array(elf.contents(of: text))
        return stride(from: 0, to: bytes.count - 15, by: 16).map { Array(bytes[$0..<$0 + 16]) }
    }

    func testRandomBundlesMatchObjdump() throws {
        let seed = ProcessInfo.processInfo.environment["XDBG_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 0...UInt64.max)
        print("RandomBundleDifferentialTests seed: \(seed) (rerun with XDBG_SEED=\(seed))")
        var rng = SplitMix64(state: seed)
        let real = try realBundles()
        XCTAssertGreaterThan(real.count, 1000)
        var blob: [UInt8] = []
        let count = 24_000
        for i in 0..<count {
            var bundle: [UInt8]
            switch i % 3 {
            case 0:
                // Uniformly random: all 32 templates, reserved ones included.
                bundle = (0..<2).flatMap { _ in withUnsafeBytes(of: rng.next().littleEndian, Array.init) }
            default:
                // A real encoding with one to three bits flipped (sometimes in the template).
                bundle = real[Int(rng.next() % UInt64(real.count))]
                for _ in 0...(rng.next() % 3) {
                    let bit = Int(rng.next() % 128)
                    bundle[bit / 8] ^= UInt8(1 << (bit % 8))
                }
            }
            blob += bundle
        }
        let dir = try Tools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("random.bin")
        try Data(blob).write(to: file)
        let base = (rng.next() & 0x7fff_ffff_ffff_0000)
        let baseText = "0x" + String(base, radix: 16)
        let ours = try Tools.run(Tools.xdbg, ["dis", "--raw", file.path, "--base", baseText])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        let theirs = try Tools.run("ia64-linux-gnu-objdump",
                                   ["-D", "-b", "binary", "-m", "ia64", "--adjust-vma=" + baseText, file.path])
        XCTAssertEqual(theirs.status, 0, theirs.stderr)
        assertSameLines(Tools.instructionLines(ours.stdout), Tools.instructionLines(theirs.stdout),
                        context: "seed \(seed), base \(baseText)")
        XCTAssertGreaterThanOrEqual(Tools.instructionLines(theirs.stdout).count, count * 3 - 3 * count / 10)
    }
}
