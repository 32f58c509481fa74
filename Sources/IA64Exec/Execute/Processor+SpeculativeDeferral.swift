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
    static let isrSpeculative: UInt64 = 1 << 36

    /// A speculative load at `address` could not complete (misaligned, or the access failed):
    /// the fault to raise, or nil when every condition it meets is deferred (the target gets
    /// NaT). Conditions in priority order: translation, then data debug, then alignment
    /// (`alignmentMask`); a deferred one lets lower ones still fault.
    func speculativeFault(_ address: UInt64, size: Int, alignmentMask: UInt64) -> SlotOutcome? {
        if psr & ProcessorStatus.ic == 0 { return nil }  // always-defer: nothing to look at
        if psr & ProcessorStatus.dt != 0 {
            translationFault = nil
            if translate(address, .read) == nil, let f = translationFault {
                translationFault = nil
                if !defersSpeculative(f.kind) {
                    return raise(f.kind, isr: f.isr | Self.isrSpeculative, ifa: f.ifa, iim: nil, itir: f.itir, iha: f.iha)
                }
            }
        }
        if psr & Self.db != 0, let hit = dataBreakpointHit(address, size: size, write: false), !defersSpeculative(.dataDebug) {
            return raise(hit.kind, isr: hit.isr | Self.isrSpeculative, ifa: hit.ifa, iim: nil)
        }
        if address & alignmentMask != 0 && !defersSpeculative(.unalignedReference) {
            return raise(.unalignedReference, isr: 1 << 34 | Self.isrSpeculative, ifa: address, iim: nil)
        }
        return nil
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
