/// Why `Processor.run` returned.
public enum StopReason: Sendable, Equatable {
    /// The requested number of instructions retired.
    case instructionLimit
    /// The next instruction is the first slot of the bundle at the stop address.
    case reachedStopAddress
    /// An instruction raised an interruption; IP and slot name it (faults: not executed).
    case interruption(Interruption)
}

/// The IA-64 CPU: architectural state and the interpreter that executes from the code cache.
///
/// Retired-instruction count: every slot that completes counts one, nops and predicated-off
/// slots included; an MLX bundle's L+X pair counts once (so a full MLX bundle counts two, the
/// way the Ski simulator counts); a slot that faults does not count, and slots after a taken
/// branch in its bundle are not executed and not counted.
///
/// Register stack: 96 physical stacked registers (the architectural minimum). Frames that do
/// not fit spill the oldest dirty registers to the backing store at ar.bspstore (with NaT
/// collections every 63 registers); returning to a frame whose registers were spilled fills
/// them back. There is no eager background spilling: the RSE behaves as in enforced lazy mode.
///
/// ar.itc advances by one per retired instruction, so time is a function of execution.
public final class Processor {
    public static var stackedRegisterCount: Int { 96 }

    public let bus: any MemoryBus
    let decoder = Decoder()
    let operations = OperationTable.shared.operations

    // General registers: physical 0…31 static, 32…127 the stacked partition.
    let grValues: UnsafeMutablePointer<UInt64>
    let grNaT: UnsafeMutablePointer<Bool>
    /// Logical register → physical index, 0xff outside the current frame.
    var grMap: UnsafePointer<UInt8>
    /// The map while a rotating region is in effect (otherwise grMap points into `frameMaps`).
    let rotatingMap: UnsafeMutablePointer<UInt8>
    /// `frameMaps`, held here so the hot paths skip the static's initialization check.
    let frameMapsBase: UnsafePointer<UInt8> = Processor.frameMaps

    /// Every non-rotating renaming, precomputed: for each bof (0…95) and frame size (0…96), the
    /// 128-byte logical → physical map. Switching frames on call, return and alloc is then a
    /// pointer change. An immutable lookup table, built once.
    nonisolated(unsafe) static let frameMaps: UnsafePointer<UInt8> = {
        let maps = UnsafeMutablePointer<UInt8>.allocate(capacity: 96 * 97 * 128)
        for bof in 0..<96 {
            for sof in 0...96 {
                let map = maps + (bof * 97 + sof) * 128
                for r in 0..<32 { map[r] = UInt8(r) }
                for i in 0..<96 { map[32 + i] = i < sof ? UInt8(32 + (bof + i) % 96) : 0xff }
            }
        }
        return UnsafePointer(maps)
    }()
    @usableFromInline static var outsideFrame: UInt8 { 0xff }

    /// Floating-point registers by physical number (f32…f127 rotate).
    let fr: UnsafeMutablePointer<FloatRegisterBits>
    /// Predicates in logical order (what instructions name); bit 0 is always 1. The rotating
    /// part p16…p63 is kept already renamed: when rrb.pr changes, the window rotates.
    var logicalPredicates: UInt64 = 1
    let br: UnsafeMutablePointer<UInt64>
    /// Application registers by number; bsp, bspstore, rnat and itc are kept in fields below.
    let ar: UnsafeMutablePointer<UInt64>
    /// Control registers by number.
    let cr: UnsafeMutablePointer<UInt64>
    /// The inactive bank of r16…r31 (values and NaT bits); psr.bn says which bank is active.
    let otherBank: UnsafeMutablePointer<UInt64>
    let otherBankNaT: UnsafeMutablePointer<Bool>

    public internal(set) var cfm = FrameMarker()
    /// Bundle address of the next instruction.
    public var ip: UInt64 = 0
    /// Slot (0…2) of the next instruction within its bundle.
    public var slot: Int = 0
    public internal(set) var retired: UInt64 = 0
    /// Processor status register (user mask in bits 5:0, cpl in 33:32).
    public var psr: UInt64 = 0

