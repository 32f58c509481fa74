import Foundation
import XCTest

/// --input on xdbg boot and record: the text reaches the guest's console, the trace carries it
/// (replay needs no --input, info counts it), and bad specs fail with one line.
final class ConsoleInputCommandTests: XCTestCase {
    func assertOneLineFailure(_ arguments: [String], _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try Tools.run(Tools.xdbg, arguments)
        XCTAssertEqual(r.status, 2, "\(arguments): \(r.stdout) \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("xdbg: error: " + message), r.stderr, file: file, line: line)
    }

    func testBadInputSpecsAreOneLineErrors() throws {
        let dir = try Tools.temporaryDirectory().path
        for spec in ["hello", "x@5:hi", "-1@5:hi", "1@:hi", "1@5x:hi", "1@5", "1@5:", "1@5:a\\qb", "1@5:ends\\"] {
            for command in [["boot"], ["record", "-o", dir + "/t.trace"]] {
                try assertOneLineFailure(command + ["--input=" + spec], "bad --input '\(spec)': expected DOMAIN@INSTRUCTIONS:TEXT")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/t.trace"), "no trace for a bad command")
    }

    func testUnknownDomainIsAOneLineError() throws {
        let session = try DefaultSessionFixture.make()
        for command in [["boot"], ["record", "-o", session + "/t.trace"]] {
            try assertOneLineFailure(command + [session + "/session.cfg", "--quiet", "--input", "3@1000:hi\\n"],
                                     "--input for domain 3: the session has no such domain")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: session + "/t.trace"), "no trace left behind")
    }

    func testRecordedInputIsEchoedAndReplaysWithoutTheOption() throws {
        let session = try DefaultSessionFixture.make()
        let trace = session + "/t.trace"
        let record = try Tools.run(Tools.xdbg, ["record", session + "/session.cfg", "-o", trace, "--quiet",
                                                "--input", "1@20000000:hello\\nworld\\n", "--console-dir", session + "/rec"])
        XCTAssertEqual(record.status, 0, record.stderr)
        let recorded = try String(contentsOfFile: session + "/rec/domu1.log", encoding: .utf8)
        XCTAssertTrue(recorded.contains("\nconsole input: hello\nconsole input: world\n"), recorded)

        let replay = try Tools.run(Tools.xdbg, ["replay", trace, "--console-dir", session + "/rep"])
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertEqual(try String(contentsOfFile: session + "/rep/domu1.log", encoding: .utf8), recorded)

        let info = try Tools.run(Tools.xdbg, ["info", trace])
        XCTAssertEqual(info.status, 0, info.stderr)
        let line = info.stdout.split(separator: "\n").first { $0.contains("console input") }
        XCTAssertNotNil(line, info.stdout)
        XCTAssertTrue(line?.contains(" 1 events") ?? false, String(line ?? ""))

        // xdbg boot takes the same option and shows the same echo.
        let boot = try Tools.run(Tools.xdbg, ["boot", session + "/session.cfg", "--input", "1@20000000:hello\\nworld\\n"])
        XCTAssertEqual(boot.status, 0, boot.stderr)
        XCTAssertTrue(boot.stdout.contains("(d1) console input: hello\n(d1) console input: world\n"), boot.stdout)
    }
}
