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
/// and status field, and where its f2/f3/f4 operands sit (0xff: the alias's implied register).
public struct FloatArithmeticForm: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        case multiplyAdd, merge, logical, select, integerMultiplyAdd, convert, compare, classify,
             minMax, setControls, clearFlags, notImplemented
    }
    public var kind: Kind
    /// 0: the status field's pc; 1: single; 2: double.
    public var precision: UInt8 = 0
    public var statusField: UInt8 = 0
    public var unconditional = false
    /// Kind-specific: multiplyAdd 0 fma/1 fms/2 fnma; merge 0 s/1 ns/2 se; logical 0 and/1 or/2
    /// xor/3 andcm; xma 0 l/1 h/2 hu; convert 0 fx/1 fxu/2 xf/3 xuf (+4 for .trunc);
    /// compare: relation index; classify 0 m/1 nm; minMax 0 min/1 max/2 amin/3 amax.
    public var variant: UInt8 = 0
    public var f2: UInt8 = 0xff
    public var f3: UInt8 = 0xff
    public var f4: UInt8 = 0xff
    /// fabs/fnegabs: the sign source is f0.
    public var signFromZero = false

    static let compareRelations = ["eq", "lt", "le", "gt", "ge", "unord", "neq", "nlt", "nle", "ngt", "nge", "ord"]

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
        case "fmerge": kind = .merge; variant = c.contains("ns") ? 1 : (c.contains("se") ? 2 : 0)
        case "mov": kind = .merge; variant = 0
        case "fneg": kind = .merge; variant = 1
        case "fabs": kind = .merge; variant = 0; signFromZero = true
        case "fnegabs": kind = .merge; variant = 1; signFromZero = true
        case "fand": kind = .logical; variant = 0
        case "for": kind = .logical; variant = 1
        case "fxor": kind = .logical; variant = 2
        case "fandcm": kind = .logical; variant = 3
        case "fselect": kind = .select
        case "xma", "xmpy": kind = .integerMultiplyAdd; variant = c.contains("hu") ? 2 : (c.contains("h") ? 1 : 0)
        case "fcvt":
            kind = .convert
            variant = c.contains("fxu") ? 1 : (c.contains("xf") ? 2 : (c.contains("xuf") ? 3 : 0))
            if c.contains("trunc") { variant += 4 }
            if c.contains("xuf") { precision = c.contains("s") ? 1 : (c.contains("d") ? 2 : 0) }
        case "fcmp":
            kind = .compare
            variant = UInt8(Self.compareRelations.firstIndex(of: parts.count > 1 ? parts[1] : "") ?? 0)
            if parts.count < 2 || !Self.compareRelations.contains(parts[1]) { kind = .notImplemented }
        case "fclass": kind = .classify; variant = c.contains("nm") ? 1 : 0
        case "fmin": kind = .minMax; variant = 0
        case "fmax": kind = .minMax; variant = 1
        case "famin": kind = .minMax; variant = 2
        case "famax": kind = .minMax; variant = 3
        case "fsetc": kind = .setControls
        case "fclrf": kind = .clearFlags
        default: kind = .notImplemented
        }
        // Status-field completers (.s0…s3) are not precision: only a bare .s means single.
        if parts.dropFirst().contains(where: { ["s0", "s1", "s2", "s3"].contains($0) }) && !c.contains("s") {
            precision = c.contains("d") ? 2 : 0
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
    /// Everything privileged (cr, psr.l, rr, pkr, dbr, ibr, pmc, msr, tlb, rfi, bsw, ssm, rsm,
    /// probe, tpa, tak, thash, ttag, itc, itr, ptc, ptr…): lands with the system architecture.
    case privileged
    case moveFromPerformanceMonitor              // mov r1 = pmd[r3] (readable at any level)
}
