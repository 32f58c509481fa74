/// Snapshots of the CPU: every piece of architectural and microarchitectural state that can
/// influence what it does next, listed once for both directions (see `StateCoder`).
///
/// Not saved, on purpose:
/// - the decoded-bundle cache (`codePages`, `currentSlots`, ...), the data-page pointer caches
///   (`readTags`/`readPages`/`writeTags`/`writePages`) and `cachedCodeGeneration`: derived from
///   memory; emptied on restore and rebuilt as the CPU runs;
/// - `grMap`, `rotatingMap`: derived from cfm and bof, rebuilt by `remapRegisters`;
/// - `checkBundleEntry`, `stopAddressValue`, `instructionBreakpointsActive`: derived from the
///   breakpoint registers, psr and `stopAddress`, recomputed on restore;
/// - `stopAddress`: a debugger's (host's) request, not machine state; the restored CPU keeps
///   the one it has;
/// - `bus`, `decoder`, `operations`: what the CPU is attached to and its immutable tables.
extension Processor {
    public func code<C: StateCoder>(_ c: inout C) throws {
        try c.expectCount(128, "general registers")
        try c.words(grValues, count: 128)
        try c.flags(grNaT, count: 128)
        for i in 0..<128 { try fr[i].code(&c) }
        try c.code(&logicalPredicates)
        try c.words(br, count: 8)
        try c.words(ar, count: 128)
        try c.words(cr, count: 128)
        try c.words(otherBank, count: 16)
        try c.flags(otherBankNaT, count: 16)
        try c.code(&cfm)
        try c.code(&ip)
        try c.code(&slot)
        try c.code(&retired)
        try c.code(&psr)
        try c.code(&bof)
        try c.code(&dirty)
        try c.code(&bsp)
        try c.code(&bspstore)
        try c.code(&rnat)
        try c.code(&alat)
        try c.code(&tlb)
        try c.code(&regions)
        try c.code(&protectionKeys)
        try c.code(&instructionBreakpoints)
        try c.code(&dataBreakpoints)
        try c.code(&translationFault)
        try c.code(&pending)
        try c.code(&branchTarget)
        try c.code(&pendingSlot)
        try c.code(&interruptStateChanged)
        try c.code(&trapAfterBranch)
        try c.code(&machineCheckPending)
        try c.code(&illegalResume)
        try c.code(&inService.0)
        try c.code(&inService.1)
        try c.code(&inService.2)
        try c.code(&inService.3)
        if c.isDecoding {
            guard (0..<3).contains(slot), (0..<96).contains(bof), (0...96).contains(dirty), FrameMarker.isValid(cfm.bits),
                  regions.count == 8, protectionKeys.count == 16,
                  instructionBreakpoints.count == 8, dataBreakpoints.count == 8,
                  PreviousFunctionState.isValid(ar[64]),
                  PreviousFunctionState.isValidInterruptionFrame(cr[ControlRegister.ifs.rawValue])
            else { throw c.corrupt("processor state out of range (slot \(slot), bof \(bof), cfm \(cfm), ar.pfs, cr.ifs)") }
            restoredDerivedState()
        }
    }

    /// After a restore: rebuilds what is derived from the saved state and empties the caches.
    func restoredDerivedState() {
        remapRegisters()
        updateBundleEntryChecks()
        dropDecodedCode()
        // Whatever the bus's generation becomes (memory may be restored after the CPU), the
        // next bundle looks again.
        cachedCodeGeneration = ~codeGeneration.pointee
    }
}

extension FloatRegisterBits: StateCodable {
    public static var placeholder: FloatRegisterBits { .positiveZero }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        try c.code(&significand)
        try c.code(&signExponent)
        if c.isDecoding { signExponent &= 0x3ffff }
    }
}

extension FrameMarker: StateCodable {
    public static var placeholder: FrameMarker { FrameMarker() }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var b = bits
        try c.varint(&b)
        guard b < 1 << 38 else { throw c.corrupt("frame marker 0x\(String(b, radix: 16)) has reserved bits") }
        self = FrameMarker(bits: b)
    }
}

