/// Rounds an exact non-zero magnitude to a result format, producing the IEEE flags and
/// the trap outcome (SDM Vol. 1 §5.4: overflow/underflow/inexact are traps taken after the
/// result is written; tininess is detected after rounding with unbounded exponent).
struct FloatRounding {
    /// Magnitude = (high:low + sticky) × 2^(exponent − 127); bit 63 of `high` is set.
    var sign: Bool
    var exponent: Int
    var high: UInt64
    var low: UInt64
    var sticky: Bool

    /// Keeps the top `keep` bits (keep ≤ 64, may be ≤ 0) and rounds. `value` is the kept
    /// integer; `carry` means it rounded up to 2^keep (only possible for keep = 64 as a flag).
    func roundKeeping(_ keep: Int, _ mode: FloatRoundingMode)
        -> (value: UInt64, carry: Bool, inexact: Bool, up: Bool)
    {
        var kept: UInt64, guardBit: Bool, rest: Bool
        if keep <= 0 {
            kept = 0
            guardBit = keep == 0 && high >> 63 != 0
            rest = keep == 0 ? (high << 1 != 0 || low != 0 || sticky) : true
        } else if keep < 64 {
            kept = high >> (64 - keep)
            guardBit = (high >> (63 - keep)) & 1 != 0
            rest = high << (keep + 1) != 0 || low != 0 || sticky
        } else {
            kept = high
            guardBit = low >> 63 != 0
            rest = low << 1 != 0 || sticky
        }
        let inexact = guardBit || rest
        let increment: Bool
        switch mode {
        case .nearest: increment = guardBit && (rest || kept & 1 != 0)
        case .down: increment = sign && inexact
        case .up: increment = !sign && inexact
        case .towardZero: increment = false
        }
        if !increment { return (kept, false, inexact, false) }
        let (sum, overflow) = kept.addingReportingOverflow(1)
        return (sum, overflow, inexact, true)
    }

    func round(_ format: FloatResultFormat, _ env: FloatEnvironment) -> FloatResult {
        let p = format.precision
        let mode = env.controls.rounding
        var report = FloatExceptionReport()

        // Unbounded-exponent rounding to p bits.
        let r = roundKeeping(p, mode)
        var e = exponent
        var n = r.value
        if r.carry || (p < 64 && n >> p != 0) { e += 1; n = 1 << (p - 1) }
        let normalSignificand = p == 64 && r.carry ? 1 << 63 : n << (64 - p)

        if e > format.maximumExponent {
            if env.enabled(.overflow) {
                report.flags = r.inexact ? [.overflow, .inexact] : [.overflow]
                report.traps = report.flags
                report.roundedUp = r.up
                return FloatResult(value: wrapped(e, normalSignificand, format), report: report)
            }
            let toInfinity: Bool
            switch mode {
            case .nearest: toInfinity = true
            case .down: toInfinity = sign
            case .up: toInfinity = !sign
            case .towardZero: toInfinity = false
            }
            report.flags = [.overflow, .inexact]
            if env.enabled(.inexact) { report.traps = .inexact; report.roundedUp = toInfinity }
            let value = toInfinity
                ? FloatRegisterValue(sign: sign, exponent: 0x1FFFF, significand: 1 << 63)
                : FloatRegisterValue(sign: sign, exponent: UInt32(format.maximumExponent + 0xFFFF),
                                     significand: ~0 << (64 - p))
            return FloatResult(value: value, report: report)
        }

        if e < format.minimumExponent {
            if env.enabled(.underflow) {
                report.flags = r.inexact ? [.underflow, .inexact] : [.underflow]
                report.traps = report.flags
                report.roundedUp = r.up
                return FloatResult(value: wrapped(e, normalSignificand, format), report: report)
            }
            if env.controls.flushToZero {
                report.flags = [.underflow, .inexact]
                if env.enabled(.inexact) { report.traps = .inexact }
                return FloatResult(value: FloatRegisterValue(sign: sign, exponent: 0, significand: 0), report: report)
            }
            // Denormalize: round the exact value at the fixed position of the smallest denormal.
            let d = roundKeeping(p - (format.minimumExponent - exponent), mode)
            if d.inexact {
                report.flags = [.underflow, .inexact]
                if env.enabled(.inexact) { report.traps = .inexact; report.roundedUp = d.up }
            }
            if d.value == 0 {
                return FloatResult(value: FloatRegisterValue(sign: sign, exponent: 0, significand: 0), report: report)
            }
            let significand = d.value << (64 - p)
            let isDenormal = significand >> 63 == 0
            let biased = isDenormal && format.denormalsAtZeroExponent ? 0 : UInt32(format.minimumExponent + 0xFFFF)
            return FloatResult(value: FloatRegisterValue(sign: sign, exponent: biased, significand: significand),
                               report: report)
        }

        if r.inexact {
            report.flags = .inexact
            if env.enabled(.inexact) { report.traps = .inexact; report.roundedUp = r.up }
        }
        return FloatResult(value: FloatRegisterValue(sign: sign, exponent: UInt32(e + 0xFFFF), significand: normalSignificand),
                           report: report)
    }

    /// Trap-enabled overflow/underflow writes the rounded value with its exponent wrapped to
    /// 17 bits (8 bits, re-biased, for parallel halves) so the handler can rescale it.
    private func wrapped(_ e: Int, _ significand: UInt64, _ format: FloatResultFormat) -> FloatRegisterValue {
        let biased: UInt32
        if format.isParallel {
            biased = UInt32((e + 127) & 0xFF) + 0xFF80
        } else {
            biased = UInt32((e + 0xFFFF) & 0x1FFFF)
        }
        return FloatRegisterValue(sign: sign, exponent: biased, significand: significand)
    }
}
