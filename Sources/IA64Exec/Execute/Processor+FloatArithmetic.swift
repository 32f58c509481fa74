/// F-unit arithmetic: operands gathered per instruction form, computed by the floating-point
/// library (`FloatArithmetic`, `FloatBitwise`), results committed with IEEE flags into the
/// status field, faults raised before anything is written and traps after.
extension Processor {
    var floatStatus: FloatStatus {
        get { FloatStatus(rawValue: ar[40]) }
        set { ar[40] = newValue.rawValue }
    }

    @inline(__always)
    func libraryValue(_ f: FloatRegisterBits) -> FloatRegisterValue {
        FloatRegisterValue(significand: f.significand, signExponent: f.signExponent)
    }

    @inline(__always)
    func storedValue(_ v: FloatRegisterValue) -> FloatRegisterBits {
        FloatRegisterBits(significand: v.significand, signExponent: v.signExponent)
    }

    /// Commits a result according to its exception report.
    func commit(_ value: FloatRegisterValue, _ report: FloatExceptionReport, to target: Int, field: Int) -> SlotOutcome {
        if report.isFault { return floatFault(report) }
        setFloatRegister(target, storedValue(value))
        return afterCommit(report, field: field)
    }

    func afterCommit(_ report: FloatExceptionReport, field: Int) -> SlotOutcome {
        if !report.flags.isEmpty {
            var status = floatStatus
            status.accumulate(report.flags, field: field)
            floatStatus = status
        }
        if report.isTrap {
            // ISR.code: bit 0 fpa (rounded up), bits 3..7: overflow, underflow, inexact (trap codes).
            var code: UInt64 = report.roundedUp ? 1 : 0
            if report.traps.contains(.overflow) { code |= 1 << 11 }
            if report.traps.contains(.underflow) { code |= 1 << 12 }
            if report.traps.contains(.inexact) { code |= 1 << 13 }
            return raiseTrap(.floatingPointTrap, isr: code)
        }
        return .next
    }

    func floatFault(_ report: FloatExceptionReport) -> SlotOutcome {
        // ISR.code bits: v 0, d 1, z 2, software assist 3 (for the low half in parallel forms).
        var code: UInt64 = 0
        if report.faults.contains(.invalid) { code |= 1 }
        if report.faults.contains(.denormal) { code |= 2 }
        if report.faults.contains(.zeroDivide) { code |= 4 }
        if report.softwareAssist { code |= 8 }
        return raise(.floatingPointFault, isr: code, ifa: nil, iim: nil)
    }

