/// fcmp / fpcmp relations. fcmp encodes eq, lt, le, unord; gt, ge and the complements are
/// assembler pseudo-ops (swapped operands or predicates). fpcmp encodes all eight.
public enum FloatCompareRelation: Sendable {
    case equal, lessThan, lessOrEqual, unordered
    case notEqual, notLessThan, notLessOrEqual, ordered

    /// lt/le (and their complements) signal invalid on any NaN; eq/unord only on signalling NaNs.
    var signalsOnQuietNaN: Bool {
        switch self {
        case .lessThan, .lessOrEqual, .notLessThan, .notLessOrEqual: return true
        default: return false
        }
    }
}

extension FloatOperand {
    /// Numeric order of two finite-or-infinite operands (zeros of either sign are equal).
    static func isLess(_ x: FloatOperand, _ y: FloatOperand) -> Bool {
        func key(_ o: FloatOperand) -> (Int, Int, UInt64) {
            // Magnitude rank: zero < finite (by exponent, significand) < infinity.
            switch o.kind {
            case .zero: return (0, 0, 0)
            case .infinity: return (2, 0, 0)
            default: return (1, o.exponent, o.significand)
            }
        }
        if x.isZero && y.isZero { return false }
        let xNegative = x.sign && !x.isZero, yNegative = y.sign && !y.isZero
        if xNegative != yNegative { return xNegative }
        return xNegative ? key(y) < key(x) : key(x) < key(y)
    }

    static func isEqual(_ x: FloatOperand, _ y: FloatOperand) -> Bool {
        !isLess(x, y) && !isLess(y, x)
    }
}

extension FloatArithmetic {
    /// fcmp.frel.fctype.sf p1, p2 = f2, f3 (the normal type; .unc/.and/.or are the interpreter's).
    public static func fcmp(_ relation: FloatCompareRelation, _ f2: FloatRegisterValue, _ f3: FloatRegisterValue,
                            environment: FloatEnvironment) -> FloatCompareResult {
        let a = FloatOperand(f2), b = FloatOperand(f3)
        if a.kind == .natVal || b.kind == .natVal {
            return FloatCompareResult(p1: false, p2: false, report: FloatExceptionReport())
        }
        let (r, report) = compare(relation, a, b, environment)
        return FloatCompareResult(p1: r, p2: !r, report: report)
    }

    static func compare(_ relation: FloatCompareRelation, _ a: FloatOperand, _ b: FloatOperand,
                        _ env: FloatEnvironment) -> (Bool, FloatExceptionReport) {
        var report = FloatExceptionReport()
        let unordered = a.isNaN || b.isNaN || a.kind == .unsupported || b.kind == .unsupported
        if unordered {
            let signalling = a.kind == .signalingNaN || b.kind == .signalingNaN
                || a.kind == .unsupported || b.kind == .unsupported
            if signalling || relation.signalsOnQuietNaN { env.raise(.invalid, into: &report) }
        } else if a.isUnnormal || b.isUnnormal {
            env.raise(.denormal, into: &report)
        }
        let result: Bool
        switch relation {
        case .equal: result = !unordered && FloatOperand.isEqual(a, b)
        case .lessThan: result = !unordered && FloatOperand.isLess(a, b)
        case .lessOrEqual: result = !unordered && !FloatOperand.isLess(b, a)
        case .unordered: result = unordered
        case .notEqual: result = unordered || !FloatOperand.isEqual(a, b)
        case .notLessThan: result = unordered || !FloatOperand.isLess(a, b)
        case .notLessOrEqual: result = unordered || FloatOperand.isLess(b, a)
        case .ordered: result = !unordered
        }
        return (result, report)
    }

    /// fclass.fcrel.fctype p1, p2 = f2, fclass9. Mask bits: 0 @pos, 1 @neg, 2 @zero, 3 @unorm,
    /// 4 @norm, 5 @inf (these four ANDed with the sign bits), 6 @snan, 7 @qnan, 8 @nat.
    /// Returns the membership (p1 for .m; the interpreter complements for .nm). No exceptions.
    public static func fclass(_ f2: FloatRegisterValue, mask: UInt16) -> Bool {
        func bit(_ i: Int) -> Bool { mask >> i & 1 != 0 }
        if f2.isNaTVal { return bit(8) }
        if f2.isQuietNaN { return bit(7) }
        if f2.isSignalingNaN { return bit(6) }
        if f2.isUnsupported { return false }
        guard f2.sign ? bit(1) : bit(0) else { return false }
        if f2.isInfinity { return bit(5) }
        if f2.isZero { return bit(2) }
        if f2.isUnnormalOperand { return bit(3) }
        return bit(4)
    }
}
