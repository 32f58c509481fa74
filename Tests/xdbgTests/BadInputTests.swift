import Foundation
import XCTest

/// Every bad input gets one line on stderr and exit status 2: never a crash or a partial listing.
final class BadInputTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try Tools.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func assertRejected(_ arguments: [String], mentions: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try Tools.run(Tools.xdbg, arguments)
        XCTAssertEqual(r.status, 2, "exit status for \(arguments)", file: file, line: line)
        XCTAssertEqual(r.stdout, "", "no listing for bad input", file: file, line: line)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one-line error, got: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("xdbg: error: "), r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains(mentions), "\(r.stderr) should mention \(mentions)", file: file, line: line)
    }

    /// A real IA-64 object to damage.
    func validObject() throws -> [UInt8] {
        let object = dir.appendingPathComponent("fib.o")
        try Tools.assemble(Tools.packageRoot.appendingPathComponent("Guests/examples/fib.s"), to: object, extraFlags: ["-x"])
        return Array(try Data(contentsOf: object))
    }

    func testMissingFile() throws {
        try assertRejected(["dis", dir.appendingPathComponent("nope.o").path], mentions: "cannot open")
    }

    func testNotELF() throws {
        try assertRejected(["dis", try write("text.o", Array("hello, world\n".utf8))], mentions: "not an ELF file")
        try assertRejected(["dis", try write("empty.o", [])], mentions: "not an ELF file")
    }

    func testELFOfAnotherMachine() throws {
        // The host's own assembler makes a genuine x86-64 object.
        let source = dir.appendingPathComponent("x.s")
        try "\t.text\n\tret\n".write(to: source, atomically: true, encoding: .utf8)
        let object = dir.appendingPathComponent("x.o")
        let r = try Tools.run("as", ["-o", object.path, source.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        try assertRejected(["dis", object.path], mentions: "not IA-64")
    }

    func testTruncatedHeaders() throws {
        let good = try validObject()
        try assertRejected(["dis", try write("cut40.o", Array(good.prefix(40)))], mentions: "truncated ELF header")
        // Whole ELF header but the section header table cut off.
        try assertRejected(["dis", try write("cut.o", Array(good.prefix(good.count - 100)))], mentions: "truncated")
        // Section header table pointing past the end.
        var bad = good
        bad[40] = 0xff; bad[41] = 0xff; bad[42] = 0xff
        try assertRejected(["dis", try write("shoff.o", bad)], mentions: "truncated section header table")
    }

    func testRawSizeNotMultipleOf16() throws {
        try assertRejected(["dis", "--raw", try write("odd.bin", [UInt8](repeating: 1, count: 17)), "--base", "0"],
                           mentions: "not a multiple of 16")
    }

    func testBadBase() throws {
        let file = try write("ok.bin", [UInt8](repeating: 0, count: 16))
        try assertRejected(["dis", "--raw", file, "--base", "0xZZ"], mentions: "bad --base")
        try assertRejected(["dis", "--raw", file, "--base", "0xfffffffffffffff8"], mentions: "end of the address space")
    }
}
