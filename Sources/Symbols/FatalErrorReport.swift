#if canImport(Glibc)
import Glibc
#endif

/// A report for an internal fatal error: the message, the host stack, and sections the caller
/// adds (guest state, trace position, …). `render()` is plain text; `write(to:)` saves it.
public struct FatalErrorReport: Sendable {
    public struct Section: Hashable, Sendable {
        public let title: String
        public let body: String

        public init(title: String, body: String) {
            self.title = title
            self.body = body
        }
    }

    public var message: String
    public var hostStack: HostBacktrace
    public var sections: [Section]

    /// Captures the host stack now (without this initializer's frame and `skip` more).
    @inline(never)
    public init(message: String, sections: [Section] = [], skip: Int = 0) {
        self.message = message
        self.hostStack = HostBacktrace.capture(skip: 1 + skip)
        self.sections = sections
    }

    public init(message: String, hostStack: HostBacktrace, sections: [Section] = []) {
        self.message = message
        self.hostStack = hostStack
        self.sections = sections
    }

    public mutating func addSection(_ title: String, _ body: String) {
        sections.append(Section(title: title, body: body))
    }

    public func render() -> String {
        var out = "xdbg fatal error: \(message)\n"
        for section in sections {
            out += "\n== \(section.title) ==\n" + section.body
            if !section.body.hasSuffix("\n") { out += "\n" }
        }
        out += "\n== host stack ==\n" + hostStack.description + "\n"
        return out
    }

    /// Writes the report to `path` (created or replaced).
    public func write(to path: String) throws {
        let text = render()
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw SymbolError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let ok = text.withCString { p -> Bool in
            var done = 0
            let total = strlen(p)
            while done < total {
                let n = Glibc.write(fd, p + done, total - done)
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        guard ok else { throw SymbolError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
    }
}
