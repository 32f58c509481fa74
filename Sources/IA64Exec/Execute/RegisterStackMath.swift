/// Backing-store address arithmetic: every 64th doubleword (address bits 8:3 all ones) holds a
/// NaT collection instead of a register.
public enum RegisterStackMath {
    /// The address `count` registers above (positive) or below (negative) `address`.
    @inline(__always)
    public static func advance(_ address: UInt64, by count: Int) -> UInt64 {
        let slot = Int((address >> 3) & 0x3f)
        // Frames are small: for fewer than 63 registers at most one collection is crossed.
        if count >= 0 && count < 63 {
            return address &+ UInt64(8 * (count + (slot + count >= 63 ? 1 : 0)))
        }
        if count < 0 && count > -63 {
            return address &- UInt64(8 * (-count + (62 - slot - count >= 63 ? 1 : 0)))
        }
        if count >= 0 {
            let total = count + (slot + count) / 63
            return address &+ UInt64(8 * total)
        }
        let n = -count
        let total = n + (62 - slot + n) / 63
        return address &- UInt64(8 * total)
    }

    public static func isCollection(_ address: UInt64) -> Bool { (address >> 3) & 0x3f == 0x3f }
}
