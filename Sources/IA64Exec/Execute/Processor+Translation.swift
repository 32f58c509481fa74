/// Virtual addressing: region registers, the TLBs, the short-format VHPT walker, and the
/// translation faults, with access rights, dirty and access bits. Translation happens only on
/// the slow paths (a data page not in the direct-page caches, a bundle not yet decoded); every
/// change to translation state empties those caches.
extension Processor {
    enum MemoryAccess { case read, write, execute }

    func regionRID(_ address: UInt64) -> UInt64 { (regions[Int(address >> 61)] >> 8) & 0xff_ffff }
    func regionPageShift(_ address: UInt64) -> UInt64 { (regions[Int(address >> 61)] >> 2) & 0x3f }

    /// The short-format VHPT entry address for `address` (thash).
    func hashAddress(_ address: UInt64) -> UInt64 {
        let pta = cr[ControlRegister.pta.rawValue]
        let size = max(15, (pta >> 2) & 0x3f)
        let mask: UInt64 = size >= 61 ? (1 << 61) - 1 : (1 << size) - 1
        let offset = ((address & TranslationBuffer.Entry.offsetMask) >> regionPageShift(address)) << 3
        return (address & (7 << 61)) | ((pta & 0x1fff_ffff_ffff_8000) & ~mask) | (offset & mask)
    }

    func translationTag(_ address: UInt64) -> UInt64 {
        ((address & TranslationBuffer.Entry.offsetMask) >> regionPageShift(address)) ^ (regionRID(address) << 39)
    }

    /// Whether the access rights `ar` at page level `pl` allow `access` at privilege `cpl`
    /// (the architecture's rights table).
    static func rightsAllow(ar: UInt64, pl: UInt64, cpl: UInt64, _ access: MemoryAccess) -> Bool {
        let write = access == .write, execute = access == .execute, read = access == .read
        switch ar {
        case 0: return read && cpl <= pl
        case 1: return !write && cpl <= pl
        case 2: return !execute && cpl <= pl
        case 3: return cpl <= pl
        case 4: return !execute && cpl <= pl && !(write && cpl != 0 && cpl == pl)
        case 5: return cpl <= pl && !(write && cpl != 0)
        case 6: return cpl <= pl && !(execute && (cpl == 0 || cpl < pl))
        default: return !write && !(read && cpl != 0)
        }
    }

    /// The physical address of `address` for `access`, or nil with `translationFault` set.
    func translate(_ address: UInt64, _ access: MemoryAccess) -> UInt64? {
        let instruction = access == .execute
        let rid = regionRID(address)
        let itir = regionPageShift(address) << 2 | rid << 8
        let accessBits: UInt64 = access == .execute ? 1 << 32 : (access == .write ? 1 << 33 : 1 << 34)
        func fail(_ kind: Interruption.Kind, iha: UInt64? = nil) -> UInt64? {
            let deferral = instruction ? 0 : codePageDeferral()
            translationFault = PendingInterruption(kind: kind, isr: accessBits | deferral, ifa: address,
                                                   itir: itir, iha: iha)
            return nil
        }
        var found = tlb.lookup(instruction: instruction, rid: rid, address: address)
        if found == nil {
            let walkerOn = cr[ControlRegister.pta.rawValue] & 1 != 0 && regions[Int(address >> 61)] & 1 != 0
                && psr & ProcessorStatus.dt != 0
            if !instruction && psr & ProcessorStatus.ic == 0 { return fail(.dataNestedTLB) }
            guard walkerOn else { return fail(instruction ? .alternateInstructionTLB : .alternateDataTLB) }
            let hash = hashAddress(address)
            if let tableEntry = tlb.lookup(instruction: false, rid: regionRID(hash), address: hash), tableEntry.present,
               let pte = bus.load(tableEntry.physical(hash), size: 8), pte & 1 != 0 {
                let entry = TranslationBuffer.Entry(rid: rid, address: address, pageShift: regionPageShift(address),
                                                    pte: pte, key: rid)
                tlb.insertCache(instruction: instruction, entry)
                found = entry
            } else {
                return fail(instruction ? .instructionTLB : .dataTLB, iha: hash)
            }
        }
        guard let entry = found else { return nil }
        if !entry.present { return fail(.dataAccess) }  // Page Not Present (vector 0x5000)
        if psr & ProcessorStatus.pk != 0 {
            // Protection keys: the page's key must be in a valid key register that allows the access.
            guard let pkr = protectionKeys.first(where: { $0 & 1 != 0 && ($0 >> 8) & 0xff_ffff == entry.key }) else {
                return fail(instruction ? .instructionKeyMiss : .dataKeyMiss)
            }
            let disabled = access == .write ? pkr & 2 : (access == .read ? pkr & 4 : pkr & 8)
            if disabled != 0 { return fail(.keyPermission) }
        }
        guard Self.rightsAllow(ar: entry.accessRights, pl: entry.privilegeLevel, cpl: privilegeLevel, access) else {
            return fail(instruction ? .instructionAccessRights : .dataAccessRights)
        }
        if instruction {
            if psr & ProcessorStatus.ia == 0 && !entry.accessed { return fail(.instructionAccessBit) }
        } else if psr & ProcessorStatus.da == 0 {
            if access == .write && !entry.dirty { return fail(.dirtyBit) }
            if !entry.accessed { return fail(.dataAccessBit) }
        }
        return entry.physical(address)
    }