    // Register stack engine.
    /// Physical stacked index (0…95) of the current frame's r32.
    var bof = 0
    /// Registers of earlier frames still in the register file, below bof.
    var dirty = 0
    var bsp: UInt64 = 0
    var bspstore: UInt64 = 0
    var rnat: UInt64 = 0

    var alat = ALAT()
    var tlb = TranslationBuffer()
    /// Region registers rr0–rr7.
    var regions: [UInt64] = Array(repeating: 0, count: 8)
    /// Protection key registers pkr0–pkr15: v (bit 0), wd, rd, xd (bits 1–3), key (bits 31:8).
    var protectionKeys: [UInt64] = Array(repeating: 0, count: 16)
    /// Debug breakpoint registers, in pairs: address, then mask (55:0), plm (59:56) and the
    /// enables (ibr: x, bit 63; dbr: w, bit 62, r, bit 63).
    var instructionBreakpoints: [UInt64] = Array(repeating: 0, count: 8)
    var dataBreakpoints: [UInt64] = Array(repeating: 0, count: 8)
    /// Whether bundle entries must be checked for the debugger's break addresses or armed
    /// instruction breakpoints (the stop address has its own cheaper check), and the cached
    /// facts the checks need.
    var checkBundleEntry = false
    var stopAddressValue: UInt64 = .max
    var instructionBreakpointsActive = false
    /// Why the last translation failed (set by `translate`, consumed by the fault path).
    var translationFault: PendingInterruption?
    var pending = PendingInterruption()
    /// Where a fast-form branch goes (see `executeFast`).
    var branchTarget: UInt64 = 0
    /// The slot a taken branch resumes at: 0, except after rfi (cr.ipsr.ri).
    var pendingSlot = 0
    /// Set by instructions that change interrupt state; ends the current run slice.
    var interruptStateChanged = false
    /// A trap owed once a taken branch has completed (lower-privilege transfer).
    var trapAfterBranch: Interruption?
    /// Set by rfi for the run loop: the PSR's next-instruction-only bits came from ipsr and
    /// stay for the instruction after it.
    var rfiCompleted = false
    /// Set by an rfi to slot 2 of an MLX bundle: the run loop raises Illegal Operation there.
    var illegalResume = false
    /// A machine check raised while psr.mc masked it: `run` reports it (as a Machine Check
    /// Abort interruption) once psr.mc is clear.
    public internal(set) var machineCheckPending = false
    /// In-service external interrupt vectors (256 bits).
    var inService: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    // Code cache.
    var codePages: [UInt64: CodePage] = [:]
    var currentPageNumber: UInt64 = .max
    var currentSlots: UnsafeMutablePointer<ExecutableSlot>?
    var currentValid: UnsafeMutablePointer<UInt64>?
    var cachedCodeGeneration: UInt64 = 0

    // Direct-mapped caches of host pointers to data pages (64 entries each), so most loads
    // and stores are a tag compare and a host memory access.
    static let dataCacheEntries = 64
    let readTags: UnsafeMutablePointer<UInt64>
    let readPages: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    let writeTags: UnsafeMutablePointer<UInt64>
    let writePages: UnsafeMutablePointer<UnsafeMutableRawPointer?>

    /// Stop before executing the bundle at this address (slot 0), if set.
    public var stopAddress: UInt64? {
        didSet { updateBundleEntryChecks() }
    }
    /// A debugger's breakpoints: stop (`reachedStopAddress`) before executing a bundle at any
    /// of these addresses from slot 0. Suspended while the debugger steps over one.
    public var breakAddresses: Set<UInt64> = [] {
        didSet { updateBundleEntryChecks() }
    }
    public var suspendBreakAddresses = false {
        didSet { updateBundleEntryChecks() }
    }
    var breakAddressesActive = false
    /// One bit per (address >> 4) & 63 of the break addresses: most bundles are ruled out by
    /// this test alone, so breakpoints barely slow a run.
    var breakAddressFilter: UInt64 = 0
    /// A debugger's data watches and the last hit (see Processor+HostWatch.swift).
    public var hostWatches: [HostWatch] = [] {
        didSet { hostWatchesChanged() }
    }
    var hostWatchArmed = false
    public internal(set) var hostWatchHit: HostWatchHit?

