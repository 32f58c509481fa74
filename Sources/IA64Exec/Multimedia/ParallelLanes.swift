/// Lane arithmetic for the multimedia instructions: a 64-bit register as 8, 4 or 2 elements.
@usableFromInline
enum ParallelLanes {
    @inline(__always)
    static func lane(_ v: UInt64, _ i: Int, bits: Int) -> UInt64 {
        (v >> UInt64(i * bits)) & (bits == 64 ? ~0 : (1 << UInt64(bits)) - 1)
    }

    @inline(__always)
    static func signedLane(_ v: UInt64, _ i: Int, bits: Int) -> Int64 {
        let x = lane(v, i, bits: bits)
        let shift = UInt64(64 - bits)
        return Int64(bitPattern: x << shift) >> Int64(shift)
    }

    /// Builds a register from per-lane values (truncated to the lane width).
    @inline(__always)
    static func combine(bits: Int, _ f: (Int) -> UInt64) -> UInt64 {
        var out: UInt64 = 0
        let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
        for i in 0..<(64 / bits) { out |= (f(i) & mask) << UInt64(i * bits) }
        return out
    }

    @inline(__always)
    static func saturateSigned(_ x: Int64, bits: Int) -> UInt64 {
        let maxValue = (Int64(1) << Int64(bits - 1)) - 1
        let minValue = -(Int64(1) << Int64(bits - 1))
        return UInt64(bitPattern: min(max(x, minValue), maxValue))
    }

    @inline(__always)
    static func saturateUnsigned(_ x: Int64, bits: Int) -> UInt64 {
        let maxValue = (Int64(1) << Int64(bits)) - 1
        return UInt64(bitPattern: min(max(x, 0), maxValue))
    }
}
