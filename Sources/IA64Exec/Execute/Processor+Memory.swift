/// Loads, stores and semaphores: alignment, NaT consumption, speculation and the ALAT.
extension Processor {
    /// A data read of 1, 2, 4 or 8 bytes (little-endian value), nil if memory refuses it.
    @inline(__always)
    func memoryLoad(_ address: UInt64, size: Int) -> UInt64? {
        let number = address >> DirectPage.shift
        let entry = Int(number & UInt64(Self.dataCacheEntries - 1))
        let offset = Int(address & (DirectPage.size - 1))
        if readTags[entry] == number && offset + size <= Int(DirectPage.size) {
            let p = readPages[entry].unsafelyUnwrapped
            switch size {
            case 8: return UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            case 4: return UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            case 2: return UInt64(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            default: return UInt64(p.load(fromByteOffset: offset, as: UInt8.self))
            }
        }
        return memoryLoadSlow(address, size: size)
    }

    /// Kept out of line: the run loop inlines `memoryLoad` and only wants its fast path.
    @inline(never)
    func memoryLoadSlow(_ address: UInt64, size: Int) -> UInt64? {
        translationFault = nil
        if hostWatchArmed { noteHostWatch(address, size: size, write: false) }
        // Translation faults outrank Data Debug: translated accesses check the breakpoints
        // after translating.
        if psr & ProcessorStatus.dt != 0 { return translatedLoad(address, size: size) }
        if psr & Self.db != 0, let hit = dataBreakpointHit(address, size: size, write: false) {
            translationFault = hit
            return nil
        }
        let number = address >> DirectPage.shift
        let offset = Int(address & (DirectPage.size - 1))
        if offset + size <= Int(DirectPage.size), !dataBreakpointsArmed, !hostWatchArmed, let page = bus.directPage(number, forWriting: false) {
            let entry = Int(number & UInt64(Self.dataCacheEntries - 1))
            readTags[entry] = number
            readPages[entry] = page
            return memoryLoad(address, size: size)
        }
        return bus.load(address, size: size)
    }

    /// A data write; false if memory refuses it.
    @inline(__always)
    func memoryStore(_ address: UInt64, size: Int, value: UInt64) -> Bool {
        let number = address >> DirectPage.shift
        let entry = Int(number & UInt64(Self.dataCacheEntries - 1))
        let offset = Int(address & (DirectPage.size - 1))
        if writeTags[entry] == number && offset + size <= Int(DirectPage.size) {
            let p = writePages[entry].unsafelyUnwrapped
            switch size {
            case 8: p.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self)
            case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian, toByteOffset: offset, as: UInt32.self)
            case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, toByteOffset: offset, as: UInt16.self)
            default: p.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: offset, as: UInt8.self)
            }
            return true
        }
        return memoryStoreSlow(address, size: size, value: value)
    }

    @inline(never)
    func memoryStoreSlow(_ address: UInt64, size: Int, value: UInt64) -> Bool {
        let stored = memoryStoreUncached(address, size: size, value: value)
        noteCodeGeneration()
        return stored
    }

    /// A store that went to the bus may have written code: the run loop learns of it at its
    /// next bundle through the code-page check (it has no per-bundle generation check).
    @inline(__always)
    func noteCodeGeneration() {
        if codeGeneration.pointee != cachedCodeGeneration { currentPageNumber = .max }
    }

    private func memoryStoreUncached(_ address: UInt64, size: Int, value: UInt64) -> Bool {
        translationFault = nil
        if hostWatchArmed { noteHostWatch(address, size: size, write: true) }
        // Translation faults outrank Data Debug: translated accesses check the breakpoints
        // after translating.
        if psr & ProcessorStatus.dt != 0 { return translatedStore(address, size: size, value: value) }
        if psr & Self.db != 0, let hit = dataBreakpointHit(address, size: size, write: true) {
            translationFault = hit
            return false
        }
        let number = address >> DirectPage.shift
        let offset = Int(address & (DirectPage.size - 1))
        if offset + size <= Int(DirectPage.size), !dataBreakpointsArmed, !hostWatchArmed, let page = bus.directPage(number, forWriting: true) {
            let entry = Int(number & UInt64(Self.dataCacheEntries - 1))
            writeTags[entry] = number
            writePages[entry] = page
            return memoryStore(address, size: size, value: value)
        }
        return bus.store(address, size: size, value: value)
    }

    /// A load with psr.dt set: translate, then cache the page pointer when the translation
    /// covers the whole direct page.
    func translatedLoad(_ address: UInt64, size: Int) -> UInt64? {
        guard let physical = translate(address, .read) else { return nil }
        if psr & Self.db != 0, let hit = dataBreakpointHit(address, size: size, write: false) {
            translationFault = hit
            return nil
        }
        let offset = Int(address & (DirectPage.size - 1))
        if offset + size <= Int(DirectPage.size), !dataBreakpointsArmed, !hostWatchArmed, coversDirectPage(address),
           let page = bus.directPage(physical >> DirectPage.shift, forWriting: false) {
            let entry = Int((address >> DirectPage.shift) & UInt64(Self.dataCacheEntries - 1))
            readTags[entry] = address >> DirectPage.shift
            readPages[entry] = page
        }
        return bus.load(physical, size: size)
    }

    func translatedStore(_ address: UInt64, size: Int, value: UInt64) -> Bool {
        guard let physical = translate(address, .write) else { return false }
        if psr & Self.db != 0, let hit = dataBreakpointHit(address, size: size, write: true) {
            translationFault = hit
            return false
        }
        let offset = Int(address & (DirectPage.size - 1))
        if offset + size <= Int(DirectPage.size), !dataBreakpointsArmed, !hostWatchArmed, coversDirectPage(address),
           let page = bus.directPage(physical >> DirectPage.shift, forWriting: true) {
            let entry = Int((address >> DirectPage.shift) & UInt64(Self.dataCacheEntries - 1))
            writeTags[entry] = address >> DirectPage.shift
            writePages[entry] = page
        }
        return bus.store(physical, size: size, value: value)
    }

    /// Whether the data translation of `address` spans its whole 16 KiB direct page.
    func coversDirectPage(_ address: UInt64) -> Bool {
        (tlb.lookup(instruction: false, rid: regionRID(address), address: address)?.pageShift ?? 0) >= DirectPage.shift
    }

    /// Little- or big-endian per psr.be.
    @inline(__always)
    func dataOrder(_ value: UInt64, size: Int) -> UInt64 {
        guard psr & 2 != 0, size > 1 else { return value }
        return value.byteSwapped >> UInt64(64 - 8 * size)
    }

    func dataFault(_ kind: Interruption.Kind, _ address: UInt64, write: Bool) -> SlotOutcome {
        if kind == .unalignedReference {
            // Translation faults, then Data Debug, outrank Unaligned Data Reference: look the
            // address up first.
            translationFault = nil
            if psr & ProcessorStatus.dt != 0, translate(address, write ? .write : .read) == nil,
               let f = translationFault {
                translationFault = nil
                return raise(f.kind, isr: f.isr, ifa: f.ifa, iim: nil, itir: f.itir, iha: f.iha)
            }
            translationFault = nil
            if psr & Self.db != 0, let hit = dataBreakpointHit(address, size: 1, write: write) {
                return raise(hit.kind, isr: hit.isr, ifa: hit.ifa, iim: nil)
            }
            return raise(kind, isr: write ? 1 << 33 : 1 << 34, ifa: address, iim: nil)
        }
        if let f = translationFault {
            translationFault = nil
            return raise(f.kind, isr: f.isr, ifa: f.ifa, iim: nil, itir: f.itir, iha: f.iha)
        }
        return raise(kind, isr: write ? 1 << 33 : 1 << 34, ifa: address, iim: nil)
    }

    func load(_ form: LoadForm, _ o: OperandValues, entry: UInt16) -> SlotOutcome {
        let addressOperand: Int64 = form.sixteen && OpcodeTable.shared.entries[Int(entry)].operands.count == 3 ? o.v2 : o.v1
        guard let base = gr(addressOperand), writable(o.v0) else { return illegal() }
        var increment: (value: UInt64, nat: Bool) = (0, false)
        switch form.update {
        case .none: break
        case .register:
            guard let r = gr(form.sixteen ? o.v3 : o.v2) else { return illegal() }
            increment = r
        case .immediate:
            increment = (UInt64(bitPattern: form.sixteen ? o.v3 : o.v2), false)
        }
        if form.update != .none && (addressOperand == o.v0 || !writable(addressOperand)) { return illegal() }
        let address = base.value
        let size = form.size
        let speculative = form.kind == .speculative || form.kind == .speculativeAdvanced
        let register = grMap[Int(o.v0)]

        var value: UInt64 = 0
        var nat = false
        var performLoad = true
        switch form.kind {
        case .checkClear, .checkNoClear, .checkClearAcquire:
            if alat.contains(floating: false, register: register) {
                performLoad = false
                if form.kind != .checkNoClear { alat.remove(floating: false, register: register) }
            }
        default: break
        }
        if performLoad {
            if speculative && psr & ProcessorStatus.ed != 0 {
                nat = true  // psr.ed: the OS chose to defer; no memory reference
            } else if base.nat {
                guard speculative else { return raise(.natConsumption, isr: 1 << 34, ifa: nil, iim: nil) }
                nat = true
            } else if address & UInt64(form.sixteen ? 15 : size - 1) != 0 {
                guard speculative else { return dataFault(.unalignedReference, address, write: false) }
                if let fault = speculativeFault(address, size: size, alignmentMask: UInt64(size - 1)) { return fault }
                nat = true
            } else if let raw = memoryLoad(address, size: size) {
                value = dataOrder(raw, size: size)
                if form.sixteen {
                    guard let high = memoryLoad(address &+ 8, size: 8) else { return dataFault(.dataAccess, address, write: false) }
                    ar[25] = dataOrder(high, size: 8)
                }
            } else {
                guard speculative else { return dataFault(.dataAccess, address, write: false) }
                translationFault = nil
                if let fault = speculativeFault(address, size: size, alignmentMask: UInt64(size - 1)) { return fault }
                nat = true  // deferred: the NaT stands for it
            }
            if form.kind == .fill { nat = ar[36] >> ((address >> 3) & 0x3f) & 1 != 0 }
        } else {
            let current = gr(o.v0)!
            value = current.value
            nat = current.nat
        }
        switch form.kind {
        case .advanced, .speculativeAdvanced:
            if !nat { alat.insert(floating: false, register: register, address: address, size: size) }
            else { alat.remove(floating: false, register: register) }
        case .checkNoClear:
            if performLoad { alat.insert(floating: false, register: register, address: address, size: size) }
        default: break
        }
        setGR(o.v0, value, nat: nat)
        if form.update != .none {
            setGR(addressOperand, base.value &+ increment.value, nat: base.nat || increment.nat)
        }
        return .next
    }

    func store(_ form: StoreForm, _ o: OperandValues) -> SlotOutcome {
        guard let base = gr(o.v0), let data = gr(o.v1) else { return illegal() }
        if form.immediateUpdate && !writable(o.v0) { return illegal() }
        if base.nat || (data.nat && !form.spill) { return raise(.natConsumption, isr: 1 << 33, ifa: nil, iim: nil) }
        let address = base.value
        let size = form.size
        if address & UInt64(form.sixteen ? 15 : size - 1) != 0 { return dataFault(.unalignedReference, address, write: true) }
        guard memoryStore(address, size: size, value: dataOrder(data.value, size: size)) else {
            return dataFault(.dataAccess, address, write: true)
        }
        if form.sixteen {
            guard memoryStore(address &+ 8, size: 8, value: dataOrder(ar[25], size: 8)) else {
                return dataFault(.dataAccess, address, write: true)
            }
        }
        if form.spill {
            let bit: UInt64 = 1 << ((address >> 3) & 0x3f)
            if data.nat { ar[36] |= bit } else { ar[36] &= ~bit }
        }
        alat.invalidateOverlapping(address: address, size: form.sixteen ? 16 : size)
        if form.immediateUpdate { setGR(o.v0, address &+ UInt64(bitPattern: o.v2), nat: false) }
        return .next
    }

    /// cmpxchg r1 = [r3], r2, ar.ccv (and cmp8xchg16 with ar.csd).
    func compareExchange(size: Int, sixteen: Bool, _ o: OperandValues) -> SlotOutcome {
        guard let base = gr(o.v1), let data = gr(o.v2), writable(o.v0) else { return illegal() }
        if base.nat || data.nat { return raise(.natConsumption, isr: 1 << 33 | 1 << 34, ifa: nil, iim: nil) }
        let address = base.value
        if address & UInt64(size - 1) != 0 { return dataFault(.unalignedReference, address, write: true) }
        guard let raw = memoryLoad(address, size: size) else { return dataFault(.dataAccess, address, write: false) }
        let old = dataOrder(raw, size: size)
        let mask: UInt64 = size == 8 ? ~0 : (1 << UInt64(size * 8)) - 1
        if old == ar[32] & mask {
            if sixteen {
                let pair = address & ~15
                let low = address & 8 == 0 ? data.value : ar[25]
                let high = address & 8 == 0 ? ar[25] : data.value
                guard memoryStore(pair, size: 8, value: dataOrder(low, size: 8)),
                      memoryStore(pair &+ 8, size: 8, value: dataOrder(high, size: 8)) else {
                    return dataFault(.dataAccess, address, write: true)
                }
                alat.invalidateOverlapping(address: pair, size: 16)
            } else {
                guard memoryStore(address, size: size, value: dataOrder(data.value, size: size)) else {
                    return dataFault(.dataAccess, address, write: true)
                }
                alat.invalidateOverlapping(address: address, size: size)
            }
        }
        setGR(o.v0, old, nat: false)
        return .next
    }

    func exchange(size: Int, _ o: OperandValues) -> SlotOutcome {
        guard let base = gr(o.v1), let data = gr(o.v2), writable(o.v0) else { return illegal() }
        if base.nat || data.nat { return raise(.natConsumption, isr: 1 << 33 | 1 << 34, ifa: nil, iim: nil) }
        let address = base.value
        if address & UInt64(size - 1) != 0 { return dataFault(.unalignedReference, address, write: true) }
        guard let raw = memoryLoad(address, size: size) else { return dataFault(.dataAccess, address, write: false) }
        guard memoryStore(address, size: size, value: dataOrder(data.value, size: size)) else {
            return dataFault(.dataAccess, address, write: true)
        }
        alat.invalidateOverlapping(address: address, size: size)
        setGR(o.v0, dataOrder(raw, size: size), nat: false)
        return .next
    }

    func fetchAdd(size: Int, _ o: OperandValues) -> SlotOutcome {
        guard let base = gr(o.v1), writable(o.v0) else { return illegal() }
        if base.nat { return raise(.natConsumption, isr: 1 << 33 | 1 << 34, ifa: nil, iim: nil) }
        let address = base.value
        if address & UInt64(size - 1) != 0 { return dataFault(.unalignedReference, address, write: true) }
        guard let raw = memoryLoad(address, size: size) else { return dataFault(.dataAccess, address, write: false) }
        let old = dataOrder(raw, size: size)
        let new = old &+ UInt64(bitPattern: o.v2)
        guard memoryStore(address, size: size, value: dataOrder(new, size: size)) else {
            return dataFault(.dataAccess, address, write: true)
        }
        alat.invalidateOverlapping(address: address, size: size)
        setGR(o.v0, old, nat: false)
        return .next
    }
}
