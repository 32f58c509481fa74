import IA64Exec
import Replay
import VMMCore

/// A `DebugTarget` over a recorded machine being replayed (`ReplaySession`): gdb sees the
/// whole machine as one process whose threads are the vCPUs, forward and backward.
///
/// - Threads: every vCPU of every domain (or of one domain, `domain:`), with id
///   `100 * domain + vcpu + 1` (dom0 vcpu0 = 1, dom1 vcpu1 = 102) and name
///   `dom1 vcpu0 "swapper"` (the task the guest kernel says it is running on that vCPU; the
///   domain's name when it says nothing). All domains of the bundled sessions run the same kernel, so one
///   symbol file serves all threads. Registers and memory are each vCPU's own: its
///   translation, its register stack, its domain's memory.
/// - Breakpoints (Z0/Z1) apply to the vCPUs of the debugged domains: the session stops at the
///   bundle's entry, then the vCPU is stepped to the wanted slot (a branch out of the bundle
///   first means no hit).
/// - A step runs the machine until that vCPU has retired one more instruction (other vCPUs run
///   meanwhile as the recorded schedule says; their breakpoints do not stop a step). A vCPU
///   that is blocked and never runs again steps to the end of the history.
/// - Watchpoints (Z2/Z3/Z4) use the processor's host watches (Processor+HostWatch.swift):
///   reported right after the accessing instruction. Backwards, the last access before the
///   current position is found by re-running checkpoint windows forward, latest window first,
///   and the stop is just *before* that access (so gdb sees the value change going back).
/// - Reverse continue searches breakpoints the same way; reverse step is
///   `ReplaySession.reverseStep`.
/// - The replay is read-only: register and memory writes that would change anything are
///   refused with an error (the history is what was recorded; changing it would diverge).
public final class ReplayDebugTarget: DebugTarget {
    public let session: ReplaySession
    /// Only this domain's vCPUs are threads (nil: all domains).
    public let domainFilter: Int?
    var breakpoints = Set<SlotBreakpoint>()
    var watchpoints: [Watchpoint] = []
    public private(set) var currentStop: StopEvent
    /// Machine instructions replayed between interrupt checks.
    public var chunk: UInt64 = 2_000_000
    /// Notes for the user (refused writes, divergences); the server's log by default.
    public var note: (String) -> Void = GDBServer.logToStandardError

    public init(session: ReplaySession, domain: Int? = nil) throws {
        self.session = session
        domainFilter = domain
        if let domain, session.machine.domain(domain) == nil {
            throw DebugTargetError.invalidValue("the recording has no domain \(domain)")
        }
        currentStop = StopEvent(thread: 1, reason: .stepped)
        currentStop.thread = threads.first?.id ?? 1
    }

    public var supportsReverse: Bool { true }
    var machine: Hypervisor { session.machine }
    var position: UInt64 { session.position }

    // MARK: Threads

    public static func threadID(domain: Int, vcpu: Int) -> Int { 100 * domain + vcpu + 1 }
    func threadID(_ v: VirtualCPU) -> Int { Self.threadID(domain: v.domain.id, vcpu: v.id) }

    var visibleDomains: [Domain] { machine.domains.filter { domainFilter == nil || $0.id == domainFilter } }
    var visibleVCPUs: [VirtualCPU] { visibleDomains.flatMap(\.vcpus) }

    public var threads: [DebugThread] {
        visibleVCPUs.map { DebugThread(id: threadID($0), name: "dom\($0.domain.id) vcpu\($0.id) \"\(Self.taskName(of: $0))\"") }
    }

    /// The task the vCPU is running, as the guest kernel keeps it: `percpu_current_comm[vcpu]`
    /// points at its name (`swapper` for the idle task). Falls back to the domain's name for a
    /// kernel without that symbol or before it is set.
    static func taskName(of v: VirtualCPU) -> String {
        guard let table = v.domain.kernelSymbol("percpu_current_comm"),
              let slot = v.cpu.debugTranslate(table + 8 * UInt64(v.id)),
              let pointer = v.domain.memory.load64(slot), pointer != 0,
              let physical = v.cpu.debugTranslate(pointer),
              let bytes = v.domain.memory.bytes(at: physical, count: 16) else { return v.domain.name }
        let name = bytes.prefix { $0 != 0 }
        guard !name.isEmpty, name.allSatisfy({ $0 >= 0x20 && $0 < 0x7f && $0 != 0x22 }) else { return v.domain.name }
        return String(decoding: name, as: UTF8.self)
    }

