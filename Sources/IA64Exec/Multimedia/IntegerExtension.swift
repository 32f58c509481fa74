/// zxt and sxt: zero- or sign-extend the low 1, 2 or 4 bytes of a register.
public enum IntegerExtension {
    @inlinable public static func zxt1(_ r3: UInt64) -> UInt64 { r3 & 0xff }
    @inlinable public static func zxt2(_ r3: UInt64) -> UInt64 { r3 & 0xffff }
    @inlinable public static func zxt4(_ r3: UInt64) -> UInt64 { r3 & 0xffff_ffff }
    @inlinable public static func sxt1(_ r3: UInt64) -> UInt64 { UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: r3))) }
    @inlinable public static func sxt2(_ r3: UInt64) -> UInt64 { UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: r3))) }
    @inlinable public static func sxt4(_ r3: UInt64) -> UInt64 { UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: r3))) }
}
