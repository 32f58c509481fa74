import IA64Exec

/// The hypervisor: owns the modelled physical CPUs, the domains and virtual time, runs every
/// vCPU on one host thread in quanta of retired instructions, and services what guests ask of
/// it (hypercalls, hyperprivops, privileged instructions) and what it must give them
/// (reflected interruptions, events, timer ticks).
///
/// Virtual time is counted in ITC ticks, one per retired instruction: each scheduling round
/// lets every physical CPU run one vCPU for a quantum, then time advances by the quantum. A
/// vCPU's ar.itc never goes backwards; when every vCPU is blocked, time jumps to the next
/// timer deadline (or block-device completion) instead of spinning. Block completions due
/// by a round's start are delivered at that round boundary.
public final class Hypervisor {
    public struct Options: Sendable {
        public var physicalCPUs: Int = 8
        /// Instructions a vCPU runs before the physical CPU moves to the next one.
        public var quantum: UInt64 = 20_000
        /// Machine memory and the hypervisor's own heap (xenheap_megabytes).
        public var memoryMiB: UInt64 = 8192
        public var xenheapMiB: UInt64 = 32
        /// Debug-only (`xdbg_debug_panic=N` on the Xen command line): the hypervisor panics once
        /// N instructions have retired, to exercise xdbg's panic reports and their replay.
        public var debugPanicAt: UInt64?
        public init(physicalCPUs: Int = 8, quantum: UInt64 = 20_000, memoryMiB: UInt64 = 8192, xenheapMiB: UInt64 = 32,
                    debugPanicAt: UInt64? = nil) {
            self.physicalCPUs = physicalCPUs
            self.quantum = quantum
            self.memoryMiB = memoryMiB
            self.xenheapMiB = xenheapMiB
            self.debugPanicAt = debugPanicAt
        }
    }

    public enum Outcome: Equatable {
        case allDomainsShutDown
        case budgetSpent
        /// Every live vCPU waits and nothing can wake it.
        case deadlocked
        /// A vCPU is about to execute a bundle at one of its processor's break addresses.
        case breakpoint(VirtualCPU)
        /// `StopConditions.vcpuTarget` was reached.
        case reachedTarget(VirtualCPU)
        /// The hypervisor hit a fatal internal error; the machine runs no more.
        case panicked(HypervisorPanic)

        public static func == (a: Outcome, b: Outcome) -> Bool {
            switch (a, b) {
            case (.allDomainsShutDown, .allDomainsShutDown), (.budgetSpent, .budgetSpent), (.deadlocked, .deadlocked): true
            case (.breakpoint(let x), .breakpoint(let y)), (.reachedTarget(let x), .reachedTarget(let y)): x === y
            case (.panicked(let x), .panicked(let y)): x == y
            default: false
            }
        }
    }

    public let options: Options
    public internal(set) var domains: [Domain] = []
    /// Virtual time (ITC ticks).
    public internal(set) var now: UInt64 = 0
    /// Instructions retired by all vCPUs.
    public internal(set) var retiredInstructions: UInt64 = 0
    /// The hypervisor's own log, `xl dmesg` style.
    public internal(set) var log: [String] = []
    /// Called with each line a domain's console completes (and each hypervisor log line, with
    /// a nil domain), for live echo.
    public var consoleListener: ((Domain?, String) -> Void)?
    var partialLines: [Int: [UInt8]] = [:]
    var errorRecordCount: UInt64 = 0
    /// The hypervisor's fatal internal error, once it happened (see `raisePanic`).
    public internal(set) var panic: HypervisorPanic?
    /// Called at the panic site (xdbg captures the host stack and writes its report there).
    public var panicHandler: ((HypervisorPanic) -> Void)?
    /// Every domain crash, in order.
    public internal(set) var crashes: [CrashRecord] = []
    /// Where the run loop stands between calls of `run` (see RunLoopState.swift).
    var loop = RunLoopState()
    /// The one door for input from outside the machine (see ExternalInputs.swift).
    public var inputs: ExternalInputs = StandardInputs()
    /// Block requests taken off the rings, waiting for their completion time, and a counter
    /// that orders them (see BlockBackend.swift).
    var blockCompletions: [PendingBlockCompletion] = []
    var blockSequence: UInt64 = 0
    /// Frames their owner ballooned away while another domain mapped them through a grant:
    /// freed when the last mapping goes (see Hypervisor+GrantMapping.swift).
    var orphanedFrames: [UInt64] = []
    /// Console input for Dom0 not yet read with CONSOLEIO_read (Xen's serial_rx_ring; see
    /// Hypervisor+ConsoleInput.swift).
    var serialInput: [UInt8] = []
    /// The vCPU inside continueSlice, whose ITC is the precise current time.
    var runningVCPU: VirtualCPU?
    /// Round-robin position per physical CPU.
    var nextOnCPU: [Int]