    func vcpu(_ thread: Int) throws -> VirtualCPU {
        guard thread > 0, let d = machine.domain((thread - 1) / 100), domainFilter == nil || d.id == domainFilter,
              (thread - 1) % 100 < d.vcpus.count else { throw DebugTargetError.noSuchThread(thread) }
        return d.vcpus[(thread - 1) % 100]
    }

    /// The thread of the last stop if it still exists, else the first.
    var currentThread: Int {
        (try? vcpu(currentStop.thread)).map { threadID($0) } ?? threads.first?.id ?? 1
    }

    // MARK: Registers

    public func readRegisters(thread: Int) throws -> IA64RegisterFile {
        let v = try vcpu(thread)
        let cpu = v.cpu
        var f = IA64RegisterFile()
        let sof = cpu.currentFrame.sof
        for r in 0..<128 where r < 32 + sof { f.gr[r] = cpu.generalRegister(r)?.value ?? 0 }
        for r in 0..<128 { f.fr[r] = cpu.floatingRegister(r) }
        f.pr = cpu.predicates
        for b in 0..<8 { f.br[b] = cpu.branchRegister(b) }
        f.ip = cpu.ip
        f.psr = cpu.psr & ~IA64RegisterLayout.psrSlotMask | UInt64(gdbSlot(v)) << IA64RegisterLayout.psrSlotShift
        f.cfm = cpu.currentFrame.bits
        for n in 0..<128 { f.ar[n] = cpu.applicationRegister(n) }
        f.ar[17] = cpu.debugRegisterFileRange.end  // gdb's bsp: the end of the frame
        return f
    }

    /// Refused unless nothing changes: the replay must stay the recorded history.
    public func writeRegisters(_ registers: IA64RegisterFile, thread: Int) throws {
        let old = try readRegisters(thread: thread)
        guard registers.encoded() != old.encoded() else { return }
        note("register write refused: a replay is read-only (it would diverge from the recording)")
        throw DebugTargetError.unsupported
    }

    /// Whether the bundle at `ip` is MLX, read through `v`'s translation.
    func isMLX(_ v: VirtualCPU, _ ip: UInt64) -> Bool {
        let bytes = (0..<16).compactMap { readByte(v, ip + UInt64($0)) }
        guard bytes.count == 16 else { return false }
        return InstructionBundle(bytes: bytes, offset: 0).template.units?.1 == .l
    }

    /// The slot as gdb numbers it (the CPU rests at slot 2 before an MLX bundle's movl/brl).
    func gdbSlot(_ v: VirtualCPU) -> Int { v.cpu.slot == 2 && isMLX(v, v.cpu.ip) ? 1 : v.cpu.slot }

    // MARK: Memory

    /// The byte at virtual `address` as `v` sees it: its register file for [bspstore, bsp),
    /// else its domain's memory through its translation.
    func readByte(_ v: VirtualCPU, _ address: UInt64) -> UInt8? {
        let cpu = v.cpu
        if let word = cpu.debugBackingStoreWord(at: address & ~7) {
            return UInt8(truncatingIfNeeded: word >> (8 * (address & 7)))
        }
        guard let physical = cpu.debugTranslate(address), let b = v.domain.memory.load(physical, size: 1) else { return nil }
        return UInt8(truncatingIfNeeded: b)
    }

    public func readMemory(thread: Int, address: UInt64, count: Int) throws -> [UInt8] {
        let v = try vcpu(thread)
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for i in 0..<UInt64(count) {
            guard let b = readByte(v, address &+ i) else { break }
            out.append(b)
        }
        if out.isEmpty && count > 0 { throw DebugTargetError.badAddress(address) }
        return out
    }

    /// Refused unless the bytes are already there (gdb sometimes writes back what it read).
    public func writeMemory(thread: Int, address: UInt64, bytes: [UInt8]) throws {
        let current = try readMemory(thread: thread, address: address, count: bytes.count)
        guard current != bytes else { return }
        note("memory write refused at 0x\(String(address, radix: 16)): a replay is read-only")
        throw DebugTargetError.unsupported
    }

