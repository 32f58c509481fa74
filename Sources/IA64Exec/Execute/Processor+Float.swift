/// The floating-point side: FP loads and stores in every memory format, transfers between
/// general and FP registers, and the arithmetic implemented so far (see `FloatArithmetic`).
extension Processor {
    @inline(__always)
    func writableFloat(_ f: Int64) -> Bool { f > 1 && f < 128 }

    func floating(_ f: FloatOperation, _ o: OperandValues, bundleIP: UInt64, qualified: Bool) -> SlotOutcome {
        switch f {
        case .load(let format, let kind, let update):
            guard qualified else { return .next }
            return loadFloat(format, kind: kind, update: update, o)
        case .loadPair(let format, let kind, let immediateUpdate):
            guard qualified else { return .next }
            return loadFloatPair(format, kind: kind, immediateUpdate: immediateUpdate, o)
        case .store(let format, let immediateUpdate):
            guard qualified else { return .next }
            return storeFloat(format, immediateUpdate: immediateUpdate, o)
        case .getFloat(let kind):
            guard qualified else { return .next }
            guard writable(o.v0) else { return illegal() }
            let v = floatRegister(Int(o.v1))
            if v.isNaTVal {
                setGR(o.v0, 0, nat: true)
                return .next
            }
            let bits: UInt64
            switch kind {
            case .single: bits = UInt64(FloatFormats.toSingle(v))
            case .double: bits = FloatFormats.toDouble(v)
            case .exponent: bits = UInt64(v.signExponent)
            case .significand: bits = v.significand
            }
            setGR(o.v0, bits, nat: false)
            return .next
        case .setFloat(let kind):
            guard qualified else { return .next }
            guard let a = gr(o.v1), writableFloat(o.v0) else { return illegal() }
            let value: FloatRegisterBits
            if a.nat {
                value = .natVal
            } else {
                switch kind {
                case .single: value = FloatFormats.fromSingle(UInt32(truncatingIfNeeded: a.value))
                case .double: value = FloatFormats.fromDouble(a.value)
                case .exponent: value = FloatFormats.fromExponentBits(a.value)
                case .significand: value = FloatFormats.fromInteger(a.value)
                }
            }
            setFloatRegister(Int(o.v0), value)
            return .next
        case .arithmetic(let form):
            if form.kind == .checkFlags {
                guard qualified else { return .next }
                let branches = floatStatus.fchkfBranches(field: Int(form.statusField))
                return branches ? .branch(bundleIP &+ UInt64(bitPattern: o.v0)) : .next
            }
            return floatArithmetic(form, o, qualified: qualified)
        }
    }

    func floatMemoryLoad(_ format: FloatMemoryFormat, at address: UInt64) -> FloatRegisterBits? {
        switch format {
        case .single:
            return memoryLoad(address, size: 4).map { FloatFormats.fromSingle(UInt32(dataOrder($0, size: 4))) }
        case .double:
            return memoryLoad(address, size: 8).map { FloatFormats.fromDouble(dataOrder($0, size: 8)) }
        case .integer:
            return memoryLoad(address, size: 8).map { FloatFormats.fromInteger(dataOrder($0, size: 8)) }
        case .extended:
            guard let low = memoryLoad(address, size: 8), let high = memoryLoad(address &+ 8, size: 2) else { return nil }
            return FloatFormats.fromExtended(significand: low, signExponent: UInt16(high))
        case .spill:
            guard let low = memoryLoad(address, size: 8), let high = memoryLoad(address &+ 8, size: 8) else { return nil }
            return FloatFormats.fill(low: low, high: high)
        }
    }

    static func floatSize(_ format: FloatMemoryFormat) -> Int {
        switch format {
        case .single: return 4
        case .double, .integer: return 8
        case .extended, .spill: return 16
        }
    }

