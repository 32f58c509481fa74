import IA64Exec

/// A thread gdb can select: a vCPU of a domain.
public struct DebugThread: Equatable, Sendable {
    /// gdb's thread id: positive, unique, stable for the session.
    public var id: Int
    /// Shown by `info threads`, e.g. `dom1 vcpu0 "swapper"`.
    public var name: String

    public init(id: Int, name: String) {
        self.id = id
        self.name = name
    }
}

/// A breakpoint on one instruction slot. gdb sends `Z0`/`Z1` with address = bundle | slot.
/// For an MLX bundle, slot 1 is the movl/brl (its opcode lives in slot 2); gdb never sends slot 2
/// of an MLX bundle.
public struct SlotBreakpoint: Hashable, Sendable {
    public var bundle: UInt64
    public var slot: Int
    /// `Z1` (hbreak) rather than `Z0`; targets may treat both the same.
    public var hardware: Bool

    public init(bundle: UInt64, slot: Int, hardware: Bool = false) {
        self.bundle = bundle & ~0xf
        self.slot = slot
        self.hardware = hardware
    }

    /// gdb's address form.
    public var address: UInt64 { bundle | UInt64(slot) }

    public static func == (a: Self, b: Self) -> Bool { a.bundle == b.bundle && a.slot == b.slot }
    public func hash(into h: inout Hasher) {
        h.combine(bundle)
        h.combine(slot)
    }
}

public enum WatchKind: String, Sendable {
    /// `Z2` / `watch`: stop after a store to the range.
    case write = "watch"
    /// `Z3` / `rwatch`: stop after a load from the range.
    case read = "rwatch"
    /// `Z4` / `awatch`: either.
    case access = "awatch"
}

/// A data watchpoint on guest virtual addresses [address, address + length).
public struct Watchpoint: Hashable, Sendable {
    public var address: UInt64
    public var length: UInt64
    public var kind: WatchKind

    public init(address: UInt64, length: UInt64, kind: WatchKind) {
        self.address = address
        self.length = length
        self.kind = kind
    }
}

public enum ExecutionDirection: Sendable { case forward, backward }

/// How to resume. A step is exactly one instruction slot (an MLX pair counts as one); a taken
/// branch ends at its target's slot 0; a breakpoint at the current PC does not stop a step.
public enum ResumeAction: Equatable, Sendable {
    case step(ExecutionDirection)
    case `continue`(ExecutionDirection)
}

/// Why execution stopped. After every case except `exited`, the thread's registers show the
/// stop point: for watchpoints that is after the access completed (gdb compares old and new).
public enum DebugStopReason: Equatable, Sendable {
    /// At a breakpoint's slot, before executing it (continue forward or backward).
    case breakpoint(SlotBreakpoint)
    /// After an access to a watched range; `address` is what gdb watched (the Z address).
    case watchpoint(Watchpoint, address: UInt64)
    /// A single step completed.
    case stepped
    /// Reverse execution reached the start of history (`begin`) or forward replay its end.
    case historyBoundary(begin: Bool)
    /// The guest finished; gdb gets `W<code>`.
    case exited(code: UInt8)
    /// The guest stopped on a fault it cannot survive (a Unix signal number for gdb, and why).
    case crashed(signal: UInt8, description: String)
    /// The interrupt check said stop (Ctrl-C).
    case interrupted
}

/// A stop: which thread, and why.
public struct StopEvent: Equatable, Sendable {
    public var thread: Int
    public var reason: DebugStopReason

    public init(thread: Int, reason: DebugStopReason) {
        self.thread = thread
        self.reason = reason
    }
}

public enum DebugTargetError: Error, Equatable, Sendable {
    /// The target cannot do this at all (e.g. reverse execution on a live target).
    case unsupported
    case noSuchThread(Int)
    /// Memory at this address cannot be read or written (not mapped, no translation).
    case badAddress(UInt64)
    /// A register value the target refuses (e.g. a frame marker that does not fit).
    case invalidValue(String)
}

/// What the GDB stub drives. Independent of how execution happens: a live bare-metal CPU, a
/// recorded session replayed, a multi-vCPU domain. All calls come from the stub's one thread,
/// only while the target is stopped (resume is synchronous).
///
/// Register and stacked-register conventions are gdb's (see `IA64RegisterFile`): a target must
/// also make the current frame's stacked registers readable and writable through memory at
/// [bof, bsp) in its `readMemory`/`writeMemory`, since that is how gdb reads r32 and up.
public protocol DebugTarget: AnyObject {
    /// All threads, in a stable order; the first is the default.
    var threads: [DebugThread] { get }

    /// Registers of `thread` in gdb's conventions.
    func readRegisters(thread: Int) throws -> IA64RegisterFile
    /// Writes back registers; the target applies what differs from its current state.
    func writeRegisters(_ registers: IA64RegisterFile, thread: Int) throws

    /// Reads guest virtual memory through `thread`'s translation. May return fewer bytes than
    /// asked (stopping at the first unreadable one); throws if not even the first is readable.
    func readMemory(thread: Int, address: UInt64, count: Int) throws -> [UInt8]
    /// Writes guest virtual memory through `thread`'s translation, all or nothing.
    func writeMemory(thread: Int, address: UInt64, bytes: [UInt8]) throws

    func insertBreakpoint(_ breakpoint: SlotBreakpoint) throws
    func removeBreakpoint(_ breakpoint: SlotBreakpoint) throws
    func insertWatchpoint(_ watchpoint: Watchpoint) throws
    func removeWatchpoint(_ watchpoint: Watchpoint) throws

    /// Whether `resume` accepts `.backward`; a forward-only target throws `.unsupported` for it.
    var supportsReverse: Bool { get }

    /// Runs until something stops it. `thread` is the one to step (nil: any/all); on a step the
    /// other threads may or may not run, as the target's scheduler decides. `shouldStop` is the
    /// interrupt check: poll it now and then (it is cheap) and return `.interrupted` when true.
    func resume(_ action: ResumeAction, thread: Int?, shouldStop: () -> Bool) throws -> StopEvent

    /// Where the target stands now, for `?` after connecting.
    var currentStop: StopEvent { get }

    /// A `monitor` command (qRcmd); the reply is text for the user.
    func monitor(_ command: String) -> String
}