    // MARK: Breakpoints and watchpoints

    public func insertBreakpoint(_ breakpoint: SlotBreakpoint) throws { breakpoints.update(with: breakpoint) }
    public func removeBreakpoint(_ breakpoint: SlotBreakpoint) throws { breakpoints.remove(breakpoint) }
    public func insertWatchpoint(_ watchpoint: Watchpoint) throws {
        if !watchpoints.contains(watchpoint) { watchpoints.append(watchpoint) }
    }
    public func removeWatchpoint(_ watchpoint: Watchpoint) throws { watchpoints.removeAll { $0 == watchpoint } }

    /// Puts gdb's breakpoints (bundle addresses) into the session, or none.
    func armBreakpoints(_ on: Bool) {
        session.clearBreakpoints()
        guard on else { return }
        for bundle in Set(breakpoints.map(\.bundle)) { session.setBreakpoint(bundle, domain: domainFilter) }
    }

    /// Arms the watchpoints on `vcpus` (nil: every visible vCPU), disarms them everywhere else.
    func armWatches(_ vcpus: [VirtualCPU]?) {
        let watches = watchpoints.map { HostWatch(address: $0.address, length: $0.length, reads: $0.kind != .write, writes: $0.kind != .read) }
        let armed = vcpus ?? visibleVCPUs
        for d in machine.domains {
            for v in d.vcpus {
                let want = armed.contains { $0 === v } ? watches : []
                if v.cpu.hostWatches != want { v.cpu.hostWatches = want }
            }
        }
    }

    func disarmAll() {
        armWatches([])
        armBreakpoints(false)
    }

    // MARK: Execution

    public func resume(_ action: ResumeAction, thread: Int?, shouldStop: () -> Bool) throws -> StopEvent {
        let t = thread ?? currentThread
        _ = try vcpu(t)
        let event: StopEvent
        defer { disarmAll() }
        switch action {
        case .step(.forward): event = step(try vcpu(t), shouldStop)
        case .continue(.forward): event = continueForward(limit: .max, skipAtStart: true, shouldStop) ?? stop(.historyBoundary(begin: false))
        case .step(.backward): event = try stepBackward(t)
        case .continue(.backward): event = try continueBackward(shouldStop)
        }
        currentStop = event
        return event
    }

    func stop(_ reason: DebugStopReason, _ thread: Int? = nil) -> StopEvent {
        StopEvent(thread: thread ?? currentThread, reason: reason)
    }

    /// The stop a session outcome other than a breakpoint or reaching its target means.
    func final(_ s: ReplaySession.Stop) -> StopEvent? {
        switch s {
        case .endOfHistory: return stop(.historyBoundary(begin: false))
        case .divergence(let d):
            note("the replay diverged from the recording: \(d.description)")
            return stop(.crashed(signal: 6, description: "divergence: \(d.description)"))
        case .position, .breakpoint: return nil
        }
    }

    /// Runs until `v` has retired one more instruction; breakpoints do not stop it, watches on
    /// `v` do. nil (and the step done) unless something ended it otherwise.
    func stepOnce(_ v: VirtualCPU, watch: Bool, _ shouldStop: () -> Bool) -> StopEvent? {
        armBreakpoints(false)
        armWatches(watch ? [v] : [])
        let target = v.cpu.retired + 1
        while v.cpu.retired < target {
            let s = session.run(to: position &+ chunk, vcpuTarget: (v, target))
            if let end = final(s) { return end }
            if case .breakpoint(let d, let i) = s, let w = machine.domain(d)?.vcpus[i], let hit = watchHit(w) { return hit }
            if v.cpu.retired < target && shouldStop() { return stop(.interrupted, threadID(v)) }
        }
        return nil
    }

    func step(_ v: VirtualCPU, _ shouldStop: () -> Bool) -> StopEvent {
        stepOnce(v, watch: true, shouldStop) ?? stop(.stepped, threadID(v))
    }

