import Foundation
import XCTest

/// `xdbg symbolize` and `xdbg unwind-info` as a user runs them.
final class CommandTests: XCTestCase {
    func testSymbolizePrintsFunctionOffsetAndLine() throws {
        let image = try Fixtures.calls.get()
        let dir = (image as NSString).deletingLastPathComponent
        let r = try Fixtures.run(Fixtures.xdbg, ["symbolize", image, "0x4000000000000141", "0x4000000000000140+2", "stop", "calls.s:24", "0x10"])
        XCTAssertEqual(r.stdout, """
            0x4000000000000141 inner+0x20 \(dir)/calls.s:50
            0x4000000000000142 inner+0x20 \(dir)/calls.s:51
            0x4000000000000140 inner+0x20 \(dir)/calls.s:48
            0x40000000000000f2 outer+0x10 \(dir)/calls.s:24
            0x10 ?? ??:0

            """)
    }

    func testSymbolizeKernelAgreesWithAddr2line() throws {
        let image = try Fixtures.kernel.get()
        let r = try Fixtures.run(Fixtures.xdbg, ["symbolize", image, "kernel_main"])
        let address = UInt64(r.stdout.split(separator: " ")[0].dropFirst(2), radix: 16)!
        let oracle = try Fixtures.addr2line(image, [address])[0]
        XCTAssertEqual(r.stdout, "0x\(String(address, radix: 16)) kernel_main+0x0 \(oracle.location)\n")
    }

    func testUnwindInfoListsTheTable() throws {
        let image = try Fixtures.calls.get()
        let r = try Fixtures.run(Fixtures.xdbg, ["unwind-info", image])
        let readelf = try Fixtures.run("ia64-linux-gnu-readelf", ["-u", image]).stdout
        let ours = r.stdout.split(separator: "\n").dropFirst().filter { !$0.isEmpty }
        let theirs = readelf.split(separator: "\n").filter { !$0.isEmpty && !$0.hasPrefix("Unwind section") }
        XCTAssertEqual(ours, theirs)
        XCTAssertTrue(r.stdout.hasPrefix("2 unwind entries\n"))
        let state = try Fixtures.run(Fixtures.xdbg, ["unwind-info", image, "0x4000000000000140"])
        XCTAssertTrue(state.stdout.contains("rp r35, ar.pfs r34, psp=sp+0x20"), state.stdout)
    }

    func testBadInputsFailWithOneLine() throws {
        let image = try Fixtures.calls.get()
        let cases: [[String]] = [
            ["symbolize", "/nonexistent/image", "0x0"],
            ["symbolize", "/etc/passwd", "0x0"],
            ["symbolize", "/bin/sh", "0x0"],
            ["symbolize", image, "0x4000000000000143"],
            ["symbolize", image, "0x4000000000000140+7"],
            ["symbolize", image, "no_such_symbol"],
            ["symbolize", image, "calls.s:2"],
            ["unwind-info", "/etc/passwd"],
            ["unwind-info", image, "0xq"],
        ]
        for arguments in cases {
            let r = try Fixtures.run(Fixtures.xdbg, arguments, check: false)
            XCTAssertNotEqual(r.status, 0, "\(arguments)")
            XCTAssertTrue(r.stderr.hasPrefix("xdbg: error: "), "\(arguments): \(r.stderr)")
            XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, "\(arguments): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "\(arguments)")
        }
    }
}
