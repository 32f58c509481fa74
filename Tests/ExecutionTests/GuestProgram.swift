import Foundation
import IA64Exec
import VMMCore
import XCTest

/// Builds small IA-64 programs with the real GNU assembler and linker and runs them on the CPU.
enum GuestProgram {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct BuildError: Error, CustomStringConvertible { let description: String }

    static func tool(_ name: String, _ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/" + name)
        p.arguments = arguments
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-as-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        p.standardError = try FileHandle(forWritingTo: errURL)
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw BuildError(description: "\(name) failed: " + ((try? String(contentsOf: errURL, encoding: .utf8)) ?? ""))
        }
    }

    /// Assembles and links `source` (a whole program with _start) into an ELF image.
    static func build(_ source: String, explicit: Bool = false, linkerArguments: [String] = []) throws -> ElfFile {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-guest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = dir.appendingPathComponent("p.s"), o = dir.appendingPathComponent("p.o"), x = dir.appendingPathComponent("p")
        try source.write(to: s, atomically: true, encoding: .utf8)
        try tool("ia64-linux-gnu-as", (explicit ? ["-x"] : []) + ["-o", o.path, s.path])
        try tool("ia64-linux-gnu-ld", ["-static", "-e", "_start"] + linkerArguments + ["-o", x.path, o.path])
        return try ElfFile(bytes: Array(try Data(contentsOf: x)))
    }

    static func build(file: String) throws -> ElfFile {
        try build(try String(contentsOf: packageRoot.appendingPathComponent(file), encoding: .utf8))
    }

    /// Wraps instructions into a program: a frame of 8 inputs/locals and 8 outputs, a data
    /// area `data` (4 KiB, 16-byte aligned) addressed by r2 at start, then `body`, then `done`
    /// where the test stops.
    static func snippet(_ body: String, data: String = "") -> String {
        """
            .data
            .align 16
        data:
        \(data.isEmpty ? "\t.skip 4096" : data)
            .align 16
        scratch:
            .skip 4096
            .text
            .global _start
            .proc _start
        _start:
            alloc r40 = ar.pfs, 8, 8, 8, 0
            movl r2 = data
            movl r3 = scratch
            ;;
        \(body)
            ;;
            .global done
        done:
            nop.m 0
            mov r15 = 1025
            mov out0 = 0
            ;;
            break.i 0x100000
            .endp _start
        """
    }

    /// Runs to `done` (or exit) and returns the process for inspection.
    static func run(_ elf: ElfFile, maxInstructions: UInt64 = 50_000_000) throws -> (LinuxUserProcess, LinuxUserProcess.Outcome) {
        let process = try LinuxUserProcess(elf: elf)
        let stop = elf.symbol(named: "done")?.value
        let outcome = process.run(stopAt: stop, maxInstructions: maxInstructions)
        return (process, outcome)
    }

    /// Assembles a snippet, runs it to `done`, and fails the test on anything else.
    static func runSnippet(_ body: String, data: String = "", file: StaticString = #filePath, line: UInt = #line) throws -> Processor {
        let (process, outcome) = try run(try build(snippet(body, data: data)))
        XCTAssertEqual(outcome, .reachedStop, "snippet did not reach done", file: file, line: line)
        return process.cpu
    }
}

extension Processor {
    func r(_ n: Int) -> UInt64 { generalRegister(n)?.value ?? 0xdead_dead_dead_dead }
    func nat(_ n: Int) -> Bool { generalRegister(n)?.nat ?? false }
    func p(_ n: Int) -> Bool { predicate(logical: n) }
}
