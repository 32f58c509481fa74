import Foundation
import IA64Exec
import XCTest

/// The corpus of every instruction form, and real programs, assembled with the real GNU
/// assembler and listed by both xdbg and objdump: every line must match.
final class DisassemblyCorpusTests: XCTestCase {
    func compareWithObjdump(_ file: URL, context: String) throws {
        let ours = try Tools.run(Tools.xdbg, ["dis", file.path])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        let theirs = try Tools.run("ia64-linux-gnu-objdump", ["-d", file.path])
        XCTAssertEqual(theirs.status, 0, theirs.stderr)
        assertSameLines(Tools.fromFirstSection(ours.stdout), Tools.fromFirstSection(theirs.stdout), context: context)
    }

    func testEveryInstructionFormMatchesObjdump() throws {
        let dir = try Tools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = Tools.packageRoot.appendingPathComponent("Tests/Corpus/every-form.s")
        let object = dir.appendingPathComponent("every-form.o")
        try Tools.assemble(source, to: object, extraFlags: ["-mhint.b=ok"])
        try compareWithObjdump(object, context: "every-form.o")
        // The corpus really is the whole table: each mnemonic+completer name appears.
        let text = try String(contentsOf: source, encoding: .utf8)
        var used = Set<String>()
        for line in text.split(separator: "\n") where line.hasPrefix("\t") && !line.hasPrefix("\t.") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = words.first else { continue }
            used.insert(String(first.hasPrefix("(p") ? words[1] : first))
        }
        let missing = Set(OpcodeTable.shared.entries.map(\.name)).subtracting(used)
        XCTAssertEqual(missing.sorted(), [], "table forms missing from the corpus")
    }

    func testLinkedProgramsMatchObjdump() throws {
        let dir = try Tools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let programs = [
            Tools.packageRoot.appendingPathComponent("Guests/examples/fib.s"),
        ] + ["int_loop", "call_fib", "fp_kernel"].map {
            Tools.packageRoot.appendingPathComponent("Benchmarks/Programs/\($0).S")
        }
        for source in programs {
            let name = source.deletingPathExtension().lastPathComponent
            let object = dir.appendingPathComponent(name + ".o")
            let executable = dir.appendingPathComponent(name)
            try Tools.assemble(source, to: object, extraFlags: ["-x"])
            let link = try Tools.run("ia64-linux-gnu-ld", ["-static", "-e", "_start", "-o", executable.path, object.path])
            XCTAssertEqual(link.status, 0, link.stderr)
            try compareWithObjdump(object, context: name + ".o")
            try compareWithObjdump(executable, context: name)
        }
    }
}
