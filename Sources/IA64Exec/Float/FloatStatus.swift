/// ar.fpsr: trap-disable bits 5:0 and four 13-bit status fields sf0…sf3 at bits 6, 19, 32, 45.
public struct FloatStatus: Sendable, Hashable {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// The value Linux gives new processes (FPSR_DEFAULT): all traps disabled, sf0 = rn, pc=11.
    public static let linuxDefault = FloatStatus(rawValue: 0x0009_804C_0270_033F)

    /// Trap-disable bits (vd, dd, zd, od, ud, id): a set bit disables that trap.
    public var disabledTraps: FloatExceptions {
        get { FloatExceptions(rawValue: UInt8(rawValue & 0x3F)) }
        set { rawValue = rawValue & ~0x3F | UInt64(newValue.rawValue) }
    }

    static func fieldShift(_ index: Int) -> UInt64 {
        precondition((0...3).contains(index), "status field index")
        return UInt64(6 + 13 * index)
    }

    public func field(_ index: Int) -> FloatStatusField {
        FloatStatusField(rawValue: UInt16(truncatingIfNeeded: rawValue >> Self.fieldShift(index)) & 0x1FFF)
    }

    public mutating func setField(_ index: Int, _ field: FloatStatusField) {
        let shift = Self.fieldShift(index)
        rawValue = rawValue & ~(UInt64(0x1FFF) << shift) | UInt64(field.rawValue) << shift
    }

    /// What an arithmetic instruction with `.sf` = `index` computes under.
    public func environment(_ index: Int) -> FloatEnvironment {
        let f = field(index)
        return FloatEnvironment(controls: f.controls, disabledTraps: f.controls.trapsDisabled ? .all : disabledTraps)
    }

    /// ORs an operation's flags into status field `index` (skip for faults: report.flags is empty then).
    public mutating func accumulate(_ flags: FloatExceptions, field index: Int) {
        var f = field(index)
        f.flags.formUnion(flags)
        setField(index, f)
    }

    /// fsetc.sf amask7, omask7: controls = (sf0.controls & amask7) | omask7, written to field `index`.
    public mutating func fsetc(field index: Int, andMask: UInt8, orMask: UInt8) {
        var f = field(index)
        f.controls = FloatControls(rawValue: (field(0).controls.rawValue & andMask) | (orMask & 0x7F))
        setField(index, f)
    }

    /// fclrf.sf: clears the six flags of field `index`.
    public mutating func fclrf(field index: Int) {
        var f = field(index)
        f.flags = []
        setField(index, f)
    }

    /// fchkf.sf: branch when field `index` has a flag that is not set in sf0 or whose trap is enabled.
    public func fchkfBranches(field index: Int) -> Bool {
        let flags = field(index).flags
        let enabled = FloatExceptions.all.subtracting(disabledTraps)
        return !flags.subtracting(field(0).flags).isEmpty || !flags.intersection(enabled).isEmpty
    }
}

/// One 13-bit status field: controls in bits 6:0, flags (v d z o u i) in bits 12:7.
public struct FloatStatusField: Sendable, Hashable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue & 0x1FFF }
    public init(controls: FloatControls, flags: FloatExceptions = []) {
        rawValue = UInt16(controls.rawValue) | UInt16(flags.rawValue) << 7
    }

    public var controls: FloatControls {
        get { FloatControls(rawValue: UInt8(rawValue & 0x7F)) }
        set { rawValue = rawValue & ~0x7F | UInt16(newValue.rawValue) }
    }
    public var flags: FloatExceptions {
        get { FloatExceptions(rawValue: UInt8(rawValue >> 7)) }
        set { rawValue = rawValue & 0x7F | UInt16(newValue.rawValue) << 7 }
    }
}

/// The seven control bits of a status field: ftz(0), wre(1), pc(3:2), rc(5:4), td(6).
public struct FloatControls: Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x7F }
    public init(rounding: FloatRoundingMode = .nearest, precision: FloatPrecisionControl = .doubleExtended,
                widestRange: Bool = false, flushToZero: Bool = false, trapsDisabled: Bool = false) {
        rawValue = (flushToZero ? 1 : 0) | (widestRange ? 2 : 0) | precision.rawValue << 2
            | rounding.rawValue << 4 | (trapsDisabled ? 0x40 : 0)
    }

    public var flushToZero: Bool {
        get { rawValue & 1 != 0 }
        set { rawValue = rawValue & ~1 | (newValue ? 1 : 0) }
    }
    public var widestRange: Bool {
        get { rawValue & 2 != 0 }
        set { rawValue = rawValue & ~2 | (newValue ? 2 : 0) }
    }
    public var precision: FloatPrecisionControl {
        get { FloatPrecisionControl(rawValue: rawValue >> 2 & 3)! }
        set { rawValue = rawValue & ~0x0C | newValue.rawValue << 2 }
    }
    public var rounding: FloatRoundingMode {
        get { FloatRoundingMode(rawValue: rawValue >> 4 & 3)! }
        set { rawValue = rawValue & ~0x30 | newValue.rawValue << 4 }
    }
    public var trapsDisabled: Bool {
        get { rawValue & 0x40 != 0 }
        set { rawValue = rawValue & ~0x40 | (newValue ? 0x40 : 0) }
    }
}

/// Status-field rc encoding.
public enum FloatRoundingMode: UInt8, Sendable {
    case nearest = 0, down = 1, up = 2, towardZero = 3
}

/// Status-field pc encoding (used when the instruction has no .s/.d completer).
public enum FloatPrecisionControl: UInt8, Sendable {
    case single = 0
    /// Reserved by the architecture; computed as double-extended here.
    case reserved = 1
    case double = 2
    case doubleExtended = 3
}

/// The precision completer of an arithmetic instruction.
public enum FloatPrecision: Sendable {
    /// No completer: precision from the status field's pc.
    case dynamic
    case single
    case double
}

/// Everything an arithmetic operation depends on: a status field's controls and the traps
/// in effect (all disabled when the field's td is set).
public struct FloatEnvironment: Sendable, Hashable {
    public var controls: FloatControls
    public var disabledTraps: FloatExceptions
    public init(controls: FloatControls = FloatControls(), disabledTraps: FloatExceptions = .all) {
        self.controls = controls
        self.disabledTraps = disabledTraps
    }

    func enabled(_ e: FloatExceptions) -> Bool { !disabledTraps.contains(e) }

    /// Signals `e` before computing: a fault if enabled, else just the flag.
    func raise(_ e: FloatExceptions, into report: inout FloatExceptionReport) {
        if enabled(e) { report.faults.formUnion(e) } else { report.flags.formUnion(e) }
    }
}