    /// The bus's code generation counter, read once per bundle.
    let codeGeneration: UnsafePointer<UInt64>

    public init(bus: any MemoryBus) {
        self.bus = bus
        codeGeneration = bus.codeGenerationCell
        grValues = .allocate(capacity: 128)
        grValues.initialize(repeating: 0, count: 128)
        grNaT = .allocate(capacity: 128)
        grNaT.initialize(repeating: false, count: 128)
        rotatingMap = .allocate(capacity: 128)
        rotatingMap.initialize(repeating: 0xff, count: 128)
        for r in 0..<32 { rotatingMap[r] = UInt8(r) }
        grMap = Self.frameMaps
        fr = .allocate(capacity: 128)
        fr.initialize(repeating: .positiveZero, count: 128)
        fr[1] = .positiveOne
        br = .allocate(capacity: 8)
        br.initialize(repeating: 0, count: 8)
        ar = .allocate(capacity: 128)
        ar.initialize(repeating: 0, count: 128)
        cr = .allocate(capacity: 128)
        cr.initialize(repeating: 0, count: 128)
        otherBank = .allocate(capacity: 16)
        otherBank.initialize(repeating: 0, count: 16)
        otherBankNaT = .allocate(capacity: 16)
        otherBankNaT.initialize(repeating: false, count: 16)
        readTags = .allocate(capacity: Self.dataCacheEntries)
        readTags.initialize(repeating: .max, count: Self.dataCacheEntries)
        readPages = .allocate(capacity: Self.dataCacheEntries)
        readPages.initialize(repeating: nil, count: Self.dataCacheEntries)
        writeTags = .allocate(capacity: Self.dataCacheEntries)
        writeTags.initialize(repeating: .max, count: Self.dataCacheEntries)
        writePages = .allocate(capacity: Self.dataCacheEntries)
        writePages.initialize(repeating: nil, count: Self.dataCacheEntries)
        remapRegisters()
    }

    deinit {
        readTags.deallocate()
        readPages.deallocate()
        writeTags.deallocate()
        writePages.deallocate()
        grValues.deallocate()
        grNaT.deallocate()
        rotatingMap.deallocate()
        fr.deallocate()
        br.deallocate()
        ar.deallocate()
        cr.deallocate()
        otherBank.deallocate()
        otherBankNaT.deallocate()
    }

    public var privilegeLevel: UInt64 {
        get { (psr >> 32) & 3 }
        set { psr = (psr & ~(3 << 32)) | ((newValue & 3) << 32) }
    }

    /// Sets up the register stack's backing store (ar.bspstore = ar.bsp = `address`).
    public func setBackingStore(_ address: UInt64) {
        bspstore = address
        bsp = RegisterStackMath.advance(address, by: dirty)
    }

    // MARK: - Running

