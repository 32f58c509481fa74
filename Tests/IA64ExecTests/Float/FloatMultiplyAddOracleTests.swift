import XCTest
@testable import IA64Exec

/// Differential tests against the host's correctly rounded fused multiply-add (IEEE, round to
/// nearest): fma.s ⇔ Float.addingProduct, fma.d ⇔ Double.addingProduct, pc=11 ⇔ Float80 (x86).
/// The IA-64 result with wre=0 and traps disabled is exactly the IEEE result of that format.
final class FloatMultiplyAddOracleTests: XCTestCase {
    func randomDouble(_ g: inout TestRandom) -> Double {
        // Mix of exponents near each other (cancellation), far apart, and near the limits.
        let bits = g.next()
        let kind = bits & 7
        var d = Double(bitPattern: g.next())
        if kind < 5 {
            let e = Int((bits >> 8) % 40) - 20
            d = Double(sign: bits & 0x100000 != 0 ? .minus : .plus, exponent: e,
                       significand: 1 + Double(g.next() >> 12) / Double(1 << 52))
        }
        return d.isNaN ? 1.5 : d
    }

    func testDoubleMatchesHostFusedMultiplyAdd() {
        var g = TestRandom(state: 0x1234_5678_9ABC_DEF1)
        for _ in 0..<20000 {
            let a = randomDouble(&g), b = randomDouble(&g), c = randomDouble(&g)
            let expected = c.addingProduct(a, b)
            let r = FloatArithmetic.fma(dbl(a), dbl(b), dbl(c), precision: .double, environment: env())
            if expected.isNaN {
                XCTAssertTrue(r.value.isNaN, "\(a) \(b) \(c)")
            } else {
                XCTAssertEqual(r.value.doubleBits, expected.bitPattern, "\(a) * \(b) + \(c)")
            }
        }
    }

    func testSingleMatchesHostFusedMultiplyAdd() {
        var g = TestRandom(state: 0xDEAD_BEEF_CAFE_F00D)
        for _ in 0..<20000 {
            let a = Float(bitPattern: UInt32(truncatingIfNeeded: g.next()))
            let b = Float(bitPattern: UInt32(truncatingIfNeeded: g.next()) & 0xBFFF_FFFF)
            let c = Float(bitPattern: UInt32(truncatingIfNeeded: g.next()))
            guard !a.isNaN, !b.isNaN, !c.isNaN else { continue }
            let expected = c.addingProduct(a, b)
            let r = FloatArithmetic.fma(sgl(a), sgl(b), sgl(c), precision: .single, environment: env())
            if expected.isNaN { XCTAssertTrue(r.value.isNaN); continue }
            XCTAssertEqual(r.value.singleBits, expected.bitPattern, "\(a) * \(b) + \(c)")
        }
    }

    #if arch(x86_64) || arch(i386)
    func testDoubleExtendedMatchesHostFusedMultiplyAdd() {
        var g = TestRandom(state: 0x0F0F_1234_AAAA_5555)
        for i in 0..<20000 {
            func make() -> Float80 {
                let e = i % 4 == 0 ? Int(g.next() % 32760) - 16380 : Int(g.next() % 60) - 30
                return Float80(sign: g.next() & 1 == 0 ? .plus : .minus, exponentBitPattern: UInt(max(1, e + 16383)),
                               significandBitPattern: g.next() & ~(1 << 63))
            }
            let a = make(), b = make(), c = make()
            let expected = c.addingProduct(a, b)
            let r = FloatArithmetic.fma(ext(a), ext(b), ext(c), precision: .dynamic, environment: env(pc: .doubleExtended))
            if expected.isNaN { XCTAssertTrue(r.value.isNaN); continue }
            XCTAssertEqual(r.value.doubleExtendedBits.significand, ext(expected).significand, "\(a) * \(b) + \(c)")
            XCTAssertEqual(r.value.doubleExtendedBits.signExponent, ext(expected).doubleExtendedBits.signExponent)
        }
    }

    /// Directed rounding: with single-precision inputs and nearby exponents, a×b+c is exact in
    /// Float80; rounding that exact value down/up by hand is an independent oracle.
    func testDirectedRoundingAgainstExactValue() {
        var g = TestRandom(state: 42)
        for i in 0..<20000 {
            func make() -> Float {
                Float(sign: g.next() & 1 == 0 ? .plus : .minus, exponent: Int(g.next() % 12) - 6,
                      significand: 1 + Float(g.next() >> 41) / Float(1 << 23))
            }
            let a = make(), b = make(), c = make()
            let exact = Float80(a) * Float80(b) + Float80(c)
            let modes: [FloatRoundingMode] = [.nearest, .down, .up, .towardZero]
            let mode = modes[i % 4]
            let useDouble = i % 8 >= 4
            let r = FloatArithmetic.fma(sgl(a), sgl(b), sgl(c), precision: useDouble ? .double : .single,
                                        environment: env(mode))
            func expectedBits<F: BinaryFloatingPoint>(_: F.Type) -> (F, Bool) {
                let nearest = F(exact)
                if Float80(nearest) == exact { return (nearest, false) }
                let lower = Float80(nearest) < exact ? nearest : nearest.nextDown
                let upper = lower.nextUp
                switch mode {
                case .nearest: return (nearest, true)
                case .down: return (lower, true)
                case .up: return (upper, true)
                case .towardZero: return (exact > 0 ? lower : upper, true)
                }
            }
            if useDouble {
                let (e, inexact) = expectedBits(Double.self)
                XCTAssertEqual(r.value.doubleBits, e.bitPattern, "\(a)*\(b)+\(c) \(mode)")
                XCTAssertEqual(r.report.flags.contains(.inexact), inexact)
            } else {
                let (e, inexact) = expectedBits(Float.self)
                XCTAssertEqual(r.value.singleBits, e.bitPattern, "\(a)*\(b)+\(c) \(mode)")
                XCTAssertEqual(r.report.flags.contains(.inexact), inexact)
            }
        }
    }
    #endif
}
