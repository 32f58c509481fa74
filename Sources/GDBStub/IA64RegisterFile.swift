import IA64Exec

/// One thread's registers as gdb sees them, ready for `g`/`G`/`p`/`P`.
///
/// The values follow gdb's conventions, not the hardware's, and a `DebugTarget` converts:
/// - `ip` is the bundle address and `psr` carries the slot in ri (bits 41–42);
/// - `ar[17]` (bsp) is the END of the current frame: hardware ar.bsp advanced by cfm.sof;
/// - `gr[32...127]` are the raw stacked slots, informational only: gdb shows r32+ from memory
///   at [bof, bsp), so targets must serve that range through memory reads and writes;
/// - `fr` holds the 82-bit register format (significand, then 17-bit exponent and sign).
public struct IA64RegisterFile: Equatable, Sendable {
    public var gr = [UInt64](repeating: 0, count: 128)
    public var fr = [FloatRegisterBits](repeating: .positiveZero, count: 128)
    /// p0–p63 as one word (bit n = pn); the 64 single-predicate slots are derived from it.
    public var pr: UInt64 = 1
    public var br = [UInt64](repeating: 0, count: 8)
    public var ip: UInt64 = 0
    public var psr: UInt64 = 0
    public var cfm: UInt64 = 0
    public var ar = [UInt64](repeating: 0, count: 128)

    public init() {
        fr[1] = .positiveOne
    }

    /// gdb's PC: bundle address ORed with the slot.
    public var pc: UInt64 {
        get { ip & ~0xf | (psr >> IA64RegisterLayout.psrSlotShift) & 3 }
        set {
            ip = newValue & ~0xf
            psr = psr & ~IA64RegisterLayout.psrSlotMask | (newValue & 3) << IA64RegisterLayout.psrSlotShift
        }
    }

    public var slot: Int { Int((psr >> IA64RegisterLayout.psrSlotShift) & 3) }

    /// Raw register `regnum` as wire bytes (little-endian), nil for a bad number.
    public func bytes(of regnum: Int) -> [UInt8]? {
        typealias L = IA64RegisterLayout
        guard L.isValid(regnum) else { return nil }
        switch regnum {
        case L.fr0..<L.fr0 + 128:
            let f = fr[regnum - L.fr0]
            return Self.le(f.significand) + Self.le(UInt64(f.signExponent & 0x3ffff))
        case 0..<128: return Self.le(gr[regnum])
        case L.predicate0..<L.predicate0 + 64: return Self.le(pr >> UInt64(regnum - L.predicate0) & 1)
        case L.br0..<L.br0 + 8: return Self.le(br[regnum - L.br0])
        case L.vfp, L.vrap: return Self.le(0)
        case L.pr: return Self.le(pr)
        case L.ip: return Self.le(ip)
        case L.psr: return Self.le(psr)
        case L.cfm: return Self.le(cfm)
        default: return Self.le(ar[regnum - L.ar0])
        }
    }

    /// Sets raw register `regnum` from wire bytes; false for a bad number or size.
    @discardableResult
    public mutating func set(_ regnum: Int, bytes: [UInt8]) -> Bool {
        typealias L = IA64RegisterLayout
        guard L.isValid(regnum), bytes.count == L.size(of: regnum) else { return false }
        let low = Self.value(bytes[0..<8])
        switch regnum {
        case L.fr0..<L.fr0 + 128:
            fr[regnum - L.fr0] = FloatRegisterBits(significand: low, signExponent: UInt32(truncatingIfNeeded: Self.value(bytes[8..<16]) & 0x3ffff))
        case 0..<128: gr[regnum] = low
        case L.predicate0..<L.predicate0 + 64:
            let bit: UInt64 = 1 << UInt64(regnum - L.predicate0)
            pr = low & 1 != 0 ? pr | bit : pr & ~bit
        case L.br0..<L.br0 + 8: br[regnum - L.br0] = low
        case L.vfp, L.vrap: break
        case L.pr: pr = low
        case L.ip: ip = low
        case L.psr: psr = low
        case L.cfm: cfm = low
        default: ar[regnum - L.ar0] = low
        }
        return true
    }

    /// The whole `g` packet content: 4720 bytes in register number order.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(IA64RegisterLayout.packetSize)
        for r in 0..<IA64RegisterLayout.count { out += bytes(of: r)! }
        return out
    }

    /// Decodes a `G` packet: exactly 4720 bytes. The single-predicate slots are ignored in
    /// favour of `pr`, which gdb keeps consistent.
    public init?(encoded bytes: [UInt8]) {
        guard bytes.count == IA64RegisterLayout.packetSize else { return nil }
        self.init()
        for r in 0..<IA64RegisterLayout.count where !(IA64RegisterLayout.predicate0..<IA64RegisterLayout.predicate0 + 64).contains(r) {
            let o = IA64RegisterLayout.offset(of: r)
            set(r, bytes: Array(bytes[o..<o + IA64RegisterLayout.size(of: r)]))
        }
    }

    static func le(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
    static func value(_ b: ArraySlice<UInt8>) -> UInt64 {
        b.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }
}
