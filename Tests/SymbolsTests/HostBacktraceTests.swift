import Foundation
import Symbols
import XCTest

final class HostBacktraceTests: XCTestCase {
    @inline(never)
    func nestedCapture() -> HostBacktrace { HostBacktrace.capture() }

    func testHostBacktraceNamesTheTestFunction() {
        let trace = nestedCapture()
        XCTAssertGreaterThan(trace.frames.count, 3)
        let names = trace.frames.compactMap(\.demangled)
        XCTAssertTrue(names.first?.contains("HostBacktraceTests.nestedCapture") == true, "\(trace)")
        XCTAssertTrue(names.contains { $0.contains("HostBacktraceTests.testHostBacktraceNamesTheTestFunction") }, "\(trace)")
        XCTAssertTrue(trace.frames[0].module?.hasSuffix(".xctest") == true, "\(trace.frames[0])")
        // libc's frames are named by their ELF symbols.
        XCTAssertTrue(trace.frames.contains { $0.symbol?.hasPrefix("__libc_start") == true }, "\(trace)")
        XCTAssertTrue(trace.description.hasPrefix("#0 0x"))
    }

    func testDemangler() {
        XCTAssertEqual(Demangler.demangle("$sSi"), "Swift.Int")
        XCTAssertEqual(Demangler.demangle("_ZN3foo3barEv"), "foo::bar()")
        XCTAssertNil(Demangler.demangle("main"))
    }

    func testFatalErrorReportFile() throws {
        var report = FatalErrorReport(message: "guest ran off the rails")
        report.addSection("guest state", "ip 0x100400 slot 1\ncfm 0x183")
        report.addSection("trace position", "event 42")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-report-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try report.write(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("xdbg fatal error: guest ran off the rails\n"))
        XCTAssertTrue(text.contains("== guest state ==\nip 0x100400 slot 1\ncfm 0x183\n"))
        XCTAssertTrue(text.contains("== trace position ==\nevent 42\n"))
        XCTAssertTrue(text.contains("== host stack ==\n#0 "))
        XCTAssertTrue(text.contains("testFatalErrorReportFile"), text)
        XCTAssertThrowsError(try report.write(to: "/nonexistent-dir/report.txt"))
    }
}
