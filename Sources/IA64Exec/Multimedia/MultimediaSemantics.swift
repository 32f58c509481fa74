/// Dispatch from a decoded multimedia operation to the function that computes it
/// (`ParallelArithmetic`, `ParallelCompare`, `ParallelMultiply`, `ParallelShift`,
/// `DataArrangement`, `BitCount`): a = the first source register, b = the second, `count` for
/// the forms with a count or a mux selector.
public enum MultimediaSemantics {
    /// The result of `op`, or nil for a selector the architecture reserves (mux1 types other
    /// than @brcst, @mix, @shuf, @alt, @rev).
    public static func evaluate(_ op: MultimediaOperation, _ a: UInt64, _ b: UInt64, count: UInt64 = 0) -> UInt64? {
        typealias A = ParallelArithmetic
        typealias C = ParallelCompare
        typealias M = ParallelMultiply
        typealias S = ParallelShift
        typealias D = DataArrangement
        let n = Int(truncatingIfNeeded: count)
        switch op {
        case .padd1: return A.padd1(a, b)
        case .padd1_sss: return A.padd1_sss(a, b)
        case .padd1_uus: return A.padd1_uus(a, b)
        case .padd1_uuu: return A.padd1_uuu(a, b)
        case .padd2: return A.padd2(a, b)
        case .padd2_sss: return A.padd2_sss(a, b)
        case .padd2_uus: return A.padd2_uus(a, b)
        case .padd2_uuu: return A.padd2_uuu(a, b)
        case .padd4: return A.padd4(a, b)
        case .psub1: return A.psub1(a, b)
        case .psub1_sss: return A.psub1_sss(a, b)
        case .psub1_uus: return A.psub1_uus(a, b)
        case .psub1_uuu: return A.psub1_uuu(a, b)
        case .psub2: return A.psub2(a, b)
        case .psub2_sss: return A.psub2_sss(a, b)
        case .psub2_uus: return A.psub2_uus(a, b)
        case .psub2_uuu: return A.psub2_uuu(a, b)
        case .psub4: return A.psub4(a, b)
        case .pavg1: return A.pavg1(a, b)
        case .pavg1_raz: return A.pavg1_raz(a, b)
        case .pavg2: return A.pavg2(a, b)
        case .pavg2_raz: return A.pavg2_raz(a, b)
        case .pavgsub1: return A.pavgsub1(a, b)
        case .pavgsub2: return A.pavgsub2(a, b)
        case .pshladd2: return A.pshladd2(a, count: n, b)
        case .pshradd2: return A.pshradd2(a, count: n, b)
        case .pcmp1_eq: return C.pcmp1_eq(a, b)
        case .pcmp1_gt: return C.pcmp1_gt(a, b)
        case .pcmp2_eq: return C.pcmp2_eq(a, b)
        case .pcmp2_gt: return C.pcmp2_gt(a, b)
        case .pcmp4_eq: return C.pcmp4_eq(a, b)
        case .pcmp4_gt: return C.pcmp4_gt(a, b)
        case .pmpy2_l: return M.pmpy2_l(a, b)
        case .pmpy2_r: return M.pmpy2_r(a, b)
        case .pmpyshr2: return M.pmpyshr2(a, b, count: n)
        case .pmpyshr2_u: return M.pmpyshr2_u(a, b, count: n)
        case .mpy4: return M.mpy4(a, b)
        case .mpyshl4: return M.mpyshl4(a, b)
        case .mix1_l: return D.mix1_l(a, b)
        case .mix1_r: return D.mix1_r(a, b)
        case .mix2_l: return D.mix2_l(a, b)
        case .mix2_r: return D.mix2_r(a, b)
        case .mix4_l: return D.mix4_l(a, b)
        case .mix4_r: return D.mix4_r(a, b)
        case .mux1:
            guard let permutation = DataArrangement.Mux1Permutation(rawValue: UInt8(truncatingIfNeeded: count)) else { return nil }
            return D.mux1(a, permutation)
        case .mux2: return D.mux2(a, UInt8(truncatingIfNeeded: count))
        case .pack2_sss: return D.pack2_sss(a, b)
        case .pack2_uss: return D.pack2_uss(a, b)
        case .pack4_sss: return D.pack4_sss(a, b)
        case .unpack1_h: return D.unpack1_h(a, b)
        case .unpack1_l: return D.unpack1_l(a, b)
        case .unpack2_h: return D.unpack2_h(a, b)
        case .unpack2_l: return D.unpack2_l(a, b)
        case .unpack4_h: return D.unpack4_h(a, b)
        case .unpack4_l: return D.unpack4_l(a, b)
        case .pmin1_u: return A.pmin1_u(a, b)
        case .pmax1_u: return A.pmax1_u(a, b)
        case .pmin2: return A.pmin2(a, b)
        case .pmax2: return A.pmax2(a, b)
        case .psad1: return A.psad1(a, b)
        case .pshl2: return S.pshl2(a, by: count)
        case .pshl4: return S.pshl4(a, by: count)
        case .pshr2: return S.pshr2(a, by: count)
        case .pshr2_u: return S.pshr2_u(a, by: count)
        case .pshr4: return S.pshr4(a, by: count)
        case .pshr4_u: return S.pshr4_u(a, by: count)
        case .popcnt: return BitCount.popcnt(a)
        case .clz: return BitCount.clz(a)
        case .czx1_l: return BitCount.czx1_l(a)
        case .czx1_r: return BitCount.czx1_r(a)
        case .czx2_l: return BitCount.czx2_l(a)
        case .czx2_r: return BitCount.czx2_r(a)
        }
    }
}
