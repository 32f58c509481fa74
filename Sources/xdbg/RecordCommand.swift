import ArgumentParser
import Foundation
import Replay
import VMMCore

/// `xdbg record`: runs a session with every outside input logged to a trace.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a session into a trace that replays bit-identically.",
        discussion: """
            With no session, records the bundled default. The trace's guest images and disk \
            blocks are stored beside it in TRACE.blobs/. --chaos perturbs scheduling quanta and \
            I/O latencies (seeded, and recorded like any other input); --until-crash re-records \
            with new seeds until a domain crashes and keeps only that trace.
            """)

    @Argument(help: "A session file or directory (default: the bundled default session).")
    var session: String?

    @Option(name: .shortAndLong, help: "The trace file to write (default: out/traces/SESSION.trace).")
    var output: String?

    @Flag(name: .long, help: "Perturb interrupt timing and scheduling quanta.")
    var chaos = false

    @Option(name: .long, help: "The chaos seed (default: taken from the host clock, and printed).")
    var seed: UInt64?

    @Flag(name: .long, help: "Re-record (with chaos and a new seed each time) until a domain crashes.")
    var untilCrash = false

    @Option(name: .long, help: "With --until-crash: give up after this many recordings.")
    var maxRuns: Int = 50

    @Option(name: .long, help: "Stop recording after this many instructions (with --until-crash: each run; default 500000000).")
    var maxInsns: UInt64?

    @Option(name: .long, help: "Instructions between two logged state checks.")
    var checkInterval: UInt64 = 10_000_000

    @Option(name: .long, parsing: .singleValue,
            help: "Inject a machine check or INIT: mca|init:DOMAIN:VCPU@INSTRUCTIONS (repeatable).")
    var inject: [String] = []

    @Option(name: .long, parsing: .singleValue,
            help: "Type TEXT at a domain's console: DOMAIN@INSTRUCTIONS:TEXT, \\n a newline (repeatable).")
    var input: [String] = []

    @Flag(name: .long, help: "Do not echo the consoles.")
    var quiet = false

    @Option(name: .long, help: "Capture each domain's console to DIR/NAME.log and the hypervisor log to DIR/xen.log.")
    var consoleDir: String?

    func validate() throws {
        guard maxRuns >= 1 else { throw ValidationError("--max-runs must be at least 1") }
        guard checkInterval >= 1000 else { throw ValidationError("--check-interval must be at least 1000") }
        if let m = maxInsns, m == 0 { throw ValidationError("--max-insns must be positive") }
    }

    func run() throws {
        try reportingFailures {
            // With --until-crash the files are rewritten for each attempt: they end up holding the kept one.
            let consoles = try ConsoleOutput(echo: !quiet && !untilCrash, directory: consoleDir)
            let path = SessionPath.resolve(session)
            let parsed: Session
            do { parsed = try SessionFile.load(path: path) } catch let e as ConfigError { throw CommandFailure(e.description) }
            for w in parsed.warnings { FileHandleOutput.standardError("xdbg: warning: " + w) }
            var injections: [(PlatformEventRequest, UInt64)] = []
            for spec in inject {
                guard let (event, domain, vcpu, at) = BootCommand.parseInjection(spec) else {
                    throw CommandFailure("bad --inject '\(spec)': expected mca|init:DOMAIN:VCPU@INSTRUCTIONS, e.g. mca:1:0@5000000")
                }
                injections.append((PlatformEventRequest(event: event, domain: domain, vcpu: vcpu), at))
            }
            let consoleInputs = try ConsoleInputSpec.parseAll(input)
            // Domains are numbered in session order: Dom0, then the DomUs. Checked before any
            // file is written.
            try ConsoleInputSpec.checkDomains(consoleInputs, ids: Array(0...parsed.domUs.count))
            let name = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
            let out = output ?? "out/traces/\(name).trace"
            let dir = URL(fileURLWithPath: out).deletingLastPathComponent().path
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)

            let useChaos = chaos || untilCrash
            var nextSeed = seed ?? UInt64(Date().timeIntervalSince1970 * 1000) & 0xffff_ffff
            let runs = untilCrash ? maxRuns : 1
            for run in 1...runs {
                var options = RecordSession.Options()
                options.checkInterval = checkInterval
                options.chaosSeed = useChaos ? nextSeed : nil
                // A run that never crashes must still end: --until-crash caps each at 500M.
                options.maxInstructions = maxInsns ?? (untilCrash ? 500_000_000 : .max)
                options.stopAfterCrash = untilCrash
                options.injections = injections.map { ($0.0, $0.1) }
                options.consoleInputs = consoleInputs.map { ($0.request, $0.at) }
                let target = untilCrash ? out + ".attempt" : out
                let recording: RecordSession
                do {
                    recording = try RecordSession(session: parsed, source: path, path: target, options: options)
                } catch let e as SessionBoot.Failure { throw CommandFailure(e.description) }
                try consoles.attach(to: recording.machine)
                let panicReport = PanicReport(path: target + ".panic.txt",
                                              position: "trace \(target): xdbg replay \(target) reproduces it")
                panicReport.attach(to: recording.machine)
                let progress = ProgressLine(enabled: isatty(2) != 0)
                let end = try recording.run { p in
                    progress.show("recording: \(Self.millions(p.instructions)) instructions, virtual time \(p.virtualTime), trace \(p.traceBytes) bytes")
                }
                progress.clear()
                consoles.finish(recording.machine)
                if untilCrash {
                    guard let crash = end.crashes.first else {
                        FileHandleOutput.standardError("xdbg: run \(run) (seed \(nextSeed)): no crash in \(end.instructions) instructions")
                        try? FileManager.default.removeItem(atPath: target)
                        nextSeed &+= 1
                        continue
                    }
                    try? FileManager.default.removeItem(atPath: out)
                    try FileManager.default.moveItem(atPath: target, toPath: out)
                    try Self.moveBlobs(from: target + ".blobs", to: out + ".blobs")
                    print("xdbg: run \(run) crashed (seed \(nextSeed)): domain \(crash.domain) (\(crash.name)): \(crash.reason) at instruction \(crash.instructions)")
                }
                let seedNote = options.chaosSeed.map { ", chaos seed \($0)" } ?? ""
                print("xdbg: recorded \(end.instructions) instructions (\(end.outcome)\(seedNote)) into \(out): \(recording.traceBytes) bytes, \(String(format: "%.3f", Double(recording.traceBytes) * 1000 / Double(max(1, end.instructions)))) bytes per 1000 instructions")
                if !untilCrash { for c in end.crashes { print("xdbg: domain \(c.domain) (\(c.name)) crashed: \(c.reason) at instruction \(c.instructions)") } }
                print("state hash: \(end.stateHash)")
                try panicReport.failIfPanicked()
                return
            }
            try? FileManager.default.removeItem(atPath: out + ".attempt")
            throw CommandFailure("no domain crashed in \(maxRuns) recordings")
        }
    }

    static func millions(_ n: UInt64) -> String { String(format: "%.1fM", Double(n) / 1e6) }

    /// Merges an attempt's blobs into the kept trace's blob directory.
    static func moveBlobs(from: String, to: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: to, withIntermediateDirectories: true)
        for name in (try? fm.contentsOfDirectory(atPath: from)) ?? [] where !fm.fileExists(atPath: to + "/" + name) {
            try fm.moveItem(atPath: from + "/" + name, toPath: to + "/" + name)
        }
        try? fm.removeItem(atPath: from)
    }
}

/// A status line on stderr, rewritten in place on a terminal and silent otherwise.
final class ProgressLine {
    let enabled: Bool
    init(enabled: Bool) { self.enabled = enabled }
    func show(_ text: String) {
        guard enabled else { return }
        FileHandleOutput.standardErrorRaw("\r\u{1b}[K" + text)
    }
    func clear() {
        guard enabled else { return }
        FileHandleOutput.standardErrorRaw("\r\u{1b}[K")
    }
}
