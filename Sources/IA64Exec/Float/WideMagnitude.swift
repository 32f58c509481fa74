/// A 192-bit magnitude w2:w1:w0 (+ sticky) worth W × 2^(exponent − 191): wide enough that
/// aligning a 128-bit product with a 64-bit addend loses nothing rounding could need.
struct WideMagnitude {
    var w2: UInt64
    var w1: UInt64
    var w0: UInt64
    var exponent: Int
    var sticky = false

    var isZero: Bool { w2 == 0 && w1 == 0 && w0 == 0 }

    /// Shifts right by `n`, folding lost bits into sticky.
    mutating func shiftRight(_ n: Int) {
        guard n > 0 else { return }
        if n >= 192 {
            sticky = sticky || !isZero
            w2 = 0; w1 = 0; w0 = 0
        } else {
            var s = n
            while s >= 64 {
                sticky = sticky || w0 != 0
                w0 = w1; w1 = w2; w2 = 0
                s -= 64
            }
            if s > 0 {
                sticky = sticky || w0 << (64 - s) != 0
                w0 = w0 >> s | w1 << (64 - s)
                w1 = w1 >> s | w2 << (64 - s)
                w2 >>= s
            }
        }
        exponent += n
    }

    /// Shifts left so bit 191 is set (value unchanged; sticky stays below everything).
    mutating func normalize() {
        var s = 0
        while w2 == 0 && s < 192 { w2 = w1; w1 = w0; w0 = 0; s += 64 }
        let z = w2.leadingZeroBitCount
        if z > 0 {
            w2 = w2 << z | w1 >> (64 - z)
            w1 = w1 << z | w0 >> (64 - z)
            w0 <<= z
        }
        exponent -= s + z
    }

    /// The top 128 bits for the rounder; w0 and sticky become its sticky.
    func rounding(sign: Bool) -> FloatRounding {
        FloatRounding(sign: sign, exponent: exponent, high: w2, low: w1, sticky: sticky || w0 != 0)
    }

    private static func isLess(_ x: WideMagnitude, _ y: WideMagnitude) -> Bool {
        (x.w2, x.w1, x.w0) < (y.w2, y.w1, y.w0)
    }

    /// Signed sum of two normalized-or-not magnitudes; nil when it is exactly zero.
    static func add(_ x: WideMagnitude, _ xSign: Bool, _ y: WideMagnitude, _ ySign: Bool)
        -> (WideMagnitude, Bool)?
    {
        var big = x, small = y, bigSign = xSign, smallSign = ySign
        if y.exponent > x.exponent { swap(&big, &small); swap(&bigSign, &smallSign) }
        small.shiftRight(big.exponent - small.exponent)
        var r = big
        if bigSign == smallSign {
            var c: Bool
            (r.w0, c) = big.w0.addingReportingOverflow(small.w0)
            var c1: Bool, c2: Bool
            (r.w1, c1) = big.w1.addingReportingOverflow(small.w1)
            (r.w1, c2) = r.w1.addingReportingOverflow(c ? 1 : 0)
            c = c1 || c2
            (r.w2, c1) = big.w2.addingReportingOverflow(small.w2)
            (r.w2, c2) = r.w2.addingReportingOverflow(c ? 1 : 0)
            r.sticky = small.sticky
            if c1 || c2 {
                r.shiftRight(1)
                r.w2 |= 1 << 63
            }
            r.normalize()
            return (r, bigSign)
        }
        // Opposite signs: subtract the smaller magnitude. Only an unshifted (equal-exponent)
        // pair can have small > big, and then nothing was shifted into sticky.
        if !small.sticky && isLess(big, small) {
            swap(&big, &small); swap(&bigSign, &smallSign)
        } else if !small.sticky && (big.w2, big.w1, big.w0) == (small.w2, small.w1, small.w0) {
            return nil
        }
        // A sticky remainder below the window means big − small − ε: borrow one unit, keep sticky.
        let borrowIn: UInt64 = small.sticky ? 1 : 0
        var b1: Bool, b2: Bool
        (r.w0, b1) = big.w0.subtractingReportingOverflow(small.w0)
        (r.w0, b2) = r.w0.subtractingReportingOverflow(borrowIn)
        var borrow: UInt64 = (b1 || b2) ? 1 : 0
        (r.w1, b1) = big.w1.subtractingReportingOverflow(small.w1)
        (r.w1, b2) = r.w1.subtractingReportingOverflow(borrow)
        borrow = (b1 || b2) ? 1 : 0
        r.w2 = big.w2 &- small.w2 &- borrow
        r.exponent = big.exponent
        r.sticky = small.sticky
        r.normalize()
        return (r, bigSign)
    }
}