    /// Executes until `limit` instructions have retired in total, the stop address is reached,
    /// or an interruption (including a deliverable external interrupt, returned as
    /// `.externalInterrupt` for the platform to deliver). Resuming after any stop continues
    /// exactly where it left off. Timer and interrupt checks cost nothing per instruction: the
    /// run is cut into slices that end where the timer fires or an instruction changed
    /// interrupt state.
    public func run(until limit: UInt64) -> StopReason {
        while true {
            if illegalResume {
                illegalResume = false
                return .interruption(Interruption(kind: .illegalOperation, iip: ip, slot: slot, slotIsArchitectural: true))
            }
            if machineCheckPending && psr & ProcessorStatus.mc == 0 {
                machineCheckPending = false
                return .interruption(Interruption(kind: .machineCheckAbort, iip: ip, slot: slot))
            }
            if let interruption = pendingExternalInterruption() { return .interruption(interruption) }
            let deadline = timerDeadline()
            // psr.ss / psr.tb: one instruction at a time, then the trap.
            let stepping = psr & (ProcessorStatus.ss | ProcessorStatus.tb) != 0
                || instructionBreakpointsArmed || dataBreakpointsArmed
            // psr.ia/id/da/dd/ed: one instruction, then they clear.
            let oneShot = psr & ProcessorStatus.nextInstructionOnly != 0
            // Host watches: one instruction at a time too, without the guest-visible effects.
            let sliceEnd = min(limit, deadline ?? .max, stepping || oneShot || hostWatchArmed ? retired + 1 : .max)
            if hostWatchArmed { hostWatchHit = nil }
            let before = (ip: ip, slot: slot, count: retired, psr: psr)
            rfiCompleted = false
            // nil: an instruction changed interrupt or timer state; look again.
            let sliceReason = runSlice(until: sliceEnd)
            if oneShot && retired == before.count + 1 && !rfiCompleted {
                psr &= ~ProcessorStatus.nextInstructionOnly
            }
            guard let reason = sliceReason else {
                if let trap = trapAfterBranch {
                    trapAfterBranch = nil
                    return .interruption(withConcurrentTraps(trap, before: before.psr, branchTaken: true))
                }
                if stepping, let trap = debugTrap(after: before) { return .interruption(trap) }
                if hostWatchHit != nil { return .reachedStopAddress }
                continue
            }
            if stepping, reason == .instructionLimit, let trap = debugTrap(after: before) {
                return .interruption(trap)
            }
            if stepping, case .interruption(let trap) = reason, trap.kind == .floatingPointTrap {
                return .interruption(withConcurrentTraps(trap, before: before.psr, branchTaken: false))
            }
            if reason == .instructionLimit {
                if let deadline, retired >= deadline { timerFired() }
                if hostWatchHit != nil { return .reachedStopAddress }
                if retired >= limit {
                    if let interruption = pendingExternalInterruption() { return .interruption(interruption) }
                    return .instructionLimit
                }
                continue
            }
            return reason
        }
    }

    @inline(never)
    func runSlice(until limit: UInt64) -> StopReason? {
        // The count lives in a local while running; `retired` is brought up to date before
        // anything that can read it (general execution, returns).
        var count = retired
        defer { retired = count }
        // Other vCPUs, devices and the hypervisor write memory between slices.
        if codeGeneration.pointee != cachedCodeGeneration { dropDecodedCode() }
        while count < limit {
            // No stop address: stopAddressValue is .max, never a bundle address.
            if ip == stopAddressValue && slot == 0 { return .reachedStopAddress }
            if checkBundleEntry {
                if slot == 0, breakAddressFilter >> ((ip >> 4) & 63) & 1 != 0 && atBreakAddress() {
                    return .reachedStopAddress
                }
                if instructionBreakpointsActive, let stop = instructionBreakpointStop() { return stop }
            }
            // A change of code generation within the slice resets currentPageNumber (see
            // noteCodeGeneration), so this one check also catches rewritten code.
            if ip >> 14 != currentPageNumber { selectCodePage(ip >> 14) }
            let index = Int((ip >> 4) & UInt64(CodePage.bundlesPerPage - 1))
            let validWord = currentValid.unsafelyUnwrapped + (index >> 6)
            if validWord.pointee >> UInt64(index & 63) & 1 == 0 {
                switch decodeBundle(index: index, validWord: validWord) {
                case .decoded: break
                case .retry: continue
                case .failed(let interruption): return .interruption(interruption)
                }
            }
            let slots = currentSlots.unsafelyUnwrapped + 3 * index
            let bundleIP = ip
            var s = slot
            let next: UInt64 = bundleIP &+ 16
            while s < 3 {
                let x = slots + s
                let fast = x.pointee.fast
                if fast == .longSlot {
                    s += 1
                    continue
                }
                var outcome = SlotOutcome.next
                let qp = Int(x.pointee.qp)
                if qp == 0 || predicate(qp) {
                    if fast != .nop {
                        let result = executeFast(x, fast, bundleIP: bundleIP)
                        if result == .handled {
                            // The common case: straight on to the next slot.
                            count &+= 1
                            s += 1
                            if count >= limit && s < 3 {
                                if s == 1, case .longSlot = slots[1].operation { s = 2 }
                                ip = bundleIP
                                slot = s
                                return .instructionLimit
                            }
                            continue
                        }
                        switch result {
                        case .handled: break
                        case .branched: outcome = .branch(branchTarget)
                        case .faulted: outcome = .fault
                        case .trapped: outcome = .trap
                        case .declined:
                            retired = count
                            outcome = execute(x, bundleIP: bundleIP, slot: s)
                            noteCodeGeneration()
                            if interruptStateChanged, resumeAfterStateChange(outcome, bundleIP: bundleIP, slot: s, slots: slots) {
                                count &+= 1
                                return nil
                            }
                        }
                    }
                } else if x.pointee.operation.executesWhenPredicateFalse {
                    retired = count
                    outcome = executePredicatedOff(x.pointee, bundleIP: bundleIP)
                    noteCodeGeneration()
                }
                switch outcome {
                case .next:
                    break
                case .branch(let target):
                    count &+= 1
                    ip = target
                    slot = 0
                    s = 4
                    continue
                case .fault:
                    return faultStop(bundleIP: bundleIP, slot: s)
                case .trap:
                    count &+= 1
                    return trapStop(bundleIP: bundleIP, slot: s, slots: slots)
                }
                count &+= 1
                s += 1
                if count >= limit && s < 3 {
                    // Stop mid-bundle; an L slot is never a resume point.
                    if s == 1, case .longSlot = slots[1].operation { s = 2 }
                    ip = bundleIP
                    slot = s
                    return .instructionLimit
                }
            }
            if s == 3 {
                ip = next
                slot = 0
            }
        }
        return .instructionLimit
    }

