/// F-unit arithmetic. Values are computed exactly through the host's double-extended type
/// (Float80: the same 64-bit significand and 15-bit exponent as IA-64 double-extended), then
/// rounded to the instruction's precision. Implemented: round-to-nearest with the exponent
/// range of the chosen precision (wre = 0) or results inside it; IEEE status flags are not
/// recorded yet, and other rounding modes, wre-only exponents, frcpa/frsqrta and the parallel
/// forms raise `notImplemented`.
extension Processor {
    struct StatusField {
        var ftz: Bool, wre: Bool, precision: Int, rounding: Int, trapsDisabled: Bool
        init(_ bits: UInt64) {
            ftz = bits & 1 != 0
            wre = bits & 2 != 0
            precision = Int((bits >> 2) & 3)
            rounding = Int((bits >> 4) & 3)
            trapsDisabled = bits & 0x40 != 0
        }
    }

    func statusFieldBits(_ index: Int) -> UInt64 { (ar[40] >> UInt64(6 + 13 * index)) & 0x1fff }

    func floatArithmetic(_ form: FloatArithmeticForm, _ o: OperandValues, qualified: Bool) -> SlotOutcome {
        @inline(__always) func value(_ index: UInt8, default d: Int) -> FloatRegisterBits {
            floatRegister(index == 0xff ? d : Int(o[Int(index)]))
        }
        if !qualified {
            // Only fcmp.unc / fclass.unc write when their predicate is false.
            setPredicate(Int(o.v0), false)
            setPredicate(Int(o.v1), false)
            return .next
        }
        let target = Int(o.v0)

        switch form.kind {
        case .multiplyAdd:
            guard writableFloat(o.v0) else { return illegal() }
            let a = value(form.f3, default: 0)
            let b = value(form.f4, default: 1)
            let c = value(form.f2, default: 0)
            if a.isNaTVal || b.isNaTVal || c.isNaTVal {
                setFloatRegister(target, .natVal)
                return .next
            }
            let sf = StatusField(statusFieldBits(Int(form.statusField)))
            let precision = form.precision == 0 ? sf.precision : Int(form.precision)
            // Double precision on double-valued operands: straight to the host's fused multiply-add.
            if precision == 2, sf.rounding == 0, !sf.ftz, !sf.wre,
               let x = Self.exactDoubleFast(a), let y = Self.exactDoubleFast(b), let z = Self.exactDoubleFast(c) {
                let r = (form.variant == 1 ? -z : z).addingProduct(form.variant == 2 ? -x : x, y)
                setFloatRegister(target, FloatFormats.fromHostDouble(r))
                return .next
            }
            guard sf.rounding == 0, !sf.ftz, var x = Self.extended(a), let y = Self.extended(b), var z = Self.extended(c) else {
                return .fault(.notImplemented)
            }
            if form.variant == 2 { x = -x }
            if form.variant == 1 { z = -z }
            guard let result = Self.fusedMultiplyAdd(x, y, z, precision: precision, wideRange: sf.wre) else {
                return .fault(.notImplemented)
            }
            setFloatRegister(target, result)
            return .next

        case .merge:
            guard writableFloat(o.v0) else { return illegal() }
            let t = value(form.f3, default: 0)
            let s = form.signFromZero ? FloatRegisterBits.positiveZero : (form.f2 == 0xff ? t : value(form.f2, default: 0))
            let result: FloatRegisterBits
            if form.variant == 2 {
                result = FloatRegisterBits(significand: t.significand, signExponent: s.signExponent)
            } else {
                let sign = (s.signExponent >> 17) ^ (form.variant == 1 ? 1 : 0)
                result = FloatRegisterBits(significand: t.significand, signExponent: sign << 17 | (t.signExponent & 0x1ffff))
            }
            setFloatRegister(target, result)
            return .next

        case .logical, .select:
            guard writableFloat(o.v0) else { return illegal() }
            let a = value(form.f2, default: 0).significand, b = value(form.f3, default: 0).significand
            let v: UInt64
            if form.kind == .select {
                v = (b & a) | (value(form.f4, default: 0).significand & ~a)
            } else {
                switch form.variant {
                case 0: v = a & b
                case 1: v = a | b
                case 2: v = a ^ b
                default: v = a & ~b
                }
            }
            setFloatRegister(target, FloatFormats.fromInteger(v))
            return .next

        case .integerMultiplyAdd:
            guard writableFloat(o.v0) else { return illegal() }
            let a = value(form.f3, default: 0).significand, b = value(form.f4, default: 0).significand
            let c = value(form.f2, default: 0).significand
            let v: UInt64
            switch form.variant {
            case 0:
                v = a &* b &+ c
            case 2:
                let p = a.multipliedFullWidth(by: b)
                v = p.high &+ (p.low.addingReportingOverflow(c).overflow ? 1 : 0)
            default:
                let p = Int64(bitPattern: a).multipliedFullWidth(by: Int64(bitPattern: b))
                v = UInt64(bitPattern: p.high) &+ (p.low.addingReportingOverflow(c).overflow ? 1 : 0)
            }
            setFloatRegister(target, FloatFormats.fromInteger(v))
            return .next

        case .convert:
            guard writableFloat(o.v0) else { return illegal() }
            let a = value(form.f2 == 0xff ? form.f3 : form.f2, default: 0)
            if a.isNaTVal {
                setFloatRegister(target, .natVal)
                return .next
            }
            let kind = form.variant & 3, truncate = form.variant & 4 != 0
            if kind == 2 {
                setFloatRegister(target, Self.register(fromExtended: Float80(Int64(bitPattern: a.significand))))
                return .next
            }
            if kind == 3 {
                let sf = StatusField(statusFieldBits(Int(form.statusField)))
                let precision = form.precision == 0 ? sf.precision : Int(form.precision)
                guard let x = Self.extended(a), let r = Self.fusedMultiplyAdd(x, 1, 0, precision: precision, wideRange: sf.wre) else {
                    return .fault(.notImplemented)
                }
                setFloatRegister(target, r)
                return .next
            }
            guard let x = Self.extended(a) else { return .fault(.notImplemented) }
            let rounded = truncate ? x.rounded(.towardZero) : x.rounded(.toNearestOrEven)
            var bits: UInt64 = 1 << 63  // integer indefinite
            if rounded.isFinite {
                if kind == 1, rounded >= 0, rounded < 18446744073709551616.0 { bits = UInt64(rounded) }
                else if kind == 0, rounded >= -9223372036854775808.0, rounded < 9223372036854775808.0 {
                    bits = UInt64(bitPattern: Int64(rounded))
                }
            }
            setFloatRegister(target, FloatFormats.fromInteger(bits))
            return .next

        case .compare:
            let a = value(form.f2, default: 0), b = value(form.f3, default: 0)
            let type: PredicateWriteType = form.unconditional ? .unconditional : .normal
            if a.isNaTVal || b.isNaTVal {
                return writePredicates(type, o.v0, o.v1, relation: false, nat: true)
            }
            guard let x = Self.extended(a) ?? Self.nanLike(a), let y = Self.extended(b) ?? Self.nanLike(b) else {
                return .fault(.notImplemented)
            }
            let relation: Bool
            switch form.variant {
            case 0: relation = x == y
            case 1: relation = x < y
            case 2: relation = x <= y
            case 3: relation = x > y
            case 4: relation = x >= y
            case 5: relation = x.isNaN || y.isNaN
            case 6: relation = !(x == y)
            case 7: relation = !(x < y)
            case 8: relation = !(x <= y)
            case 9: relation = !(x > y)
            case 10: relation = !(x >= y)
            default: relation = !(x.isNaN || y.isNaN)
            }
            return writePredicates(type, o.v0, o.v1, relation: relation, nat: false)

        case .classify:
            let matches = Self.classMatches(value(form.f2, default: 0), UInt64(bitPattern: o.v3))
            let type: PredicateWriteType = form.unconditional ? .unconditional : .normal
            return writePredicates(type, o.v0, o.v1, relation: form.variant == 1 ? !matches : matches, nat: false)

        case .minMax:
            guard writableFloat(o.v0) else { return illegal() }
            let a = value(form.f2, default: 0), b = value(form.f3, default: 0)
            guard var x = Self.extended(a), var y = Self.extended(b) else { return .fault(.notImplemented) }
            if form.variant >= 2 { x = abs(x); y = abs(y) }
            let pickFirst = form.variant & 1 == 0 ? x < y : y < x
            setFloatRegister(target, pickFirst ? a : b)
            return .next

        case .setControls:
            let shift = UInt64(6 + 13 * Int(form.statusField))
            let controls = (ar[40] >> 6) & 0x7f  // sf0 controls
            let updated = (controls & UInt64(bitPattern: o.v0) & 0x7f) | (UInt64(bitPattern: o.v1) & 0x7f)
            ar[40] = (ar[40] & ~(0x7f << shift)) | updated << shift
            return .next

        case .clearFlags:
            let shift = UInt64(6 + 13 * Int(form.statusField) + 7)
            ar[40] &= ~(0x3f << shift)
            return .next

        case .notImplemented:
            return .fault(.notImplemented)
        }
    }

