/// The privileged half implemented so far: control registers, PSR moves, system mask,
/// register banks, interruption delivery through the vector table at cr.iva, and rfi.
/// (Virtual memory, the interrupt controller, timers and debug registers are still to come.)
extension Processor {
    public enum ControlRegister: Int {
        case dcr = 0, itm = 1, iva = 2, pta = 8, ipsr = 16, isr = 17, iip = 19, ifa = 20, itir = 21,
             iipa = 22, ifs = 23, iim = 24, iha = 25, lid = 64, ivr = 65, tpr = 66, eoi = 67,
             irr0 = 68, irr1 = 69, irr2 = 70, irr3 = 71, itv = 72, pmv = 73, cmcv = 74, lrr0 = 80, lrr1 = 81
    }

    public enum ProcessorStatus {
        public static let be: UInt64 = 1 << 1, ic: UInt64 = 1 << 13, i: UInt64 = 1 << 14
        public static let bn: UInt64 = 1 << 44
        public static let ss: UInt64 = 1 << 40, tb: UInt64 = 1 << 26
        public static let dt: UInt64 = 1 << 17, it: UInt64 = 1 << 36, pk: UInt64 = 1 << 15
        public static let da: UInt64 = 1 << 38, ia: UInt64 = 1 << 45
        public static let lp: UInt64 = 1 << 25
        public static let mc: UInt64 = 1 << 35, di: UInt64 = 1 << 22, ed: UInt64 = 1 << 43, sp: UInt64 = 1 << 20
        public static let id: UInt64 = 1 << 37, dd: UInt64 = 1 << 39
        /// ia, id, da, dd, ed: each lets the next instruction past one check, then clears when
        /// that instruction completes (unless it is an rfi, which sets the PSR anew).
        static let nextInstructionOnly: UInt64 = ia | id | da | dd | ed
        /// Bits whose change alters how addresses translate or which rights apply.
        static let translationBits: UInt64 = dt | it | pk | da | ia | 3 << 32
        /// Bits an interruption keeps: rt, up, mfl, mfh, pk, it, dt, mc.
        static let keptOnInterruption: UInt64 = 1 << 27 | 1 << 2 | 1 << 4 | 1 << 5 | 1 << 15 | 1 << 36 | 1 << 17 | 1 << 35
    }

    public func controlRegister(_ r: ControlRegister) -> UInt64 { cr[r.rawValue] }
    /// Sets a control register directly (the hypervisor, loaders). False, changing nothing,
    /// for a cr.ifs naming an impossible frame: like ar.pfs, cr.ifs only ever holds frames the
    /// register stack can take (see `PreviousFunctionState.isValidInterruptionFrame`).
    @discardableResult
    public func setControlRegister(_ r: ControlRegister, _ value: UInt64) -> Bool {
        if r == .ifs && !PreviousFunctionState.isValidInterruptionFrame(value) { return false }
        cr[r.rawValue] = value
        return true
    }

