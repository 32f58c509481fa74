/// Memory as the unwinder reads it: the memory stack and the register stack's backing store.
public protocol UnwindMemory {
    /// Eight bytes, little-endian, at `address`; nil when unmapped.
    func read64(at address: UInt64) -> UInt64?
    /// A stacked register's home in the backing store. Where registers may still be dirty in
    /// the register file (not yet spilled by the RSE), an implementation returns them from
    /// there; by default this is `read64`.
    func readBackingStore(at address: UInt64) -> UInt64?
}

extension UnwindMemory {
    public func readBackingStore(at address: UInt64) -> UInt64? { read64(at: address) }
}

/// Register-stack arithmetic: every 64th doubleword of the backing store (address bits 3–8 all
/// ones) holds NaT bits, not a register.
public enum RegisterStackBacking {
    /// The address `count` registers after (or before, if negative) `address`.
    public static func skip(_ address: UInt64, registers count: Int) -> UInt64 {
        let slot = Int64((address >> 3) & 0x3f)
        var delta = slot + Int64(count)
        if count < 0 { delta -= 0x3e }
        return address &+ UInt64(bitPattern: (Int64(count) + delta / 0x3f) &* 8)
    }

    /// Where stacked register r`n` (n ≥ 32) of a frame whose base is `bsp` lives.
    public static func address(ofRegister n: Int, frameBase bsp: UInt64) -> UInt64 {
        skip(bsp, registers: n - 32)
    }
}

/// Where a register's value of the caller is found at some point of a procedure.
public enum SaveLocation: Hashable, Sendable, CustomStringConvertible {
    /// Not saved: still in its own register (rp in b0, ar.pfs, psp = sp).
    case unsaved
    case gr(Int)
    case br(Int)
    /// In memory at psp + offset.
    case pspRelative(Int64)
    /// In memory at sp + offset.
    case spRelative(UInt64)

    public var description: String {
        switch self {
        case .unsaved: return "unsaved"
        case let .gr(n): return "r\(n)"
        case let .br(n): return "b\(n)"
        case let .pspRelative(off): return off < 0 ? "[psp-\(hex(UInt64(-off)))]" : "[psp+\(hex(UInt64(off)))]"
        case let .spRelative(off): return "[sp+\(hex(off))]"
        }
    }
}

/// What the unwind descriptors say at one instruction slot of a procedure.
public struct IA64ProcedureState: Hashable, Sendable {
    /// Slot index from the procedure start (3 per bundle).
    public let slotIndex: UInt64
    public let rp: SaveLocation
    public let pfs: SaveLocation
    /// Fixed frame: the previous sp is sp + frameSize (mem_stack_f in effect).
    public let frameSize: UInt64?
    /// Variable frame: the previous sp is saved here (mem_stack_v in effect).
    public let previousSP: SaveLocation?
    /// Inside an epilogue after sp has been restored.
    public let spRestored: Bool
}

/// The innermost frame the walk starts from.
public struct IA64InitialFrame {
    public var pc: GuestPC
    /// Current frame marker (sof 0–6, sol 7–13, sor 14–17, rrb 18–37).
    public var cfm: UInt64
    /// ar.bsp: the base of the current frame in the backing store.
    public var bsp: UInt64
    /// r12.
    public var sp: UInt64
    public var b0: UInt64
    /// ar.pfs.
    public var pfs: UInt64
    /// The innermost frame's general registers r1–r127 by logical number (nil: unknown, and
    /// stacked registers are then read from the backing store).
    public var readGR: ((Int) -> UInt64?)?
    /// Branch registers b0–b7 (nil: b0 from `b0`, others unknown).
    public var readBR: ((Int) -> UInt64?)?

    public init(pc: GuestPC, cfm: UInt64, bsp: UInt64, sp: UInt64, b0: UInt64, pfs: UInt64,
                readGR: ((Int) -> UInt64?)? = nil, readBR: ((Int) -> UInt64?)? = nil) {
        self.pc = pc
        self.cfm = cfm
        self.bsp = bsp
        self.sp = sp
        self.b0 = b0
        self.pfs = pfs
        self.readGR = readGR
        self.readBR = readBR
    }
}

/// One frame of a guest backtrace.
public struct IA64Frame: Hashable, Sendable {
    /// Where the frame is executing: the stop point for frame 0, the return address (the
    /// bundle after the call) for callers.
    public let pc: GuestPC
    public let sp: UInt64
    public let bsp: UInt64
    public let cfm: UInt64
    /// Whether `.IA_64.unwind` has an entry for `pc`.
    public let hasUnwindInfo: Bool

    public var ip: UInt64 { pc.bundle }
    public var slot: Int { pc.slot }
    /// Size of frame (cfm.sof) and of locals (cfm.sol).
    public var sizeOfFrame: Int { Int(cfm & 0x7f) }
    public var sizeOfLocals: Int { Int((cfm >> 7) & 0x7f) }

    /// The address to symbolize for a source line: the call's bundle for callers (the return
    /// address's bundle may start the next line).
    public func lookupPC(isInnermost: Bool) -> GuestPC {
        isInnermost || pc.bundle < 16 ? pc : GuestPC(bundle: pc.bundle - 16, slot: 2)
    }
}

