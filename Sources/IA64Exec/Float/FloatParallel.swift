/// The parallel (paired single) arithmetic instructions: each 32-bit half of the significand
/// holds a single-precision memory-format value; results are rounded to single precision with
/// an 8-bit exponent (wre does not apply) and packed into an integer-format register.
extension FloatArithmetic {
    private static func high(_ r: FloatRegisterValue) -> UInt32 { UInt32(r.significand >> 32) }
    private static func low(_ r: FloatRegisterValue) -> UInt32 { UInt32(truncatingIfNeeded: r.significand) }

    private static func pack(_ hi: UInt32, _ lo: UInt32) -> FloatRegisterValue {
        .integer(UInt64(hi) << 32 | UInt64(lo))
    }

    private static func parallelMultiplyAdd(_ f3: FloatRegisterValue, _ f4: FloatRegisterValue, _ f2: FloatRegisterValue,
                                            negateProduct: Bool, negateAddend: Bool, addendIsF0: Bool,
                                            environment: FloatEnvironment) -> FloatParallelResult {
        if f3.isNaTVal || f4.isNaTVal || f2.isNaTVal {
            return FloatParallelResult(value: .natVal, high: .init(), low: .init())
        }
        func half(_ pick: (FloatRegisterValue) -> UInt32) -> FloatResult {
            let c = addendIsF0 ? FloatRegisterValue.positiveZero : .fromSingle(pick(f2))
            return multiplyAdd(.fromSingle(pick(f3)), .fromSingle(pick(f4)), c,
                               negateProduct: negateProduct, negateAddend: negateAddend, addendIsF0: addendIsF0,
                               format: .parallelSingle, environment: environment)
        }
        let h = half(high), l = half(low)
        return FloatParallelResult(value: pack(h.value.singleBits, l.value.singleBits), high: h.report, low: l.report)
    }

    /// fpma.sf f1 = f3, f4, f2.
    public static func fpma(_ f3: FloatRegisterValue, _ f4: FloatRegisterValue, _ f2: FloatRegisterValue,
                            addendIsF0: Bool = false, environment: FloatEnvironment) -> FloatParallelResult {
        parallelMultiplyAdd(f3, f4, f2, negateProduct: false, negateAddend: false, addendIsF0: addendIsF0,
                            environment: environment)
    }

    /// fpms.sf f1 = f3, f4, f2.
    public static func fpms(_ f3: FloatRegisterValue, _ f4: FloatRegisterValue, _ f2: FloatRegisterValue,
                            addendIsF0: Bool = false, environment: FloatEnvironment) -> FloatParallelResult {
        parallelMultiplyAdd(f3, f4, f2, negateProduct: false, negateAddend: true, addendIsF0: addendIsF0,
                            environment: environment)
    }

    /// fpnma.sf f1 = f3, f4, f2.
    public static func fpnma(_ f3: FloatRegisterValue, _ f4: FloatRegisterValue, _ f2: FloatRegisterValue,
                             addendIsF0: Bool = false, environment: FloatEnvironment) -> FloatParallelResult {
        parallelMultiplyAdd(f3, f4, f2, negateProduct: true, negateAddend: false, addendIsF0: addendIsF0,
                            environment: environment)
    }

    /// fpcmp.frel.sf f1 = f2, f3: each half all ones when the relation holds, else zero.
    public static func fpcmp(_ relation: FloatCompareRelation, _ f2: FloatRegisterValue, _ f3: FloatRegisterValue,
                             environment: FloatEnvironment) -> FloatParallelResult {
        if f2.isNaTVal || f3.isNaTVal { return FloatParallelResult(value: .natVal, high: .init(), low: .init()) }
        let (h, hr) = compare(relation, FloatOperand(single: high(f2)), FloatOperand(single: high(f3)), environment)
        let (l, lr) = compare(relation, FloatOperand(single: low(f2)), FloatOperand(single: low(f3)), environment)
        return FloatParallelResult(value: pack(h ? ~0 : 0, l ? ~0 : 0), high: hr, low: lr)
    }

    /// fpmin / fpmax / fpamin / fpamax f1 = f2, f3: per half, selecting the single unchanged.
    public static func fpMinMax(_ kind: FloatMinMaxKind, _ f2: FloatRegisterValue, _ f3: FloatRegisterValue,
                                environment: FloatEnvironment) -> FloatParallelResult {
        if f2.isNaTVal || f3.isNaTVal { return FloatParallelResult(value: .natVal, high: .init(), low: .init()) }
        let (h, hr) = selectsFirst(kind, FloatOperand(single: high(f2)), FloatOperand(single: high(f3)), environment)
        let (l, lr) = selectsFirst(kind, FloatOperand(single: low(f2)), FloatOperand(single: low(f3)), environment)
        return FloatParallelResult(value: pack(h ? high(f2) : high(f3), l ? low(f2) : low(f3)), high: hr, low: lr)
    }
}
