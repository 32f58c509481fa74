/// xma.l / xma.h / xma.hu f1 = f3, f4, f2: 64×64-bit integer multiply of the significands
/// plus f2's significand (zero-extended to 128 bits); the chosen 64 bits become an integer
/// (exponent 0x1003E, sign 0). No FP exceptions; NaTVal in any source gives NaTVal.
public enum FloatIntegerMultiplyPart: Sendable {
    /// xma.l (also xma.lu): low 64 bits, signedness irrelevant.
    case low
    /// xma.h: high 64 bits of the signed product.
    case high
    /// xma.hu: high 64 bits of the unsigned product.
    case highUnsigned
}

extension FloatArithmetic {
    public static func xma(_ part: FloatIntegerMultiplyPart, _ f3: FloatRegisterValue, _ f4: FloatRegisterValue,
                           _ f2: FloatRegisterValue) -> FloatRegisterValue {
        if f3.isNaTVal || f4.isNaTVal || f2.isNaTVal { return .natVal }
        let x = f3.significand, y = f4.significand, z = f2.significand
        var (high, low) = x.multipliedFullWidth(by: y)
        if part == .high {
            // Signed correction of the unsigned product: subtract the other operand for each negative one.
            if Int64(bitPattern: x) < 0 { high = high &- y }
            if Int64(bitPattern: y) < 0 { high = high &- x }
        }
        let (sum, carry) = low.addingReportingOverflow(z)
        if carry { high = high &+ 1 }
        return .integer(part == .low ? sum : high)
    }
}
