/// What each multimedia instruction computes from its two sources (a = the first source
/// register, b = the second, or a count), as the architecture manual's instruction pages
/// define it.
public enum MultimediaSemantics {
    typealias L = ParallelLanes

    static func laneBits(_ op: MultimediaOperation) -> Int {
        switch op {
        case .padd1, .padd1_sss, .padd1_uus, .padd1_uuu, .psub1, .psub1_sss, .psub1_uus, .psub1_uuu,
             .pavg1, .pavg1_raz, .pavgsub1, .pcmp1_eq, .pcmp1_gt, .pmin1_u, .pmax1_u: return 8
        case .padd4, .psub4, .pcmp4_eq, .pcmp4_gt: return 32
        default: return 16
        }
    }

    /// The result of `op` on sources `a` and `b`; `count` for the forms that take one.
    public static func evaluate(_ op: MultimediaOperation, _ a: UInt64, _ b: UInt64, count: UInt64 = 0) -> UInt64 {
        let w = laneBits(op)
        switch op {
        case .padd1, .padd2, .padd4:
            return L.combine(bits: w) { L.lane(a, $0, bits: w) &+ L.lane(b, $0, bits: w) }
        case .psub1, .psub2, .psub4:
            return L.combine(bits: w) { L.lane(a, $0, bits: w) &- L.lane(b, $0, bits: w) }
        case .padd1_sss, .padd2_sss:
            return L.combine(bits: w) { L.saturateSigned(L.signedLane(a, $0, bits: w) + L.signedLane(b, $0, bits: w), bits: w) }
        case .psub1_sss, .psub2_sss:
            return L.combine(bits: w) { L.saturateSigned(L.signedLane(a, $0, bits: w) - L.signedLane(b, $0, bits: w), bits: w) }
        case .padd1_uus, .padd2_uus:
            return L.combine(bits: w) { L.saturateUnsigned(Int64(L.lane(a, $0, bits: w)) + L.signedLane(b, $0, bits: w), bits: w) }
        case .psub1_uus, .psub2_uus:
            return L.combine(bits: w) { L.saturateUnsigned(Int64(L.lane(a, $0, bits: w)) - L.signedLane(b, $0, bits: w), bits: w) }
        case .padd1_uuu, .padd2_uuu:
            return L.combine(bits: w) { L.saturateUnsigned(Int64(L.lane(a, $0, bits: w)) + Int64(L.lane(b, $0, bits: w)), bits: w) }
        case .psub1_uuu, .psub2_uuu:
            return L.combine(bits: w) { L.saturateUnsigned(Int64(L.lane(a, $0, bits: w)) - Int64(L.lane(b, $0, bits: w)), bits: w) }
        case .pavg1, .pavg2:
            // Sum shifted right, the shifted-out bit ORed into the result (round to odd).
            return L.combine(bits: w) {
                let s = L.lane(a, $0, bits: w) + L.lane(b, $0, bits: w)
                return (s >> 1) | (s & 1)
            }
        case .pavg1_raz, .pavg2_raz:
            return L.combine(bits: w) { (L.lane(a, $0, bits: w) + L.lane(b, $0, bits: w) + 1) >> 1 }
        case .pavgsub1, .pavgsub2:
            return L.combine(bits: w) {
                let d = Int64(L.lane(a, $0, bits: w)) - Int64(L.lane(b, $0, bits: w))
                return UInt64(bitPattern: (d >> 1) | (d & 1))
            }
        case .pshladd2:
            return L.combine(bits: 16) {
                L.saturateSigned((L.signedLane(a, $0, bits: 16) << Int64(count)) + L.signedLane(b, $0, bits: 16), bits: 16)
            }
        case .pshradd2:
            return L.combine(bits: 16) {
                L.saturateSigned((L.signedLane(a, $0, bits: 16) >> Int64(count)) + L.signedLane(b, $0, bits: 16), bits: 16)
            }
        case .pcmp1_eq, .pcmp2_eq, .pcmp4_eq:
            return L.combine(bits: w) { L.lane(a, $0, bits: w) == L.lane(b, $0, bits: w) ? ~0 : 0 }
        case .pcmp1_gt, .pcmp2_gt, .pcmp4_gt:
            return L.combine(bits: w) { L.signedLane(a, $0, bits: w) > L.signedLane(b, $0, bits: w) ? ~0 : 0 }
        case .pmpy2_r:
            return L.combine(bits: 32) { UInt64(bitPattern: L.signedLane(a, 2 * $0, bits: 16) * L.signedLane(b, 2 * $0, bits: 16)) }
        case .pmpy2_l:
            return L.combine(bits: 32) { UInt64(bitPattern: L.signedLane(a, 2 * $0 + 1, bits: 16) * L.signedLane(b, 2 * $0 + 1, bits: 16)) }
        case .pmpyshr2:
            return L.combine(bits: 16) { UInt64(bitPattern: (L.signedLane(a, $0, bits: 16) * L.signedLane(b, $0, bits: 16)) >> Int64(count)) }
        case .pmpyshr2_u:
            return L.combine(bits: 16) { (L.lane(a, $0, bits: 16) * L.lane(b, $0, bits: 16)) >> count }
        case .mpy4:
            return (a & 0xffff_ffff) &* (b & 0xffff_ffff)
        case .mpyshl4:
            return ((a & 0xffff_ffff) &* (b >> 32)) << 32
        case .mix1_l, .mix2_l, .mix4_l, .mix1_r, .mix2_r, .mix4_r:
            let bits = op == .mix1_l || op == .mix1_r ? 8 : (op == .mix2_l || op == .mix2_r ? 16 : 32)
            let left = op == .mix1_l || op == .mix2_l || op == .mix4_l
            return L.combine(bits: bits) { i in
                let pairBase = i & ~1
                let source = left ? pairBase + 1 : pairBase
                return i & 1 == 1 ? L.lane(a, source, bits: bits) : L.lane(b, source, bits: bits)
            }
        case .mux1:
            let order: [Int]  // source byte for result bytes 7…0
            switch count {
            case 0x0: order = [0, 0, 0, 0, 0, 0, 0, 0]
            case 0x8: order = [7, 3, 5, 1, 6, 2, 4, 0]
            case 0x9: order = [7, 3, 6, 2, 5, 1, 4, 0]
            case 0xa: order = [7, 5, 3, 1, 6, 4, 2, 0]
            case 0xb: order = [0, 1, 2, 3, 4, 5, 6, 7]
            default: return a  // reserved mbtype: the instruction entry does not exist for it
            }
            return L.combine(bits: 8) { L.lane(a, order[7 - $0], bits: 8) }
        case .mux2:
            return L.combine(bits: 16) { L.lane(a, Int((count >> UInt64(2 * $0)) & 3), bits: 16) }
        case .pack2_sss, .pack2_uss:
            return L.combine(bits: 8) { i in
                let source = i < 4 ? a : b
                let x = L.signedLane(source, i & 3, bits: 16)
                return op == .pack2_sss ? L.saturateSigned(x, bits: 8) : L.saturateUnsigned(x, bits: 8)
            }
        case .pack4_sss:
            return L.combine(bits: 16) { i in L.saturateSigned(L.signedLane(i < 2 ? a : b, i & 1, bits: 32), bits: 16) }
        case .unpack1_h, .unpack1_l, .unpack2_h, .unpack2_l, .unpack4_h, .unpack4_l:
            let bits = op == .unpack1_h || op == .unpack1_l ? 8 : (op == .unpack2_h || op == .unpack2_l ? 16 : 32)
            let high = op == .unpack1_h || op == .unpack2_h || op == .unpack4_h
            let half = 32 / bits
            return L.combine(bits: bits) { i in
                let source = (high ? half : 0) + i / 2
                return i & 1 == 1 ? L.lane(a, source, bits: bits) : L.lane(b, source, bits: bits)
            }
        case .pmin1_u:
            return L.combine(bits: 8) { min(L.lane(a, $0, bits: 8), L.lane(b, $0, bits: 8)) }
        case .pmax1_u:
            return L.combine(bits: 8) { max(L.lane(a, $0, bits: 8), L.lane(b, $0, bits: 8)) }
        case .pmin2:
            return L.combine(bits: 16) { UInt64(bitPattern: min(L.signedLane(a, $0, bits: 16), L.signedLane(b, $0, bits: 16))) }
        case .pmax2:
            return L.combine(bits: 16) { UInt64(bitPattern: max(L.signedLane(a, $0, bits: 16), L.signedLane(b, $0, bits: 16))) }
        case .psad1:
            var sum: UInt64 = 0
            for i in 0..<8 {
                let x = L.lane(a, i, bits: 8), y = L.lane(b, i, bits: 8)
                sum += x > y ? x - y : y - x
            }
            return sum
        case .pshl2, .pshl4:
            let bits = op == .pshl2 ? 16 : 32
            if count >= UInt64(bits) { return 0 }
            return L.combine(bits: bits) { L.lane(a, $0, bits: bits) << count }
        case .pshr2, .pshr4:
            let bits = op == .pshr2 ? 16 : 32
            let c = Int64(min(count, UInt64(bits - 1)))
            return L.combine(bits: bits) { UInt64(bitPattern: L.signedLane(a, $0, bits: bits) >> c) }
        case .pshr2_u, .pshr4_u:
            let bits = op == .pshr2_u ? 16 : 32
            if count >= UInt64(bits) { return 0 }
            return L.combine(bits: bits) { L.lane(a, $0, bits: bits) >> count }
        case .popcnt:
            return UInt64(a.nonzeroBitCount)
        case .clz:
            return UInt64(a.leadingZeroBitCount)
        case .czx1_l:
            for i in 0..<8 where L.lane(a, 7 - i, bits: 8) == 0 { return UInt64(i) }
            return 8
        case .czx1_r:
            for i in 0..<8 where L.lane(a, i, bits: 8) == 0 { return UInt64(i) }
            return 8
        case .czx2_l:
            for i in 0..<4 where L.lane(a, 3 - i, bits: 16) == 0 { return UInt64(i) }
            return 4
        case .czx2_r:
            for i in 0..<4 where L.lane(a, i, bits: 16) == 0 { return UInt64(i) }
            return 4
        }
    }
}
