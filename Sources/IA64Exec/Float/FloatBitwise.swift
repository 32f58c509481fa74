/// The non-arithmetic FP instructions: they move bits without rounding or exceptions.
/// Any NaTVal source makes the result NaTVal. Operand names follow the instruction syntax.
public enum FloatBitwise {
    /// fmerge.s f1 = f2, f3: sign of f2, exponent and significand of f3.
    public static func fmergeSign(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        if f2.isNaTVal || f3.isNaTVal { return .natVal }
        return FloatRegisterValue(sign: f2.sign, exponent: f3.exponent, significand: f3.significand)
    }

    /// fmerge.ns f1 = f2, f3: negated sign of f2 (fneg is fmerge.ns f1 = f3, f3).
    public static func fmergeNegatedSign(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        if f2.isNaTVal || f3.isNaTVal { return .natVal }
        return FloatRegisterValue(sign: !f2.sign, exponent: f3.exponent, significand: f3.significand)
    }

    /// fmerge.se f1 = f2, f3: sign and exponent of f2, significand of f3.
    public static func fmergeSignExponent(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        if f2.isNaTVal || f3.isNaTVal { return .natVal }
        return FloatRegisterValue(sign: f2.sign, exponent: f2.exponent, significand: f3.significand)
    }

    /// Builds an integer-format register from two 32-bit halves of two sources.
    private static func halves(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue,
                               _ combine: (UInt64, UInt64) -> UInt64) -> FloatRegisterValue {
        if f2.isNaTVal || f3.isNaTVal { return .natVal }
        return .integer(combine(f2.significand, f3.significand))
    }

    private static let lowMask: UInt64 = 0xFFFF_FFFF

    /// fmix.l: left halves of f2 and f3.
    public static func fmixLeft(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        halves(f2, f3) { a, b in a & ~lowMask | b >> 32 }
    }

    /// fmix.r: right halves of f2 and f3.
    public static func fmixRight(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        halves(f2, f3) { a, b in a << 32 | b & lowMask }
    }

    /// fmix.lr: left half of f2, right half of f3.
    public static func fmixLeftRight(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        halves(f2, f3) { a, b in a & ~lowMask | b & lowMask }
    }

    /// fswap f1 = f2, f3: the pair {f2 left, f3 right} swapped: result = {f3 right, f2 left}.
    public static func fswap(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        halves(f2, f3) { a, b in b << 32 | a >> 32 }
    }

    /// fswap.nl: fswap with the left (high) single's sign bit complemented.
    public static func fswapNegateLeft(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        halves(f2, f3) { a, b in (b << 32 | a >> 32) ^ (1 << 63) }
    }

    /// fswap.nr: fswap with the right (low) single's sign bit complemented.
    public static func fswapNegateRight(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        halves(f2, f3) { a, b in (b << 32 | a >> 32) ^ (1 << 31) }
    }

    /// fsxt.l: left = all copies of f2's left sign bit, right = f3's left half.
    public static func fsxtLeft(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        halves(f2, f3) { a, b in (a >> 63 != 0 ? ~lowMask : 0) | b >> 32 }
    }

    /// fsxt.r: left = all copies of f2's right sign bit, right = f3's right half.
    public static func fsxtRight(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        halves(f2, f3) { a, b in (a >> 31 & 1 != 0 ? ~lowMask : 0) | b & lowMask }
    }

    /// fpack f1 = f2, f3: both registers converted to single memory format (as stfs does),
    /// f2 in the left half.
    public static func fpack(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        if f2.isNaTVal || f3.isNaTVal { return .natVal }
        return .integer(UInt64(f2.singleBits) << 32 | UInt64(f3.singleBits))
    }

    /// fand f1 = f2, f3.
    public static func fand(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        halves(f2, f3) { $0 & $1 }
    }
    /// fandcm f1 = f2, f3: f2 & ~f3.
    public static func fandcm(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        halves(f2, f3) { $0 & ~$1 }
    }
    /// for f1 = f2, f3.
    public static func forBits(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        halves(f2, f3) { $0 | $1 }
    }
    /// fxor f1 = f2, f3.
    public static func fxor(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        halves(f2, f3) { $0 ^ $1 }
    }

    /// fselect f1 = f3, f4, f2: bits of f3 where f2 is 1, of f4 where f2 is 0.
    public static func fselect(_ f3: FloatRegisterValue, _ f4: FloatRegisterValue,
                               _ f2: FloatRegisterValue) -> FloatRegisterValue {
        if f3.isNaTVal || f4.isNaTVal || f2.isNaTVal { return .natVal }
        return .integer(f3.significand & f2.significand | f4.significand & ~f2.significand)
    }

    /// fpmerge.s f1 = f2, f3: per half, sign of f2, the rest of f3.
    public static func fpmergeSign(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        let signs: UInt64 = 0x8000_0000_8000_0000
        return halves(f2, f3) { a, b in a & signs | b & ~signs }
    }

    /// fpmerge.ns: per half, complemented sign of f2.
    public static func fpmergeNegatedSign(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        let signs: UInt64 = 0x8000_0000_8000_0000
        return halves(f2, f3) { a, b in ~a & signs | b & ~signs }
    }

    /// fpmerge.se: per half, sign and exponent (9 bits) of f2, fraction of f3.
    public static func fpmergeSignExponent(_ f2: FloatRegisterValue, _ f3: FloatRegisterValue) -> FloatRegisterValue {
        let top: UInt64 = 0xFF80_0000_FF80_0000
        return halves(f2, f3) { a, b in a & top | b & ~top }
    }
}
