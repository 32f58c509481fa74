import Foundation
import VMMCore

/// Runs a machine with the recorder as its door for outside input and writes the trace:
/// the header, every input as it is asked for, a state check every `checkInterval`
/// instructions and at the end, then the end record.
public final class RecordSession {
    public struct Options {
        public var checkInterval: UInt64 = 10_000_000
        public var chaosSeed: UInt64?
        public var maxInstructions: UInt64 = .max
        public var quantum: UInt64 = 20_000
        public var injections: [(request: PlatformEventRequest, at: UInt64)] = []
        /// Console input to type at domains (`--input`), logged as it is delivered.
        public var consoleInputs: [(request: ConsoleInputRequest, at: UInt64)] = []
        /// End the recording within a million instructions of the first domain crash (for
        /// --until-crash: a crashed DomU's peers may wait for it forever).
        public var stopAfterCrash = false
        public init() {}
    }

    public struct Progress {
        public var instructions: UInt64
        public var virtualTime: UInt64
        public var traceBytes: UInt64
        public var blobBytes: UInt64
    }

    public let machine: Hypervisor
    public let path: String
    let writer: TraceWriter
    let recorder: Recorder
    public let blobs: BlobStore
    let options: Options

    /// Prepares a recording of `session` into `path` (its blobs in `path.blobs/`).
    public convenience init(session: Session, source: String, path: String, options: Options = Options()) throws {
        let setups = try SessionBoot.domainSetups(for: session)
        let machineOptions = SessionBoot.options(for: session, quantum: options.quantum)
        try self.init(machineOptions: machineOptions, setups: setups, source: source, path: path, options: options)
    }

    public init(machineOptions: Hypervisor.Options, setups: [DomainSetup], source: String, path: String,
                options: Options = Options()) throws {
        self.path = path
        self.options = options
        blobs = BlobStore.beside(trace: path)
        let header = try TracedMachine.header(options: machineOptions, setups: setups, source: source,
                                              checkInterval: max(1, options.checkInterval), chaosSeed: options.chaosSeed,
                                              blobs: blobs)
        writer = try TraceWriter(path: path, header: header)
        recorder = Recorder(writer: writer, blobs: blobs, chaosSeed: options.chaosSeed)
        for i in options.injections { recorder.schedule(i.request, atInstruction: i.at) }
        for i in options.consoleInputs { recorder.schedule(i.request, atInstruction: i.at) }
        machine = try SessionBoot.hypervisor(options: machineOptions, setups: setups, inputs: recorder)
    }

    /// Records until the machine stops or `maxInstructions`; calls `progress` at every check.
    public func run(progress: ((Progress) -> Void)? = nil) throws -> TraceEnd {
        var outcome = Hypervisor.Outcome.budgetSpent
        while true {
            let nextCheck = (machine.retiredInstructions / options.checkInterval + 1) * options.checkInterval
            var target = min(nextCheck, options.maxInstructions)
            if options.stopAfterCrash { target = min(target, machine.retiredInstructions + 1_000_000) }
            outcome = machine.run(budget: target)
            if let failure = recorder.failure { throw failure }
            guard outcome == .budgetSpent, machine.retiredInstructions < options.maxInstructions else { break }
            if options.stopAfterCrash && !machine.crashes.isEmpty {
                outcome = .budgetSpent
                break
            }
            guard machine.retiredInstructions == nextCheck else { continue }
            recorder.log(.stateCheck(StateCheck(of: machine)))
            progress?(Progress(instructions: machine.retiredInstructions, virtualTime: machine.now,
                               traceBytes: writer.bytesWritten, blobBytes: blobs.bytesWritten))
        }
        // The final state is checked too, unless a check was just taken there.
        recorder.log(.stateCheck(StateCheck(of: machine)))
        if let failure = recorder.failure { throw failure }
        let end = TraceEnd(outcome: Self.describe(outcome), instructions: machine.retiredInstructions,
                           virtualTime: machine.now, stateHash: machine.stateHash(),
                           crashes: machine.crashes.map {
                               TraceEnd.Crash(domain: $0.domain, name: $0.name, reason: $0.reason,
                                              instructions: $0.instructions, vcpu: $0.vcpu, ip: $0.ip)
                           })
        try writer.finish(end)
        return end
    }

    public var traceBytes: UInt64 { writer.bytesWritten }

    static func describe(_ outcome: Hypervisor.Outcome) -> String {
        switch outcome {
        case .allDomainsShutDown: "all domains shut down"
        case .budgetSpent: "instruction limit reached"
        case .deadlocked: "every vCPU blocked with no timer armed"
        case .breakpoint, .reachedTarget: "stopped"
        case .panicked(let p): "hypervisor panic: \(p.message)"
        }
    }
}
