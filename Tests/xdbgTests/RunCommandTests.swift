import Foundation
import XCTest

/// `xdbg run` as a user runs it: real programs built with the real binutils.
final class RunCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try Tools.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func build(_ source: String, name: String) throws -> String {
        let s = dir.appendingPathComponent(name + ".s"), o = dir.appendingPathComponent(name + ".o")
        let x = dir.appendingPathComponent(name)
        try source.write(to: s, atomically: true, encoding: .utf8)
        try Tools.assemble(s, to: o)
        let r = try Tools.run("ia64-linux-gnu-ld", ["-static", "-e", "_start", "-o", x.path, o.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        return x.path
    }

    func testRunsToExitAndWritesState() throws {
        let fib = dir.appendingPathComponent("fib")
        try Tools.assemble(Tools.packageRoot.appendingPathComponent("Guests/examples/fib.s"), to: dir.appendingPathComponent("fib.o"))
        let link = try Tools.run("ia64-linux-gnu-ld", ["-static", "-e", "_start", "-o", fib.path, dir.appendingPathComponent("fib.o").path])
        XCTAssertEqual(link.status, 0)
        let json = dir.appendingPathComponent("state.json")
        let r = try Tools.run(Tools.xdbg, ["run", fib.path, "--until", "done", "--state-json", json.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("stopped at done"), r.stderr)
        let state = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as! [String: Any]
        let gr = state["gr"] as! [[String: Any]]
        let r20 = gr.first { ($0["r"] as! Int) == 20 }!
        XCTAssertEqual(r20["value"] as? String, "0x1a6d")  // fib(20) = 6765
        XCTAssertEqual((state["fr"] as! [String]).count, 128)
        XCTAssertNotNil(state["icount"] as? Int)
        XCTAssertNotNil((state["ar"] as! [String: String])["bsp"])

        let exit = try Tools.run(Tools.xdbg, ["run", fib.path])
        XCTAssertEqual(exit.status, 0)
        XCTAssertTrue(exit.stderr.contains("exited with status 0"), exit.stderr)
    }

    func testWriteSystemCallAndExitStatus() throws {
        let program = try build("""
                .data
            message:
                .ascii "hello from ia64\\n"
                .text
                .global _start
                .proc _start
            _start:
                alloc r32 = ar.pfs, 0, 1, 3, 0
                mov out0 = 1
                movl out1 = message
                mov out2 = 16
                mov r15 = 1027
                ;;
                break.i 0x100000
                ;;
                mov out0 = 3
                mov r15 = 1025
                ;;
                break.i 0x100000
                .endp _start
            """, name: "hello")
        let r = try Tools.run(Tools.xdbg, ["run", program])
        XCTAssertEqual(r.stdout, "hello from ia64\n")
        XCTAssertEqual(r.status, 3)
        XCTAssertTrue(r.stderr.contains("exited with status 3"), r.stderr)
    }

    func testInstructionLimitAndFaultMessage() throws {
        let loop = try build("""
                .text
                .global _start
            _start:
                br.cond.sptk.few _start
                ;;
            """, name: "loop")
        let r = try Tools.run(Tools.xdbg, ["run", loop, "--max-insns", "1000"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("stopped after 1000 instructions"), r.stderr)

        let crash = try build("""
                .text
                .global _start
            _start:
                mov r8 = 8
                ;;
                ld8 r9 = [r8]
                ;;
            """, name: "crash")
        let c = try Tools.run(Tools.xdbg, ["run", crash])
        XCTAssertEqual(c.status, 2)
        XCTAssertEqual(c.stderr.split(separator: "\n").count, 1, c.stderr)
        XCTAssertTrue(c.stderr.contains("Data Page Not Present fault"), c.stderr)
        XCTAssertTrue(c.stderr.contains("ld8 r9=[r8]"), c.stderr)
    }

    func testBadInputs() throws {
        let notExec = dir.appendingPathComponent("x.o")
        try Tools.assemble(Tools.packageRoot.appendingPathComponent("Guests/examples/fib.s"), to: notExec)
        for (args, mention) in [
            (["run", notExec.path], "not a static executable"),
            (["run", dir.appendingPathComponent("missing").path], "cannot open"),
        ] {
            let r = try Tools.run(Tools.xdbg, args)
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertTrue(r.stderr.hasPrefix("xdbg: error: ") && r.stderr.contains(mention), r.stderr)
        }
        let fib = dir.appendingPathComponent("fib")
        _ = try Tools.run("ia64-linux-gnu-ld", ["-static", "-e", "_start", "-o", fib.path, notExec.path])
        let r = try Tools.run(Tools.xdbg, ["run", fib.path, "--until", "no_such_symbol"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("no such symbol"), r.stderr)
    }
}

extension RunCommandTests {
    func testBareMetalProgramHaltsWithItsExitCode() throws {
        let source = Tools.packageRoot.appendingPathComponent("Guests/baremetal/interruptions.s")
        let object = dir.appendingPathComponent("bm.o"), program = dir.appendingPathComponent("bm")
        try Tools.assemble(source, to: object, extraFlags: ["-x"])
        let link = try Tools.run("ia64-linux-gnu-ld", ["-static", "-e", "_start", "-Ttext=0x100000", "-Tdata=0x200000",
                                                        "-o", program.path, object.path])
        XCTAssertEqual(link.status, 0, link.stderr)
        let json = dir.appendingPathComponent("bm.json")
        let r = try Tools.run(Tools.xdbg, ["run", "--bare", program.path, "--state-json", json.path])
        XCTAssertEqual(r.status, 5, r.stderr)
        XCTAssertTrue(r.stderr.contains("halted with exit code 5"), r.stderr)
        let state = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as! [String: Any]
        let cr = state["cr"] as! [String: String]
        XCTAssertEqual(cr["isr"], "0x10")  // the last interruption: Privileged Operation
    }
}
