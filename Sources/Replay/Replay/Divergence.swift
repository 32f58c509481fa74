/// The first point where a replay stopped matching its recording.
public struct Divergence: Equatable, Sendable, CustomStringConvertible {
    /// The instruction count where it was detected.
    public var instructions: UInt64
    /// The check interval it falls in (0 = before the first check) and that interval's bounds.
    public var interval: Int
    public var intervalStart: UInt64
    public var intervalEnd: UInt64
    /// What differs, most telling first.
    public var differences: [String]

    public var description: String {
        "replay diverged at instruction \(instructions) (check interval \(interval): instructions \(intervalStart)–\(intervalEnd)): "
            + differences.joined(separator: "; ")
    }
}