    func floatArithmetic(_ form: FloatArithmeticForm, _ o: OperandValues, qualified: Bool) -> SlotOutcome {
        @inline(__always) func value(_ index: UInt8, default d: Int) -> FloatRegisterValue {
            libraryValue(floatRegister(index == 0xff ? d : Int(o[Int(index)])))
        }
        if !qualified {
            // Only fcmp.unc / fclass.unc write when their predicate is false.
            setPredicate(Int(o.v0), false)
            setPredicate(Int(o.v1), false)
            return .next
        }
        let target = Int(o.v0)
        let field = Int(form.statusField)
        let environment = floatStatus.environment(field)
        let precision: FloatPrecision = form.precision == 1 ? .single : (form.precision == 2 ? .double : .dynamic)
        let writesFloat: Bool
        switch form.kind {
        case .compare, .classify, .setControls, .clearFlags, .checkFlags: writesFloat = false
        default: writesFloat = true
        }
        if writesFloat && !writableFloat(o.v0) { return illegal() }

        switch form.kind {
        case .multiplyAdd:
            let a = value(form.f3, default: 0), b = value(form.f4, default: 1), c = value(form.f2, default: 0)
            let addendIsF0 = form.f2 == 0xff || o[Int(form.f2)] == 0
            // The field's inexact flag: flags v d z o u i are bits 7–12 of the 13-bit field.
            let inexactKnown = (ar[40] >> UInt64(6 + 13 * field + 12)) & 1 != 0
            if let fast = Self.doubleMultiplyAdd(a, b, c, variant: form.variant, addendIsF0: addendIsF0,
                                                 precision: precision, environment: environment,
                                                 needInexact: !inexactKnown) {
                setFloatRegister(target, FloatFormats.fromHostDouble(fast.value))
                if fast.inexact { return afterCommit(Self.inexactReport, field: field) }
                return .next
            }
            let r: FloatResult
            switch form.variant {
            case 0: r = FloatArithmetic.fma(a, b, c, addendIsF0: addendIsF0, precision: precision, environment: environment)
            case 1: r = FloatArithmetic.fms(a, b, c, addendIsF0: addendIsF0, precision: precision, environment: environment)
            default: r = FloatArithmetic.fnma(a, b, c, addendIsF0: addendIsF0, precision: precision, environment: environment)
            }
            return commit(r.value, r.report, to: target, field: field)

        case .parallelMultiplyAdd:
            let a = value(form.f3, default: 0), b = value(form.f4, default: 1), c = value(form.f2, default: 0)
            let addendIsF0 = form.f2 == 0xff || o[Int(form.f2)] == 0
            let r: FloatParallelResult
            switch form.variant {
            case 0: r = FloatArithmetic.fpma(a, b, c, addendIsF0: addendIsF0, environment: environment)
            case 1: r = FloatArithmetic.fpms(a, b, c, addendIsF0: addendIsF0, environment: environment)
            default: r = FloatArithmetic.fpnma(a, b, c, addendIsF0: addendIsF0, environment: environment)
            }
            return commit(r.value, r.combined, to: target, field: field)

        case .compare:
            var x = libraryValue(floatRegister(Int(o.v2))), y = libraryValue(floatRegister(Int(o.v3)))
            if form.swapSources { swap(&x, &y) }
            let type: PredicateWriteType = form.unconditional ? .unconditional : .normal
            if x.isNaTVal || y.isNaTVal { return writePredicates(type, o.v0, o.v1, relation: false, nat: true) }
            let r = FloatArithmetic.fcmp(Self.compareRelation(form.variant), x, y, environment: environment)
            if r.report.isFault { return floatFault(r.report) }
            let outcome = writePredicates(type, o.v0, o.v1, relation: r.p1, nat: false)
            if case .next = outcome { return afterCommit(r.report, field: field) }
            return outcome

        case .parallelCompare:
            var x = libraryValue(floatRegister(Int(o.v1))), y = libraryValue(floatRegister(Int(o.v2)))
            if form.swapSources { swap(&x, &y) }
            let r = FloatArithmetic.fpcmp(Self.compareRelation(form.variant), x, y, environment: environment)
            return commit(r.value, r.combined, to: target, field: field)

        case .classify:
            let matches = FloatArithmetic.fclass(value(form.f2, default: 0), mask: UInt16(truncatingIfNeeded: o.v3))
            let type: PredicateWriteType = form.unconditional ? .unconditional : .normal
            return writePredicates(type, o.v0, o.v1, relation: form.variant == 1 ? !matches : matches, nat: false)

        case .minMax, .parallelMinMax:
            let kind: FloatMinMaxKind = [.minimum, .maximum, .absoluteMinimum, .absoluteMaximum][Int(form.variant & 3)]
            let a = value(form.f2, default: 0), b = value(form.f3, default: 0)
            if form.kind == .minMax {
                let r = FloatArithmetic.minMax(kind, a, b, environment: environment)
                return commit(r.value, r.report, to: target, field: field)
            }
            let r = FloatArithmetic.fpMinMax(kind, a, b, environment: environment)
            return commit(r.value, r.combined, to: target, field: field)

        case .convertToInteger:
            let r = FloatArithmetic.fcvtToInteger(value(form.f2, default: 0), unsigned: form.variant & 1 != 0,
                                                  truncate: form.variant & 2 != 0, environment: environment)
            return commit(r.value, r.report, to: target, field: field)

        case .parallelConvertToInteger:
            let r = FloatArithmetic.fpcvtToInteger(value(form.f2, default: 0), unsigned: form.variant & 1 != 0,
                                                   truncate: form.variant & 2 != 0, environment: environment)
            return commit(r.value, r.combined, to: target, field: field)

        case .convertFromInteger:
            setFloatRegister(target, storedValue(FloatArithmetic.fcvtFromInteger(value(form.f2, default: 0))))
            return .next

        case .integerMultiplyAdd:
            let part: FloatIntegerMultiplyPart = form.variant == 0 ? .low : (form.variant == 1 ? .high : .highUnsigned)
            let v = FloatArithmetic.xma(part, value(form.f3, default: 0), value(form.f4, default: 0), value(form.f2, default: 0))
            setFloatRegister(target, storedValue(v))
            return .next

        case .reciprocal, .reciprocalSquareRoot, .parallelReciprocal, .parallelReciprocalSquareRoot:
            // frcpa f1, p2 = f2, f3 / frsqrta f1, p2 = f3 (and the parallel forms, without p2).
            let r: FloatApproximationResult
            switch form.kind {
            case .reciprocal:
                r = FloatArithmetic.frcpa(value(form.f2, default: 0), value(form.f3, default: 0), environment: environment)
            case .reciprocalSquareRoot:
                r = FloatArithmetic.frsqrta(value(form.f3, default: 0), environment: environment)
            case .parallelReciprocal:
                r = FloatArithmetic.fprcpa(value(form.f2, default: 0), value(form.f3, default: 0), environment: environment)
            default:
                r = FloatArithmetic.fprsqrta(value(form.f3, default: 0), environment: environment)
            }
            if r.report.isFault { return floatFault(r.report) }
            setFloatRegister(target, storedValue(r.value))
            if form.kind == .reciprocal || form.kind == .reciprocalSquareRoot { setPredicate(Int(o.v1), r.predicate) }
            return afterCommit(r.report, field: field)

        case .merge, .parallelMerge:
            let t = value(form.f3, default: 0)
            let s = form.signFromZero ? FloatRegisterValue.positiveZero : (form.f2 == 0xff ? t : value(form.f2, default: 0))
            let v: FloatRegisterValue
            if form.kind == .merge {
                v = form.variant == 0 ? FloatBitwise.fmergeSign(s, t)
                    : (form.variant == 1 ? FloatBitwise.fmergeNegatedSign(s, t) : FloatBitwise.fmergeSignExponent(s, t))
            } else {
                v = form.variant == 0 ? FloatBitwise.fpmergeSign(s, t)
                    : (form.variant == 1 ? FloatBitwise.fpmergeNegatedSign(s, t) : FloatBitwise.fpmergeSignExponent(s, t))
            }
            setFloatRegister(target, storedValue(v))
            return .next

        case .mix, .swap, .signExtend, .pack, .logical:
            let a = value(form.f2, default: 0), b = value(form.f3, default: 0)
            let v: FloatRegisterValue
            switch (form.kind, form.variant) {
            case (.mix, 0): v = FloatBitwise.fmixLeft(a, b)
            case (.mix, 1): v = FloatBitwise.fmixRight(a, b)
            case (.mix, _): v = FloatBitwise.fmixLeftRight(a, b)
            case (.swap, 0): v = FloatBitwise.fswap(a, b)
            case (.swap, 1): v = FloatBitwise.fswapNegateLeft(a, b)
            case (.swap, _): v = FloatBitwise.fswapNegateRight(a, b)
            case (.signExtend, 0): v = FloatBitwise.fsxtLeft(a, b)
            case (.signExtend, _): v = FloatBitwise.fsxtRight(a, b)
            case (.pack, _): v = FloatBitwise.fpack(a, b)
            case (_, 0): v = FloatBitwise.fand(a, b)
            case (_, 1): v = FloatBitwise.forBits(a, b)
            case (_, 2): v = FloatBitwise.fxor(a, b)
            default: v = FloatBitwise.fandcm(a, b)
            }
            setFloatRegister(target, storedValue(v))
            return .next

        case .select:
            let v = FloatBitwise.fselect(value(form.f3, default: 0), value(form.f4, default: 0), value(form.f2, default: 0))
            setFloatRegister(target, storedValue(v))
            return .next

        case .setControls:
            var status = floatStatus
            status.fsetc(field: field, andMask: UInt8(truncatingIfNeeded: o.v0), orMask: UInt8(truncatingIfNeeded: o.v1))
            floatStatus = status
            return .next

        case .clearFlags:
            var status = floatStatus
            status.fclrf(field: field)
            floatStatus = status
            return .next

        case .checkFlags:
            return .next  // the branch itself is taken by `floatCheckBranch`

        case .notImplemented:
            return raise(.notImplemented)
        }
    }

