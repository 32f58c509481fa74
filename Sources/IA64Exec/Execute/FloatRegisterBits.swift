/// A floating-point register as stored: the 82-bit register format (sign, 17-bit biased
/// exponent, 64-bit significand with explicit integer bit).
public struct FloatRegisterBits: Sendable, Hashable {
    public var significand: UInt64
    /// Bit 17: sign; bits 16…0: biased exponent (bias 0xFFFF).
    public var signExponent: UInt32

    public init(significand: UInt64, signExponent: UInt32) {
        self.significand = significand
        self.signExponent = signExponent & 0x3ffff
    }

    public static let positiveZero = FloatRegisterBits(significand: 0, signExponent: 0)
    public static let positiveOne = FloatRegisterBits(significand: 1 << 63, signExponent: 0xffff)
    /// NaTVal: the deferred-exception token of FP registers.
    public static let natVal = FloatRegisterBits(significand: 0, signExponent: 0x1fffe)

    public var isNaTVal: Bool { self == .natVal }

    /// The 82 bits as hex (21 digits), sign first.
    public var hex: String {
        let high = UInt64(signExponent)  // 18 bits
        let text = String(high, radix: 16) + String(repeating: "0", count: 16 - String(significand, radix: 16).count)
            + String(significand, radix: 16)
        return String(repeating: "0", count: max(0, 21 - text.count)) + text
    }
}
