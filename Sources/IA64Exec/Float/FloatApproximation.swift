/// frcpa / frsqrta and the parallel fprcpa / fprsqrta: table approximations that seed the
/// software division and square-root sequences. The predicate says whether the sequence should
/// run (p2 = 1) or the register already holds the IEEE answer (p2 = 0: NaN, ∞, 0 cases).
extension FloatArithmetic {
    /// ≈ 1/d: sign of d, significand from the table, exponent −e−1.
    static func reciprocalSeed(_ d: FloatOperand) -> FloatRegisterValue {
        let index = Int(d.significand >> 55 & 0xFF)
        let biased = 2 * 0xFFFF - 1 - (d.exponent + 0xFFFF)
        return FloatRegisterValue(sign: d.sign, exponent: UInt32(biased),
                                  significand: UInt64(FloatApproximationTable.reciprocal[index]) << 53)
    }

    /// ≈ 1/√x for positive x: exponent −⌊e/2⌋−1.
    static func reciprocalSquareRootSeed(_ x: FloatOperand) -> FloatRegisterValue {
        let biased = x.exponent + 0xFFFF
        let index = (biased & 1) << 7 | Int(x.significand >> 56 & 0x7F)
        let e = 0xFFFF - 1 - (x.exponent >> 1)
        return FloatRegisterValue(sign: false, exponent: UInt32(e & 0x1FFFF),
                                  significand: UInt64(FloatApproximationTable.reciprocalSquareRoot[index]) << 53)
    }

    private static func approximation(_ value: FloatRegisterValue, _ predicate: Bool,
                                      _ report: FloatExceptionReport) -> FloatApproximationResult {
        FloatApproximationResult(value: value, predicate: predicate, report: report, high: report, low: report)
    }

    /// Shared special cases of frcpa/fprcpa: NaT, NaN (f2 first), invalid, zero divide, denormal,
    /// ∞/x, 0/x, x/∞. nil when the table approximation applies.
    private static func reciprocalSpecial(_ n: FloatOperand, _ d: FloatOperand,
                                          _ env: FloatEnvironment) -> (FloatRegisterValue, FloatExceptionReport)? {
        var report = FloatExceptionReport()
        if n.kind == .unsupported || d.kind == .unsupported
            || (n.isInfinity && d.isInfinity) || (n.isZero && d.isZero) {
            env.raise(.invalid, into: &report)
            return (.realIndefinite, report)
        }
        if n.isNaN || d.isNaN {
            if n.kind == .signalingNaN || d.kind == .signalingNaN { env.raise(.invalid, into: &report) }
            return ((n.isNaN ? n : d).quieted, report)
        }
        if !n.isInfinity && d.isZero {
            env.raise(.zeroDivide, into: &report)
            return (n.sign != d.sign ? .negativeInfinity : .positiveInfinity, report)
        }
        return nil
    }

    /// frcpa.sf f1, p2 = f2, f3. Out-of-range operands the hardware cannot finish raise the
    /// software-assist fault (ISR.swa) for the FPSWA handler.
    public static func frcpa(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue,
                             environment env: FloatEnvironment) -> FloatApproximationResult {
        let n = FloatOperand(f2), d = FloatOperand(f3)
        if n.kind == .natVal || d.kind == .natVal { return approximation(.natVal, false, .init()) }
        if let (v, r) = reciprocalSpecial(n, d, env) { return approximation(v, false, r) }
        // Limits: denominator or quotient exponent near the register range, tiny numerator.
        if !n.isInfinity && !n.isZero && !d.isInfinity {
            let dBiased = d.exponent + 0xFFFF, nBiased = n.exponent + 0xFFFF
            let estimate = n.exponent - d.exponent
            if dBiased <= 0 || dBiased >= 0x1FFFC || estimate <= 2 - 0xFFFF || estimate >= 0xFFFF || nBiased <= 64 {
                var r = FloatExceptionReport()
                r.softwareAssist = true
                return approximation(.realIndefinite, false, r)
            }
        }
        var report = FloatExceptionReport()
        if n.isUnnormal || d.isUnnormal {
            env.raise(.denormal, into: &report)
            if report.isFault { return approximation(.realIndefinite, false, report) }
        }
        let sign = n.sign != d.sign
        if n.isInfinity { return approximation(sign ? .negativeInfinity : .positiveInfinity, false, report) }
        if n.isZero || d.isInfinity {
            return approximation(FloatRegisterValue(sign: sign, exponent: 0, significand: 0), false, report)
        }
        return approximation(reciprocalSeed(d), true, report)
    }