    /// The value as a double by bit manipulation, for normal doubles and zeros (the common case).
    @inline(__always)
    static func exactDoubleFast(_ f: FloatRegisterBits) -> Double? {
        let exponent = f.signExponent & 0x1ffff, significand = f.significand
        let sign = UInt64(f.signExponent >> 17) << 63
        if significand == 0 && exponent == 0 { return Double(bitPattern: sign) }
        guard significand >> 63 == 1, significand & 0x7ff == 0,
              exponent >= 0xffff - 1022, exponent <= 0xffff + 1023 else { return nil }
        return Double(bitPattern: sign | UInt64(exponent + 1023 - 0xffff) << 52 | (significand >> 11) & 0xf_ffff_ffff_ffff)
    }

    /// The register value as a Float80 when it fits exactly (finite, normal or zero, infinity).
    static func extended(_ f: FloatRegisterBits) -> Float80? {
        let sign = f.signExponent >> 17, exponent = Int(f.signExponent & 0x1ffff), significand = f.significand
        if exponent == 0x1ffff {
            guard significand << 1 == 0 else { return nil }
            return sign == 1 ? -.infinity : .infinity
        }
        if significand == 0 { return sign == 1 ? -0.0 : 0.0 }
        let unbiased = exponent - 0xffff - 63
        let magnitude = Float80(sign: .plus, exponent: unbiased, significand: Float80(significand))
        guard magnitude.isFinite, magnitude.isNormal,
              register(fromExtended: magnitude) == normalized(FloatRegisterBits(significand: significand, signExponent: UInt32(exponent))) else {
            return nil
        }
        return sign == 1 ? -magnitude : magnitude
    }

