/// A register value as arithmetic sees it: classified, and for finite non-zero values
/// normalized (unnormals shifted, exponent 0 valued as 0xC001, pseudo-zeros made zero).
struct FloatOperand {
    enum Kind { case zero, finite, infinity, quietNaN, signalingNaN, unsupported, natVal }

    var kind: Kind
    var sign: Bool
    /// Unbiased exponent of significand bit 63 (finite only).
    var exponent: Int
    /// Bit 63 set (finite only).
    var significand: UInt64
    /// Signals the denormal/unnormal operand exception.
    var isUnnormal: Bool
    let register: FloatRegisterValue

    init(_ r: FloatRegisterValue) {
        register = r
        sign = r.sign
        exponent = 0
        significand = 0
        isUnnormal = false
        if r.isNaTVal {
            kind = .natVal
        } else if r.exponent == 0x1FFFF {
            if r.isUnsupported { kind = .unsupported }
            else if r.isInfinity { kind = .infinity }
            else { kind = r.isQuietNaN ? .quietNaN : .signalingNaN }
        } else if r.significand == 0 {
            kind = .zero
            isUnnormal = r.exponent != 0
        } else {
            kind = .finite
            isUnnormal = !r.integerBit || r.exponent == 0
            let biased = r.exponent == 0 ? 0xC001 : Int(r.exponent)
            let shift = r.significand.leadingZeroBitCount
            significand = r.significand << shift
            exponent = biased - 0xFFFF - shift
        }
    }

    /// Builds the operand view of a single-precision half (parallel instructions).
    init(single bits: UInt32) { self.init(FloatRegisterValue.fromSingle(bits)) }

    var isNaN: Bool { kind == .quietNaN || kind == .signalingNaN }
    var isZero: Bool { kind == .zero }
    var isInfinity: Bool { kind == .infinity }

    /// The NaN as it propagates: signalling NaNs are quieted.
    var quieted: FloatRegisterValue {
        var r = register
        r.significand |= 1 << 62
        return r
    }
}