    /// frsqrta.sf f1, p2 = f3.
    public static func frsqrta(_ f3: FloatRegisterValue, environment env: FloatEnvironment) -> FloatApproximationResult {
        let x = FloatOperand(f3)
        var report = FloatExceptionReport()
        if x.kind == .natVal { return approximation(.natVal, false, report) }
        if x.kind == .unsupported || (x.sign && !x.isZero && !x.isNaN) {
            env.raise(.invalid, into: &report)
            return approximation(.realIndefinite, false, report)
        }
        if x.isNaN {
            if x.kind == .signalingNaN { env.raise(.invalid, into: &report) }
            return approximation(x.quieted, false, report)
        }
        if x.isInfinity { return approximation(.positiveInfinity, false, report) }
        if !x.isZero && x.exponent + 0xFFFF <= 64 {
            report.softwareAssist = true
            return approximation(.realIndefinite, false, report)
        }
        if x.isUnnormal {
            env.raise(.denormal, into: &report)
            if report.isFault { return approximation(.realIndefinite, false, report) }
        }
        if x.isZero { return approximation(FloatRegisterValue(sign: x.sign, exponent: 0, significand: 0), false, report) }
        return approximation(reciprocalSquareRootSeed(x), true, report)
    }

    /// fprcpa.sf f1, p2 = f2, f3: per half; p2 is set only if both halves want the sequence.
    /// A half whose quotient would leave single range gets p2 = 0 (no software assist).
    public static func fprcpa(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue,
                              environment env: FloatEnvironment) -> FloatApproximationResult {
        if f2.isNaTVal || f3.isNaTVal { return approximation(.natVal, false, .init()) }
        func half(_ nb: UInt32, _ db: UInt32) -> (UInt32, Bool, FloatExceptionReport) {
            let n = FloatOperand(single: nb), d = FloatOperand(single: db)
            if let (v, r) = reciprocalSpecial(n, d, env) { return (v.singleBits, false, r) }
            var report = FloatExceptionReport()
            if n.isUnnormal || d.isUnnormal {
                env.raise(.denormal, into: &report)
                if report.isFault { return (0, false, report) }
            }
            let sign = n.sign != d.sign
            if n.isInfinity { return (FloatRegisterValue(sign: sign, exponent: 0x1FFFF, significand: 1 << 63).singleBits, false, report) }
            if n.isZero || d.isInfinity { return (sign ? 0x8000_0000 : 0, false, report) }
            // A denormal divisor's reciprocal overflows single range; a huge one underflows.
            if d.isUnnormal { return (d.sign ? 0xFF80_0000 : 0x7F80_0000, false, report) }
            if d.exponent >= 125 { return (d.sign ? 0x8000_0000 : 0, false, report) }
            let estimate = n.exponent - d.exponent
            let predicate = !(estimate >= 127 || estimate <= -125 || n.exponent <= -127 + 24)
            return (reciprocalSeed(d).singleBits, predicate, report)
        }
        let (hv, hp, hr) = half(UInt32(f2.significand >> 32), UInt32(f3.significand >> 32))
        let (lv, lp, lr) = half(UInt32(truncatingIfNeeded: f2.significand), UInt32(truncatingIfNeeded: f3.significand))
        var combined = hr.union(lr)
        if combined.isFault { combined.flags = [] }
        return FloatApproximationResult(value: .integer(UInt64(hv) << 32 | UInt64(lv)), predicate: hp && lp,
                                        report: combined, high: hr, low: lr)
    }

    /// fprsqrta.sf f1, p2 = f3: per half.
    public static func fprsqrta(_ f3: FloatRegisterValue, environment env: FloatEnvironment) -> FloatApproximationResult {
        if f3.isNaTVal { return approximation(.natVal, false, .init()) }
        func half(_ bits: UInt32) -> (UInt32, Bool, FloatExceptionReport) {
            let x = FloatOperand(single: bits)
            var report = FloatExceptionReport()
            if x.isNaN {
                if x.kind == .signalingNaN { env.raise(.invalid, into: &report) }
                return (x.quieted.singleBits, false, report)
            }
            if x.sign && !x.isZero {
                env.raise(.invalid, into: &report)
                return (FloatRegisterValue.realIndefinite.singleBits, false, report)
            }
            if x.isInfinity { return (0, false, report) }
            if x.isUnnormal {
                env.raise(.denormal, into: &report)
                if report.isFault { return (0, false, report) }
            }
            if x.isZero { return (x.sign ? 0xFF80_0000 : 0x7F80_0000, false, report) }
            return (reciprocalSquareRootSeed(x).singleBits, x.exponent > -127 + 24, report)
        }
        let (hv, hp, hr) = half(UInt32(f3.significand >> 32))
        let (lv, lp, lr) = half(UInt32(truncatingIfNeeded: f3.significand))
        var combined = hr.union(lr)
        if combined.isFault { combined.flags = [] }
        return FloatApproximationResult(value: .integer(UInt64(hv) << 32 | UInt64(lv)), predicate: hp && lp,
                                        report: combined, high: hr, low: lr)
    }
}
