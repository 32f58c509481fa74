/// extr, dep and shrp: bit fields at an immediate position and length. `pos` is 0…63 and
/// `len` 1…64 (1…16 for the register-source dep). A field that would run past bit 63 is cut
/// short at bit 63, as the manual specifies.
public enum FieldOps {
    /// The field's length after cutting it at bit 63; at least 1 for valid operands.
    @inlinable @inline(__always)
    static func fittedLength(pos: Int, len: Int) -> UInt64 { UInt64(min(len, 64 - pos)) }

    /// extr r1 = r3, pos6, len6: the field, right-justified and sign-extended from its top bit.
    @inlinable public static func extr(_ r3: UInt64, pos: Int, len: Int) -> UInt64 {
        let length = fittedLength(pos: pos, len: len)
        let toTop = 64 &- UInt64(pos) &- length  // move the field's top bit to bit 63
        return UInt64(bitPattern: Int64(bitPattern: r3 &<< toTop) &>> Int64(64 &- length))
    }

    /// extr.u r1 = r3, pos6, len6: the field, right-justified and zero-extended.
    @inlinable public static func extr_u(_ r3: UInt64, pos: Int, len: Int) -> UInt64 {
        let length = fittedLength(pos: pos, len: len)
        return (r3 &<< (64 &- UInt64(pos) &- length)) &>> (64 &- length)
    }

    /// dep r1 = r2, r3, pos6, len4: r3 with the low `len` bits of r2 placed at `pos`.
    @inlinable public static func dep(_ r2: UInt64, _ r3: UInt64, pos: Int, len: Int) -> UInt64 {
        let field = fieldMask(pos: pos, len: len)
        return (r3 & ~field) | ((r2 &<< UInt64(pos)) & field)
    }

    /// dep r1 = imm1, r3, pos6, len6: the field filled with copies of imm1 (bit 0 is used,
    /// so 1 and a sign-extended -1 both mean ones).
    @inlinable public static func dep(imm1: UInt64, _ r3: UInt64, pos: Int, len: Int) -> UInt64 {
        let field = fieldMask(pos: pos, len: len)
        return (r3 & ~field) | ((0 &- (imm1 & 1)) & field)
    }

    /// dep.z r1 = r2, pos6, len6: the low `len` bits of r2 placed at `pos` in zeros.
    @inlinable public static func dep_z(_ r2: UInt64, pos: Int, len: Int) -> UInt64 {
        (r2 &<< UInt64(pos)) & fieldMask(pos: pos, len: len)
    }

    /// dep.z r1 = imm8, pos6, len6: imm8 sign-extended from its low 8 bits, then deposited in zeros.
    @inlinable public static func dep_z(imm8: UInt64, pos: Int, len: Int) -> UInt64 {
        dep_z(UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: imm8))), pos: pos, len: len)
    }

    /// shrp r1 = r2, r3, count6: the 128-bit value r2:r3 shifted right by count (0…63), low 64 bits.
    @inlinable public static func shrp(_ r2: UInt64, _ r3: UInt64, count: Int) -> UInt64 {
        let c = UInt64(count)
        // r2 << (64 - c) in two steps so a count of 0 shifts r2 out entirely.
        return (r3 &>> c) | ((r2 &<< 1) &<< (63 &- c))
    }

    /// Ones over bits pos … pos + fittedLength - 1.
    @inlinable @inline(__always)
    static func fieldMask(pos: Int, len: Int) -> UInt64 {
        (~0 &>> (64 &- fittedLength(pos: pos, len: len))) &<< UInt64(pos)
    }
}
