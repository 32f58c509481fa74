/// fmin / fmax / famin / famax: select one source register unchanged (no rounding). Any NaN
/// (or unsupported) operand signals invalid and selects f3; ties also select f3.
public enum FloatMinMaxKind: Sendable {
    /// f2 < f3 ? f2 : f3
    case minimum
    /// f2 > f3 ? f2 : f3
    case maximum
    /// |f2| < |f3| ? f2 : f3
    case absoluteMinimum
    /// |f2| > |f3| ? f2 : f3
    case absoluteMaximum
}

extension FloatArithmetic {
    public static func minMax(_ kind: FloatMinMaxKind, _ f2: FloatRegisterValue, _ f3: FloatRegisterValue,
                              environment: FloatEnvironment) -> FloatResult {
        let a = FloatOperand(f2), b = FloatOperand(f3)
        if a.kind == .natVal || b.kind == .natVal { return FloatResult(value: .natVal) }
        let (pickFirst, report) = selectsFirst(kind, a, b, environment)
        return FloatResult(value: pickFirst ? f2 : f3, report: report)
    }

    static func selectsFirst(_ kind: FloatMinMaxKind, _ a: FloatOperand, _ b: FloatOperand,
                             _ env: FloatEnvironment) -> (Bool, FloatExceptionReport) {
        var report = FloatExceptionReport()
        if a.isNaN || b.isNaN || a.kind == .unsupported || b.kind == .unsupported {
            env.raise(.invalid, into: &report)
            return (false, report)
        }
        if a.isUnnormal || b.isUnnormal { env.raise(.denormal, into: &report) }
        var x = a, y = b
        if kind == .absoluteMinimum || kind == .absoluteMaximum { x.sign = false; y.sign = false }
        switch kind {
        case .minimum, .absoluteMinimum: return (FloatOperand.isLess(x, y), report)
        case .maximum, .absoluteMaximum: return (FloatOperand.isLess(y, x), report)
        }
    }
}
