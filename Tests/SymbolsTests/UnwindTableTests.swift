import Foundation
import Symbols
import XCTest

final class UnwindTableTests: XCTestCase {
    /// readelf -u's entry blocks: the lines after the section header, blank lines dropped.
    func readelfEntries(_ image: String) throws -> [String] {
        let out = try Fixtures.run("ia64-linux-gnu-readelf", ["-u", image]).stdout
        return out.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("Unwind section") }
    }

    func assertMatchesReadelf(_ image: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let table = try SymbolTable(path: image).unwindTable
        let ours = table.entries.flatMap(\.listing)
        let theirs = try readelfEntries(image)
        XCTAssertEqual(ours.count, theirs.count, "line count", file: file, line: line)
        for (a, b) in zip(ours, theirs) {
            XCTAssertEqual(a, b, file: file, line: line)
        }
    }

    func testSmallProgramTableMatchesReadelf() throws {
        let image = try Fixtures.calls.get()
        try assertMatchesReadelf(image)
        let table = try SymbolTable(path: image).unwindTable
        XCTAssertEqual(table.entries.map(\.name), ["outer", "inner"])
        XCTAssertEqual(table.segmentBase, 0x4000_0000_0000_0000)
        XCTAssertNil(table.entry(for: GuestPC(bundle: 0x4000_0000_0000_0170)))
        let inner = try XCTUnwrap(table.entry(for: GuestPC(bundle: 0x4000_0000_0000_0160, slot: 2)))
        XCTAssertEqual(inner.descriptors.map(\.record), [
            .region(body: false, rlen: 3), .regWhen(.pfs, t: 0), .regGR(.pfs, gr: 34), .regWhen(.rp, t: 1),
            .regGR(.rp, gr: 35), .memStackF(t: 2, size: 2), .region(body: true, rlen: 12), .epilogue(t: 7, ecount: 0),
            .region(body: false, rlen: 0),
        ])
    }

    func testKernelTableMatchesReadelf() throws {
        let image = try Fixtures.kernel.get()
        XCTAssertGreaterThan(try SymbolTable(path: image).unwindTable.entries.count, 50)
        try assertMatchesReadelf(image)
    }

    /// Many descriptor formats: variable frames, saves to memory, predicates and lc, spilled
    /// preserved registers, labels and copies, nested prologues.
    func testManyDescriptorFormatsMatchReadelf() throws {
        let source = """
            .text
            .global _start
            .proc _start
        _start:
            .prologue
            .save ar.pfs, r35
            alloc r35 = ar.pfs, 0, 8, 0, 0
            .save rp, r36
            mov r36 = b0
            .vframe r37
            mov r37 = sp
            .save pr, r38
            mov r38 = pr
            .save ar.lc, r39
            mov r39 = ar.lc
            ;;
            adds sp = -64, sp
            ;;
            .save.g 0x3
            st8.spill [sp] = r4
            .save.b 0x1
            mov r40 = b1
            .save.f 0x1
            stf.spill [sp] = f2
            .body
            ;;
            .label_state 1
            nop.m 0
            .restore sp
            mov sp = r37
            br.ret.sptk.many b0
            ;;
            .copy_state 1
            nop.m 0
            ;;
            .endp _start

            .global fixed
            .proc fixed
        fixed:
            .prologue
            .fframe 96
            adds sp = -96, sp
            ;;
            .savesp ar.pfs, 8
            mov r2 = ar.pfs
            ;;
            st8 [sp] = r2
            .savesp rp, 16
            mov r3 = b0
            ;;
            .savepsp ar.unat, 8
            mov r9 = ar.unat
            .body
            ;;
            nop.m 0
            .restore sp
            adds sp = 96, sp
            br.ret.sptk.many b0
            .endp fixed

        """
        let image = try Fixtures.build(source + "\n", name: "descriptors")
        try assertMatchesReadelf(image)
        let formats = Set(try SymbolTable(path: image).unwindTable.entries.flatMap { $0.descriptors.map(\.format) })
        XCTAssertTrue(formats.isSuperset(of: ["R1", "P3", "P7"]), "\(formats.sorted())")
        print("descriptor formats exercised: \(formats.sorted())")
    }
}
