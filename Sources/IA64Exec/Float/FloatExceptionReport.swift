/// What one (half of an) FP operation signalled.
///
/// Faults (invalid, denormal, zero-divide, software assist) happen before anything is written:
/// if `isFault`, the interpreter must not write the destination nor update flags, and raises
/// a Floating-point Exception fault. Otherwise it writes the result, ORs `flags` into the status
/// field, and if `traps` is non-empty raises a Floating-point Exception trap (ISR.fpa = `roundedUp`).
public struct FloatExceptionReport: Sendable, Hashable {
    /// Flags to OR into the status field (empty when a fault is signalled).
    public var flags: FloatExceptions = []
    /// Enabled pre-computation exceptions: a subset of invalid, denormal, zeroDivide.
    public var faults: FloatExceptions = []
    /// ISR.swa: the hardware asks software (FPSWA) to finish the operation (frcpa/frsqrta limits).
    public var softwareAssist = false
    /// Post-computation trap causes: subset of overflow, underflow, inexact.
    public var traps: FloatExceptions = []
    /// The significand was rounded up in magnitude (ISR.fpa).
    public var roundedUp = false

    public init() {}

    public var isFault: Bool { !faults.isEmpty || softwareAssist }
    public var isTrap: Bool { !isFault && !traps.isEmpty }

    /// Combines two halves' reports for flag accumulation (parallel ops keep both halves too).
    func union(_ other: FloatExceptionReport) -> FloatExceptionReport {
        var r = FloatExceptionReport()
        r.flags = flags.union(other.flags)
        r.faults = faults.union(other.faults)
        r.softwareAssist = softwareAssist || other.softwareAssist
        r.traps = traps.union(other.traps)
        r.roundedUp = roundedUp || other.roundedUp
        return r
    }

    static func fault(_ e: FloatExceptions) -> FloatExceptionReport {
        var r = FloatExceptionReport(); r.faults = e; return r
    }
}
