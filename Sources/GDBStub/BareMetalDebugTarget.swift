import IA64Exec
import VMMCore

/// The reference `DebugTarget`: one vCPU of a `BareMetalMachine`, run by its own interpreter.
///
/// - Forward: the run loop in chunks while nothing is armed; one slot at a time while
///   breakpoints or watchpoints are (breakpoints checked before each slot, watchpoints by
///   decoding each instruction's access and, for writes, comparing the watched bytes).
/// - Backward: by deterministic re-execution. The position is the retired-instruction count;
///   going back rebuilds the machine with `makeMachine` and runs to the wanted count. Debugger
///   writes to registers or memory are not part of that history and are lost on the way back.
public final class BareMetalDebugTarget: DebugTarget {
    public let makeMachine: () throws -> BareMetalMachine
    public private(set) var machine: BareMetalMachine
    public let programName: String
    public static let threadID = 1
    var breakpoints = Set<SlotBreakpoint>()
    var watchpoints: [Watchpoint] = []
    public private(set) var currentStop = StopEvent(thread: threadID, reason: .stepped)
    /// Instructions run between interrupt checks.
    public var chunk: UInt64 = 50_000

    public init(programName: String = "baremetal", makeMachine: @escaping () throws -> BareMetalMachine) throws {
        self.makeMachine = makeMachine
        self.machine = try makeMachine()
        self.programName = programName
    }

    public convenience init(elf: ElfFile, programName: String = "baremetal") throws {
        try self.init(programName: programName) { try BareMetalMachine(elf: elf) }
    }

    var cpu: Processor { machine.cpu }
    /// The history position: instructions retired since the start.
    public var position: UInt64 { cpu.retired }

    public var threads: [DebugThread] { [DebugThread(id: Self.threadID, name: "vcpu0 \"\(programName)\"")] }
    public var supportsReverse: Bool { true }

    func check(_ thread: Int) throws {
        guard thread == Self.threadID else { throw DebugTargetError.noSuchThread(thread) }
    }

    // MARK: Registers

    public func readRegisters(thread: Int) throws -> IA64RegisterFile {
        try check(thread)
        var f = IA64RegisterFile()
        let sof = cpu.currentFrame.sof
        for r in 0..<128 where r < 32 + sof { f.gr[r] = cpu.generalRegister(r)?.value ?? 0 }
        for r in 0..<128 { f.fr[r] = cpu.floatingRegister(r) }
        f.pr = cpu.predicates
        for b in 0..<8 { f.br[b] = cpu.branchRegister(b) }
        f.ip = cpu.ip
        f.psr = cpu.psr & ~IA64RegisterLayout.psrSlotMask | UInt64(gdbSlot) << IA64RegisterLayout.psrSlotShift
        f.cfm = cpu.currentFrame.bits
        for n in 0..<128 { f.ar[n] = cpu.applicationRegister(n) }
        f.ar[17] = cpu.debugRegisterFileRange.end  // gdb's bsp: the end of the frame
        return f
    }

    public func writeRegisters(_ new: IA64RegisterFile, thread: Int) throws {
        let old = try readRegisters(thread: thread)
        if new.cfm != old.cfm, !cpu.debugSetFrameMarker(new.cfm) {
            throw DebugTargetError.invalidValue("cfm 0x\(String(new.cfm, radix: 16)) does not fit the register stack")
        }
        for r in 1..<128 where new.gr[r] != old.gr[r] { cpu.setGeneralRegister(r, value: new.gr[r]) }
        for r in 2..<128 where new.fr[r] != old.fr[r] { cpu.setFloatingRegister(r, new.fr[r]) }
        if new.pr != old.pr { cpu.debugSetPredicates(new.pr) }
        for b in 0..<8 where new.br[b] != old.br[b] { cpu.setBranchRegister(b, new.br[b]) }
        for n in 0..<128 where new.ar[n] != old.ar[n] {
            if n == 17 {
                // gdb's bsp is the frame's end: move the whole stack so that it ends there.
                let (start, end) = cpu.debugRegisterFileRange
                let shift = Int(Self.registers(from: start, to: end))
                cpu.setBackingStore(RegisterStackMath.advance(new.ar[17], by: -shift))
            } else if !cpu.setApplicationRegisterForStartup(n, new.ar[n]) {
                throw DebugTargetError.invalidValue("ar.pfs 0x\(String(new.ar[n], radix: 16)) names an impossible frame")
            }
        }
        if new.psr != old.psr {
            let slot = Int(new.psr >> IA64RegisterLayout.psrSlotShift & 3)
            guard slot < 3 else { throw DebugTargetError.invalidValue("psr.ri = 3") }
            cpu.setProcessorStatus(new.psr & ~IA64RegisterLayout.psrSlotMask)
            cpu.slot = slot
        }
        if new.ip != old.ip { cpu.ip = new.ip & ~0xf }
        // gdb's slot 1 of an MLX bundle is where the CPU rests at slot 2.
        if new.pc != old.pc, cpu.slot == 1, isMLX(cpu.ip) { cpu.slot = 2 }
    }

