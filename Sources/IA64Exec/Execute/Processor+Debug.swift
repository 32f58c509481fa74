/// Debug breakpoint registers: instruction breakpoints (ibr, checked when a bundle is
/// entered) and data breakpoints (dbr, checked on the memory slow path, which every access
/// takes while one is armed), enabled by psr.db and skipped once by psr.id / psr.dd.
extension Processor {
    static let db: UInt64 = 1 << 24

    var instructionBreakpointsArmed: Bool {
        psr & Self.db != 0 && stride(from: 1, to: 8, by: 2).contains { instructionBreakpoints[$0] >> 63 != 0 }
    }

    var dataBreakpointsArmed: Bool {
        psr & Self.db != 0 && stride(from: 1, to: 8, by: 2).contains { dataBreakpoints[$0] >> 62 != 0 }
    }

    func updateBundleEntryChecks() {
        instructionBreakpointsActive = instructionBreakpointsArmed
        stopAddressValue = stopAddress ?? .max
        breakAddressesActive = !breakAddresses.isEmpty && !suspendBreakAddresses
        breakAddressFilter = breakAddresses.reduce(0) { $0 | 1 << (($1 >> 4) & 63) }
        checkBundleEntry = breakAddressesActive || instructionBreakpointsActive
    }

    /// Called when psr.db or a breakpoint register may have changed.
    func breakpointsChanged() {
        updateBundleEntryChecks()
        translationChanged()  // empties the data-page caches: armed data breakpoints keep them empty
    }

    static func matches(_ address: UInt64, pair: ArraySlice<UInt64>, cpl: UInt64) -> Bool {
        let base = pair[pair.startIndex], control = pair[pair.startIndex + 1]
        let mask = control & 0xff_ffff_ffff_ffff
        let plm = (control >> 56) & 0xf
        return plm >> cpl & 1 != 0 && (address & mask) == (base & mask)
    }

    /// An instruction breakpoint on the instruction at (ip, slot), unless psr.id lets this one
    /// through. While breakpoints are armed, `run` executes one instruction per slice, so this
    /// is checked before every instruction.
    func instructionBreakpointStop() -> StopReason? {
        guard psr & ProcessorStatus.id == 0 else { return nil }
        for pair in stride(from: 0, to: 8, by: 2) where instructionBreakpoints[pair + 1] >> 63 != 0 {
            if Self.matches(ip, pair: instructionBreakpoints[pair..<pair + 2], cpl: privilegeLevel) {
                return .interruption(Interruption(kind: .instructionDebug, iip: ip, slot: slot, isr: 1 << 32, ifa: ip))
            }
        }
        return nil
    }

    /// A data breakpoint hit by an access, as a pending fault (nil when none).
    func dataBreakpointHit(_ address: UInt64, size: Int, write: Bool) -> PendingInterruption? {
        guard dataBreakpointsArmed else { return nil }
        if psr & ProcessorStatus.dd != 0 { return nil }
        for pair in stride(from: 0, to: 8, by: 2) {
            let control = dataBreakpoints[pair + 1]
            guard control >> (write ? 62 : 63) & 1 != 0 else { continue }
            for offset in 0..<UInt64(size) where Self.matches(address &+ offset, pair: dataBreakpoints[pair..<pair + 2], cpl: privilegeLevel) {
                return PendingInterruption(kind: .dataDebug, isr: write ? 1 << 33 : 1 << 34, ifa: address)
            }
        }
        return nil
    }
}
