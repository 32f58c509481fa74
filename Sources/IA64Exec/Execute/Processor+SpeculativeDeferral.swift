/// Speculative loads (ld.s, ld.sa, ldf.s, ldfp.s…): which exception conditions the hardware
/// defers (a NaT or NaTVal in the target, no memory reference) and which it raises, after the
/// manual's rules (Vol. 2 "Deferral of Speculative Load Faults"):
/// - with psr.ic = 0 every condition is deferred (the always-defer model of system code);
/// - Unimplemented Data Address is always deferred;
/// - with psr.it = 1 and the code page's ITLB.ed = 1, Unaligned Data Reference is deferred, and
///   each translation or debug condition is deferred when its cr.dcr bit is set (dm: TLB
///   misses, dp: page not present, dk: key miss, dx: key permission, dr: access rights,
///   da: access bit, dd: data debug);
/// - anything else faults, with ISR.sp set, so an OS can defer it itself (psr.ed on its rfi).
extension Processor {
    enum SpeculativeOutcome {
        case load
        case deferred
        case fault(SlotOutcome)
    }

    static let isrSpeculative: UInt64 = 1 << 36

    /// The conditions of a speculative load at `address` in priority order: translation, then
    /// data debug, then alignment (`alignmentMask`). A condition that is deferred lets lower
    /// ones still fault; the load happens only when there is none.
    func speculativeLoadCheck(_ address: UInt64, size: Int, alignmentMask: UInt64) -> SpeculativeOutcome {
        var deferred = false
        if psr & ProcessorStatus.dt != 0 {
            translationFault = nil
            if translate(address, .read) == nil, let f = translationFault {
                translationFault = nil
                if defersSpeculative(f.kind) {
                    deferred = true
                } else {
                    return .fault(raise(f.kind, isr: f.isr | Self.isrSpeculative, ifa: f.ifa, iim: nil, itir: f.itir, iha: f.iha))
                }
            }
        }
        if psr & Self.db != 0, let hit = dataBreakpointHit(address, size: size, write: false) {
            if defersSpeculative(.dataDebug) {
                deferred = true
            } else {
                return .fault(raise(hit.kind, isr: hit.isr | Self.isrSpeculative, ifa: hit.ifa, iim: nil))
            }
        }
        if address & alignmentMask != 0 {
            if defersSpeculative(.unalignedReference) {
                deferred = true
            } else {
                return .fault(raise(.unalignedReference, isr: 1 << 34 | Self.isrSpeculative, ifa: address, iim: nil))
            }
        }
        return deferred ? .deferred : .load
    }

    /// Whether hardware defers `kind` for a speculative load at the current instruction.
    func defersSpeculative(_ kind: Interruption.Kind) -> Bool {
        if psr & ProcessorStatus.ic == 0 || kind == .unimplementedDataAddress { return true }
        guard codePageDeferral() != 0 else { return false }  // needs psr.it and ITLB.ed
        let dcr = cr[ControlRegister.dcr.rawValue]
        let bit: UInt64
        switch kind {
        case .unalignedReference: return true
        case .alternateDataTLB, .dataTLB, .vhptTranslation, .dataNestedTLB: bit = 8  // dcr.dm
        case .dataAccess: bit = 9  // dcr.dp
        case .dataKeyMiss: bit = 10  // dcr.dk
        case .keyPermission: bit = 11  // dcr.dx
        case .dataAccessRights: bit = 12  // dcr.dr
        case .dataAccessBit: bit = 13  // dcr.da
        case .dataDebug: bit = 14  // dcr.dd
        default: return false
        }
        return dcr >> bit & 1 != 0
    }
}