/// A walk's frames, innermost first, and why it ended.
public struct IA64Backtrace: Sendable {
    public enum End: Hashable, Sendable {
        /// A caller frame without unwind info (the leaf convention is used only for frame 0).
        case noUnwindInfo
        /// The return address read as 0: the outermost frame.
        case outermost
        /// A saved register's location could not be read.
        case unreadable(String)
        /// The return address is in b0 or ar.pfs of a frame other than the innermost.
        case unsavedReturnState
        /// The caller frame equals the frame: no progress.
        case noProgress
        case frameLimit
    }

    public let frames: [IA64Frame]
    public let end: End
}

/// Walks IA-64 frames on the memory and register stacks by the image's unwind table.
public struct IA64Unwinder: Sendable {
    public let table: IA64UnwindTable

    public init(table: IA64UnwindTable) {
        self.table = table
    }

    /// The unwind state of the procedure at `pc`, or nil without an entry.
    public func state(at pc: GuestPC) -> IA64ProcedureState? {
        guard let entry = table.entry(for: pc) else { return nil }
        return Self.state(of: entry, at: pc)
    }

    /// Walks from `initial` outwards.
    public func backtrace(from initial: IA64InitialFrame, memory: some UnwindMemory, maxFrames: Int = 128) -> IA64Backtrace {
        var frames: [IA64Frame] = []
        var pc = initial.pc, sp = initial.sp, bsp = initial.bsp, cfm = initial.cfm
        var index = 0
        while true {
            let entry = table.entry(for: pc)
            frames.append(IA64Frame(pc: pc, sp: sp, bsp: bsp, cfm: cfm, hasUnwindInfo: entry != nil))
            if frames.count >= maxFrames { return IA64Backtrace(frames: frames, end: .frameLimit) }
            let innermost = index == 0
            let state: IA64ProcedureState
            if let entry {
                state = Self.state(of: entry, at: pc)
            } else if innermost {
                state = IA64ProcedureState(slotIndex: 0, rp: .unsaved, pfs: .unsaved, frameSize: nil,
                                           previousSP: nil, spRestored: false)
            } else {
                return IA64Backtrace(frames: frames, end: .noUnwindInfo)
            }

            func readGR(_ n: Int) -> UInt64? {
                if n == 0 { return 0 }
                if n < 32 { return initial.readGR?(n) }
                if innermost, let v = initial.readGR?(n) { return v }
                guard n - 32 < Int(cfm & 0x7f) else { return nil }
                return memory.readBackingStore(at: RegisterStackBacking.address(ofRegister: n, frameBase: bsp))
            }
            func read(_ location: SaveLocation, psp: UInt64) -> UInt64? {
                switch location {
                case .unsaved: return nil
                case let .gr(n): return readGR(n)
                case let .br(n):
                    guard innermost else { return nil }
                    return initial.readBR?(n) ?? (n == 0 ? initial.b0 : nil)
                case let .pspRelative(off): return memory.read64(at: psp &+ UInt64(bitPattern: off))
                case let .spRelative(off): return memory.read64(at: sp &+ off)
                }
            }

            var psp = sp
            if !state.spRestored {
                if let size = state.frameSize {
                    psp = sp &+ size
                } else if let saved = state.previousSP {
                    guard let v = read(saved, psp: sp) else {
                        return IA64Backtrace(frames: frames, end: .unreadable("psp in \(saved)"))
                    }
                    psp = v
                }
            }
            let rp: UInt64, pfs: UInt64
            if state.rp == .unsaved {
                guard innermost else { return IA64Backtrace(frames: frames, end: .unsavedReturnState) }
                rp = initial.readBR?(0) ?? initial.b0
            } else {
                guard let v = read(state.rp, psp: psp) else {
                    return IA64Backtrace(frames: frames, end: .unreadable("rp in \(state.rp)"))
                }
                rp = v
            }
            if state.pfs == .unsaved {
                guard innermost else { return IA64Backtrace(frames: frames, end: .unsavedReturnState) }
                pfs = initial.pfs
            } else {
                guard let v = read(state.pfs, psp: psp) else {
                    return IA64Backtrace(frames: frames, end: .unreadable("ar.pfs in \(state.pfs)"))
                }
                pfs = v
            }
            if rp & ~0xf == 0 { return IA64Backtrace(frames: frames, end: .outermost) }
            let callerPC = GuestPC(bundle: rp & ~0xf, slot: 0)
            let callerCFM = pfs & ((1 << 38) - 1)
            let sol = Int((pfs >> 7) & 0x7f)
            let callerBSP = RegisterStackBacking.skip(bsp, registers: -sol)
            if callerPC == pc && callerBSP == bsp && psp == sp {
                return IA64Backtrace(frames: frames, end: .noProgress)
            }
            pc = callerPC
            sp = psp
            bsp = callerBSP
            cfm = callerCFM
            index += 1
        }
    }

    // MARK: - Descriptor interpretation

    private struct Save: Hashable {
        var location: SaveLocation = .unsaved
        var when: Int = .max
    }

