import Foundation
import VMMCore

/// Re-executes a trace: the machine rebuilt from the header alone, every outside input given
/// back by the replayer at its recorded point, every recorded state check verified on the way.
/// The session can run forward to a position, a breakpoint or the end, and go back to any
/// earlier position by re-executing from the start.
public final class ReplaySession {
    public let trace: Trace
    public let blobs: BlobStore
    public internal(set) var machine: Hypervisor
    public private(set) var replayer: Replayer
    /// Stand-in disk files (see TracedMachine.setups), removed with the session.
    let scratch: String
    /// Break addresses per domain (nil key: every domain), re-applied after a rebuild.
    public internal(set) var breakpoints: [Int?: Set<UInt64>] = [:]
    /// State checks verified so far.
    public internal(set) var checksPassed = 0
    /// The furthest position whose state check this session has verified.
    var furthestVerified: UInt64 = 0
    /// Snapshots taken on the way forward (see ReplaySession+Checkpoints.swift).
    public internal(set) var checkpoints: [Checkpoint] = []
    /// Where the history ends: the last position of the recording.
    public var endOfHistory: UInt64 { trace.instructions }

    public enum Stop: Equatable {
        /// Reached the requested position.
        case position
        /// A vCPU is about to execute a bundle at a break address.
        case breakpoint(domain: Int, vcpu: Int)
        /// The end of the recording (`outcome` as recorded).
        case endOfHistory
        case divergence(Divergence)
    }

    public init(trace: Trace, blobs: BlobStore) throws {
        self.trace = trace
        self.blobs = blobs
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-replay-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        (machine, replayer) = try Self.build(trace, blobs: blobs, scratch: scratch)
    }

    public convenience init(path: String) throws {
        try self.init(trace: try Trace.read(path: path), blobs: BlobStore.beside(trace: path))
    }

    deinit { try? FileManager.default.removeItem(atPath: scratch) }

    static func build(_ trace: Trace, blobs: BlobStore, scratch: String) throws -> (Hypervisor, Replayer) {
        let replayer = Replayer(trace: trace, blobs: blobs)
        let setups = try TracedMachine.setups(trace.header, blobs: blobs, scratch: scratch)
        let machine: Hypervisor
        do {
            machine = try SessionBoot.hypervisor(options: TracedMachine.options(trace.header), setups: setups, inputs: replayer)
        } catch let e as SessionBoot.Failure {
            throw TraceError.io("cannot rebuild the recorded machine: \(e.description)")
        }
        if let d = replayer.divergence { throw TraceError.io(d.description) }
        return (machine, replayer)
    }

    public var position: UInt64 { machine.retiredInstructions }

    /// Stops before any bundle at `address` in `domain` (nil: every domain).
    public func setBreakpoint(_ address: UInt64, domain: Int? = nil) {
        breakpoints[domain, default: []].insert(address)
        applyBreakpoints()
    }

    public func clearBreakpoints() {
        breakpoints = [:]
        applyBreakpoints()
    }

    func applyBreakpoints() {
        for d in machine.domains {
            let set = (breakpoints[nil] ?? []).union(breakpoints[d.id] ?? [])
            for v in d.vcpus where v.cpu.breakAddresses != set { v.cpu.breakAddresses = set }
        }
    }

    /// The recording ended because the machine stopped by itself (not at an instruction limit
    /// and not cut short): the replay then runs on past the last instruction as the recording
    /// did, through the rounds in which the machine noticed it was done.
    var machineStoppedByItself: Bool {
        guard let end = trace.end else { return false }
        return end.outcome != RecordSession.describe(.budgetSpent)
    }

