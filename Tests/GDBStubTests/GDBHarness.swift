import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GDBStub
import IA64Exec
import VMMCore
import XCTest

/// Builds bare-metal programs with the real binutils, serves them with the reference target on
/// an ephemeral port, and drives the real gdb-multiarch in batch mode.
enum GDBHarness {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static func run(_ tool: String, _ arguments: [String], timeout: TimeInterval = 20) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        p.arguments = arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gdbstub-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        let handle = try FileHandle(forWritingTo: out)
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
            throw Failure(description: "\(tool) timed out after \(timeout)s: " + ((try? String(contentsOf: out, encoding: .utf8)) ?? ""))
        }
        try handle.close()
        return (p.terminationStatus, (try? String(contentsOf: out, encoding: .utf8)) ?? "")
    }

    /// Assembles and links `source` at text 0x100000, data 0x200000; returns the ELF and its path.
    static func build(_ source: String) throws -> (ElfFile, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gdbstub-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let s = dir.appendingPathComponent("p.s"), o = dir.appendingPathComponent("p.o"), x = dir.appendingPathComponent("p.elf")
        try source.write(to: s, atomically: true, encoding: .utf8)
        let a = try run("ia64-linux-gnu-as", ["-o", o.path, s.path])
        guard a.status == 0 else { throw Failure(description: "as: \(a.output)") }
        let l = try run("ia64-linux-gnu-ld", ["-static", "-e", "_start", "-Ttext=0x100000", "-Tdata=0x200000", "-o", x.path, o.path])
        guard l.status == 0 else { throw Failure(description: "ld: \(l.output)") }
        return (try ElfFile(bytes: Array(try Data(contentsOf: x))), x)
    }

    /// Runs gdb with `commands` against 127.0.0.1:`port`, optionally loading `file` first.
    static func gdb(port: UInt16, file: URL? = nil, _ commands: [String], timeout: TimeInterval = 20) throws -> String {
        var args = ["-nx", "-batch", "-ex", "set architecture ia64-elf64", "-ex", "set osabi none"]
        if let file { args += ["-ex", "file \(file.path)"] }
        args += ["-ex", "target remote 127.0.0.1:\(port)"]
        for c in commands { args += ["-ex", c] }
        return try run("gdb-multiarch", args, timeout: timeout).output
    }

    /// Values printed by `p/x` commands, in order ("$3 = 0x10" → 0x10).
    static func printedValues(_ output: String) -> [UInt64] {
        output.split(separator: "\n").compactMap { line -> UInt64? in
            guard line.hasPrefix("$"), let eq = line.range(of: " = 0x") else { return nil }
            return UInt64(line[eq.upperBound...].prefix { $0.isHexDigit }, radix: 16)
        }
    }
}

/// A server on a background thread with its log kept for assertions.
final class ServedTarget: @unchecked Sendable {
    let target: BareMetalDebugTarget
    let server: GDBServer
    let port: UInt16
    let logBox = LogBox()

    init(_ target: BareMetalDebugTarget) throws {
        self.target = target
        let box = logBox
        server = GDBServer(target: target, log: { box.append($0) })
        port = try server.listen(port: 0)
        let s = UncheckedBox(server)
        Thread { s.value.serveForever() }.start()
    }

    var log: [String] { logBox.lines }

    func stop() {
        server.stop()
        usleep(300_000)
    }
}

final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

final class LogBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ s: String) { lock.lock(); stored.append(s); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}

/// A hand-made TCP client for misbehaving on purpose.
final class RawClient {
    let fd: Int32

    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = port.bigEndian
        a.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let r = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard r == 0 else { throw GDBHarness.Failure(description: "connect failed") }
    }

    func write(_ text: String) {
        let b = Array(text.utf8)
        _ = b.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads what arrives within `milliseconds`.
    func read(milliseconds: Int32 = 2000, until done: (String) -> Bool) -> String {
        var got: [UInt8] = []
        let deadline = Date().addingTimeInterval(Double(milliseconds) / 1000)
        while Date() < deadline && !done(String(decoding: got, as: UTF8.self)) {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 50) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            got += buffer[0..<n]
        }
        return String(decoding: got, as: UTF8.self)
    }

    func close() { _ = Glibc.close(fd) }

    /// Connects, sends `text`, waits a little, disconnects.
    static func send(port: UInt16, _ text: String) throws {
        let c = try RawClient(port: port)
        c.write(text)
        usleep(200_000)
        c.close()
    }
}