    private struct Registers: Hashable {
        var saves: [UnwindRegister: Save] = [:]
        var frameSize: UInt64 = 0
        var frameSizeWhen: Int = .max
        var variableFrameWhen: Int = .max

        /// Records a save location, keeping a `when` already given (records come in either order).
        mutating func set(_ r: UnwindRegister, _ location: SaveLocation, when: Int) {
            var s = saves[r] ?? Save()
            s.location = location
            if s.when == .max { s.when = when }
            saves[r] = s
        }

        mutating func setWhen(_ r: UnwindRegister, _ when: Int) {
            var s = saves[r] ?? Save()
            s.when = when
            saves[r] = s
        }
    }

    /// The state at `pc` by the descriptors of `entry`: regions in order up to the one
    /// holding the slot, saves that have happened before the slot (their `when` is earlier).
    public static func state(of entry: IA64UnwindEntry, at pc: GuestPC) -> IA64ProcedureState {
        let target = Int((pc.bundle &- entry.start) / 16 * 3) + pc.slot
        var current = Registers()
        var stack: [Registers] = []
        var labels: [UInt64: Registers] = [:]
        var regionStart = 0, regionLength = 0
        var started = false
        var epilogueStart = Int.max, epilogueCount = 0

        func at(_ t: UInt64) -> Int { regionStart + min(Int(clamping: t), max(regionLength - 1, 0)) }
        var regionEnd: Int { regionStart + regionLength - 1 }

        walk: for d in entry.descriptors {
            switch d.record {
            case .region, .prologueGR:
                let (body, rlen, mask, grsave): (Bool, UInt64, UInt8, Int) = {
                    switch d.record {
                    case let .region(body, rlen): return (body, rlen, 0, 0)
                    case let .prologueGR(mask, grsave, rlen): return (false, rlen, mask, grsave)
                    default: return (false, 0, 0, 0)
                    }
                }()
                if started {
                    if target < regionStart + regionLength { break walk }
                    regionStart += regionLength
                }
                started = true
                for _ in 0..<epilogueCount { if let s = stack.popLast() { current = s } }
                epilogueCount = 0
                epilogueStart = .max
                regionLength = Int(clamping: rlen)
                if !body {
                    stack.append(current)
                    var gr = grsave
                    for (bit, reg) in [(UInt8(8), UnwindRegister.rp), (4, .pfs), (2, .psp), (1, .pr)] where mask & bit != 0 {
                        current.set(reg, .gr(gr), when: regionEnd)
                        gr += 1
                    }
                }
            case let .regGR(reg, gr): current.set(reg, .gr(gr), when: regionEnd)
            case let .rpBR(br): current.set(.rp, .br(br), when: regionEnd)
            case let .regWhen(reg, t): current.setWhen(reg, at(t))
            case let .regPSPRel(reg, off): current.set(reg, .pspRelative(16 - 4 * Int64(clamping: off)), when: regionEnd)
            case let .regSPRel(reg, off): current.set(reg, .spRelative(4 &* off), when: regionEnd)
            case let .memStackF(t, size):
                current.frameSize = 16 &* size
                current.frameSizeWhen = at(t)
            case let .memStackV(t):
                current.variableFrameWhen = at(t)
            case let .spillSPRel(t, reg, off, _):
                if let r = reg.role { current.set(r, .spRelative(4 &* off), when: at(t)) }
            case let .spillPSPRel(t, reg, off, _):
                if let r = reg.role { current.set(r, .pspRelative(16 - 4 * Int64(clamping: off)), when: at(t)) }
            case let .spillReg(t, reg, target, _):
                guard let r = reg.role else { break }
                switch target {
                case let .gr(n): current.set(r, .gr(n), when: at(t))
                case let .br(n): current.set(r, .br(n), when: at(t))
                case .fr: break
                }
            case let .restore(t, reg, _):
                if let r = reg.role, at(t) < target { current.saves[r] = nil }
            case let .labelState(label): labels[label] = current
            case let .copyState(label): if let s = labels[label] { current = s }
            case let .epilogue(t, ecount):
                epilogueStart = regionEnd - Int(clamping: t)
                epilogueCount = Int(clamping: ecount) + 1
            case .bad: break walk
            default: break
            }
        }

        let spRestored = target > epilogueStart
        func effective(_ r: UnwindRegister) -> SaveLocation {
            guard let s = current.saves[r], s.when < target else { return .unsaved }
            if spRestored {
                switch s.location {
                case .pspRelative, .spRelative: return .unsaved
                default: break
                }
            }
            return s.location
        }
        var frameSize: UInt64?
        var previousSP: SaveLocation?
        if !spRestored {
            if current.frameSizeWhen < target { frameSize = current.frameSize }
            if current.variableFrameWhen < target {
                let psp = effective(.psp)
                if psp != .unsaved { previousSP = psp }
            }
        }
        return IA64ProcedureState(slotIndex: UInt64(target), rp: effective(.rp), pfs: effective(.pfs),
                                  frameSize: frameSize, previousSP: previousSP, spRestored: spRestored)
    }
}
