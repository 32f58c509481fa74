/// Xen's `parse_size_and_unit`, which `dom0_mem` goes through on Xen/ia64: a number (decimal,
/// 0x hex, or 0-prefixed octal, as simple_strtoull with base 0) with an optional unit
/// B, K, M, G or T (either case). A plain number is KiB, Xen's default unit.
public enum XenSize {
    /// The size in bytes, or nil if `text` is not a size or overflows.
    public static func parseBytes(_ text: String) -> UInt64? {
        var rest = Substring(text)
        var radix = 10
        if rest.hasPrefix("0x") || rest.hasPrefix("0X") {
            radix = 16
            rest = rest.dropFirst(2)
        } else if rest.count > 1, rest.hasPrefix("0") {
            radix = 8
        }
        // Digits are taken greedily, as strtoull does: "0x1B" is 0x1b KiB, not 1 byte.
        let digits = rest.prefix { $0.isASCII && $0.hexDigitValue.map { $0 < radix } == true }
        rest = rest.dropFirst(digits.count)
        guard !digits.isEmpty, let number = UInt64(digits, radix: radix) else { return nil }
        var shift: UInt64 = 10  // no unit: KiB
        if let unit = rest.first {
            guard rest.count == 1, let s = unitShift(unit) else { return nil }
            shift = s
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : bytes
    }

    private static func unitShift(_ c: Character) -> UInt64? {
        switch c {
        case "B", "b": return 0
        case "K", "k": return 10
        case "M", "m": return 20
        case "G", "g": return 30
        case "T", "t": return 40
        default: return nil
        }
    }
}