    /// Machine RAM (frames allocated to domains and to the hypervisor's shared pages) and the
    /// bounded heap for the hypervisor's metadata.
    public let machineMemory: MachineMemory
    public let heap: XenHeap

    public init(options: Options = Options()) {
        self.options = options
        machineMemory = MachineMemory(bytes: options.memoryMiB << 20)
        heap = XenHeap(megabytes: options.xenheapMiB)
        nextOnCPU = Array(repeating: 0, count: max(1, options.physicalCPUs))
    }

    func printk(_ line: String) {
        log.append("(XEN) " + line)
        consoleListener?(nil, "(XEN) " + line)
    }

    public func domain(_ id: Int) -> Domain? { domains.first { $0.id == id } }

    // MARK: - Running

    /// Runs until every domain has shut down, `budget` instructions have retired in total, or
    /// nothing can run any more. Stopping at the budget is a pause: a later `run` continues
    /// exactly as if the machine had never stopped.
    public func run(budget: UInt64 = .max) -> Outcome {
        run(until: StopConditions(instructions: budget))
    }

    /// Runs until a stop condition holds or the machine can go no further. Every return is a
    /// pause at an instruction boundary that a later call resumes transparently: the run loop
    /// keeps where it stands (round, physical CPU, vCPU slice) in `loop`.
    public func run(until stop: StopConditions) -> Outcome {
        if let panic { return .panicked(panic) }
        var limits = stop
        if let at = options.debugPanicAt { limits.instructions = min(limits.instructions, at) }
        let outcome = runLoop(until: limits)
        if outcome == .budgetSpent, let at = options.debugPanicAt, retiredInstructions >= at {
            return .panicked(raisePanic("debug panic requested by xdbg_debug_panic=\(at)"))
        }
        return outcome
    }

    /// A fatal internal error: recorded, reported to `panicHandler` from right here (so a host
    /// backtrace taken there shows where it happened), and the machine stops for good.
    @inline(never)
    func raisePanic(_ message: String) -> HypervisorPanic {
        let p = HypervisorPanic(message: message, instructions: retiredInstructions, virtualTime: now)
        panic = p
        printk("PANIC: \(message) at instruction \(retiredInstructions)")
        panicHandler?(p)
        return p
    }