extension ALAT: StateCodable {
    static var placeholder: ALAT { ALAT() }
    mutating func code<C: StateCoder>(_ c: inout C) throws {
        try c.expectCount(Self.capacity, "ALAT entries")
        for i in 0..<Self.capacity {
            try c.code(&entries[i].valid)
            try c.code(&entries[i].floating)
            try c.code(&entries[i].register)
            try c.code(&entries[i].address)
            try c.code(&entries[i].size)
        }
        try c.code(&nextVictim)
        try c.code(&validCount)
        if c.isDecoding {
            guard (0..<Self.capacity).contains(nextVictim), validCount == entries.count(where: \.valid) else {
                throw c.corrupt("ALAT position \(nextVictim) or valid count \(validCount) inconsistent")
            }
        }
    }
}

extension TranslationBuffer.Entry: StateCodable {
    static var placeholder: TranslationBuffer.Entry { .init() }
    mutating func code<C: StateCoder>(_ c: inout C) throws {
        try c.code(&valid)
        guard valid || c.isDecoding else { return }  // an invalid entry's fields never matter
        if c.isDecoding && !valid {
            self = .init()
            return
        }
        try c.code(&rid)
        try c.code(&vpn)
        try c.code(&pageShift)
        try c.code(&pte)
        try c.code(&key)
        if c.isDecoding && pageShift >= 64 { throw c.corrupt("page shift \(pageShift)") }
    }
}

extension TranslationBuffer: StateCodable {
    static var placeholder: TranslationBuffer { .init() }
    mutating func code<C: StateCoder>(_ c: inout C) throws {
        try c.code(&dataRegisters)
        try c.code(&instructionRegisters)
        try c.code(&dataCache)
        try c.code(&instructionCache)
        try c.code(&nextData)
        try c.code(&nextInstruction)
        if c.isDecoding {
            guard dataRegisters.count == Self.registerCount, instructionRegisters.count == Self.registerCount,
                  dataCache.count == Self.cacheCount, instructionCache.count == Self.cacheCount,
                  (0..<Self.cacheCount).contains(nextData), (0..<Self.cacheCount).contains(nextInstruction)
            else { throw c.corrupt("translation buffer sizes or positions out of range") }
        }
    }
}

extension PendingInterruption: StateCodable {
    static var placeholder: PendingInterruption { .init() }
    mutating func code<C: StateCoder>(_ c: inout C) throws {
        try kind.code(&c)
        try c.code(&isr)
        try c.code(&ifa)
        try c.code(&iim)
        try c.code(&itir)
        try c.code(&iha)
    }
}

extension Interruption.Kind: StateCodable {
    public static var placeholder: Interruption.Kind { .illegalOperation }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var name = rawValue
        try name.code(&c)
        guard let k = Interruption.Kind(rawValue: name) else { throw c.corrupt("unknown interruption kind '\(name)'") }
        self = k
    }
}

extension Interruption: StateCodable {
    public static var placeholder: Interruption { Interruption(kind: .illegalOperation, iip: 0, slot: 0) }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var kind = self.kind, iip = self.iip, slot = self.slot
        // isr as stored already holds the slot in ISR.ei; the initializer ORs it in again.
        var isr = self.isr, ifa = self.ifa, iim = self.iim, itir = self.itir, iha = self.iha
        try kind.code(&c)
        try c.code(&iip)
        try c.code(&slot)
        try c.code(&isr)
        try c.code(&ifa)
        try c.code(&iim)
        try c.code(&itir)
        try c.code(&iha)
        if c.isDecoding {
            guard (0..<3).contains(slot) else { throw c.corrupt("interruption slot \(slot)") }
            self = Interruption(kind: kind, iip: iip, slot: slot, isr: isr, ifa: ifa, iim: iim, itir: itir, iha: iha)
        }
    }
}
