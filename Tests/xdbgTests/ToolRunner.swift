import Foundation
import XCTest

/// Runs the real tools (xdbg, ia64-linux-gnu-as, objdump) the way a user would.
struct ToolResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum Tools {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The xdbg executable built alongside the tests.
    static var xdbg: String {
        var dir = Bundle(for: Marker.self).bundleURL
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "Contents" || dir.lastPathComponent == "MacOS" {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("xdbg").path
    }

    private final class Marker {}

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/" + executable)
        process.arguments = arguments
        // Output goes to files: no pipe can fill up and block the tool.
        let dir = FileManager.default.temporaryDirectory
        let outURL = dir.appendingPathComponent("xdbg-tool-\(UUID().uuidString).out")
        let errURL = dir.appendingPathComponent("xdbg-tool-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return ToolResult(status: process.terminationStatus,
                          stdout: String(decoding: outData, as: UTF8.self),
                          stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Assembles `source` with the real GNU assembler into an object file.
    static func assemble(_ source: URL, to object: URL, extraFlags: [String] = []) throws {
        let r = try run("ia64-linux-gnu-as", extraFlags + ["-o", object.path, source.path])
        guard r.status == 0 else { throw ToolFailure("ia64-linux-gnu-as failed: \(r.stderr)") }
    }

    /// The part of a listing from the first "Disassembly of section" line on.
    static func fromFirstSection(_ listing: String) -> [Substring] {
        let lines = listing.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("Disassembly of section") }) else { return [] }
        return Array(lines[start...])
    }

    /// Lines that start with an address and a colon (objdump's instruction lines).
    static func instructionLines(_ listing: String) -> [Substring] {
        listing.split(separator: "\n").filter { line in
            guard let colon = line.firstIndex(of: ":") else { return false }
            let head = line[..<colon].drop { $0 == " " }
            return !head.isEmpty && head.allSatisfy(\.isHexDigit)
        }
    }
}

struct ToolFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Asserts two listings are identical line by line, reporting the first difference.
func assertSameLines(_ ours: [Substring], _ theirs: [Substring], context: String,
                     file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertFalse(theirs.isEmpty, "objdump printed nothing (\(context))", file: file, line: line)
    for (i, (a, b)) in zip(ours, theirs).enumerated() where a != b {
        XCTFail("\(context): line \(i + 1) differs\n  xdbg:    \(a)\n  objdump: \(b)", file: file, line: line)
        return
    }
    XCTAssertEqual(ours.count, theirs.count, "\(context): line counts differ", file: file, line: line)
}