    static let inexactReport: FloatExceptionReport = {
        var r = FloatExceptionReport()
        r.flags = .inexact
        return r
    }()

    /// The common case of double-precision multiply-add done by the host: operands that are
    /// doubles of moderate magnitude (|exponent| <= 400, or zero), round to nearest, the double
    /// exponent range, no inexact trap, and a normal (or zero) result. The host's fused
    /// multiply-add rounds as IEEE requires; the only flag such an operation can raise is
    /// inexact, found exactly by error-free transformations (Boldo and Muller's ErrFma: the
    /// residual is zero exactly when the result is exact). Anything else returns nil and goes
    /// to the full software implementation.
    static func doubleMultiplyAdd(_ a: FloatRegisterValue, _ b: FloatRegisterValue, _ c: FloatRegisterValue,
                                  variant: UInt8, addendIsF0: Bool, precision: FloatPrecision,
                                  environment: FloatEnvironment, needInexact: Bool = true) -> (value: Double, inexact: Bool)? {
        let controls = environment.controls
        guard controls.rounding == .nearest, !controls.flushToZero, !controls.widestRange,
              precision == .double || (precision == .dynamic && controls.precision == .double),
              environment.disabledTraps.contains(.inexact),
              let x = moderateDouble(a), let y = moderateDouble(b), let z = moderateDouble(c) else { return nil }
        let p = variant == 2 ? -x : x
        let addend = variant == 1 ? -z : z
        if addendIsF0 {
            // fmpy (addend f0) is a plain multiply: a zero product keeps its sign.
            let r = p * y
            guard r == 0 || r.isNormal else { return nil }
            return (r, (-r).addingProduct(p, y) != 0)
        }
        return hostMultiplyAdd(p, y, addend, needInexact: needInexact)
    }