    func privileged(_ s: SystemOperation, _ o: OperandValues) -> SlotOutcome {
        // Any of these may unmask or retire an interrupt or move the timer: end the run slice.
        interruptStateChanged = true
        switch s {
        case .moveToControl:
            guard let a = gr(o.v1) else { return illegal() }
            if a.nat { return raise(.natConsumption) }
            guard let index = ControlRegister(rawValue: Int(o.v0)) else { return illegal() }
            if (16...25).contains(index.rawValue) && psr & ProcessorStatus.ic != 0 { return illegal() }
            switch index {
            case .ivr, .irr0, .irr1, .irr2, .irr3: return illegal()  // read-only
            case .eoi:
                endOfInterrupt()
                return .next
            case .ifs:
                guard PreviousFunctionState.isValidInterruptionFrame(a.value) else { return raise(.reservedRegisterField) }
                cr[index.rawValue] = a.value
            default: cr[index.rawValue] = a.value
            }
            return .next
        case .moveFromControl:
            guard writable(o.v0) else { return illegal() }
            guard let index = ControlRegister(rawValue: Int(o.v1)) else { return illegal() }
            if (16...25).contains(index.rawValue) && psr & ProcessorStatus.ic != 0 { return illegal() }
            let value: UInt64
            switch index {
            case .ivr: value = acknowledgeInterrupt()
            case .eoi: value = 0
            default: value = cr[index.rawValue]
            }
            setGR(o.v0, value, nat: false)
            return .next
        case .moveToProcessorStatusLow:
            guard let a = gr(o.v1) else { return illegal() }
            if a.nat { return raise(.natConsumption) }
            let old = psr
            psr = (psr & ~0xffff_ffff) | (a.value & 0xffff_ffff)
            psrChanged(from: old)
            return .next
        case .moveFromProcessorStatus:
            guard writable(o.v0) else { return illegal() }
            setGR(o.v0, psr & (0xffff_ffff | 3 << 35), nat: false)
            return .next
        case .setSystemMask:
            let old = psr
            psr |= UInt64(bitPattern: o.v0) & 0xff_ffff
            psrChanged(from: old)
            return .next
        case .resetSystemMask:
            let old = psr
            psr &= ~(UInt64(bitPattern: o.v0) & 0xff_ffff)
            psrChanged(from: old)
            return .next
        case .bankZero, .bankOne:
            selectBank(s == .bankOne)
            return .next
        case .returnFromInterruption:
            return returnFromInterruption()
        case .moveToRegion:
            guard let index = gr(o.v0), let a = gr(o.v1) else { return illegal() }
            if index.nat || a.nat { return raise(.natConsumption) }
            regions[Int(index.value >> 61)] = a.value
            translationChanged()
            return .next
        case .moveToInstructionBreakpoint, .moveToDataBreakpoint:
            guard let index = gr(o.v0), let a = gr(o.v1) else { return illegal() }
            if index.nat || a.nat { return raise(.natConsumption) }
            if s == .moveToInstructionBreakpoint { instructionBreakpoints[Int(index.value & 7)] = a.value }
            else { dataBreakpoints[Int(index.value & 7)] = a.value }
            breakpointsChanged()
            return .next
        case .moveFromInstructionBreakpoint, .moveFromDataBreakpoint:
            guard let index = gr(o.v1), writable(o.v0) else { return illegal() }
            if index.nat { return raise(.natConsumption) }
            let value = s == .moveFromInstructionBreakpoint ? instructionBreakpoints[Int(index.value & 7)]
                                                             : dataBreakpoints[Int(index.value & 7)]
            setGR(o.v0, value, nat: false)
            return .next
        case .moveToProtectionKey:
            guard let index = gr(o.v0), let a = gr(o.v1) else { return illegal() }
            if index.nat || a.nat { return raise(.natConsumption) }
            protectionKeys[Int(index.value & 15)] = a.value & 0xffff_ff0f
            translationChanged()
            return .next
        case .moveFromProtectionKey:
            guard let index = gr(o.v1), writable(o.v0) else { return illegal() }
            if index.nat { return raise(.natConsumption) }
            setGR(o.v0, protectionKeys[Int(index.value & 15)], nat: false)
            return .next
        case .moveFromRegion:
            guard let index = gr(o.v1), writable(o.v0) else { return illegal() }
            if index.nat { return raise(.natConsumption) }
            setGR(o.v0, regions[Int(index.value >> 61)], nat: false)
            return .next
        default:
            return raise(.notImplemented)
        }
    }

    /// Makes bank 1 (true) or bank 0 (false) of r16…r31 current.
    func selectBank(_ one: Bool) {
        guard (psr & ProcessorStatus.bn != 0) != one else { return }
        for i in 0..<16 {
            swap(&grValues[16 + i], &otherBank[i])
            swap(&grNaT[16 + i], &otherBankNaT[i])
        }
        if one { psr |= ProcessorStatus.bn } else { psr &= ~ProcessorStatus.bn }
    }

    /// rfi: PSR from cr.ipsr (slot from ipsr.ri), IP from cr.iip, and the frame in cr.ifs when
    /// it is valid.
    func returnFromInterruption() -> SlotOutcome {
        let ipsr = cr[ControlRegister.ipsr.rawValue]
        let ifs = cr[ControlRegister.ifs.rawValue]
        if ifs >> 63 != 0 {
            guard uncoverFrame(FrameMarker(bits: ifs & 0x3f_ffff_ffff)) else {
                return raise(.dataAccess, isr: 1 << 34, ifa: bspstore, iim: nil)
            }
        }
        selectBank(ipsr & ProcessorStatus.bn != 0)
        let old = psr
        psr = ipsr & ~(3 << 41)
        psrChanged(from: old)
        rfiCompleted = true
        let target = cr[ControlRegister.iip.rawValue] & ~0xf
        pendingSlot = Int((ipsr >> 41) & 3)
        // ri = 2 names the middle of an MLX bundle's L+X instruction: Illegal Operation there.
        illegalResume = pendingSlot == 2 && isLongBundle(at: target)
        return .branch(target)
    }

    /// The reverse of cover: the frame `previous` (sof registers below the current frame)
    /// becomes current again.
    func uncoverFrame(_ previous: FrameMarker) -> Bool {
        popFrame(previous, below: previous.sof)
    }

