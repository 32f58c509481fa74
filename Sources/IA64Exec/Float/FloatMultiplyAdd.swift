/// fma / fms / fnma: a×b + c with a single rounding (SDM Vol. 3 "fma"). Operand names follow
/// the instruction: fma f1 = f3, f4, f2 computes f3 × f4 + f2.
public enum FloatArithmetic {
    /// fma.pc.sf f1 = f3, f4, f2. `addendIsF0` must be true when the f2 field names f0: then a
    /// zero product keeps its own sign (the IEEE multiply fmpy), instead of adding +0.
    public static func fma(_ f3: FloatRegisterValue, _ f4: FloatRegisterValue, _ f2: FloatRegisterValue,
                           addendIsF0: Bool = false, precision: FloatPrecision,
                           environment: FloatEnvironment) -> FloatResult {
        multiplyAdd(f3, f4, f2, negateProduct: false, negateAddend: false, addendIsF0: addendIsF0,
                    format: FloatResultFormat(precision, environment.controls), environment: environment)
    }

    /// fms.pc.sf f1 = f3, f4, f2: f3 × f4 − f2.
    public static func fms(_ f3: FloatRegisterValue, _ f4: FloatRegisterValue, _ f2: FloatRegisterValue,
                           addendIsF0: Bool = false, precision: FloatPrecision,
                           environment: FloatEnvironment) -> FloatResult {
        multiplyAdd(f3, f4, f2, negateProduct: false, negateAddend: true, addendIsF0: addendIsF0,
                    format: FloatResultFormat(precision, environment.controls), environment: environment)
    }

    /// fnma.pc.sf f1 = f3, f4, f2: −(f3 × f4) + f2.
    public static func fnma(_ f3: FloatRegisterValue, _ f4: FloatRegisterValue, _ f2: FloatRegisterValue,
                            addendIsF0: Bool = false, precision: FloatPrecision,
                            environment: FloatEnvironment) -> FloatResult {
        multiplyAdd(f3, f4, f2, negateProduct: true, negateAddend: false, addendIsF0: addendIsF0,
                    format: FloatResultFormat(precision, environment.controls), environment: environment)
    }

    static func multiplyAdd(_ ra: FloatRegisterValue, _ rb: FloatRegisterValue, _ rc: FloatRegisterValue,
                            negateProduct: Bool, negateAddend: Bool, addendIsF0: Bool,
                            format: FloatResultFormat, environment env: FloatEnvironment) -> FloatResult {
        let a = FloatOperand(ra), b = FloatOperand(rb), c = FloatOperand(rc)
        var report = FloatExceptionReport()

        if a.kind == .natVal || b.kind == .natVal || c.kind == .natVal { return FloatResult(value: .natVal) }
        if a.kind == .unsupported || b.kind == .unsupported || c.kind == .unsupported {
            return invalidResult(env)
        }
        // NaN precedence: f4, then f2, then f3 (b, c, a).
        if a.isNaN || b.isNaN || c.isNaN {
            if a.kind == .signalingNaN || b.kind == .signalingNaN || c.kind == .signalingNaN {
                env.raise(.invalid, into: &report)
                if report.isFault { return FloatResult(value: .realIndefinite, report: report) }
            }
            let nan = b.isNaN ? b : (c.isNaN ? c : a)
            return FloatResult(value: nan.quieted, report: report)
        }

        let productSign = (a.sign != b.sign) != negateProduct
        let addendSign = c.sign != negateAddend
        if a.isInfinity || b.isInfinity || c.isInfinity {
            let productIsInfinite = a.isInfinity || b.isInfinity
            // ∞ × 0 and ∞ − ∞ are invalid. (Pseudo-zeros count as zeros: they are normalized first.)
            if productIsInfinite && (a.isZero || b.isZero) { return invalidResult(env) }
            if productIsInfinite && c.isInfinity && productSign != addendSign { return invalidResult(env) }
            if a.isUnnormal || b.isUnnormal || c.isUnnormal {
                env.raise(.denormal, into: &report)
                if report.isFault { return FloatResult(value: .realIndefinite, report: report) }
            }
            let s = productIsInfinite ? productSign : addendSign
            return FloatResult(value: s ? .negativeInfinity : .positiveInfinity, report: report)
        }

        if a.isUnnormal || b.isUnnormal || c.isUnnormal {
            env.raise(.denormal, into: &report)
            if report.isFault { return FloatResult(value: .realIndefinite, report: report) }
        }
        let flagsBefore = report.flags
        let roundingDown = env.controls.rounding == .down

        var result: FloatResult
        if a.isZero || b.isZero {
            if c.isZero {
                let s: Bool
                if addendIsF0 { s = productSign }
                else { s = productSign == addendSign ? productSign : roundingDown }
                return FloatResult(value: FloatRegisterValue(sign: s, exponent: 0, significand: 0), report: report)
            }
            // 0 + c: c is rounded to the destination format.
            result = FloatRounding(sign: addendSign, exponent: c.exponent, high: c.significand, low: 0, sticky: false)
                .round(format, env)
        } else {
            let (ph, pl) = a.significand.multipliedFullWidth(by: b.significand)
            var product = WideMagnitude(w2: ph, w1: pl, w0: 0, exponent: a.exponent + b.exponent + 1)
            if c.isZero {
                product.normalize()
                result = product.rounding(sign: productSign).round(format, env)
            } else {
                let addend = WideMagnitude(w2: c.significand, w1: 0, w0: 0, exponent: c.exponent)
                guard let (sum, sumSign) = WideMagnitude.add(product, productSign, addend, addendSign) else {
                    // Exact cancellation: +0, or −0 when rounding toward −∞.
                    return FloatResult(value: FloatRegisterValue(sign: roundingDown, exponent: 0, significand: 0),
                                       report: report)
                }
                result = sum.rounding(sign: sumSign).round(format, env)
            }
        }
        result.report.flags.formUnion(flagsBefore)
        return result
    }

    static func invalidResult(_ env: FloatEnvironment) -> FloatResult {
        var report = FloatExceptionReport()
        env.raise(.invalid, into: &report)
        return FloatResult(value: .realIndefinite, report: report)
    }
}