    /// p*y + addend rounded once by the host, with whether that rounding was inexact (only
    /// computed when asked: the flag is sticky, so once set exactness no longer matters); nil
    /// when the result is not a normal double or zero. Operands must be of moderate magnitude.
    @inline(__always)
    static func hostMultiplyAdd(_ p: Double, _ y: Double, _ addend: Double, needInexact: Bool) -> (value: Double, inexact: Bool)? {
        let r1 = addend.addingProduct(p, y)
        guard r1 == 0 || r1.isNormal else { return nil }
        guard needInexact else { return (r1, false) }
        // ErrFma: r1 + r2 + r3 == p*y + addend exactly.
        let u1 = p * y
        let u2 = productError(p, y, u1)
        let (alpha1, zz) = twoSum(addend, u2)
        let (beta1, beta2) = twoSum(u1, alpha1)
        let gamma = (beta1 - r1) + beta2
        let r2 = gamma + zz
        let r3 = zz - (r2 - gamma)
        return (r1, r2 != 0 || r3 != 0)
    }

    /// The exact rounding error of the product a*b (= p), by Dekker's splitting: no fused
    /// multiply-add call needed. Exact when nothing overflows or underflows, which the moderate
    /// exponent range of the fast path guarantees.
    @inline(__always)
    static func productError(_ a: Double, _ b: Double, _ p: Double) -> Double {
        let splitter = 134_217_729.0  // 2^27 + 1
        let ta = splitter * a, tb = splitter * b
        let ah = ta - (ta - a), al = a - ah
        let bh = tb - (tb - b), bl = b - bh
        return ((ah * bh - p) + ah * bl + al * bh) + al * bl
    }

    @inline(__always)
    static func twoSum(_ a: Double, _ b: Double) -> (Double, Double) {
        let s = a + b
        let bb = s - a
        return (s, (a - (s - bb)) + (b - bb))
    }

    /// A double with unbiased exponent within ±400 (or a zero), so that products and their
    /// errors stay far from overflow and the subnormal range.
    @inline(__always)
    static func moderateDouble(_ f: FloatRegisterValue) -> Double? {
        if f.significand == 0 && f.exponent == 0 { return exactDoubleFast(f) }
        guard f.exponent >= 0xffff - 400, f.exponent <= 0xffff + 400 else { return nil }
        return exactDoubleFast(f)
    }

    /// A normal double or zero, by bit manipulation; nil for anything else.
    @inline(__always)
    static func exactDoubleFast(_ f: FloatRegisterValue) -> Double? {
        let exponent = f.exponent, significand = f.significand
        let sign: UInt64 = f.sign ? 1 << 63 : 0
        if significand == 0 && exponent == 0 { return Double(bitPattern: sign) }
        guard significand >> 63 == 1, significand & 0x7ff == 0,
              exponent >= 0xffff - 1022, exponent <= 0xffff + 1023 else { return nil }
        return Double(bitPattern: sign | UInt64(exponent + 1023 - 0xffff) << 52 | (significand >> 11) & 0xf_ffff_ffff_ffff)
    }

    static func compareRelation(_ index: UInt8) -> FloatCompareRelation {
        switch index {
        case 0: return .equal
        case 1: return .lessThan
        case 2: return .lessOrEqual
        case 3: return .unordered
        case 4: return .notEqual
        case 5: return .notLessThan
        case 6: return .notLessOrEqual
        default: return .ordered
        }
    }
}