    func runLoop(until stop: StopConditions) -> Outcome {
        while true {
            if let slice = loop.slice {
                if let outcome = continueSlice(slice, stop) { return outcome }
                loop.slice = nil
                continue
            }
            if retiredInstructions >= stop.instructions { return .budgetSpent }
            if !loop.roundOpen {
                guard domains.contains(where: { $0.isAlive }) else { return .allDomainsShutDown }
                for request in inputs.platformEvents(at: InputPoint(instructions: retiredInstructions)) {
                    inject(request.event, domain: request.domain, vcpu: request.vcpu)
                }
                for request in inputs.consoleInput(at: InputPoint(instructions: retiredInstructions)) {
                    deliverConsoleInput(request)
                }
                deliverBlockCompletions()
                wakeTimers(upTo: now + options.quantum)
                loop.roundOpen = true
                loop.nextCPU = 0
                loop.ranAny = false
                continue
            }
            if loop.nextCPU < nextOnCPU.count {
                let p = loop.nextCPU
                loop.nextCPU += 1
                let candidates = runnable(on: p)
                guard !candidates.isEmpty else { continue }
                let v = candidates[nextOnCPU[p] % candidates.count]
                nextOnCPU[p] = (nextOnCPU[p] + 1) % max(1, candidates.count)
                let point = InputPoint(instructions: retiredInstructions, domain: v.domain.id, vcpu: v.id)
                let quantum = max(1, inputs.quantum(at: point, standard: options.quantum))
                v.cpu.setIntervalTimeCounter(max(now, v.lastITC))
                loop.slice = RunningSlice(vcpu: v, end: v.cpu.retired + quantum)
                loop.ranAny = true
                continue
            }
            loop.roundOpen = false
            if loop.ranAny {
                now += options.quantum
            } else if let next = [nextTimerDeadline(), nextBlockCompletion()].compactMap({ $0 }).min() {
                now = max(now + 1, next)  // idle: skip ahead to the next timer or completion
            } else if domains.contains(where: { $0.isAlive }) {
                printk("all vCPUs are blocked and no timer is armed")
                return .deadlocked
            }
        }
    }

    func runnable(on p: Int) -> [VirtualCPU] {
        var list: [VirtualCPU] = []
        for d in domains where d.life == .running {
            for v in d.vcpus where v.physicalCPU == p && v.state == .runnable { list.append(v) }
        }
        return list
    }

    /// Blocked vCPUs whose timer falls due within this round wake with their ITC at the
    /// deadline: they slept until then. A vcpu_op timer of a waiting vCPU fires at its
    /// deadline; its VIRQ_TIMER wakes the vCPU only if delivered (bound, not masked), as Xen's.
    func wakeTimers(upTo end: UInt64) {
        for d in domains where d.life == .running {
            for v in d.vcpus {
                switch v.state {
                case .blocked:
                    if v.timerEnabled, let itm = v.itm, itm < end {
                        v.lastITC = max(v.lastITC, itm)
                        v.state = .runnable
                    }
                case .polling(_, let deadline):
                    if let deadline, deadline < end {
                        v.lastITC = max(v.lastITC, deadline)
                        v.state = .runnable
                    }
                default: break
                }
                while v.state != .runnable, v.state != .down, let deadline = v.timers.nextDeadline, deadline < end {
                    v.lastITC = max(v.lastITC, deadline)
                    if v.timers.takeDue(at: deadline) { sendVIRQ(XenABI.VIRQ.timer, to: v) }
                }
            }
        }
    }

    func nextTimerDeadline() -> UInt64? {
        var best: UInt64?
        for d in domains where d.life == .running {
            for v in d.vcpus {
                var deadlines: [UInt64?] = []
                if v.state == .blocked, v.timerEnabled { deadlines.append(v.itm) }
                if case .polling(_, let dl) = v.state { deadlines.append(dl) }
                if v.state != .runnable, v.state != .down { deadlines.append(v.timers.nextDeadline) }
                for case let dl? in deadlines { best = min(best ?? .max, dl) }
            }
        }
        return best
    }

