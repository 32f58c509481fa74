import Foundation
import XCTest

/// --console-dir: each domain's console in DIR/NAME.log and the hypervisor log in DIR/xen.log,
/// the same lines the live echo shows; bad directories fail with one line.
final class ConsoleDirTests: XCTestCase {
    func lines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The echoed lines of one source ("(d1) " or "(XEN) "), as the file holds them.
    func echoed(_ stdout: String, _ prefix: String, keepPrefix: Bool = false) -> [Substring] {
        stdout.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map { keepPrefix ? $0 : $0.dropFirst(prefix.count) }
    }

    func testBootCapturesEachConsoleAndTheHypervisorLog() throws {
        let session = try DefaultSessionFixture.make()
        let dir = session + "/consoles/deeper"
        let boot = try Tools.run(Tools.xdbg, ["boot", session + "/session.cfg", "--console-dir", dir])
        XCTAssertEqual(boot.status, 0, boot.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(),
                       ["Domain-0.log", "domu1.log", "domu2.log", "xen.log"])
        for (id, name) in ["Domain-0", "domu1", "domu2"].enumerated() {
            let file = try lines(dir + "/\(name).log")
            XCTAssertEqual(file.last, "", "\(name): ends with a newline")
            XCTAssertEqual(Array(file.dropLast()), echoed(boot.stdout, "(d\(id)) "), name)
            XCTAssertTrue(file.first?.hasPrefix("xdbg ia64 PV kernel: domain \(id)") ?? false, "\(name): \(file.first ?? "")")
        }
        // The hypervisor log from its first line (the domain builds, before any echo) on.
        let xen = try lines(dir + "/xen.log").dropLast()
        XCTAssertEqual(xen.first, "(XEN) domain 0 (Domain-0): 1024 MiB, 2 vCPUs, entry 0x100040")
        let live = echoed(boot.stdout, "(XEN) ", keepPrefix: true)
        XCTAssertGreaterThan(live.count, 3)
        XCTAssertEqual(Array(xen.suffix(live.count)), live)
        XCTAssertTrue(xen.contains("(XEN) domain 2 (domu2) shut down: poweroff"), xen.joined(separator: "\n"))

        // Quiet: nothing echoed, the same files. A domain named xen gets its id.
        let cfg = session + "/session.cfg"
        let text = try String(contentsOfFile: session + "/domu1.cfg", encoding: .utf8)
        try text.replacingOccurrences(of: "name = \"domu1\"", with: "name = \"xen\"")
            .write(toFile: session + "/domu1.cfg", atomically: true, encoding: .utf8)
        let quiet = try Tools.run(Tools.xdbg, ["boot", cfg, "--quiet", "--console-dir", session + "/quiet"])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertFalse(quiet.stdout.contains("(d0)"), quiet.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: session + "/quiet").sorted(),
                       ["Domain-0.log", "domu2.log", "xen-1.log", "xen.log"])
        XCTAssertEqual(try lines(session + "/quiet/Domain-0.log"), try lines(dir + "/Domain-0.log"))
        XCTAssertEqual(try lines(session + "/quiet/xen-1.log"), try lines(dir + "/domu1.log"))
        XCTAssertTrue(try lines(session + "/quiet/xen.log").contains("(XEN) domain 1 (xen): 512 MiB, 2 vCPUs, entry 0x100040"))
    }

    func testBadConsoleDirectoryIsOneLineAndNonZero() throws {
        let dir = try Tools.temporaryDirectory()
        let file = dir.appendingPathComponent("plain-file").path
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        for arguments in [["boot", "--console-dir", file + "/consoles"],
                          ["boot", "--console-dir", file],
                          ["record", "-o", dir.path + "/t.trace", "--console-dir", file + "/c"],
                          ["replay", dir.path + "/no.trace", "--console-dir", file + "/c"]] {
            let r = try Tools.run(Tools.xdbg, arguments)
            XCTAssertEqual(r.status, 2, "\(arguments): \(r.stdout) \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.hasPrefix("xdbg: error: cannot create console directory \(arguments[arguments.count - 1]): "), r.stderr)
            XCTAssertTrue(r.stderr.contains("Not a directory") || r.stderr.contains("not a directory"), r.stderr)
        }
        let gdb = try Tools.run(Tools.xdbg, ["replay", dir.path + "/no.trace", "--gdb", ":0", "--console-dir", dir.path + "/c"])
        XCTAssertEqual(gdb.status, 2)
        XCTAssertTrue(gdb.stderr.contains("--console-dir does not combine with --gdb"), gdb.stderr)
    }
}