    /// The Single Step or Taken Branch trap owed after one instruction ran under psr.ss or
    /// psr.tb (ISR.code 0x8 single step, 0x4 taken branch; Taken Branch has priority).
    func debugTrap(after before: (ip: UInt64, slot: Int, count: UInt64, psr: UInt64)) -> Interruption? {
        guard retired == before.count + 1 else { return nil }
        var sequential = (ip: before.ip, slot: before.slot + 1)
        if sequential.slot == 1, bus.fetchBundle(before.ip)?.template.units?.1 == .l { sequential.slot = 2 }
        if sequential.slot >= 3 { sequential = (before.ip &+ 16, 0) }
        let taken = !(ip == sequential.ip && slot == sequential.slot)
        var code: UInt64 = 0
        if before.psr & ProcessorStatus.ss != 0 { code |= 0x8 }
        if before.psr & ProcessorStatus.tb != 0 && taken { code |= 0x4 }
        guard code != 0 else { return nil }
        return Interruption(kind: code & 0x4 != 0 ? .takenBranch : .singleStep, iip: before.ip, slot: before.slot, isr: code)
    }

    /// A trap raised by an instruction (FP trap, Lower-Privilege Transfer) carries in its
    /// ISR.code the other traps the same instruction owes: Single Step (0x8) under psr.ss and
    /// Taken Branch (0x4) under psr.tb for a taken branch. The vector stays the raised one,
    /// the highest in priority of them.
    func withConcurrentTraps(_ trap: Interruption, before psr: UInt64, branchTaken: Bool) -> Interruption {
        var code = trap.isr & ~(3 << 41)
        if psr & ProcessorStatus.ss != 0 { code |= 0x8 }
        if psr & ProcessorStatus.tb != 0 && branchTaken { code |= 0x4 }
        return Interruption(kind: trap.kind, iip: trap.iip, slot: trap.slot, isr: code, ifa: trap.ifa, iim: trap.iim,
                            itir: trap.itir, iha: trap.iha)
    }

    /// A machine check or INIT reaching the OS handler at `handler` (through the platform's
    /// firmware): the interrupted state always goes to cr.ipsr/cr.iip, the PSR is formed as on
    /// an interruption (with psr.mc set for a machine check, so another waits until the
    /// handler is done), r8 = `code`, bank 0 is selected.
    public func deliverPlatformEvent(to handler: UInt64, code: UInt64, masksMachineChecks: Bool = false) {
        selectBank(false)
        cr[ControlRegister.ipsr.rawValue] = (psr & ~(3 << 41)) | UInt64(architecturalSlot(slot, at: ip) & 3) << 41
        cr[ControlRegister.iip.rawValue] = ip
        cr[ControlRegister.ifs.rawValue] = 0
        let old = psr
        psr &= ProcessorStatus.keptOnInterruption
        if masksMachineChecks { psr |= ProcessorStatus.mc }
        psrChanged(from: old)
        setGeneralRegister(8, value: code)
        ip = handler & ~0xf
        slot = 0
    }

    /// Delivers `interruption` to the guest: collects the interruption state (when psr.ic is
    /// set), switches to bank 0, forms the interruption PSR and continues at cr.iva + the
    /// vector's offset. For a fault, (ip, slot) are those of the faulting instruction; for a
    /// trap, of the next one.
    public func deliver(_ interruption: Interruption) {
        selectBank(false)
        let collecting = psr & ProcessorStatus.ic != 0
        let ri = interruption.slotIsArchitectural ? slot : architecturalSlot(slot, at: ip)
        if collecting {
            cr[ControlRegister.ipsr.rawValue] = (psr & ~(3 << 41)) | UInt64(ri & 3) << 41
            cr[ControlRegister.iip.rawValue] = ip
            cr[ControlRegister.ifs.rawValue] = 0
            if let ifa = interruption.ifa { cr[ControlRegister.ifa.rawValue] = ifa }
            if let iim = interruption.iim { cr[ControlRegister.iim.rawValue] = iim }
            if let itir = interruption.itir { cr[ControlRegister.itir.rawValue] = itir }
            if let iha = interruption.iha { cr[ControlRegister.iha.rawValue] = iha }
        }
        // ISR: the recorded code, access bits and slot; ni when state was not collected.
        cr[ControlRegister.isr.rawValue] = withArchitecturalSlot(interruption) | (collecting ? 0 : 1 << 39)
        let dcr = cr[ControlRegister.dcr.rawValue]
        let old = psr
        defer { psrChanged(from: old) }
        psr = (psr & ProcessorStatus.keptOnInterruption) | (dcr & 2 != 0 ? ProcessorStatus.be : 0) | (dcr & 1 != 0 ? 1 << 21 : 0)
        ip = cr[ControlRegister.iva.rawValue] &+ UInt64(interruption.vectorOffset)
        slot = 0
    }
}