    /// Runs the slice's vCPU, servicing its interruptions, until it blocks, its domain stops or
    /// the slice is spent (nil), or until a stop condition holds (the outcome; the slice stays
    /// open and the next call resumes the very processor run that was cut short).
    func continueSlice(_ s: RunningSlice, _ stop: StopConditions) -> Outcome? {
        let v = s.vcpu, cpu = v.cpu
        runningVCPU = v
        defer { runningVCPU = nil }
        while true {
            if let inner = s.inner {
                if retiredInstructions >= stop.instructions { return .budgetSpent }
                var limit = min(inner, cpu.retired + (stop.instructions - retiredInstructions))
                if let target = stop.vcpuTarget, target.vcpu === v {
                    if cpu.retired >= target.retired { return .reachedTarget(v) }
                    limit = min(limit, target.retired)
                }
                let steppingOver = s.atBreakpoint
                if steppingOver {
                    // Resuming from a breakpoint: its instruction runs before the checks return.
                    limit = min(limit, cpu.retired + 1)
                    cpu.suspendBreakAddresses = true
                }
                let before = cpu.retired
                let reason = cpu.run(until: limit)
                if steppingOver {
                    cpu.suspendBreakAddresses = false
                    s.atBreakpoint = false
                }
                retiredInstructions += cpu.retired - before
                switch reason {
                case .instructionLimit:
                    if cpu.retired >= inner { s.inner = nil }
                    continue
                case .reachedStopAddress:
                    s.atBreakpoint = true
                    return .breakpoint(v)
                case .interruption(let i):
                    s.inner = nil
                    // Instructions the hypervisor completes for the guest count too, so that
                    // every retired instruction moves the machine's position.
                    let handled = cpu.retired
                    handle(i, on: v)
                    if cpu.retired > handled { retiredInstructions += cpu.retired - handled }
                    continue
                }
            }
            guard cpu.retired < s.end && v.state == .runnable && v.domain.life == .running else { break }
            checkTimer(v)
            deliverPendingEvent(v)
            guard v.state == .runnable, v.domain.life == .running else { break }
            var limit = s.end
            let itc = cpu.intervalTimeCounter
            for case let deadline? in [v.timerEnabled ? v.itm : nil, v.timers.nextDeadline] where deadline > itc {
                limit = min(limit, VCPUTimers.after(cpu.retired, deadline - itc))  // deadlines come from the guest
            }
            s.inner = limit
        }
        v.lastITC = cpu.intervalTimeCounter
        return nil
    }

    /// The virtual timer: once ITC reaches itm (and itv is unmasked), VIRQ_ITC goes to the
    /// vCPU when it has an event callback, otherwise the itv vector pends. Once per itm value.
    /// Then the vcpu_op timers, whose VIRQ_TIMER goes to the vCPU at their deadlines.
    func checkTimer(_ v: VirtualCPU) {
        let itc = v.cpu.intervalTimeCounter
        if v.timerEnabled, let itm = v.itm, itc >= itm {
            v.itm = nil
            if v.eventCallback != nil {
                sendVIRQ(XenABI.VIRQ.itc, to: v)
            } else {
                v.pendingVectors.insert(Int(v.itv & 0xff))
            }
        }
        if v.timers.takeDue(at: itc) { sendVIRQ(XenABI.VIRQ.timer, to: v) }
    }

    // MARK: - State

    /// Every vCPU drops its writable page pointers, so machine memory knows again which
    /// frames are written from here on: memory hashes then rehash only those (see
    /// MachineMemory+FrameHashes). Called before hashing memory; invisible to the guests.
    public func sealMemoryWrites() {
        for d in domains {
            for v in d.vcpus { v.cpu.dropWritablePages() }
        }
        machineMemory.sealWrites()
    }

    /// A hash of the whole machine: every vCPU's architectural state, every domain's memory,
    /// event channels and life state, and virtual time.
    public func stateHash() -> String {
        sealMemoryWrites()
        var h = StateHasher()
        h.add(now)
        h.add(retiredInstructions)
        for d in domains {
            h.add(UInt64(d.id))
            h.add(String(describing: d.life))
            d.eventChannels.digest(into: &h)
            h.add(d.memoryHash)
            for dev in d.blockDevices { dev.digest(into: &h) }
            for v in d.vcpus { h.add(v.architecturalHash) }
        }
        digestBlock(into: &h)
        digestConsoleInput(into: &h)
        return h.hex
    }
}