    /// NaNs compare unordered: any NaN stands for them.
    static func nanLike(_ f: FloatRegisterBits) -> Float80? {
        f.signExponent & 0x1ffff == 0x1ffff && f.significand << 1 != 0 ? .nan : nil
    }

    static func normalized(_ f: FloatRegisterBits) -> FloatRegisterBits {
        guard f.significand != 0 else { return FloatRegisterBits(significand: 0, signExponent: f.signExponent & 0x20000) }
        let lz = UInt32(f.significand.leadingZeroBitCount)
        return FloatRegisterBits(significand: f.significand << UInt64(lz),
                                 signExponent: (f.signExponent & 0x20000) | ((f.signExponent & 0x1ffff) - lz))
    }

    static func register(fromExtended x: Float80) -> FloatRegisterBits {
        let sign: UInt32 = x.sign == .minus ? 1 << 17 : 0
        if x.isNaN { return FloatRegisterBits(significand: 0xc000_0000_0000_0000, signExponent: 1 << 17 | 0x1ffff) }
        if x.isInfinite { return FloatRegisterBits(significand: 1 << 63, signExponent: sign | 0x1ffff) }
        if x == 0 { return FloatRegisterBits(significand: 0, signExponent: sign) }
        var significand = x.significandBitPattern | (x.isNormal ? 1 << 63 : 0)
        let lz = significand.leadingZeroBitCount
        significand <<= UInt64(lz)
        return FloatRegisterBits(significand: significand, signExponent: sign | UInt32(Int(x.exponent) + 0xffff))
    }

    /// a*b + c rounded once to nearest at `precision` (1 single, 2 double, 3 double-extended),
    /// or nil when the result needs what is not implemented (wide-range exponents outside the
    /// host format, or double rounding risk).
    static func fusedMultiplyAdd(_ a: Float80, _ b: Float80, _ c: Float80, precision: Int, wideRange: Bool) -> FloatRegisterBits? {
        switch precision {
        case 2:
            guard let x = Double(exactly: a), let y = Double(exactly: b), let z = Double(exactly: c) else { return nil }
            let r = z.addingProduct(x, y)
            if wideRange && (r.isSubnormal || r.isInfinite) { return nil }
            return FloatFormats.fromHostDouble(r)
        case 1:
            guard let x = Float(exactly: a), let y = Float(exactly: b), let z = Float(exactly: c) else { return nil }
            let r = z.addingProduct(x, y)
            if wideRange && (r.isSubnormal || r.isInfinite) { return nil }
            return FloatFormats.fromHostDouble(Double(r))
        default:
            let r = c.addingProduct(a, b)
            if r.isSubnormal { return nil }
            return register(fromExtended: r)
        }
    }

    static func classMatches(_ f: FloatRegisterBits, _ mask: UInt64) -> Bool {
        if f.isNaTVal { return mask & 0x100 != 0 }
        let negative = f.signExponent >> 17 == 1
        let exponent = f.signExponent & 0x1ffff
        let significand = f.significand
        let signOK = negative ? mask & 0x002 != 0 : mask & 0x001 != 0
        let typeBit: UInt64
        if exponent == 0x1ffff {
            if significand << 1 == 0 { typeBit = 0x020 }
            else { typeBit = significand >> 62 & 1 == 1 ? 0x080 : 0x040 }
            if typeBit != 0x020 { return mask & typeBit != 0 }  // NaNs match regardless of sign
        } else if significand == 0 {
            typeBit = 0x004
        } else if significand >> 63 == 0 {
            typeBit = 0x008
        } else {
            typeBit = 0x010
        }
        return signOK && mask & typeBit != 0
    }
}
