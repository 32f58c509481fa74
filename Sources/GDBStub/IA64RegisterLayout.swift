/// gdb's fixed IA-64 raw register numbering (gdb/ia64-tdep.h), which is also the wire
/// numbering: 462 registers, f0–f127 16 bytes, all others 8, so `g` is 4720 bytes. A target
/// description cannot change it (docs/gdb-ia64-rsp.md §2).
public enum IA64RegisterLayout {
    public static let count = 462
    public static let packetSize = 4720

    public static let gr0 = 0            // r0–r31, then raw stacked r32–r127 (32–127)
    public static let fr0 = 128          // f0–f127, 16 bytes each
    public static let predicate0 = 256   // p0–p63 one by one (gdb reads `pr` instead)
    public static let br0 = 320          // b0–b7
    public static let vfp = 328
    public static let vrap = 329
    public static let pr = 330
    public static let ip = 331
    public static let psr = 332
    public static let cfm = 333
    public static let ar0 = 334          // ar0–ar127 = 334 + n

    public static func ar(_ n: Int) -> Int { ar0 + n }
    public static let bsp = ar(17)       // 351 = 0x15f: the END of the current frame
    public static let bspstore = ar(18)
    public static let rnat = ar(19)
    public static let unat = ar(36)
    public static let pfs = ar(64)

    /// psr.ri: the slot of the next instruction (bits 41–42).
    public static let psrSlotShift: UInt64 = 41
    public static let psrSlotMask: UInt64 = 3 << 41

    public static func size(of regnum: Int) -> Int { (fr0..<fr0 + 128).contains(regnum) ? 16 : 8 }

    /// Byte offset of `regnum` in the `g` packet.
    public static func offset(of regnum: Int) -> Int {
        if regnum < fr0 { return regnum * 8 }
        if regnum < predicate0 { return fr0 * 8 + (regnum - fr0) * 16 }
        return fr0 * 8 + 128 * 16 + (regnum - predicate0) * 8
    }

    public static func isValid(_ regnum: Int) -> Bool { regnum >= 0 && regnum < count }

    /// The expedited registers for stop replies: ip, psr, cfm, bsp and sp, enough for gdb to
    /// form the PC and frame #0 without a `g` (§2.4).
    public static let expedited = [ip, psr, cfm, bsp, 12]
}
