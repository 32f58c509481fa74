/// Result of a scalar FP operation that writes one register.
public struct FloatResult: Sendable, Hashable {
    /// Meaningless when `report.isFault`.
    public var value: FloatRegisterValue
    public var report: FloatExceptionReport
    public init(value: FloatRegisterValue, report: FloatExceptionReport = FloatExceptionReport()) {
        self.value = value
        self.report = report
    }
}

/// Result of a parallel (paired single) FP operation: one register, two halves' exception reports.
/// ISR reports the high and low halves separately; flags go to the status field from both.
public struct FloatParallelResult: Sendable, Hashable {
    public var value: FloatRegisterValue
    /// The half in significand bits 63:32.
    public var high: FloatExceptionReport
    /// The half in significand bits 31:0.
    public var low: FloatExceptionReport
    /// Fault if either half faults (then nothing is written); flags are the union.
    public var combined: FloatExceptionReport {
        var r = high.union(low)
        if r.isFault { r.flags = [] }
        return r
    }
}

/// Result of fcmp/fclass-like operations writing two predicates.
public struct FloatCompareResult: Sendable, Hashable {
    /// Values for p1 and p2 (both false when an operand is NaTVal).
    public var p1: Bool
    public var p2: Bool
    public var report: FloatExceptionReport
}

/// Result of frcpa/frsqrta and their parallel forms: a register and the predicate p2.
public struct FloatApproximationResult: Sendable, Hashable {
    public var value: FloatRegisterValue
    public var predicate: Bool
    public var report: FloatExceptionReport
    /// Parallel forms only: the two halves' reports (scalar forms: both equal `report`).
    public var high: FloatExceptionReport
    public var low: FloatExceptionReport
}
