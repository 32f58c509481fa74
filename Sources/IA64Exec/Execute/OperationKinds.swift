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
    /// Everything computed in the F unit; the entry index names it.
    case arithmetic(entry: UInt16)
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