    /// Whether the bundle at virtual `ip` is MLX (read without marking the page as code).
    func isMLX(_ ip: UInt64) -> Bool {
        guard let bytes = try? readMemory(thread: Self.threadID, address: ip, count: 16), bytes.count == 16 else { return false }
        let bundle = InstructionBundle(bytes: bytes, offset: 0)
        return bundle.template.units?.1 == .l
    }

    /// The slot as gdb numbers it: the CPU resumes an MLX bundle's movl/brl at slot 2 (the L
    /// slot is never a resume point), gdb calls that instruction slot 1.
    var gdbSlot: Int { cpu.slot == 2 && isMLX(cpu.ip) ? 1 : cpu.slot }

    /// Register slots (NaT collections excluded) in [a, b).
    static func registers(from a: UInt64, to b: UInt64) -> UInt64 {
        var n: UInt64 = 0
        var x = a
        while x < b {
            if !RegisterStackMath.isCollection(x) { n += 1 }
            x &+= 8
        }
        return n
    }

    // MARK: Memory

    /// The byte at virtual `address`: the register file for [bspstore, bsp), else RAM.
    func readByte(_ address: UInt64) -> UInt8? {
        if let word = cpu.debugBackingStoreWord(at: address & ~7) {
            return UInt8(truncatingIfNeeded: word >> (8 * (address & 7)))
        }
        guard let physical = cpu.debugTranslate(address), let b = machine.bus.load(physical, size: 1) else { return nil }
        return UInt8(truncatingIfNeeded: b)
    }

    public func readMemory(thread: Int, address: UInt64, count: Int) throws -> [UInt8] {
        try check(thread)
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for i in 0..<UInt64(count) {
            guard let b = readByte(address &+ i) else { break }
            out.append(b)
        }
        if out.isEmpty && count > 0 { throw DebugTargetError.badAddress(address) }
        return out
    }

    public func writeMemory(thread: Int, address: UInt64, bytes: [UInt8]) throws {
        try check(thread)
        // All or nothing: every byte must be reachable first.
        for i in 0..<UInt64(bytes.count) where readByte(address &+ i) == nil { throw DebugTargetError.badAddress(address &+ i) }
        for (i, b) in bytes.enumerated() {
            let a = address &+ UInt64(i)
            if let word = cpu.debugBackingStoreWord(at: a & ~7) {
                let shift = 8 * (a & 7)
                cpu.debugSetBackingStoreWord(at: a & ~7, value: word & ~(0xff << shift) | UInt64(b) << shift)
            } else if let physical = cpu.debugTranslate(a), machine.bus.store(physical, size: 1, value: UInt64(b)) {
                continue
            } else {
                throw DebugTargetError.badAddress(a)
            }
        }
        cpu.invalidateCodeCache()
    }

    // MARK: Breakpoints and watchpoints

    public func insertBreakpoint(_ breakpoint: SlotBreakpoint) throws { breakpoints.update(with: breakpoint) }
    public func removeBreakpoint(_ breakpoint: SlotBreakpoint) throws { breakpoints.remove(breakpoint) }
    public func insertWatchpoint(_ watchpoint: Watchpoint) throws {
        if !watchpoints.contains(watchpoint) { watchpoints.append(watchpoint) }
    }
    public func removeWatchpoint(_ watchpoint: Watchpoint) throws { watchpoints.removeAll { $0 == watchpoint } }

    /// The breakpoint at the next instruction. An MLX bundle's instruction is at slot 1, where
    /// the CPU never rests (it steps from slot 0 to the next bundle); the CPU's slot 2 of an MLX
    /// bundle is that same instruction.
    func breakpointHere() -> SlotBreakpoint? {
        guard !breakpoints.isEmpty else { return nil }
        guard breakpoints.contains(where: { $0.bundle == cpu.ip }) else { return nil }
        let slot = gdbSlot
        return breakpoints.first { $0.bundle == cpu.ip && $0.slot == slot }
    }

    // MARK: Execution

    public func resume(_ action: ResumeAction, thread: Int?, shouldStop: () -> Bool) throws -> StopEvent {
        if let thread { try check(thread) }
        let reason: DebugStopReason
        switch action {
        case .step(.forward): reason = stepForward() ?? .stepped
        case .continue(.forward): reason = continueForward(shouldStop)
        case .step(.backward): reason = try stepBackward()
        case .continue(.backward): reason = try continueBackward(shouldStop)
        }
        currentStop = StopEvent(thread: Self.threadID, reason: reason)
        return currentStop
    }

