import XCTest
@testable import IA64Exec

/// Replays the Ski-recorded vectors through the functions the interpreter will call.
final class MultimediaSkiVectorTests: XCTestCase {
    typealias Form = (_ parameters: [Int], _ a: UInt64, _ b: UInt64) -> UInt64

    static let twoSource: [String: @Sendable (UInt64, UInt64) -> UInt64] = [
        "padd1": ParallelArithmetic.padd1, "padd2": ParallelArithmetic.padd2, "padd4": ParallelArithmetic.padd4,
        "padd1.sss": ParallelArithmetic.padd1_sss, "padd2.sss": ParallelArithmetic.padd2_sss,
        "padd1.uus": ParallelArithmetic.padd1_uus, "padd2.uus": ParallelArithmetic.padd2_uus,
        "padd1.uuu": ParallelArithmetic.padd1_uuu, "padd2.uuu": ParallelArithmetic.padd2_uuu,
        "psub1": ParallelArithmetic.psub1, "psub2": ParallelArithmetic.psub2, "psub4": ParallelArithmetic.psub4,
        "psub1.sss": ParallelArithmetic.psub1_sss, "psub2.sss": ParallelArithmetic.psub2_sss,
        "psub1.uus": ParallelArithmetic.psub1_uus, "psub2.uus": ParallelArithmetic.psub2_uus,
        "psub1.uuu": ParallelArithmetic.psub1_uuu, "psub2.uuu": ParallelArithmetic.psub2_uuu,
        "pavg1": ParallelArithmetic.pavg1, "pavg2": ParallelArithmetic.pavg2,
        "pavg1.raz": ParallelArithmetic.pavg1_raz, "pavg2.raz": ParallelArithmetic.pavg2_raz,
        "pavgsub1": ParallelArithmetic.pavgsub1, "pavgsub2": ParallelArithmetic.pavgsub2,
        "pcmp1.eq": ParallelCompare.pcmp1_eq, "pcmp2.eq": ParallelCompare.pcmp2_eq, "pcmp4.eq": ParallelCompare.pcmp4_eq,
        "pcmp1.gt": ParallelCompare.pcmp1_gt, "pcmp2.gt": ParallelCompare.pcmp2_gt, "pcmp4.gt": ParallelCompare.pcmp4_gt,
        "pmpy2.r": ParallelMultiply.pmpy2_r, "pmpy2.l": ParallelMultiply.pmpy2_l,
        "mix1.l": DataArrangement.mix1_l, "mix2.l": DataArrangement.mix2_l, "mix4.l": DataArrangement.mix4_l,
        "mix1.r": DataArrangement.mix1_r, "mix2.r": DataArrangement.mix2_r, "mix4.r": DataArrangement.mix4_r,
        "pack2.sss": DataArrangement.pack2_sss, "pack2.uss": DataArrangement.pack2_uss, "pack4.sss": DataArrangement.pack4_sss,
        "unpack1.h": DataArrangement.unpack1_h, "unpack2.h": DataArrangement.unpack2_h, "unpack4.h": DataArrangement.unpack4_h,
        "unpack1.l": DataArrangement.unpack1_l, "unpack2.l": DataArrangement.unpack2_l, "unpack4.l": DataArrangement.unpack4_l,
        "pmin1.u": ParallelArithmetic.pmin1_u, "pmax1.u": ParallelArithmetic.pmax1_u,
        "pmin2": ParallelArithmetic.pmin2, "pmax2": ParallelArithmetic.pmax2, "psad1": ParallelArithmetic.psad1,
        "addp4": PointerArithmetic.addp4,
        "pshl2": ParallelShift.pshl2, "pshl4": ParallelShift.pshl4,
        "pshr2": ParallelShift.pshr2, "pshr4": ParallelShift.pshr4,
        "pshr2.u": ParallelShift.pshr2_u, "pshr4.u": ParallelShift.pshr4_u,
        "shl": IntegerShift.shl, "shr": IntegerShift.shr, "shr.u": IntegerShift.shr_u,
    ]

