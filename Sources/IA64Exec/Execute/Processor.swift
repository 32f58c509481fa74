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
public final class Processor<Bus: MemoryBus> {
    public static var stackedRegisterCount: Int { 96 }

    public let bus: Bus
    let decoder = Decoder()
    let operations = OperationTable.shared.operations

    // General registers: physical 0…31 static, 32…127 the stacked partition.
    let grValues: UnsafeMutablePointer<UInt64>
    let grNaT: UnsafeMutablePointer<Bool>
    /// Logical register → physical index, 0xff outside the current frame.
    let grMap: UnsafeMutablePointer<UInt8>
    static var outsideFrame: UInt8 { 0xff }

    /// Floating-point registers by physical number (f32…f127 rotate).
    let fr: UnsafeMutablePointer<FloatRegisterBits>
    /// Physical predicate registers (p16…p63 rotate); bit 0 is always 1.
    public internal(set) var physicalPredicates: UInt64 = 1
    let br: UnsafeMutablePointer<UInt64>
    /// Application registers by number; bsp, bspstore, rnat and itc are kept in fields below.
    let ar: UnsafeMutablePointer<UInt64>

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

    // Code cache.
    var codePages: [UInt64: CodePage] = [:]
    var currentPageNumber: UInt64 = .max
    var currentPage: CodePage?
    var cachedCodeGeneration: UInt64 = 0

    /// Stop before executing the bundle at this address (slot 0), if set.
    public var stopAddress: UInt64?

    public init(bus: Bus) {
        self.bus = bus
        grValues = .allocate(capacity: 128)
        grValues.initialize(repeating: 0, count: 128)
        grNaT = .allocate(capacity: 128)
        grNaT.initialize(repeating: false, count: 128)
        grMap = .allocate(capacity: 128)
        grMap.initialize(repeating: Self.outsideFrame, count: 128)
        fr = .allocate(capacity: 128)
        fr.initialize(repeating: .positiveZero, count: 128)
        fr[1] = .positiveOne
        br = .allocate(capacity: 8)
        br.initialize(repeating: 0, count: 8)
        ar = .allocate(capacity: 128)
        ar.initialize(repeating: 0, count: 128)
        remapRegisters()
    }

    deinit {
        grValues.deallocate()
        grNaT.deallocate()
        grMap.deallocate()
        fr.deallocate()
        br.deallocate()
        ar.deallocate()
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
    /// or an interruption. Resuming after any stop continues exactly where it left off.
    public func run(until limit: UInt64) -> StopReason {
        while retired < limit {
            if slot == 0, let stop = stopAddress, stop == ip { return .reachedStopAddress }
            guard let page = codePage(for: ip) else {
                return .interruption(Interruption(kind: .instructionAccess, iip: ip, slot: slot, ifa: ip))
            }
            let index = Int((ip >> 4) & UInt64(CodePage.bundlesPerPage - 1))
            if page.valid[index >> 6] >> UInt64(index & 63) & 1 == 0 {
                guard let raw = bus.fetchBundle(ip) else {
                    return .interruption(Interruption(kind: .instructionAccess, iip: ip, slot: slot, ifa: ip))
                }
                (page.bundles + index).initialize(to: ExecutableBundle(decoder.decode(raw), operations: operations))
                page.valid[index >> 6] |= 1 << UInt64(index & 63)
            }
            let bundle = page.bundles + index
            let bundleIP = ip
            var s = slot
            let next: UInt64 = bundleIP &+ 16
            while s < 3 {
                let x = bundle.pointee.slot(s)
                var outcome = SlotOutcome.next
                if case .longSlot = x.operation {
                    s += 1
                    continue
                }
                if x.qp == 0 || predicate(Int(x.qp)) {
                    outcome = execute(x, bundleIP: bundleIP, slot: s)
                } else if x.operation.executesWhenPredicateFalse {
                    outcome = executePredicatedOff(x, bundleIP: bundleIP)
                }
                switch outcome {
                case .next:
                    break
                case .branch(let target):
                    retired &+= 1
                    ip = target
                    slot = 0
                    s = 4
                    continue
                case .fault(let kind, let isr, let ifa, let iim):
                    ip = bundleIP
                    slot = s
                    return .interruption(Interruption(kind: kind, iip: bundleIP, slot: s, isr: isr, ifa: ifa, iim: iim))
                }
                retired &+= 1
                s += 1
                if retired >= limit && s < 3 {
                    // Stop mid-bundle; an L slot is never a resume point.
                    if s == 1, case .longSlot = bundle.pointee.slot1.operation { s = 2 }
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

    func codePage(for address: UInt64) -> CodePage? {
        if bus.codeGeneration != cachedCodeGeneration {
            // Code was written: drop every decoded bundle rather than serve a stale one.
            codePages.removeAll()
            currentPageNumber = .max
            currentPage = nil
            cachedCodeGeneration = bus.codeGeneration
        }
        let number = address >> 14
        if number == currentPageNumber, let page = currentPage { return page }
        let page: CodePage
        if let existing = codePages[number] {
            page = existing
        } else {
            page = CodePage()
            codePages[number] = page
        }
        currentPageNumber = number
        currentPage = page
        return page
    }

    /// Drops all decoded bundles (e.g. after a debugger writes memory).
    public func invalidateCodeCache() {
        codePages.removeAll()
        currentPageNumber = .max
        currentPage = nil
    }
}

enum SlotOutcome {
    case next
    case branch(UInt64)
    case fault(Interruption.Kind, isr: UInt64, ifa: UInt64?, iim: UInt64?)

    static func fault(_ kind: Interruption.Kind) -> SlotOutcome { .fault(kind, isr: 0, ifa: nil, iim: nil) }
}

extension Operation {
    /// Instructions with an effect even when their qualifying predicate is false.
    var executesWhenPredicateFalse: Bool {
        switch self {
        case .compare(let f): return f.type == .unconditional
        case .testBit(let f): return f.type == .unconditional
        case .branch(let b): return b.kind == .wtop || b.kind == .wexit
        case .floating(.arithmetic): return true  // fcmp/fclass .unc; the FP unit decides
        default: return false
        }
    }
}