    /// The watchpoint the next instruction triggers, as a closure to call once it ran.
    func watchCheck() -> (() -> DebugStopReason?)? {
        guard !watchpoints.isEmpty else { return nil }
        let access = MemoryAccessProbe.nextAccess(of: cpu)
        let before = watchpoints.map { w in (0..<w.length).map { readByte(w.address &+ $0) } }
        return { [self] in
            for (i, w) in watchpoints.enumerated() {
                var hit = false
                if let access, access.address < w.address &+ w.length, w.address < access.address &+ access.size {
                    hit = w.kind == .access || (w.kind == .read && access.reads) || (w.kind == .write && access.writes)
                }
                if !hit && w.kind != .read && i < before.count {
                    hit = (0..<w.length).map { readByte(w.address &+ $0) } != before[i]
                }
                if hit { return .watchpoint(w, address: w.address) }
            }
            return nil
        }
    }

    /// One slot (or a delivered interruption and the handler's first slot); a final reason when
    /// the program ended or crashed, a watchpoint reason when one triggered, else nil.
    func stepForward() -> DebugStopReason? {
        let watch = watchCheck()
        if let end = runOutcome(machine.run(maxInstructions: cpu.retired &+ 1)) { return end }
        return watch?()
    }

    func runOutcome(_ outcome: BareMetalMachine.Outcome) -> DebugStopReason? {
        switch outcome {
        case .instructionLimit, .reachedStop: return nil
        case .halted(let code): return .exited(code: UInt8(truncatingIfNeeded: code))
        case .unhandled(let why, let i): return .crashed(signal: Self.signal(for: i.kind), description: "\(why): \(i)")
        }
    }

    static func signal(for kind: Interruption.Kind) -> UInt8 {
        switch kind {
        case .illegalOperation, .notImplemented, .privilegedOperation, .privilegedRegister, .reservedRegisterField: return 4
        case .breakInstruction, .singleStep, .takenBranch, .instructionDebug, .dataDebug: return 5
        case .floatingPointFault, .floatingPointTrap: return 8
        default: return 11
        }
    }

    func continueForward(_ shouldStop: () -> Bool) -> DebugStopReason {
        var steps: UInt64 = 0
        while true {
            if breakpoints.isEmpty && watchpoints.isEmpty {
                if let end = runOutcome(machine.run(maxInstructions: cpu.retired &+ chunk)) { return end }
                if shouldStop() { return .interrupted }
                continue
            }
            // A breakpoint at the starting PC does not stop: gdb steps over it itself.
            if steps > 0, let bp = breakpointHere() { return .breakpoint(bp) }
            if let reason = stepForward() { return reason }
            steps += 1
            if steps % 4096 == 0 && shouldStop() { return .interrupted }
        }
    }

    /// Rebuilds the machine and runs it to `target` retired instructions.
    func rewind(to target: UInt64) throws {
        machine = try makeMachine()
        if target > 0 { _ = machine.run(maxInstructions: target) }
    }

    func stepBackward() throws -> DebugStopReason {
        guard position > 0 else { return .historyBoundary(begin: true) }
        try rewind(to: position - 1)
        return .stepped
    }

    /// Re-executes from the start to here, remembering the last breakpoint or watchpoint hit
    /// strictly before the current position, then goes there.
    func continueBackward(_ shouldStop: () -> Bool) throws -> DebugStopReason {
        let end = position
        guard end > 0 else { return .historyBoundary(begin: true) }
        machine = try makeMachine()
        var last: (position: UInt64, reason: DebugStopReason)?
        var steps: UInt64 = 0
        while position < end {
            let here = position
            if let bp = breakpointHere() { last = (here, .breakpoint(bp)) }
            let watch = watchCheck()
            if runOutcome(machine.run(maxInstructions: here &+ 1)) != nil || position == here { break }
            if let hit = watch?() { last = (here, hit) }
            steps += 1
            // Interrupted mid-scan: the machine stays where the scan got to.
            if steps % 4096 == 0 && shouldStop() { return .interrupted }
        }
        guard let last else {
            try rewind(to: 0)
            return .historyBoundary(begin: true)
        }
        try rewind(to: last.position)
        return last.reason
    }

    // MARK: Monitor

    public func monitor(_ command: String) -> String {
        let words = command.split(separator: " ")
        switch words.first {
        case "position", "icount":
            return "\(position)\n"
        case "regs":
            return "ip=0x\(String(cpu.ip, radix: 16)) slot=\(cpu.slot) retired=\(cpu.retired)\n"
        case "help", nil:
            return "monitor commands: position (instructions retired), regs, help\n"
        default:
            return "unknown monitor command '\(command)'; try 'monitor help'\n"
        }
    }
}