    static let oneSource: [String: @Sendable (UInt64) -> UInt64] = [
        "czx1.l": BitCount.czx1_l, "czx1.r": BitCount.czx1_r, "czx2.l": BitCount.czx2_l, "czx2.r": BitCount.czx2_r,
        "popcnt": BitCount.popcnt,
        "zxt1": IntegerExtension.zxt1, "zxt2": IntegerExtension.zxt2, "zxt4": IntegerExtension.zxt4,
        "sxt1": IntegerExtension.sxt1, "sxt2": IntegerExtension.sxt2, "sxt4": IntegerExtension.sxt4,
    ]

    static let mux1Types: [String: DataArrangement.Mux1Permutation] = [
        "@brcst": .broadcast, "@mix": .mix, "@shuf": .shuffle, "@alt": .alternate, "@rev": .reverse,
    ]

    /// The result of one recorded form, or nil for a form this table does not know.
    static func evaluate(_ form: String, _ a: UInt64, _ b: UInt64) -> UInt64? {
        let words = form.split(separator: " ").map(String.init)
        let p = words.dropFirst().compactMap { Int($0) }
        switch words[0] {
        case "pshladd2": return ParallelArithmetic.pshladd2(a, count: p[0], b)
        case "pshradd2": return ParallelArithmetic.pshradd2(a, count: p[0], b)
        case "pmpyshr2": return ParallelMultiply.pmpyshr2(a, b, count: p[0])
        case "pmpyshr2.u": return ParallelMultiply.pmpyshr2_u(a, b, count: p[0])
        case "shladd": return IntegerShift.shladd(a, count: p[0], b)
        case "shladdp4": return PointerArithmetic.shladdp4(a, count: p[0], b)
        case "shrp": return FieldOps.shrp(a, b, count: p[0])
        case "extr": return FieldOps.extr(a, pos: p[0], len: p[1])
        case "extr.u": return FieldOps.extr_u(a, pos: p[0], len: p[1])
        case "dep": return FieldOps.dep(a, b, pos: p[0], len: p[1])
        case "dep.z": return FieldOps.dep_z(a, pos: p[0], len: p[1])
        case "depimm1": return FieldOps.dep(imm1: UInt64(bitPattern: Int64(-p[0])), b, pos: p[1], len: p[2])
        case "dep.zimm8": return FieldOps.dep_z(imm8: UInt64(bitPattern: Int64(p[0])), pos: p[1], len: p[2])
        case "mux1": return mux1Types[words[1]].map { DataArrangement.mux1(a, $0) }
        case "mux2": return DataArrangement.mux2(a, UInt8(p[0]))
        default:
            if let f = twoSource[words[0]] { return f(a, b) }
            if let f = oneSource[words[0]] { return f(a) }
            return nil
        }
    }

    func testEveryRecordedVector() throws {
        var checked = 0
        var formsSeen = Set<String>()
        for line in MultimediaSkiVectors.text.split(separator: "\n") {
            let fields = line.split(separator: "|").map(String.init)
            XCTAssertEqual(fields.count, 4, "malformed line \(line)")
            guard fields.count == 4, let a = UInt64(fields[1], radix: 16), let b = UInt64(fields[2], radix: 16),
                  let expected = UInt64(fields[3], radix: 16) else { continue }
            guard let actual = Self.evaluate(fields[0], a, b) else {
                XCTFail("no function for form \(fields[0])")
                continue
            }
            XCTAssertEqual(actual, expected, "\(fields[0]) \(fields[1]) \(fields[2]): got \(String(actual, radix: 16))")
            checked += 1
            formsSeen.insert(String(fields[0].split(separator: " ")[0]))
        }
        // Guards against the table silently shrinking or the parser skipping everything.
        XCTAssertGreaterThan(checked, 2400)
        XCTAssertEqual(formsSeen.count, 88)
    }
}
