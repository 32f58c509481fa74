/// What a hypervisor needs from the CPU to run a paravirtualized guest on it: look at the
/// instruction that faulted, run one instruction with more privilege (emulation of privileged
/// operations against the vCPU's own TLB and region registers), pin translations of its own,
/// and the frame operations behind the cover and rfi hyperprivops.
extension Processor {
    /// The instruction at (ip, slot) as the CPU fetches it now (translated when psr.it is set),
    /// with its bundle; nil when it cannot be fetched.
    public func currentInstruction() -> (instruction: Instruction, bundle: InstructionBundle)? {
        var address = ip
        if psr & ProcessorStatus.it != 0 {
            guard let physical = translate(ip, .execute) else {
                translationFault = nil
                return nil
            }
            address = physical
        }
        guard let bundle = bus.fetchBundle(address) else { return nil }
        return (decoder.decode(bundle).slot(slot), bundle)
    }

    /// Executes the instruction at (ip, slot) at privilege level `level`, then returns to the
    /// level the instruction left (an rfi may change it; otherwise the previous one).
    public func executeOneInstruction(atPrivilege level: UInt64) -> StopReason {
        let before = privilegeLevel
        privilegeLevel = level
        let reason = run(until: retired &+ 1)
        if privilegeLevel == level { privilegeLevel = before }
        return reason
    }

    /// cover: the current frame becomes empty; returns the value cover writes to cr.ifs.
    public func coverCurrentFrame() -> UInt64 {
        let ifs = cfm.bits | 1 << 63
        coverFrame()
        return ifs
    }

    /// Why an rfi from explicit values could not return.
    public enum ReturnFailure: Error, Sendable {
        /// `ifs` names a frame the register stack cannot hold (see
        /// `PreviousFunctionState.isValidInterruptionFrame`); nothing changed.
        case impossibleFrame
        /// The frame's registers could not be filled from the backing store.
        case backingStoreUnreadable
    }

    /// rfi from explicit values (the hypervisor keeps the guest's ipsr/iip/ifs itself): PSR,
    /// IP and slot from `ipsr`/`iip`, the frame from `ifs` when it is valid.
    public func returnFromInterruption(ipsr: UInt64, iip: UInt64, ifs: UInt64) throws(ReturnFailure) {
        guard PreviousFunctionState.isValidInterruptionFrame(ifs) else { throw .impossibleFrame }
        if ifs >> 63 != 0 {
            guard uncoverFrame(FrameMarker(bits: ifs & 0x3f_ffff_ffff)) else { throw .backingStoreUnreadable }
        }
        let old = psr
        psr = (ipsr & ~(3 << 41 | ProcessorStatus.bn)) | (psr & ProcessorStatus.bn)
        psrChanged(from: old)
        ip = iip & ~0xf
        slot = Int((ipsr >> 41) & 3)
        if slot == 3 { slot = 0 }
        interruptStateChanged = true
    }

    /// Pins a data (or instruction) translation register for the hypervisor's own use:
    /// `address` maps to `physical` with page size 2^`pageShift`, privilege level `pl` and
    /// access rights `ar`, in the RID of the address's region as it is now.
    public func pinTranslation(instruction: Bool, slot: Int, address: UInt64, physical: UInt64,
                               pageShift: UInt64, pl: UInt64, ar: UInt64) {
        let pte: UInt64 = 1 | 1 << 5 | 1 << 6 | (pl & 3) << 7 | (ar & 7) << 9 | (physical & 0x3_ffff_ffff_f000)
        let rid = regionRID(address)
        tlb.insertRegister(instruction: instruction, slot: slot,
                           TranslationBuffer.Entry(rid: rid, address: address, pageShift: pageShift, pte: pte, key: rid))
        translationChanged()
    }

    /// Region register `n` (the hypervisor reads and writes the guest's rr values directly).
    public func regionRegister(_ n: Int) -> UInt64 { regions[n & 7] }

    /// Values of r16–r31 in the current bank, and their NaT bits.
    public func bankedRegisters() -> (values: [UInt64], nats: [Bool]) {
        ((16...31).map { grValues[$0] }, (16...31).map { grNaT[$0] })
    }

    public func setBankedRegisters(values: [UInt64], nats: [Bool]) {
        for i in 0..<16 {
            grValues[16 + i] = values[i]
            grNaT[16 + i] = nats[i]
        }
    }

    /// Sets ar.itc so that it reads `value` now (it keeps advancing with retired instructions).
    public func setIntervalTimeCounter(_ value: UInt64) { ar[44] = value &- retired }

    /// ar.itc as the guest reads it now.
    public var intervalTimeCounter: UInt64 { ar[44] &+ retired }
}

extension Processor {
    /// Replaces the PSR, dropping cached translations when bits that affect them change.
    public func setProcessorStatus(_ value: UInt64) {
        let old = psr
        psr = value
        psrChanged(from: old)
        interruptStateChanged = true
    }
}

extension Processor {
    /// itc / itr on behalf of a guest whose ifa, itir and pte the hypervisor has checked and
    /// adjusted: into the translation cache, or translation register `registerSlot`.
    public func insertTranslation(instruction: Bool, registerSlot: Int?, ifa: UInt64, itir: UInt64, pte: UInt64) {
        let entry = TranslationBuffer.Entry(rid: regionRID(ifa), address: ifa, pageShift: (itir >> 2) & 0x3f,
                                            pte: pte, key: (itir >> 8) & 0xff_ffff)
        if let registerSlot {
            tlb.purgeCache(instruction: instruction, rid: entry.rid, address: ifa, shift: entry.pageShift)
            tlb.insertRegister(instruction: instruction, slot: registerSlot, entry)
        } else {
            tlb.insertCache(instruction: instruction, entry)
        }
        translationChanged()
    }

    /// The thash of `address` under the current pta and region registers.
    public func hash(ofAddress address: UInt64) -> UInt64 { hashAddress(address) }

    /// The region ID this CPU's region registers give `address`.
    public func regionID(of address: UInt64) -> UInt64 { regionRID(address) }
}

extension Processor {
    /// ptc.l/ptc.ga on behalf of a guest: purges translation-cache entries overlapping the
    /// 2^`pageShift` page at `address` (and the translation registers too when asked: ptr).
    /// `rid`: the region ID to match (a global purge uses the issuing CPU's); by default this
    /// CPU's for the address's region.
    public func purgeTranslations(address: UInt64, pageShift: UInt64, registers: Bool = false, rid: UInt64? = nil) {
        let rid = rid ?? regionRID(address)
        for instruction in [false, true] {
            tlb.purgeCache(instruction: instruction, rid: rid, address: address, shift: pageShift)
            if registers { tlb.purgeRegisters(instruction: instruction, rid: rid, address: address, shift: pageShift) }
        }
        translationChanged()
    }

    public func setRegionRegister(_ n: Int, _ value: UInt64) {
        regions[n & 7] = value
        translationChanged()
    }
}
