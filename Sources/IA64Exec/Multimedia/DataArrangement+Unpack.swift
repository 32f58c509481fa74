/// unpack: interleave the high (.h) or low (.l) halves of two registers, r3's element in each
/// even slot and r2's in each odd slot.
extension DataArrangement {
    @inlinable public static func unpack1_h(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        spreadBytes(r3 &>> 32) | (spreadBytes(r2 &>> 32) &<< 8)
    }

    @inlinable public static func unpack1_l(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        spreadBytes(r3 & 0xffff_ffff) | (spreadBytes(r2 & 0xffff_ffff) &<< 8)
    }

    @inlinable public static func unpack2_h(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        spreadHalfwords(r3 &>> 32) | (spreadHalfwords(r2 &>> 32) &<< 16)
    }

    @inlinable public static func unpack2_l(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        spreadHalfwords(r3 & 0xffff_ffff) | (spreadHalfwords(r2 & 0xffff_ffff) &<< 16)
    }

    @inlinable public static func unpack4_h(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        (r3 &>> 32) | (r2 & 0xffff_ffff_0000_0000)
    }

    @inlinable public static func unpack4_l(_ r2: UInt64, _ r3: UInt64) -> UInt64 {
        (r3 & 0xffff_ffff) | (r2 &<< 32)
    }
}
