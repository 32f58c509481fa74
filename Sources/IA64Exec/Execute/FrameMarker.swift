/// The Current Frame Marker: the size of the current register stack frame and its rotating
/// region, and the rotating register bases. Also the layout of the previous frame marker kept in
/// ar.pfs and cr.ifs (the same 38 bits).
public struct FrameMarker: Sendable, Equatable {
    /// Size of frame (0…96).
    public var sof: Int = 0
    /// Size of locals (inputs + locals, 0…sof).
    public var sol: Int = 0
    /// Size of the rotating region in registers (a multiple of 8, 0…96).
    public var sor: Int = 0
    public var rrbGR: Int = 0
    public var rrbFR: Int = 0
    public var rrbPR: Int = 0

    public init() {}

    public init(bits: UInt64) {
        sof = Int(bits & 0x7f)
        sol = Int((bits >> 7) & 0x7f)
        sor = Int((bits >> 14) & 0xf) * 8
        rrbGR = Int((bits >> 18) & 0x7f)
        rrbFR = Int((bits >> 25) & 0x7f)
        rrbPR = Int((bits >> 32) & 0x3f)
    }

    public var bits: UInt64 {
        UInt64(sof) | UInt64(sol) << 7 | UInt64(sor / 8) << 14 | UInt64(rrbGR) << 18
            | UInt64(rrbFR) << 25 | UInt64(rrbPR) << 32
    }
}

/// ar.pfs: the caller's frame marker, epilog count and privilege level, saved by br.call.
public struct PreviousFunctionState: Sendable, Equatable {
    public var bits: UInt64
    public init(bits: UInt64) { self.bits = bits }
    public init(frame: FrameMarker, epilogCount: UInt64, privilegeLevel: UInt64) {
        bits = frame.bits | (epilogCount & 0x3f) << 52 | (privilegeLevel & 3) << 62
    }
    public var frame: FrameMarker { FrameMarker(bits: bits & 0x3f_ffff_ffff) }
    public var epilogCount: UInt64 { (bits >> 52) & 0x3f }
    public var privilegeLevel: UInt64 { bits >> 62 }
}
