import Foundation
import IA64Exec
import VMMCore
import XCTest

/// Multi-file guest builds: library sources from the package (assembled as the kernel build
/// does, in explicit-stop mode with DWARF line info) plus in-memory test drivers, linked
/// into one static image.
extension GuestProgram {
    /// Assembler flags for the guest kernel's own sources.
    static let kernelAssemblerFlags = ["-x", "--gdwarf-5", "--fatal-warnings"]

    /// An in-memory source: `explicit` assembles it with `-x` (stops written by hand).
    struct Source {
        var name: String
        var text: String
        var explicit: Bool = false
    }

    /// Assembles `files` (paths relative to the package root, with `kernelAssemblerFlags`)
    /// and `sources`, and links them with `-static -e _start` and `linkerArguments`.
    static func build(files: [String], sources: [Source] = [], linkerArguments: [String] = []) throws -> ElfFile {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-guest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var objects: [String] = []
        for (i, file) in files.enumerated() {
            let o = dir.appendingPathComponent("f\(i).o").path
            try tool("ia64-linux-gnu-as", kernelAssemblerFlags + ["-o", o, packageRoot.appendingPathComponent(file).path])
            objects.append(o)
        }
        for (i, source) in sources.enumerated() {
            let s = dir.appendingPathComponent("s\(i)-\(source.name).s"), o = dir.appendingPathComponent("s\(i).o").path
            try source.text.write(to: s, atomically: true, encoding: .utf8)
            try tool("ia64-linux-gnu-as", (source.explicit ? ["-x"] : []) + ["-o", o, s.path])
            objects.append(o)
        }
        let x = dir.appendingPathComponent("image")
        try tool("ia64-linux-gnu-ld", ["-static", "-e", "_start"] + linkerArguments + ["-o", x.path] + objects)
        return try ElfFile(bytes: Array(try Data(contentsOf: x)))
    }
}

extension GuestProgram {
    /// Runs a binutils tool on a linked image and returns its standard output.
    static func toolOutput(_ name: String, _ arguments: [String], image: ElfFile) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let x = dir.appendingPathComponent("image"), out = dir.appendingPathComponent("out")
        try Data(image.bytes).write(to: x)
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/" + name)
        p.arguments = arguments + [x.path]
        p.standardOutput = try FileHandle(forWritingTo: out)
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw BuildError(description: "\(name) failed") }
        return try String(contentsOf: out, encoding: .utf8)
    }
}

/// A bare-metal run that collects the console output.
final class ConsoleCapture {
    var bytes: [UInt8] = []
    var text: String { String(decoding: bytes, as: UTF8.self) }
}

extension BareMetalMachine {
    /// Runs with the console captured; returns the outcome and the text written.
    func runCapturingConsole(maxInstructions: UInt64 = 50_000_000) -> (BareMetalMachine.Outcome, String) {
        let capture = ConsoleCapture()
        bus.console = { capture.bytes.append($0) }
        let outcome = run(maxInstructions: maxInstructions)
        return (outcome, capture.text)
    }
}
