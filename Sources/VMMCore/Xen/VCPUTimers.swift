/// A vCPU's vcpu_op timers (VCPUOP_set_periodic_timer / set_singleshot_timer, Xen's common
/// code): each fires VIRQ_TIMER to the vCPU. Deadlines are in Xen system-time nanoseconds,
/// which here are ITC ticks (the ITC runs at the 1 GHz platform clock: SAL_FREQ_BASE, PAL
/// ratios 1/1), so they follow the vCPU's virtual ITC and are as deterministic as it is.
struct VCPUTimers: Equatable {
    /// Xen refuses periods under a millisecond (MILLISECS(1)).
    static let minimumPeriod: UInt64 = 1_000_000

    /// The periodic timer's period (0: off) and next deadline.
    var period: UInt64 = 0
    var periodicDeadline: UInt64?
    var singleShotDeadline: UInt64?

    var isArmed: Bool { periodicDeadline != nil || singleShotDeadline != nil }

    var nextDeadline: UInt64? {
        switch (periodicDeadline, singleShotDeadline) {
        case (let p?, let s?): return min(p, s)
        case (let p?, nil): return p
        case (nil, let s?): return s
        case (nil, nil): return nil
        }
    }

    mutating func startPeriodic(period: UInt64, at now: UInt64) {
        self.period = period
        periodicDeadline = Self.after(now, period)
    }

    mutating func stopPeriodic() {
        period = 0
        periodicDeadline = nil
    }

    /// Takes the timers due at ITC `now`: true if one fired. A single shot is spent; the
    /// periodic timer re-arms a period after `now`, without catching up on periods missed
    /// (Xen's vcpu_periodic_timer_work).
    mutating func takeDue(at now: UInt64) -> Bool {
        var fired = false
        if let s = singleShotDeadline, s <= now {
            singleShotDeadline = nil
            fired = true
        }
        if let p = periodicDeadline, p <= now {
            periodicDeadline = Self.after(now, period)
            fired = true
        }
        return fired
    }

    /// `now + period`, or never (UInt64.max) past the end of time: the guest picks the period.
    static func after(_ now: UInt64, _ period: UInt64) -> UInt64 {
        let (sum, overflow) = now.addingReportingOverflow(period)
        return overflow ? .max : sum
    }
}