    /// The watchpoint stop for `v` if its last instruction hit a host watch (then forgotten).
    func watchHit(_ v: VirtualCPU) -> StopEvent? {
        guard let hit = v.cpu.hostWatchHit else { return nil }
        v.cpu.clearHostWatchHit()
        guard hit.watch < watchpoints.count else { return nil }
        let w = watchpoints[hit.watch]
        return stop(.watchpoint(w, address: w.address), threadID(v))
    }

    /// The next crash the recording logged (in a debugged domain) after `position`.
    func nextCrash(after p: UInt64) -> TraceEnd.Crash? {
        session.trace.end?.crashes.filter { $0.instructions > p && (domainFilter == nil || $0.domain == domainFilter) }
            .min { $0.instructions < $1.instructions }
    }

    /// Runs forward until a breakpoint (at its slot), a watchpoint, a recorded crash, the end of
    /// the history or an interrupt; nil when `limit` (a machine position) is reached first.
    /// `skipAtStart`: a breakpoint at the starting position on the current thread is where gdb
    /// already stands, not a new hit.
    func continueForward(limit: UInt64, skipAtStart: Bool, _ shouldStop: () -> Bool) -> StopEvent? {
        let start = position
        let startThread = currentThread
        while true {
            if position >= limit { return nil }
            armBreakpoints(true)
            armWatches(nil)
            let crash = nextCrash(after: position)
            let cap = min(limit, position &+ chunk, crash?.instructions ?? .max)
            let s = session.run(to: cap)
            if let end = final(s) { return end }
            if case .breakpoint(let d, let i) = s, let v = machine.domain(d)?.vcpus[i] {
                if let hit = watchHit(v) { return hit }
                if skipAtStart && position == start && threadID(v) == startThread { continue }
                if let hit = resolveSlot(v, shouldStop) { return hit }
                continue
            }
            if let crash, position == crash.instructions {
                let thread = crash.vcpu >= 0 ? Self.threadID(domain: crash.domain, vcpu: crash.vcpu) : nil
                return stop(.crashed(signal: 11, description: "domain \(crash.domain) (\(crash.name)): \(crash.reason)"),
                            thread.flatMap { (try? vcpu($0)) != nil ? $0 : nil })
            }
            if position < limit && shouldStop() { return stop(.interrupted) }
        }
    }

    /// `v` is at the entry of a bundle with breakpoints: the hit if one is at slot 0, else steps
    /// `v` through the bundle to a breakpoint's slot (nil when it leaves the bundle first).
    func resolveSlot(_ v: VirtualCPU, _ shouldStop: () -> Bool) -> StopEvent? {
        let bundle = v.cpu.ip
        let slots = breakpoints.filter { $0.bundle == bundle }
        while v.cpu.ip == bundle {
            if let bp = slots.first(where: { $0.slot == gdbSlot(v) }) { return stop(.breakpoint(bp), threadID(v)) }
            if let other = stepOnce(v, watch: true, shouldStop) { return other }
        }
        return nil
    }

    func stepBackward(_ thread: Int) throws -> StopEvent {
        let v = try vcpu(thread)
        let (d, i) = (v.domain.id, v.id)
        guard try session.reverseStep(domain: d, vcpu: i) else { return stop(.historyBoundary(begin: true), thread) }
        return stop(.stepped, thread)
    }

    /// The last breakpoint hit or watched access before the current position: checkpoint
    /// windows re-run forward, the latest first. A watched access is reported before it ran.
    func continueBackward(_ shouldStop: () -> Bool) throws -> StopEvent {
        let now = position
        var windowEnd = now
        let starts = [0] + Set(session.checkpoints.map(\.position).filter { $0 > 0 && $0 < now }).sorted()
        for start in starts.reversed() {
            if shouldStop() {
                _ = try session.seek(to: now)
                return stop(.interrupted)
            }
            _ = try session.seek(to: start)
            var last: (position: UInt64, event: StopEvent)?
            while let event = continueForward(limit: windowEnd, skipAtStart: false, { false }) {
                switch event.reason {
                case .breakpoint:
                    if position < now { last = (position, event) }
                case .watchpoint:
                    if position <= now, position > 0 { last = (position - 1, event) }
                default: break
                }
                if position >= windowEnd { break }
                if case .breakpoint = event.reason { continue }
                if case .watchpoint = event.reason { continue }
                break  // the end, a crash record, a divergence: nothing further in this window
            }
            disarmAll()
            if let last {
                _ = try session.seek(to: last.position)
                return last.event
            }
            windowEnd = start
        }
        _ = try session.seek(to: 0)
        return stop(.historyBoundary(begin: true))
    }

