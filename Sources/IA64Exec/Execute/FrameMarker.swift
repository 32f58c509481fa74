/// The Current Frame Marker: the size of the current register stack frame and its rotating
/// region, and the rotating register bases. Also the layout of the previous frame marker kept in
/// ar.pfs and cr.ifs (the same 38 bits).
///
/// Kept packed in that architectural layout: br.call, br.ret and cover move whole markers
/// between cfm, ar.pfs and cr.ifs, and packing makes those moves plain copies.
public struct FrameMarker: Sendable, Equatable {
    /// sof (6:0), sol (13:7), sor / 8 (17:14), rrb.gr (24:18), rrb.fr (31:25), rrb.pr (37:32).
    public private(set) var bits: UInt64 = 0

    public init() {}

    @inline(__always)
    public init(bits: UInt64) { self.bits = bits & 0x3f_ffff_ffff }

    @inline(__always)
    private func field(_ shift: UInt64, _ mask: UInt64) -> Int { Int((bits >> shift) & mask) }

    @inline(__always)
    private mutating func setField(_ shift: UInt64, _ mask: UInt64, _ value: Int) {
        bits = bits & ~(mask << shift) | (UInt64(truncatingIfNeeded: value) & mask) << shift
    }

    /// Size of frame (0…96).
    public var sof: Int {
        @inline(__always) get { field(0, 0x7f) }
        @inline(__always) set { setField(0, 0x7f, newValue) }
    }
    /// Size of locals (inputs + locals, 0…sof).
    public var sol: Int {
        @inline(__always) get { field(7, 0x7f) }
        @inline(__always) set { setField(7, 0x7f, newValue) }
    }
    /// Size of the rotating region in registers (a multiple of 8, 0…96).
    public var sor: Int {
        @inline(__always) get { field(14, 0xf) * 8 }
        @inline(__always) set { setField(14, 0xf, newValue / 8) }
    }
    public var rrbGR: Int {
        @inline(__always) get { field(18, 0x7f) }
        @inline(__always) set { setField(18, 0x7f, newValue) }
    }
    public var rrbFR: Int {
        @inline(__always) get { field(25, 0x7f) }
        @inline(__always) set { setField(25, 0x7f, newValue) }
    }
    public var rrbPR: Int {
        @inline(__always) get { field(32, 0x3f) }
        @inline(__always) set { setField(32, 0x3f, newValue) }
    }

    /// Whether `bits` (38 bits) name a frame the register stack can hold: sof ≤ 96, sol and
    /// sor within it, rename bases within their rotating regions. Anything else is a reserved
    /// value: writing it to ar.pfs or cr.ifs is a Reserved Register/Field fault, so frames
    /// adopted on br.ret and rfi are always valid.
    public static func isValid(_ bits: UInt64) -> Bool {
        let f = FrameMarker(bits: bits)
        return bits < 1 << 38 && f.sof <= 96 && f.sol <= f.sof && f.sor <= f.sof
            && (f.sor == 0 ? f.rrbGR == 0 : f.rrbGR < f.sor) && f.rrbFR < 96 && f.rrbPR < 48
    }
}

/// ar.pfs: the caller's frame marker, epilog count and privilege level, saved by br.call.
public struct PreviousFunctionState: Sendable, Equatable {
    public var bits: UInt64
    public init(bits: UInt64) { self.bits = bits }
    @inline(__always)
    public init(frame: FrameMarker, epilogCount: UInt64, privilegeLevel: UInt64) {
        bits = frame.bits | (epilogCount & 0x3f) << 52 | (privilegeLevel & 3) << 62
    }
    public var frame: FrameMarker { FrameMarker(bits: bits) }
    /// No reserved bits (38–51, 58–61) and a valid frame (see `FrameMarker.isValid`).
    public static func isValid(_ bits: UInt64) -> Bool {
        bits & (0x3fff << 38 | 0xf << 58) == 0 && FrameMarker.isValid(bits & 0x3f_ffff_ffff)
    }
    /// cr.ifs: no reserved bits (38–62), and a valid frame when ifs.v (bit 63) is set.
    public static func isValidInterruptionFrame(_ ifs: UInt64) -> Bool {
        ifs & (0x1ff_ffff << 38) == 0 && (ifs >> 63 == 0 || FrameMarker.isValid(ifs & 0x3f_ffff_ffff))
    }
    public var epilogCount: UInt64 { (bits >> 52) & 0x3f }
    public var privilegeLevel: UInt64 { bits >> 62 }
}