    /// Runs forward until `target` (a machine instruction count), a breakpoint, the end of the
    /// history or a divergence, verifying every state check passed on the way.
    public func run(to target: UInt64 = .max, vcpuTarget: (vcpu: VirtualCPU, retired: UInt64)? = nil) -> Stop {
        if let d = replayer.divergence { return .divergence(d) }
        let end = endOfHistory
        let byItself = machineStoppedByItself
        while true {
            if let d = verifyCheck(finalToo: false) { return .divergence(d) }
            var limit = min(target, byItself ? .max : end)
            if let check = replayer.nextStateCheckPosition, check > position { limit = min(limit, check) }
            let outcome = machine.run(until: StopConditions(instructions: limit, vcpuTarget: vcpuTarget))
            if let d = replayer.divergence { return .divergence(d) }
            switch outcome {
            case .breakpoint(let v):
                return .breakpoint(domain: v.domain.id, vcpu: v.id)
            case .reachedTarget:
                return .position
            case .budgetSpent:
                if let d = verifyCheck(finalToo: false) { return .divergence(d) }
                if position > end { return diverged("the replay ran past the end of the recording (instruction \(end))") }
                if position >= target { return .position }
                if !byItself && position >= end {
                    if let d = verifyCheck(finalToo: true) { return .divergence(d) }
                    return .endOfHistory
                }
            case .allDomainsShutDown, .deadlocked, .panicked:
                guard byItself, position == end else {
                    return diverged("the machine stopped (\(RecordSession.describe(outcome))) at instruction \(position); the recording ran to \(end)")
                }
                if let d = verifyCheck(finalToo: true) { return .divergence(d) }
                return .endOfHistory
            }
        }
    }

    func diverged(_ what: String) -> Stop {
        let interval = max(1, trace.header.checkInterval)
        let k = Int(position / interval)
        let d = Divergence(instructions: position, interval: k, intervalStart: UInt64(k) * interval,
                           intervalEnd: UInt64(k + 1) * interval, differences: [what])
        replayer.divergence = d
        return .divergence(d)
    }

    /// Verifies the state check recorded at the current position, if there is one.
    /// The last check of a finished recording is taken after the machine stopped; it is only
    /// verified when `finalToo`.
    func verifyCheck(finalToo: Bool) -> Divergence? {
        if !finalToo && trace.end != nil && replayer.cursor == replayer.events.count - 1 { return nil }
        guard let recorded = replayer.takeStateCheck(at: position) else { return nil }
        let differences = StateCheck(of: machine).differences(from: recorded)
        guard !differences.isEmpty else {
            checksPassed += 1
            let firstPass = position > furthestVerified
            furthestVerified = max(furthestVerified, position)
            if wantsCheckpoint(firstPass: firstPass) { takeCheckpoint() }
            return nil
        }
        let interval = max(1, trace.header.checkInterval)
        let k = Int((position - 1) / interval)
        let d = Divergence(instructions: position, interval: k, intervalStart: UInt64(k) * interval,
                           intervalEnd: position, differences: differences)
        replayer.divergence = d
        return d
    }

    /// Where to checkpoint, at a state check just verified. Going over history for the first
    /// time (the plain forward replay), checkpoints thin out as the history grows: at checks
    /// 4, 8, 16, 32… and at each of the last few before the end, where reverse steps start, so
    /// a forward replay costs little more than the recording. Going over it again (after going
    /// back), at every fourth check: the places a debugger works near get dense checkpoints,
    /// and going back from there re-executes at most four intervals.
    func wantsCheckpoint(firstPass: Bool) -> Bool {
        let interval = max(1, trace.header.checkInterval)
        let k = position / interval
        if position + 3 * interval >= endOfHistory { return true }
        return firstPass ? k >= 4 && k & (k - 1) == 0 : k % 4 == 0
    }

    /// Rebuilds the machine at position 0 (breakpoints kept).
    public func restart() throws {
        (machine, replayer) = try Self.build(trace, blobs: blobs, scratch: scratch)
        checksPassed = 0
        applyBreakpoints()
    }

    /// Goes to machine position `target`; backwards from the nearest earlier checkpoint. Stops early
    /// only at a divergence or the end of the history (breakpoints are ignored on the way).
    public func seek(to target: UInt64) throws -> Stop {
        if target < position { try restoreNearest(atOrBefore: target) }
        let saved = breakpoints
        breakpoints = [:]
        applyBreakpoints()
        defer {
            breakpoints = saved
            applyBreakpoints()
        }
        if position == target { return .position }
        return run(to: target)
    }
}