    func loadFloat(_ format: FloatMemoryFormat, kind: LoadForm.Kind, update: UpdateForm, _ o: OperandValues) -> SlotOutcome {
        guard let base = gr(o.v1), writableFloat(o.v0) else { return illegal() }
        var increment: (value: UInt64, nat: Bool) = (0, false)
        switch update {
        case .none: break
        case .register:
            guard let r = gr(o.v2) else { return illegal() }
            increment = r
        case .immediate:
            increment = (UInt64(bitPattern: o.v2), false)
        }
        if update != .none && !writable(o.v1) { return illegal() }
        let speculative = kind == .speculative || kind == .speculativeAdvanced
        let register = UInt8(physicalFloat(Int(o.v0)))
        let size = Self.floatSize(format)
        var result: FloatRegisterBits
        var skip = false
        if kind == .checkClear || kind == .checkNoClear, alat.contains(floating: true, register: register) {
            skip = true
            if kind == .checkClear { alat.remove(floating: true, register: register) }
        }
        let alignmentMask = UInt64(min(size, 8) - 1)
        if skip {
            result = floatRegister(Int(o.v0))
        } else if speculative && psr & ProcessorStatus.ed != 0 {
            result = .natVal  // psr.ed: deferred, no memory reference
        } else if base.nat {
            guard speculative else { return raise(.natConsumption, isr: 1 << 34, ifa: nil, iim: nil) }
            result = .natVal
        } else if base.value & alignmentMask != 0 {
            guard speculative else { return dataFault(.unalignedReference, base.value, write: false) }
            if let fault = speculativeFault(base.value, size: size, alignmentMask: alignmentMask) { return fault }
            result = .natVal
        } else if let v = floatMemoryLoad(format, at: base.value) {
            result = v
        } else {
            guard speculative else { return dataFault(.dataAccess, base.value, write: false) }
            translationFault = nil
            if let fault = speculativeFault(base.value, size: size, alignmentMask: alignmentMask) { return fault }
            result = .natVal  // deferred: NaTVal stands for it
        }
        if kind == .advanced || kind == .speculativeAdvanced || (kind == .checkNoClear && !skip) {
            if result.isNaTVal { alat.remove(floating: true, register: register) }
            else { alat.insert(floating: true, register: register, address: base.value, size: size) }
        }
        setFloatRegister(Int(o.v0), result)
        if update != .none { setGR(o.v1, base.value &+ increment.value, nat: base.nat || increment.nat) }
        return .next
    }

    /// ldfps/ldfpd/ldfp8 f1, f2 = [r3] (with optional post-increment by the pair size).
    func loadFloatPair(_ format: FloatMemoryFormat, kind: LoadForm.Kind, immediateUpdate: Bool, _ o: OperandValues) -> SlotOutcome {
        guard let base = gr(o.v2), writableFloat(o.v0), writableFloat(o.v1) else { return illegal() }
        // f1 and f2 must be one odd and one even register.
        if (o.v0 ^ o.v1) & 1 == 0 { return illegal() }
        let size = Self.floatSize(format)
        let speculative = kind == .speculative || kind == .speculativeAdvanced
        var first = FloatRegisterBits.natVal, second = FloatRegisterBits.natVal
        let alignmentMask = UInt64(2 * size - 1)
        if speculative && psr & ProcessorStatus.ed != 0 {
            // psr.ed: both deferred, no memory reference.
        } else if base.nat {
            guard speculative else { return raise(.natConsumption, isr: 1 << 34, ifa: nil, iim: nil) }
        } else if base.value & alignmentMask != 0 {
            guard speculative else { return dataFault(.unalignedReference, base.value, write: false) }
            if let fault = speculativeFault(base.value, size: 2 * size, alignmentMask: alignmentMask) { return fault }
        } else if let a = floatMemoryLoad(format, at: base.value), let b = floatMemoryLoad(format, at: base.value &+ UInt64(size)) {
            first = a
            second = b
        } else {
            guard speculative else { return dataFault(.dataAccess, base.value, write: false) }
            translationFault = nil
            if let fault = speculativeFault(base.value, size: 2 * size, alignmentMask: alignmentMask) { return fault }
        }
        setFloatRegister(Int(o.v0), first)
        setFloatRegister(Int(o.v1), second)
        if immediateUpdate {
            guard writable(o.v2) else { return illegal() }
            setGR(o.v2, base.value &+ UInt64(bitPattern: o.v3), nat: base.nat)
        }
        return .next
    }

    func storeFloat(_ format: FloatMemoryFormat, immediateUpdate: Bool, _ o: OperandValues) -> SlotOutcome {
        guard let base = gr(o.v0) else { return illegal() }
        if immediateUpdate && !writable(o.v0) { return illegal() }
        let value = floatRegister(Int(o.v1))
        if base.nat || (value.isNaTVal && format != .spill) { return raise(.natConsumption, isr: 1 << 33, ifa: nil, iim: nil) }
        let address = base.value
        let size = Self.floatSize(format)
        if address & UInt64(min(size, 8) - 1) != 0 { return dataFault(.unalignedReference, address, write: true) }
        let ok: Bool
        switch format {
        case .single: ok = memoryStore(address, size: 4, value: dataOrder(UInt64(FloatFormats.toSingle(value)), size: 4))
        case .double: ok = memoryStore(address, size: 8, value: dataOrder(FloatFormats.toDouble(value), size: 8))
        case .integer: ok = memoryStore(address, size: 8, value: dataOrder(value.significand, size: 8))
        case .extended:
            let e = FloatFormats.toExtended(value)
            ok = memoryStore(address, size: 8, value: e.significand) && memoryStore(address &+ 8, size: 2, value: UInt64(e.signExponent))
        case .spill:
            let s = FloatFormats.spill(value)
            ok = memoryStore(address, size: 8, value: s.low) && memoryStore(address &+ 8, size: 8, value: s.high)
        }
        guard ok else { return dataFault(.dataAccess, address, write: true) }
        alat.invalidateOverlapping(address: address, size: size)
        if immediateUpdate { setGR(o.v0, address &+ UInt64(bitPattern: o.v2), nat: false) }
        return .next
    }
}