    /// ISR.ed for a data translation fault: the ed bit of the instruction TLB entry that maps
    /// the faulting instruction (0 with instruction translation off). Looked up when the
    /// fault happens, since decoded code is cached without its translation.
    func codePageDeferral() -> UInt64 {
        guard psr & ProcessorStatus.it != 0,
              let entry = tlb.lookup(instruction: true, rid: regionRID(ip), address: ip),
              entry.exceptionDeferral else { return 0 }
        return Interruption.isrED
    }

    /// Translation state changed: forget cached data pages now, decoded code at the next
    /// bundle (the current bundle's slots stay valid until then).
    func translationChanged() {
        readTags.update(repeating: .max, count: Self.dataCacheEntries)
        writeTags.update(repeating: .max, count: Self.dataCacheEntries)
        cachedCodeGeneration = ~codeGeneration.pointee
        currentPageNumber = .max
    }

    /// Calls `translationChanged` when psr bits that matter for translation differ.
    func psrChanged(from old: UInt64) {
        if (old ^ psr) & ProcessorStatus.translationBits != 0 { translationChanged() }
        if (old ^ psr) & Self.db != 0 { breakpointsChanged() }
    }

    // MARK: - Instructions

    func translationInstruction(_ name: Substring, _ kinds: [OperandKind], _ o: OperandValues) -> SlotOutcome {
        func register(_ i: Int) -> (value: UInt64, nat: Bool)? { gr(o[i]) }
        switch name {
        case "itc.d", "itc.i":
            guard let r = register(0) else { return illegal() }
            if psr & ProcessorStatus.ic != 0 { return illegal() }
            if r.nat { return raise(.natConsumption) }
            let ifa = cr[ControlRegister.ifa.rawValue], itir = cr[ControlRegister.itir.rawValue]
            let entry = TranslationBuffer.Entry(rid: regionRID(ifa), address: ifa, pageShift: (itir >> 2) & 0x3f,
                                                pte: r.value, key: (itir >> 8) & 0xff_ffff)
            tlb.insertCache(instruction: name == "itc.i", entry)
        case "itr.d", "itr.i":
            guard let slot = register(0), let r = register(1) else { return illegal() }
            if psr & ProcessorStatus.ic != 0 { return illegal() }
            if r.nat || slot.nat { return raise(.natConsumption) }
            let ifa = cr[ControlRegister.ifa.rawValue], itir = cr[ControlRegister.itir.rawValue]
            let entry = TranslationBuffer.Entry(rid: regionRID(ifa), address: ifa, pageShift: (itir >> 2) & 0x3f,
                                                pte: r.value, key: (itir >> 8) & 0xff_ffff)
            let instruction = name == "itr.i"
            tlb.purgeCache(instruction: instruction, rid: entry.rid, address: ifa, shift: entry.pageShift)
            tlb.insertRegister(instruction: instruction, slot: Int(slot.value & 0xff), entry)
        case "ptc.l", "ptc.g", "ptc.ga", "ptr.d", "ptr.i":
            guard let a = register(0), let s = register(1) else { return illegal() }
            if a.nat || s.nat { return raise(.natConsumption) }
            let shift = (s.value >> 2) & 0x3f, rid = regionRID(a.value)
            switch name {
            case "ptr.d": tlb.purgeRegisters(instruction: false, rid: rid, address: a.value, shift: shift)
                tlb.purgeCache(instruction: false, rid: rid, address: a.value, shift: shift)
            case "ptr.i": tlb.purgeRegisters(instruction: true, rid: rid, address: a.value, shift: shift)
                tlb.purgeCache(instruction: true, rid: rid, address: a.value, shift: shift)
            default:
                tlb.purgeCache(instruction: false, rid: rid, address: a.value, shift: shift)
                tlb.purgeCache(instruction: true, rid: rid, address: a.value, shift: shift)
            }
        case "ptc.e":
            tlb.purgeAllCaches()
        case "probe.r", "probe.w":
            // r1 = 1 when the access would be allowed at max(cpl, the given level); misses
            // fault as an access would; access and dirty bits are not checked.
            guard let a = register(1), writable(o.v0) else { return illegal() }
            let level: UInt64
            if kinds[2] == .r2 {
                guard let r = register(2) else { return illegal() }
                if r.nat || a.nat { return raise(.natConsumption) }
                level = r.value & 3
            } else {
                if a.nat { return raise(.natConsumption) }
                level = UInt64(bitPattern: o.v2) & 3
            }
            guard psr & ProcessorStatus.dt != 0 else {
                setGR(o.v0, 1, nat: false)
                return .next
            }
            let access: MemoryAccess = name == "probe.r" ? .read : .write
            guard translate(a.value, access) != nil || translationFault.map({ f in
                [.dataAccessRights, .dataAccessBit, .dirtyBit, .dataAccess].contains(f.kind) }) == true else {
                let f = translationFault!
                translationFault = nil
                return raise(f.kind, isr: f.isr | 1 << 35, ifa: f.ifa, iim: nil, itir: f.itir, iha: f.iha)
            }
            translationFault = nil
            let entry = tlb.lookup(instruction: false, rid: regionRID(a.value), address: a.value)
            let allowed = entry.map { $0.present && Self.rightsAllow(ar: $0.accessRights, pl: $0.privilegeLevel,
                                                                    cpl: max(privilegeLevel, level), access) } ?? false
            setGR(o.v0, allowed ? 1 : 0, nat: false)
            return .next
        case "tpa", "tak", "thash", "ttag":
            guard let a = register(1), writable(o.v0) else { return illegal() }
            if a.nat {
                setGR(o.v0, 0, nat: true)
                return .next
            }
            let value: UInt64
            switch name {
            case "thash": value = hashAddress(a.value)
            case "ttag": value = translationTag(a.value)
            case "tak": value = tlb.lookup(instruction: false, rid: regionRID(a.value), address: a.value)?.key ?? 1
            default:
                guard let pa = translate(a.value, .read) else {
                    let f = translationFault!
                    translationFault = nil
                    return raise(f.kind, isr: f.isr | 1 << 35, ifa: f.ifa, iim: nil, itir: f.itir, iha: f.iha)
                }
                value = pa
            }
            setGR(o.v0, value, nat: false)
            return .next
        default:
            return raise(.notImplemented)
        }
        translationChanged()
        return .next
    }
}