    /// The stop for a faulting slot (not executed): ip and slot name it. Out of line, like
    /// `trapStop`, to keep the run loop's code small.
    @inline(never)
    func faultStop(bundleIP: UInt64, slot s: Int) -> StopReason {
        ip = bundleIP
        slot = s
        let p = pending
        return .interruption(Interruption(kind: p.kind, iip: bundleIP, slot: s, isr: p.isr, ifa: p.ifa, iim: p.iim,
                                          itir: p.itir, iha: p.iha))
    }

    /// The stop for a slot that completed with a trap: ip and slot move past it.
    @inline(never)
    func trapStop(bundleIP: UInt64, slot s: Int, slots: UnsafeMutablePointer<ExecutableSlot>) -> StopReason {
        let p = pending
        var nextSlot = s + 1
        if nextSlot == 1, case .longSlot = slots[1].operation { nextSlot = 2 }
        if nextSlot >= 3 {
            ip = bundleIP &+ 16
            slot = 0
        } else {
            ip = bundleIP
            slot = nextSlot
        }
        return .interruption(Interruption(kind: p.kind, iip: bundleIP, slot: s, isr: p.isr))
    }

    /// Whether ip is one of the debugger's break addresses. Out of line: the set lookup would
    /// otherwise weigh on the run loop's code, for every program.
    @inline(never)
    func atBreakAddress() -> Bool {
        breakAddressesActive && breakAddresses.contains(ip)
    }

    enum DecodeResult { case decoded, retry, failed(Interruption) }

    /// Fetches (translating when psr.it is set) and decodes the bundle at ip into the code
    /// cache. Kept out of the run loop: it runs once per bundle, not per instruction.
    @inline(never)
    func decodeBundle(index: Int, validWord: UnsafeMutablePointer<UInt64>) -> DecodeResult {
        var fetchAddress = ip
        if psr & ProcessorStatus.it != 0 {
            guard let physical = translate(ip, .execute) else {
                let f = translationFault ?? PendingInterruption(kind: .instructionAccess)
                translationFault = nil
                return .failed(Interruption(kind: f.kind, iip: ip, slot: slot, isr: f.isr, ifa: f.ifa,
                                            itir: f.itir, iha: f.iha))
            }
            fetchAddress = physical
        }
        guard let raw = bus.fetchBundle(fetchAddress) else {
            return .failed(Interruption(kind: .instructionAccess, iip: ip, slot: slot, ifa: ip))
        }
        if codeGeneration.pointee != cachedCodeGeneration {
            // This fetch made the page code: start over with fresh caches.
            dropDecodedCode()
            return .retry
        }
        ExecutableBundle.prepare(decoder.decode(raw), operations: operations,
                                 into: currentSlots.unsafelyUnwrapped + 3 * index)
        validWord.pointee |= 1 << UInt64(index & 63)
        return .decoded
    }

