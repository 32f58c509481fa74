import ArgumentParser
import Foundation
import GDBStub
import IA64Exec
import Replay
import Symbols
import VMMCore

/// `xdbg replay TRACE`: re-executes a recording exactly, stopping where asked.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a trace bit-identically; stop at breakpoints, an instruction count or the crash.",
        discussion: """
            --break takes a kernel symbol, a hex address or icount:N (a machine instruction \
            count); it stops at the first hit and prints where. Every state check the \
            recording logged is verified on the way; --verify replays the whole trace and \
            checks the final state too.
            """)

    @Argument(help: "The trace file.")
    var trace: String

    @Option(name: .customLong("break"), parsing: .singleValue, help: "SYMBOL, ADDR or icount:N (repeatable).")
    var breaks: [String] = []

    @Option(name: .long, parsing: .singleValue,
            help: "Stop after a write to ADDR or SYMBOL, LEN bytes (default 8): ADDR|SYMBOL[:LEN] (repeatable).")
    var watch: [String] = []

    @Option(name: .long, help: "Only break in this domain.")
    var domain: Int?

    @Flag(name: .long, help: "Replay to the end, verifying every state check and the final state.")
    var verify = false

    @Flag(name: .long, help: "At the stop, print the stopped vCPU's guest call trace (from the kernel's unwind tables).")
    var backtrace = false

    @Flag(name: .long, help: "Stop where the recording's first crash happened.")
    var untilCrash = false

    @Flag(name: .long, help: "Echo the domains' consoles while replaying.")
    var console = false

    @Option(name: .long, help: "Capture each domain's console to DIR/NAME.log and the hypervisor log to DIR/xen.log (up to the stop).")
    var consoleDir: String?

    @Option(name: .customLong("gdb"), help: "Serve gdb on 127.0.0.1:PORT (':0' picks a port and prints it).")
    var gdbPort: String?

    @Flag(name: .customLong("gdb-stdio"), help: "Serve gdb over stdin/stdout (target remote | xdbg replay TRACE --gdb-stdio).")
    var gdbStdio = false

    func run() throws {
        try reportingFailures {
            if consoleDir != nil && (gdbPort != nil || gdbStdio) {
                throw CommandFailure("--console-dir does not combine with --gdb (a debugger moves the replay back and forth)")
            }
            let consoles = try ConsoleOutput(echo: console, directory: consoleDir)
            let session: ReplaySession
            do { session = try ReplaySession(path: trace) } catch let e as TraceError {
                throw CommandFailure("\(trace): \(e.description)")
            }
            if gdbPort != nil || gdbStdio {
                try serveGDB(session)
                return
            }
            try consoles.attach(to: session.machine)
            var target = UInt64.max
            var names: [UInt64: String] = [:]
            for spec in breaks {
                if spec.hasPrefix("icount:") {
                    guard let n = UInt64(spec.dropFirst(7)) else { throw CommandFailure("bad --break '\(spec)': icount:N needs a number") }
                    target = min(target, n)
                } else if spec.hasPrefix("0x"), let a = UInt64(spec.dropFirst(2), radix: 16) {
                    session.setBreakpoint(a & ~0xf, domain: domain)
                    names[a & ~0xf] = spec
                } else if let colon = spec.lastIndex(of: ":"), let line = Int(spec[spec.index(after: colon)...]) {
                    // FILE:LINE, through the kernels' DWARF line tables.
                    let file = String(spec[..<colon])
                    var found = false
                    for d in session.machine.domains where domain == nil || d.id == domain {
                        guard let table = try? symbolTable(session, domain: d.id) else { continue }
                        for pc in table.addresses(file: file, line: line) {
                            session.setBreakpoint(pc.bundle, domain: d.id)
                            names[pc.bundle] = spec
                            found = true
                        }
                    }
                    guard found else { throw CommandFailure("bad --break '\(spec)': no code for that line in the recorded kernels") }
                } else {
                    let domains = session.machine.domains.filter { domain == nil || $0.id == domain }
                    var found = false
                    for d in domains {
                        if let a = d.kernelSymbol(spec) {
                            session.setBreakpoint(a, domain: d.id)
                            names[a] = spec
                            found = true
                        }
                    }
                    guard found else { throw CommandFailure("bad --break '\(spec)': no such symbol in the recorded kernels") }
                }
            }
            for spec in watch {
                let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
                let length = parts.count == 2 ? UInt64(parts[1]) : 8
                guard let length, length >= 1, length <= 4096 else {
                    throw CommandFailure("bad --watch '\(spec)': LEN must be 1 to 4096")
                }
                var found = false
                for d in session.machine.domains where domain == nil || d.id == domain {
                    let address: UInt64?
                    if parts[0].hasPrefix("0x") { address = UInt64(parts[0].dropFirst(2), radix: 16) } else {
                        address = d.kernel?.symbol(named: parts[0])?.value
                    }
                    guard let address else { continue }
                    for v in d.vcpus {
                        v.cpu.hostWatches.append(HostWatch(address: address, length: length, reads: false, writes: true))
                    }
                    names[address] = spec
                    found = true
                }
                guard found else { throw CommandFailure("bad --watch '\(spec)': expected a hex address or a kernel symbol") }
            }
            if untilCrash {
                guard let crash = session.trace.end?.crashes.first else {
                    throw CommandFailure("\(trace): the recording has no crash")
                }
                target = min(target, crash.instructions)
            }
            let panicReport = PanicReport(path: trace + ".replay-panic.txt",
                                          position: "trace \(trace), replayed: the recording panicked at the same instruction")
            panicReport.attach(to: session.machine)
            let progress = ProgressLine(enabled: isatty(2) != 0 && !console)
            var stop: ReplaySession.Stop
            repeat {
                let step = min(target, session.position + 50_000_000)
                stop = session.run(to: step)
                progress.show("replaying: \(RecordCommand.millions(session.position)) of \(RecordCommand.millions(session.endOfHistory)) instructions")
            } while stop == .position && session.position < target
            progress.clear()
            consoles.finish(session.machine)
            switch stop {
            case .divergence(let d):
                throw CommandFailure("divergence: \(d.description)")
            case .breakpoint(let domainID, let vcpu):
                let v = session.machine.domains.first { $0.id == domainID }!.vcpus[vcpu]
                if let hit = v.cpu.hostWatchHit {
                    let w = v.cpu.hostWatches[hit.watch]
                    let now = v.cpu.debugTranslate(w.address).flatMap { v.domain.memory.bytes(at: $0, count: Int(min(w.length, 8))) }
                    let value = now.map { bytes in "0x" + String(bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }, radix: 16) } ?? "?"
                    print("xdbg: watchpoint \(names[w.address] ?? "0x" + String(w.address, radix: 16)) hit: \(hit.size)-byte write at 0x\(String(hit.address, radix: 16)), value now \(value)")
                } else {
                    print("xdbg: breakpoint \(names[v.cpu.ip] ?? "0x" + String(v.cpu.ip, radix: 16)) hit")
                }
                print(StopReport.render(v, machine: session.machine))
                try printBacktrace(v, session)
            case .position:
                if untilCrash, let crash = session.trace.end?.crashes.first, session.position == crash.instructions {
                    print("xdbg: crash of domain \(crash.domain) (\(crash.name)) at instruction \(crash.instructions): \(crash.reason)")
                    if crash.vcpu >= 0, let d = session.machine.domain(crash.domain) {
                        print(StopReport.render(d.vcpus[crash.vcpu], machine: session.machine))
                        try printBacktrace(d.vcpus[crash.vcpu], session)
                    }
                } else {
                    print("xdbg: stopped at instruction \(session.position)")
                    for d in session.machine.domains where d.isAlive {
                        for v in d.vcpus where v.isUp {
                            print(StopReport.render(v, machine: session.machine))
                            try printBacktrace(v, session)
                        }
                    }
                }
            case .endOfHistory:
                let recorded = session.trace.end?.stateHash
                let hash = session.machine.stateHash()
                if verify {
                    guard recorded == nil || recorded == hash else {
                        throw CommandFailure("divergence: final state hash \(hash), the recording ended with \(recorded!)")
                    }
                    print("xdbg: replay verified: \(session.position) instructions, \(session.checksPassed) state checks passed" + (recorded != nil ? ", final state matches the recording" : " (recording cut short: no final state to compare)"))
                } else {
                    print("xdbg: end of the recording at instruction \(session.position)")
                }
                for c in session.trace.end?.crashes ?? [] {
                    print("xdbg: domain \(c.domain) (\(c.name)) crashed: \(c.reason) at instruction \(c.instructions)")
                }
                print("state hash: \(hash)")
                try panicReport.failIfPanicked()
            }
        }
    }

    /// Serves the replay to gdb (see ReplayDebugTarget): --domain limits the threads to one
    /// domain; the other stop options do not apply.
    func serveGDB(_ session: ReplaySession) throws {
        guard breaks.isEmpty, !verify, !untilCrash, !(gdbPort != nil && gdbStdio) else {
            throw CommandFailure("--gdb/--gdb-stdio take only --domain (and one of them)")
        }
        let target: ReplayDebugTarget
        do { target = try ReplayDebugTarget(session: session, domain: domain) } catch {
            throw CommandFailure("no domain \(domain ?? -1) in the recording")
        }
        let server = GDBServer(target: target)
        if gdbStdio {
            server.serveStandardIO()
            return
        }
        let spec = gdbPort!
        guard spec.hasPrefix(":"), let port = UInt16(spec.dropFirst()) else {
            throw CommandFailure("bad --gdb '\(spec)': expected :PORT (loopback only)")
        }
        let bound = try server.listen(port: port)
        FileHandleOutput.standardOutput("xdbg: gdb server for \(trace) listening on 127.0.0.1:\(bound) (target remote :\(bound))")
        server.serveForever()
    }

    /// The kernel image of a recorded domain, from the trace's blob store, with its symbols.
    func symbolTable(_ session: ReplaySession, domain: Int) throws -> SymbolTable {
        guard domain < session.trace.header.domains.count else { throw CommandFailure("no domain \(domain) in the trace") }
        let path = session.blobs.path(session.trace.header.domains[domain].kernelHash)
        do { return try SymbolTable(path: path) } catch { throw CommandFailure("domain \(domain) kernel \(path): \(error)") }
    }

    func printBacktrace(_ v: VirtualCPU, _ session: ReplaySession) throws {
        // Where the stop is in the source, from the kernel's DWARF line table.
        if let table = try? symbolTable(session, domain: v.domain.id) {
            let place = table.symbolize(GuestPC(bundle: v.cpu.ip, slot: min(v.cpu.slot, 2)))
            print("at \(place.functionText) \(place.locationText)")
        }
        guard backtrace else { return }
        print(GuestBacktrace.render(v, symbols: try symbolTable(session, domain: v.domain.id)))
    }
}
