import Foundation
import VMMCore

#if canImport(Glibc)
import Glibc
#endif

/// Where a machine's consoles go: echoed live as `(dN) line` and `(XEN) line`, and with
/// `--console-dir DIR` captured to DIR/NAME.log for each domain (NAME-ID.log for a domain
/// called xen, or one whose name another already took) and DIR/xen.log for the hypervisor's
/// log (`xl dmesg`).
/// Files start with everything the machine printed before they were attached, so the build
/// messages and a restored machine's history are there too.
final class ConsoleOutput {
    let echo: Bool
    let directory: String?
    private var files: [Int: FileHandle] = [:]
    private var xenLog: FileHandle?
    private var failed = false

    /// Creates the directory at once, so a bad one fails before anything runs.
    init(echo: Bool, directory: String?) throws {
        self.echo = echo
        self.directory = directory
        if let directory { try Self.makeDirectory(directory) }
    }

    /// `mkdir -p`, with the system's reason when it cannot.
    static func makeDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            if mkdir(prefix, 0o777) != 0 && errno != EEXIST {
                throw CommandFailure("cannot create console directory \(path): \(String(cString: strerror(errno)))")
            }
        }
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw CommandFailure("cannot create console directory \(path): not a directory")
        }
    }

    /// Sends `machine`'s consoles here from now on; with a directory, (re)writes its files
    /// with what the machine printed so far first.
    func attach(to machine: Hypervisor) throws {
        if let directory {
            files = [:]
            var used: Set<String> = ["xen"]
            for d in machine.domains {
                let clean = d.name.map { $0 == "/" ? "_" : $0 }
                var name = String(clean)
                while !used.insert(name).inserted { name += "-\(d.id)" }
                let handle = try Self.create(directory + "/" + name + ".log")
                // Complete lines only: the line being written comes whole through the listener.
                let text = d.consoleOutput
                if let lastNewline = text.lastIndex(of: 10) { write(Data(text[...lastNewline]), to: handle) }
                files[d.id] = handle
            }
            xenLog = try Self.create(directory + "/xen.log")
            if let xenLog { write(Data(machine.log.map { $0 + "\n" }.joined().utf8), to: xenLog) }
        }
        let echo = self.echo
        machine.consoleListener = { [self] domain, line in
            if echo { FileHandleOutput.standardOutput((domain.map { "(d\($0.id)) " } ?? "") + line) }
            guard let handle = domain.map({ files[$0.id] }) ?? xenLog else { return }
            write(Data((line + "\n").utf8), to: handle)
        }
    }

    /// At the end: each console's unfinished last line goes to its file too.
    func finish(_ machine: Hypervisor) {
        for d in machine.domains {
            guard let handle = files[d.id], let last = d.consoleOutput.last, last != 10 else { continue }
            let start = d.consoleOutput.lastIndex(of: 10).map { $0 + 1 } ?? d.consoleOutput.startIndex
            write(Data(d.consoleOutput[start...]), to: handle)
        }
    }

    private static func create(_ path: String) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return handle
    }

    private func write(_ data: Data, to handle: FileHandle) {
        do {
            try handle.write(contentsOf: data)
        } catch {
            guard !failed else { return }
            failed = true
            FileHandleOutput.standardError("xdbg: warning: console capture in \(directory ?? "?") stopped: \(error)")
        }
    }
}
