/// One floating-point register in the 82-bit register format (SDM Vol. 1 §5.1):
/// sign, 17-bit biased exponent (bias 0xFFFF), 64-bit significand with an explicit integer bit.
public struct FloatRegisterValue: Sendable, Hashable {
    public var sign: Bool
    /// 17-bit biased exponent.
    public var exponent: UInt32
    public var significand: UInt64

    public static let exponentBias: UInt32 = 0xFFFF
    public static let maximumExponent: UInt32 = 0x1FFFF
    /// Exponent of integers (fcvt.fx, xma, ldf8, setf.sig, parallel results): 2^63 weight on bit 63.
    public static let integerExponent: UInt32 = 0x1003E

    public init(sign: Bool, exponent: UInt32, significand: UInt64) {
        self.sign = sign
        self.exponent = exponent & 0x1FFFF
        self.significand = significand
    }

    /// The layout of the interpreter's register file: sign at bit 17 of `signExponent`.
    public init(significand: UInt64, signExponent: UInt32) {
        self.init(sign: signExponent & 0x20000 != 0, exponent: signExponent & 0x1FFFF, significand: significand)
    }

    public var signExponent: UInt32 { (sign ? 0x20000 : 0) | exponent }

    /// An integer result: sign 0, exponent 0x1003E.
    public static func integer(_ bits: UInt64) -> FloatRegisterValue {
        FloatRegisterValue(sign: false, exponent: integerExponent, significand: bits)
    }

    public static let positiveZero = FloatRegisterValue(sign: false, exponent: 0, significand: 0)
    public static let negativeZero = FloatRegisterValue(sign: true, exponent: 0, significand: 0)
    public static let positiveOne = FloatRegisterValue(sign: false, exponent: 0xFFFF, significand: 1 << 63)
    /// The deferred-exception token: sign 0, exponent 0x1FFFE, significand 0.
    public static let natVal = FloatRegisterValue(sign: false, exponent: 0x1FFFE, significand: 0)
    public static let positiveInfinity = FloatRegisterValue(sign: false, exponent: 0x1FFFF, significand: 1 << 63)
    public static let negativeInfinity = FloatRegisterValue(sign: true, exponent: 0x1FFFF, significand: 1 << 63)
    /// Real indefinite: the quiet NaN produced by invalid operations.
    public static let realIndefinite = FloatRegisterValue(sign: true, exponent: 0x1FFFF, significand: 0xC000_0000_0000_0000)

    // MARK: Classification (SDM Vol. 1 Table 5-2)

    var integerBit: Bool { significand >> 63 != 0 }

    public var isNaTVal: Bool { self == .natVal }
    /// Exponent 0x1FFFF with the integer bit set and a non-zero fraction.
    public var isNaN: Bool { exponent == 0x1FFFF && integerBit && significand << 1 != 0 }
    public var isQuietNaN: Bool { isNaN && significand & (1 << 62) != 0 }
    public var isSignalingNaN: Bool { isNaN && significand & (1 << 62) == 0 }
    public var isInfinity: Bool { exponent == 0x1FFFF && significand == 1 << 63 }
    /// Pseudo-NaN and pseudo-infinity (exponent 0x1FFFF, integer bit clear): invalid operands.
    public var isUnsupported: Bool { exponent == 0x1FFFF && !integerBit }
    /// True zero: exponent 0 and significand 0.
    public var isZero: Bool { exponent == 0 && significand == 0 }
    /// Significand 0 with a non-zero exponent (excluding NaTVal and exponent 0x1FFFF).
    public var isPseudoZero: Bool { significand == 0 && exponent != 0 && exponent != 0x1FFFF && !isNaTVal }
    /// Exponent 0 with a non-zero significand: double-extended (pseudo-)denormals, valued with exponent 0xC001.
    public var isDoubleExtendedDenormal: Bool { exponent == 0 && significand != 0 }
    /// A finite value whose integer bit is clear (denormals and unnormals), excluding zeros.
    public var isUnnormal: Bool { exponent != 0x1FFFF && !integerBit && significand != 0 }
    /// Register-format denormal: exponent 1, integer bit clear.
    public var isDenormal: Bool { (exponent == 1 && isUnnormal) || isDoubleExtendedDenormal }
    /// Any finite operand that signals the denormal/unnormal operand exception.
    public var isUnnormalOperand: Bool { isUnnormal || isPseudoZero || isDoubleExtendedDenormal }
    /// Finite, integer bit set, exponent in 1...0x1FFFE (NaTVal excluded by its integer bit).
    public var isNormal: Bool { exponent != 0 && exponent != 0x1FFFF && integerBit }
    public var isFinite: Bool { exponent != 0x1FFFF && !isNaTVal }
}
