/// Seeded choices that perturb scheduling quanta and I/O latencies to flush out races. The
/// choices are inputs like any other: the recorder logs each one, so a replay needs only the
/// trace, never the seed.
public struct ChaosSource: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A quantum between an eighth of and a quarter over the standard one, usually a little
    /// under it: most slices stay ordinary, some end very early. A vCPU whose slice ended
    /// early finds virtual time moved on when it runs again, so its timer fires at the first
    /// instruction of its next slice, wherever the previous one stopped: interrupts land at
    /// points a fixed schedule never produces.
    mutating func quantum(standard: UInt64) -> UInt64 {
        let r = next()
        switch r % 8 {
        case 0: return max(1, standard / 8 + (r >> 8) % (standard / 2 + 1))
        case 1: return standard + (r >> 8) % (standard / 4 + 1)
        default: return max(1, standard - (r >> 8) % (standard / 4 + 1))
        }
    }

    /// An I/O latency between half and four times the standard one.
    mutating func latency(standard: UInt64) -> UInt64 {
        standard / 2 + next() % (standard * 7 / 2 + 1)
    }
}