    // MARK: Monitor

    public func monitor(_ command: String) -> String {
        let words = command.split(separator: " ").map(String.init)
        switch words.first {
        case "when":
            var text = "position \(position) of \(session.endOfHistory) instructions\n"
            if let v = try? vcpu(currentThread) {
                text += "thread \(threadID(v)) (dom\(v.domain.id) vcpu\(v.id)): \(v.cpu.retired) instructions retired\n"
            }
            return text
        case "seek":
            guard words.count == 2, let n = UInt64(words[1]) else { return "usage: monitor seek N (a machine instruction count)\n" }
            do {
                let s = try session.seek(to: n)
                if let end = final(s) { currentStop = end } else { currentStop = stop(.stepped) }
                return "at position \(position)" + (s == .endOfHistory ? " (end of the history)" : "")
                    + "; gdb's register cache is stale: run 'maint flush register-cache'\n"
            } catch {
                return "seek failed: \(error)\n"
            }
        case "checkpoint", "checkpoints":
            if words.count > 1 && words[1] == "take" {
                return session.checkpointHere() ? "checkpoint at \(position)\n" : "no checkpoint: the replay has diverged\n"
            }
            let list = session.checkpoints.map { String($0.position) }
            return "\(list.count) checkpoints: " + list.joined(separator: " ") + "\n"
        case "domains":
            var text = ""
            for d in machine.domains {
                text += "dom\(d.id) \"\(d.name)\" \(d.life)\(domainFilter == nil || d.id == domainFilter ? "" : " (not debugged)")\n"
                for v in d.vcpus {
                    text += "  vcpu\(v.id) thread \(threadID(v)) \(v.state) pcpu \(v.physicalCPU) ip 0x\(String(v.cpu.ip, radix: 16)) slot \(v.cpu.slot) retired \(v.cpu.retired)\n"
                }
            }
            return text
        case "events":
            let n = words.count > 1 ? Int(words[1]) ?? 10 : 10
            let events = session.recentEvents(max(0, n))
            if events.isEmpty { return "no recorded events before position \(position)\n" }
            return events.map { Self.describe($0) + "\n" }.joined()
        case "crash":
            guard let crashes = session.trace.end?.crashes, !crashes.isEmpty else { return "the recording has no crash\n" }
            return crashes.map {
                "domain \($0.domain) (\($0.name)) vcpu \($0.vcpu) crashed at instruction \($0.instructions), ip 0x\(String($0.ip, radix: 16)): \($0.reason)\n"
            }.joined()
        case "help", nil:
            return """
                monitor commands:
                  when            the machine position and the current vCPU's retired count
                  seek N          go to machine instruction count N
                  checkpoint      list checkpoints; 'checkpoint take' takes one here
                  domains         domains and vCPUs with their states
                  events [N]      the last N recorded events before here (default 10)
                  crash           the recording's crash records

                """
        default:
            return "unknown monitor command '\(command)'; try 'monitor help'\n"
        }
    }

    static func describe(_ e: TraceEvent) -> String {
        func at(_ p: InputPoint) -> String { "@\(p.instructions)" + (p.domain >= 0 ? " dom\(p.domain)" : "") + (p.vcpu >= 0 ? " vcpu\(p.vcpu)" : "") }
        switch e {
        case .wallClock(let p, let c): return "\(at(p)) wall clock \(c)"
        case .diskRead(let p, let device, let sector, let count, let hash):
            return "\(at(p)) disk read device \(device) sector \(sector) count \(count)" + (hash == nil ? " (failed)" : "")
        case .platformEvent(let p, let r): return "\(at(p)) platform event \(r)"
        case .quantum(let p, let q): return "\(at(p)) chaos quantum \(q)"
        case .blockLatency(let p, let l): return "\(at(p)) chaos I/O latency \(l)"
        case .stateCheck(let c): return "@\(c.instructions) state check"
        case .consoleInput(let p, let r):
            return "\(at(p)) console input for domain \(r.domain): \(r.bytes.count) byte(s)"
        }
    }
}
