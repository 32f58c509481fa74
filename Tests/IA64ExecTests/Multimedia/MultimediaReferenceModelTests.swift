import XCTest
@testable import IA64Exec

/// Random and edge-biased operands through both the implementation and MultimediaLaneReference.
final class MultimediaReferenceModelTests: XCTestCase {
    /// SplitMix64: deterministic, so a failure reproduces.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }

        /// Half the time a register built from lane-boundary bytes (00 01 7f 80 81 fe ff).
        mutating func operand() -> UInt64 {
            if next() & 1 == 0 { return next() }
            let edgeBytes: [UInt64] = [0x00, 0x01, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x40]
            var x: UInt64 = 0
            for i in 0..<8 { x |= edgeBytes[Int(next() % 8)] << UInt64(8 * i) }
            return x
        }
    }

    func forEachPair(_ body: (UInt64, UInt64) -> Void) {
        var g = Generator(state: 0x1a64)
        for _ in 0..<3000 { body(g.operand(), g.operand()) }
    }

    func testAddSubtractAllForms() {
        typealias PA = ParallelArithmetic
        let forms: [(String, (UInt64, UInt64) -> UInt64, Int, MultimediaLaneReference.Kind, Bool)] = [
            ("padd1", PA.padd1, 8, .modulo, false), ("padd2", PA.padd2, 16, .modulo, false), ("padd4", PA.padd4, 32, .modulo, false),
            ("padd1.sss", PA.padd1_sss, 8, .sss, false), ("padd2.sss", PA.padd2_sss, 16, .sss, false),
            ("padd1.uus", PA.padd1_uus, 8, .uus, false), ("padd2.uus", PA.padd2_uus, 16, .uus, false),
            ("padd1.uuu", PA.padd1_uuu, 8, .uuu, false), ("padd2.uuu", PA.padd2_uuu, 16, .uuu, false),
            ("psub1", PA.psub1, 8, .modulo, true), ("psub2", PA.psub2, 16, .modulo, true), ("psub4", PA.psub4, 32, .modulo, true),
            ("psub1.sss", PA.psub1_sss, 8, .sss, true), ("psub2.sss", PA.psub2_sss, 16, .sss, true),
            ("psub1.uus", PA.psub1_uus, 8, .uus, true), ("psub2.uus", PA.psub2_uus, 16, .uus, true),
            ("psub1.uuu", PA.psub1_uuu, 8, .uuu, true), ("psub2.uuu", PA.psub2_uuu, 16, .uuu, true),
        ]
        for (name, f, width, kind, subtract) in forms {
            forEachPair { a, b in
                XCTAssertEqual(f(a, b), MultimediaLaneReference.padd(a, b, width: width, kind, subtract: subtract), "\(name) \(a) \(b)")
            }
        }
    }

    func testAveragesCompareMinMax() {
        typealias PA = ParallelArithmetic
        typealias R = MultimediaLaneReference
        forEachPair { a, b in
            XCTAssertEqual(PA.pavg1(a, b), R.pavg(a, b, width: 8, raz: false))
            XCTAssertEqual(PA.pavg2(a, b), R.pavg(a, b, width: 16, raz: false))
            XCTAssertEqual(PA.pavg1_raz(a, b), R.pavg(a, b, width: 8, raz: true))
            XCTAssertEqual(PA.pavg2_raz(a, b), R.pavg(a, b, width: 16, raz: true))
            XCTAssertEqual(PA.pavgsub1(a, b), R.pavgsub(a, b, width: 8))
            XCTAssertEqual(PA.pavgsub2(a, b), R.pavgsub(a, b, width: 16))
            for (width, eq, gt) in [(8, ParallelCompare.pcmp1_eq, ParallelCompare.pcmp1_gt),
                                    (16, ParallelCompare.pcmp2_eq, ParallelCompare.pcmp2_gt),
                                    (32, ParallelCompare.pcmp4_eq, ParallelCompare.pcmp4_gt)] {
                // Equal lanes are rare at random; compare against a copy with some lanes made equal.
                let c = a ^ (b & 0xff00_ff00_ffff_0000)
                XCTAssertEqual(eq(a, c), R.pcmp(a, c, width: width, greater: false), "pcmp\(width / 8).eq")
                XCTAssertEqual(gt(a, b), R.pcmp(a, b, width: width, greater: true), "pcmp\(width / 8).gt")
            }
            XCTAssertEqual(PA.pmin1_u(a, b), R.minMax(a, b, width: 8, signed: false, maximum: false))
            XCTAssertEqual(PA.pmax1_u(a, b), R.minMax(a, b, width: 8, signed: false, maximum: true))
            XCTAssertEqual(PA.pmin2(a, b), R.minMax(a, b, width: 16, signed: true, maximum: false))
            XCTAssertEqual(PA.pmax2(a, b), R.minMax(a, b, width: 16, signed: true, maximum: true))
            XCTAssertEqual(PA.psad1(a, b), R.psad1(a, b))
        }
    }

    func testShiftAddAndMultiply() {
        forEachPair { a, b in
            for count in 1...3 {
                XCTAssertEqual(ParallelArithmetic.pshladd2(a, count: count, b), MultimediaLaneReference.pshladd2(a, count, b), "pshladd2 \(count)")
                XCTAssertEqual(ParallelArithmetic.pshradd2(a, count: count, b), MultimediaLaneReference.pshradd2(a, count, b), "pshradd2 \(count)")
            }
            for count in [0, 7, 15, 16] {
                XCTAssertEqual(ParallelMultiply.pmpyshr2(a, b, count: count), MultimediaLaneReference.pmpyshr2(a, b, count, unsigned: false))
                XCTAssertEqual(ParallelMultiply.pmpyshr2_u(a, b, count: count), MultimediaLaneReference.pmpyshr2(a, b, count, unsigned: true))
            }
            XCTAssertEqual(ParallelMultiply.mpy4(a, b), (a & 0xffff_ffff).multipliedFullWidth(by: b & 0xffff_ffff).low)
            XCTAssertEqual(ParallelMultiply.mpyshl4(a, b), ((a & 0xffff_ffff) * (b >> 32)) << 32)
        }
    }

    func testParallelShiftsAtEveryCount() {
        var g = Generator(state: 77)
        for _ in 0..<200 {
            let a = g.operand()
            for count in [UInt64](0...70) + [255, 256, 1 << 32, 1 << 63, ~0] {
                XCTAssertEqual(ParallelShift.pshl2(a, by: count), MultimediaLaneReference.pshift(a, count, width: 16, left: true, signed: false))
                XCTAssertEqual(ParallelShift.pshl4(a, by: count), MultimediaLaneReference.pshift(a, count, width: 32, left: true, signed: false))
                XCTAssertEqual(ParallelShift.pshr2_u(a, by: count), MultimediaLaneReference.pshift(a, count, width: 16, left: false, signed: false))
                XCTAssertEqual(ParallelShift.pshr4_u(a, by: count), MultimediaLaneReference.pshift(a, count, width: 32, left: false, signed: false))
                XCTAssertEqual(ParallelShift.pshr2(a, by: count), MultimediaLaneReference.pshift(a, count, width: 16, left: false, signed: true))
                XCTAssertEqual(ParallelShift.pshr4(a, by: count), MultimediaLaneReference.pshift(a, count, width: 32, left: false, signed: true))
            }
        }
    }

    func testFieldsAtEveryPositionAndLength() {
        var g = Generator(state: 5)
        for _ in 0..<6 {
            let x = g.operand(), y = g.operand()
            for pos in 0..<64 {
                for len in 1...64 {
                    XCTAssertEqual(FieldOps.extr(x, pos: pos, len: len), MultimediaLaneReference.extr(x, pos: pos, len: len, signed: true))
                    XCTAssertEqual(FieldOps.extr_u(x, pos: pos, len: len), MultimediaLaneReference.extr(x, pos: pos, len: len, signed: false))
                    XCTAssertEqual(FieldOps.dep(x, y, pos: pos, len: len), MultimediaLaneReference.dep(x, y, pos: pos, len: len))
                    XCTAssertEqual(FieldOps.dep_z(x, pos: pos, len: len), MultimediaLaneReference.dep(x, 0, pos: pos, len: len))
                    XCTAssertEqual(FieldOps.dep(imm1: 1, y, pos: pos, len: len), MultimediaLaneReference.dep(~0, y, pos: pos, len: len))
                    XCTAssertEqual(FieldOps.dep(imm1: 0, y, pos: pos, len: len), MultimediaLaneReference.dep(0, y, pos: pos, len: len))
                }
                // shrp: bit i of the result is bit i + count of the 128-bit r2:r3.
                var expected: UInt64 = 0
                for i in 0..<64 {
                    let source = i + pos
                    expected |= (source < 64 ? MultimediaLaneReference.bit(y, source) : MultimediaLaneReference.bit(x, source - 64)) << UInt64(i)
                }
                XCTAssertEqual(FieldOps.shrp(x, y, count: pos), expected, "shrp \(pos)")
            }
        }
    }

    func testScalarShiftsCountAndBitCounts() {
        var g = Generator(state: 9)
        for _ in 0..<300 {
            let x = g.operand()
            for count in [UInt64](0...66) + [127, 128, 1 << 32, 1 << 63, ~0] {
                let big = count >= 64
                XCTAssertEqual(IntegerShift.shl(x, by: count), big ? 0 : MultimediaLaneReference.dep(x, 0, pos: Int(count), len: 64))
                XCTAssertEqual(IntegerShift.shr_u(x, by: count), big ? 0 : MultimediaLaneReference.extr(x, pos: Int(count), len: 64, signed: false))
                XCTAssertEqual(IntegerShift.shr(x, by: count), MultimediaLaneReference.extr(x, pos: Int(min(count, 63)), len: 64, signed: true))
            }
            var ones: UInt64 = 0, leading: UInt64 = 0, seenOne = false
            for i in stride(from: 63, through: 0, by: -1) {
                if MultimediaLaneReference.bit(x, i) == 1 { ones += 1; seenOne = true } else if !seenOne { leading += 1 }
            }
            XCTAssertEqual(BitCount.popcnt(x), ones)
            XCTAssertEqual(BitCount.clz(x), leading)
            let bytes = MultimediaLaneReference.lanes(x, width: 8), halves = MultimediaLaneReference.lanes(x, width: 16)
            XCTAssertEqual(BitCount.czx1_r(x), UInt64(bytes.firstIndex(of: 0) ?? 8))
            XCTAssertEqual(BitCount.czx1_l(x), UInt64(bytes.reversed().firstIndex(of: 0) ?? 8))
            XCTAssertEqual(BitCount.czx2_r(x), UInt64(halves.firstIndex(of: 0) ?? 4))
            XCTAssertEqual(BitCount.czx2_l(x), UInt64(halves.reversed().firstIndex(of: 0) ?? 4))
        }
    }
}
