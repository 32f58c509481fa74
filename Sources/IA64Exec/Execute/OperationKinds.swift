/// Integer multimedia, bit-count and multiply functions of two registers (or a register and a
/// count). Names follow the assembler mnemonics.
public enum MultimediaOperation: UInt8, Sendable, CaseIterable {
    case padd1, padd1_sss, padd1_uus, padd1_uuu, padd2, padd2_sss, padd2_uus, padd2_uuu, padd4
    case psub1, psub1_sss, psub1_uus, psub1_uuu, psub2, psub2_sss, psub2_uus, psub2_uuu, psub4
    case pavg1, pavg1_raz, pavg2, pavg2_raz, pavgsub1, pavgsub2
    case pshladd2, pshradd2
    case pcmp1_eq, pcmp1_gt, pcmp2_eq, pcmp2_gt, pcmp4_eq, pcmp4_gt
    case pmpy2_l, pmpy2_r, pmpyshr2, pmpyshr2_u, mpy4, mpyshl4
    case mix1_l, mix1_r, mix2_l, mix2_r, mix4_l, mix4_r
    case mux1, mux2
    case pack2_sss, pack2_uss, pack4_sss
    case unpack1_h, unpack1_l, unpack2_h, unpack2_l, unpack4_h, unpack4_l
    case pmin1_u, pmax1_u, pmin2, pmax2, psad1
    case pshl2, pshl4, pshr2, pshr2_u, pshr4, pshr4_u
    case popcnt, clz, czx1_l, czx1_r, czx2_l, czx2_r

    /// The case for an assembler name such as "padd1.sss".
    static func named(_ name: String) -> MultimediaOperation? {
        byName[String(name.map { $0 == "." ? "_" : $0 })]
    }

    private static let byName: [String: MultimediaOperation] =
        Dictionary(uniqueKeysWithValues: allCases.map { ("\($0)", $0) })
}

/// Floating-point operations; the FP unit implements them.
public enum FloatOperation: Sendable, Equatable {
    case load(FloatMemoryFormat, LoadForm.Kind, UpdateForm)
    case loadPair(FloatMemoryFormat, LoadForm.Kind, immediateUpdate: Bool)
    case store(FloatMemoryFormat, immediateUpdate: Bool)
    case getFloat(FloatTransferKind)
    case setFloat(FloatTransferKind)
    /// Everything computed in the F unit.
    case arithmetic(FloatArithmeticForm)
}

