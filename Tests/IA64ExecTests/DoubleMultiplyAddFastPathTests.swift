import XCTest
@testable import IA64Exec

/// The interpreter's host fast path for double-precision multiply-add must agree bit for bit,
/// flags included, with the software implementation it short-cuts.
final class DoubleMultiplyAddFastPathTests: XCTestCase {
    func testAgreesWithSoftwareOnRandomOperands() {
        var state: UInt64 = 0xfa57_fa57
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state
        }
        func randomDouble() -> Double {
            let r = next()
            switch r % 8 {
            case 0: return 0
            case 1: return Double(Int64(bitPattern: next()) % 1000)          // small integers: often exact
            case 2: return Double(sign: r & 16 == 0 ? .plus : .minus, exponent: Int(next() % 60) - 30, significand: 1)
            default:
                let exponent = UInt64(1023 - 300 + next() % 600)
                return Double(bitPattern: (r & (1 << 63)) | exponent << 52 | (next() & 0xf_ffff_ffff_ffff))
            }
        }
        let environment = FloatStatus(rawValue: LinuxDefaults.fpsr).environment(0)
        var env = environment
        env.controls.precision = .double
        var checked = 0
        for _ in 0..<50_000 {
            let x = randomDouble(), y = randomDouble(), z = randomDouble()
            let a = FloatRegisterValue.fromDouble(x.bitPattern), b = FloatRegisterValue.fromDouble(y.bitPattern)
            let c = FloatRegisterValue.fromDouble(z.bitPattern)
            for variant in UInt8(0)...2 {
                for addendIsF0 in [false, true] {
                    let addend = addendIsF0 ? FloatRegisterValue.positiveZero : c
                    guard let fast = Processor.doubleMultiplyAdd(a, b, addend, variant: variant, addendIsF0: addendIsF0,
                                                                 precision: .double, environment: env) else { continue }
                    let soft: FloatResult
                    switch variant {
                    case 0: soft = FloatArithmetic.fma(a, b, addend, addendIsF0: addendIsF0, precision: .double, environment: env)
                    case 1: soft = FloatArithmetic.fms(a, b, addend, addendIsF0: addendIsF0, precision: .double, environment: env)
                    default: soft = FloatArithmetic.fnma(a, b, addend, addendIsF0: addendIsF0, precision: .double, environment: env)
                    }
                    let fastBits = FloatFormats.fromHostDouble(fast.value)
                    XCTAssertEqual(fastBits.significand, soft.value.significand, "\(x) \(y) \(z) v\(variant)")
                    XCTAssertEqual(fastBits.signExponent, soft.value.signExponent, "\(x) \(y) \(z) v\(variant)")
                    XCTAssertEqual(fast.inexact, soft.report.flags.contains(.inexact), "\(x) \(y) \(z) v\(variant) f0 \(addendIsF0)")
                    XCTAssertEqual(soft.report.flags.subtracting(.inexact), [], "only inexact can be raised")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 100_000)
    }
}

enum LinuxDefaults {
    static let fpsr: UInt64 = 0x0009_804c_0270_033f
}
