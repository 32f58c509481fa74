import Foundation
import XCTest

/// Test images built with the real binutils, and the binutils oracles.
enum Fixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Data")

    struct ToolError: Error, CustomStringConvertible { let description: String }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs a tool (absolute path, or a name under /usr/bin), output through files.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], check: Bool = true) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/" + executable)
        p.arguments = arguments
        let dir = FileManager.default.temporaryDirectory
        let outURL = dir.appendingPathComponent("xdbg-sym-\(UUID().uuidString).out")
        let errURL = dir.appendingPathComponent("xdbg-sym-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        p.standardOutput = out
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        try out.close()
        try err.close()
        let r = Result(status: p.terminationStatus,
                       stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                       stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
        if check && r.status != 0 {
            throw ToolError(description: "\(executable) \(arguments.joined(separator: " ")) failed: \(r.stderr)")
        }
        return r
    }

    static let workDirectory: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-symbols-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// Assembles (with DWARF 5 lines, as the kernel build does) and links `source` at the
    /// default address; returns the executable's path.
    static func build(_ source: String, name: String) throws -> String {
        let dir = workDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let s = dir.appendingPathComponent(name + ".s"), o = dir.appendingPathComponent(name + ".o")
        let x = dir.appendingPathComponent(name)
        try source.write(to: s, atomically: true, encoding: .utf8)
        try run("ia64-linux-gnu-as", ["-x", "--gdwarf-5", "-o", o.path, s.path])
        try run("ia64-linux-gnu-ld", ["-static", "-e", "_start", "-o", x.path, o.path])
        return x.path
    }

    /// Tests/SymbolsTests/Data/calls.s: _start → outer → inner, which stops at `stop` after
    /// flushrs; `leaf` has no unwind entry.
    static let calls: Swift.Result<String, Error> = Swift.Result {
        try build(try String(contentsOf: dataDirectory.appendingPathComponent("calls.s"), encoding: .utf8), name: "calls")
    }

    /// The real guest kernel, built once per test process by Guests/build.sh.
    static let kernel: Swift.Result<String, Error> = Swift.Result {
        let out = workDirectory.appendingPathComponent("guests")
        try run(packageRoot.appendingPathComponent("Guests/build.sh").path, [out.path])
        return out.appendingPathComponent("xenkernel").path
    }

    /// The xdbg executable built next to the tests.
    static var xdbg: String {
        var dir = Bundle(for: Marker.self).bundleURL
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "Contents" || dir.lastPathComponent == "MacOS" {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("xdbg").path
    }

    private final class Marker {}

    /// `addr2line -f -e image addr…`: (function, "file:line") per address.
    static func addr2line(_ image: String, _ addresses: [UInt64]) throws -> [(function: String, location: String)] {
        var result: [(String, String)] = []
        // In chunks: argument lists stay short.
        var i = 0
        while i < addresses.count {
            let chunk = addresses[i..<min(i + 200, addresses.count)]
            let out = try run("ia64-linux-gnu-addr2line", ["-f", "-e", image] + chunk.map { "0x" + String($0, radix: 16) })
            let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for k in 0..<chunk.count { result.append((lines[2 * k], lines[2 * k + 1])) }
            i += 200
        }
        return result
    }

    /// `readelf --debug-dump=decodedline`: (file basename, line, address) rows, end rows omitted.
    static func decodedLines(_ image: String) throws -> [(file: String, line: Int, address: UInt64)] {
        let out = try run("ia64-linux-gnu-readelf", ["--debug-dump=decodedline", image]).stdout
        var rows: [(String, Int, UInt64)] = []
        for line in out.split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count >= 3, let n = Int(f[1]), f[2].hasPrefix("0x"), let a = UInt64(f[2].dropFirst(2), radix: 16) else { continue }
            rows.append((String(f[0]), n, a))
        }
        return rows
    }
}
