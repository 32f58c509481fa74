/// The six IEEE exception kinds in the bit order the FPSR uses for both trap-disable
/// bits (fpsr{5:0}) and status-field flags (sf{12:7}): v, d, z, o, u, i.
public struct FloatExceptions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x3F }

    public static let invalid = FloatExceptions(rawValue: 0x01)
    public static let denormal = FloatExceptions(rawValue: 0x02)
    public static let zeroDivide = FloatExceptions(rawValue: 0x04)
    public static let overflow = FloatExceptions(rawValue: 0x08)
    public static let underflow = FloatExceptions(rawValue: 0x10)
    public static let inexact = FloatExceptions(rawValue: 0x20)
    public static let all = FloatExceptions(rawValue: 0x3F)
}