/// An F-unit instruction resolved once from its name: what it computes, with which precision
/// and status field, and where its operands sit. f2/f3/f4 are operand positions of those
/// encoding fields (0xff: an alias's implied f0 or f1); compares use the written order.
public struct FloatArithmeticForm: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        case multiplyAdd, parallelMultiplyAdd, compare, parallelCompare, classify, minMax, parallelMinMax,
             convertToInteger, parallelConvertToInteger, convertFromInteger, integerMultiplyAdd,
             reciprocal, reciprocalSquareRoot, parallelReciprocal, parallelReciprocalSquareRoot,
             merge, parallelMerge, mix, swap, signExtend, pack, logical, select,
             setControls, clearFlags, checkFlags, notImplemented
    }
    public var kind: Kind
    /// 0: the status field's pc; 1: single; 2: double.
    public var precision: UInt8 = 0
    public var statusField: UInt8 = 0
    public var unconditional = false
    /// Kind-specific selector (see `floatArithmetic`).
    public var variant: UInt8 = 0
    /// For compares: swap the written sources (gt, ge, ngt, nge are lt, le, nlt, nle reversed).
    public var swapSources = false
    public var f2: UInt8 = 0xff
    public var f3: UInt8 = 0xff
    public var f4: UInt8 = 0xff
    /// fabs/fnegabs/fpabs/fpnegabs: the sign source is f0.
    public var signFromZero = false

    init(entry e: OpcodeEntry) {
        let parts = e.name.split(separator: ".").map(String.init)
        let base = parts[0]
        let c = Set(parts.dropFirst())
        func index(_ k: OperandKind) -> UInt8 { e.operands.firstIndex(of: k).map { UInt8($0) } ?? 0xff }
        f2 = index(.f2)
        f3 = index(.f3)
        f4 = index(.f4)
        precision = c.contains("s") ? 1 : (c.contains("d") ? 2 : 0)
        statusField = c.contains("s1") ? 1 : (c.contains("s2") ? 2 : (c.contains("s3") ? 3 : 0))
        unconditional = c.contains("unc")
        switch base {
        case "fma", "fmpy", "fadd", "fnorm": kind = .multiplyAdd; variant = 0
        case "fms", "fsub": kind = .multiplyAdd; variant = 1
        case "fnma", "fnmpy": kind = .multiplyAdd; variant = 2
        case "fcvt" where c.contains("xuf"): kind = .multiplyAdd; variant = 0
        case "fpma", "fpmpy": kind = .parallelMultiplyAdd; variant = 0
        case "fpms": kind = .parallelMultiplyAdd; variant = 1
        case "fpnma", "fpnmpy": kind = .parallelMultiplyAdd; variant = 2
        case "fcmp", "fpcmp":
            kind = base == "fcmp" ? .compare : .parallelCompare
            if let (r, swap) = parts.count > 1 ? Self.relation(parts[1]) : nil {
                variant = r
                swapSources = swap
            } else {
                kind = .notImplemented
            }
        case "fclass": kind = .classify; variant = c.contains("nm") ? 1 : 0
        case "fmin", "fpmin": kind = base == "fmin" ? .minMax : .parallelMinMax; variant = 0
        case "fmax", "fpmax": kind = base == "fmax" ? .minMax : .parallelMinMax; variant = 1
        case "famin", "fpamin": kind = base == "famin" ? .minMax : .parallelMinMax; variant = 2
        case "famax", "fpamax": kind = base == "famax" ? .minMax : .parallelMinMax; variant = 3
        case "fcvt" where c.contains("xf"): kind = .convertFromInteger
        case "fcvt", "fpcvt":
            kind = base == "fcvt" ? .convertToInteger : .parallelConvertToInteger
            variant = (c.contains("fxu") ? 1 : 0) | (c.contains("trunc") ? 2 : 0)
        case "xma", "xmpy": kind = .integerMultiplyAdd; variant = c.contains("hu") ? 2 : (c.contains("h") ? 1 : 0)
        case "frcpa": kind = .reciprocal
        case "frsqrta": kind = .reciprocalSquareRoot
        case "fprcpa": kind = .parallelReciprocal
        case "fprsqrta": kind = .parallelReciprocalSquareRoot
        case "fmerge", "mov": kind = .merge; variant = c.contains("ns") ? 1 : (c.contains("se") ? 2 : 0)
        case "fneg": kind = .merge; variant = 1
        case "fabs": kind = .merge; variant = 0; signFromZero = true
        case "fnegabs": kind = .merge; variant = 1; signFromZero = true
        case "fpmerge": kind = .parallelMerge; variant = c.contains("ns") ? 1 : (c.contains("se") ? 2 : 0)
        case "fpneg": kind = .parallelMerge; variant = 1
        case "fpabs": kind = .parallelMerge; variant = 0; signFromZero = true
        case "fpnegabs": kind = .parallelMerge; variant = 1; signFromZero = true
        case "fmix": kind = .mix; variant = c.contains("lr") ? 2 : (c.contains("l") ? 0 : 1)
        case "fswap": kind = .swap; variant = c.contains("nl") ? 1 : (c.contains("nr") ? 2 : 0)
        case "fsxt": kind = .signExtend; variant = c.contains("l") ? 0 : 1
        case "fpack": kind = .pack
        case "fand": kind = .logical; variant = 0
        case "for": kind = .logical; variant = 1
        case "fxor": kind = .logical; variant = 2
        case "fandcm": kind = .logical; variant = 3
        case "fselect": kind = .select
        case "fsetc": kind = .setControls
        case "fclrf": kind = .clearFlags
        case "fchkf": kind = .checkFlags
        default: kind = .notImplemented
        }
    }

    /// A compare relation as (index, swap sources): gt, ge, ngt, nge are lt, le, nlt, nle with
    /// the sources exchanged.
    static func relation(_ name: String) -> (UInt8, Bool)? {
        switch name {
        case "eq": return (0, false)
        case "lt": return (1, false)
        case "le": return (2, false)
        case "unord": return (3, false)
        case "neq": return (4, false)
        case "nlt": return (5, false)
        case "nle": return (6, false)
        case "ord": return (7, false)
        case "gt": return (1, true)
        case "ge": return (2, true)
        case "ngt": return (5, true)
        case "nge": return (6, true)
        default: return nil
        }
    }
}

public enum FloatMemoryFormat: UInt8, Sendable { case single, double, extended, integer, spill }
public enum FloatTransferKind: UInt8, Sendable { case single, double, exponent, significand }

/// Instructions that read or change system state.
public enum SystemOperation: UInt8, Sendable {
    case setUserMask, resetUserMask              // sum/rum imm24 (user mask: not privileged)
    case moveToUserMask, moveFromUserMask        // mov psr.um = r2 / mov r1 = psr.um
    case moveFromCPUID                           // mov r1 = cpuid[r3]
    case enterPrivilegedCode                     // epc
    case moveToControl, moveFromControl          // mov cr3 = r2 / mov r1 = cr3
    case moveToProcessorStatusLow, moveFromProcessorStatus  // mov psr.l = r2 / mov r1 = psr
    case setSystemMask, resetSystemMask          // ssm / rsm imm24
    case returnFromInterruption                  // rfi
    case bankZero, bankOne                       // bsw.0 / bsw.1
    case translation                             // itc, itr, ptc, ptr, tpa, tak (privileged)
    case translationHash                         // thash, ttag, probe (not privileged)
    case moveToRegion, moveFromRegion            // mov rr[r3] = r2 / mov r1 = rr[r3]
    case moveToProtectionKey, moveFromProtectionKey  // mov pkr[r3] = r2 / mov r1 = pkr[r3]
    case moveToInstructionBreakpoint, moveFromInstructionBreakpoint  // ibr[r3]
    case moveToDataBreakpoint, moveFromDataBreakpoint                // dbr[r3]
    /// Everything privileged (cr, psr.l, rr, pkr, dbr, ibr, pmc, msr, tlb, rfi, bsw, ssm, rsm,
    /// probe, tpa, tak, thash, ttag, itc, itr, ptc, ptr…): lands with the system architecture.
    case privileged
    case moveFromPerformanceMonitor              // mov r1 = pmd[r3] (readable at any level)
}