    /// After an instruction that changed interrupt state (rfi, psr, tpr, eoi, itm, itv, itc):
    /// points (ip, slot) past it so the run loop can stop and `run` can look at interrupts.
    /// False for a fault, which stops the run anyway.
    @inline(never)
    func resumeAfterStateChange(_ outcome: SlotOutcome, bundleIP: UInt64, slot s: Int,
                                slots: UnsafeMutablePointer<ExecutableSlot>) -> Bool {
        switch outcome {
        case .next:
            interruptStateChanged = false
            var n = s + 1
            if n == 1, case .longSlot = slots[1].operation { n = 2 }
            if n >= 3 { ip = bundleIP &+ 16; slot = 0 } else { ip = bundleIP; slot = n }
            return true
        case .branch(let target):  // rfi: may resume mid-bundle
            interruptStateChanged = false
            ip = target
            slot = pendingSlot
            pendingSlot = 0
            return true
        case .fault, .trap:
            interruptStateChanged = false
            return false
        }
    }

    /// Moves past the instruction at (ip, slot) without executing it: how an embedder resumes
    /// after handling a break (a system call) itself. Counts it as retired.
    public func skipCurrentInstruction() {
        retired &+= 1
        let template = bus.fetchBundle(ip)?.template
        slot += 1
        if slot == 1, template?.units?.1 == .l { slot = 2 }
        if slot >= 3 {
            slot = 0
            ip &+= 16
        }
    }

    /// Forgets every decoded bundle and every cached data page pointer: code was written or a
    /// page changed role.
    func dropDecodedCode() {
        codePages.removeAll()
        currentPageNumber = .max
        currentSlots = nil
        currentValid = nil
        readTags.update(repeating: .max, count: Self.dataCacheEntries)
        writeTags.update(repeating: .max, count: Self.dataCacheEntries)
        cachedCodeGeneration = codeGeneration.pointee
    }

    func selectCodePage(_ number: UInt64) {
        if codeGeneration.pointee != cachedCodeGeneration { dropDecodedCode() }
        let page: CodePage
        if let existing = codePages[number] {
            page = existing
        } else {
            page = CodePage()
            codePages[number] = page
        }
        currentPageNumber = number
        currentSlots = page.slots
        currentValid = page.valid
    }

    /// Drops all decoded bundles (e.g. after a debugger writes memory).
    public func invalidateCodeCache() { dropDecodedCode() }

    /// Forgets the writable data page pointers (decoded code and readable pages stay), so
    /// the next store to each page asks the bus again: how the bus learns which pages are
    /// written from then on.
    public func dropWritablePages() {
        writeTags.update(repeating: .max, count: Self.dataCacheEntries)
    }
}

/// What one slot did. Kept to a few bytes: the details of a fault or trap wait in
/// `Processor.pending`.
enum SlotOutcome {
    case next
    case branch(UInt64)
    case fault
    /// The instruction completed, then raised a trap (FP traps): execution stops after it.
    case trap
}

/// The interruption a slot raised, until the run loop reports it.
struct PendingInterruption {
    var kind: Interruption.Kind = .illegalOperation
    var isr: UInt64 = 0
    var ifa: UInt64?
    var iim: UInt64?
    var itir: UInt64?
    var iha: UInt64?
}

extension Operation {
    /// Instructions with an effect even when their qualifying predicate is false.
    var executesWhenPredicateFalse: Bool {
        switch self {
        case .compare(let f): return f.type == .unconditional
        case .testBit(let f): return f.type == .unconditional
        case .branch(let b): return b.kind == .wtop || b.kind == .wexit
        case .floating(.arithmetic(let f)): return f.unconditional
        default: return false
        }
    }
}
