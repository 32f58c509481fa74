/// The interpreter proper: one slot's semantics per `Operation`.
extension Processor {
    @inline(__always)
    func illegal() -> SlotOutcome { raise(.illegalOperation) }

    /// Records a fault for the run loop and reports it.
    func raise(_ kind: Interruption.Kind, isr: UInt64 = 0, ifa: UInt64? = nil, iim: UInt64? = nil,
               itir: UInt64? = nil, iha: UInt64? = nil) -> SlotOutcome {
        // ISR.code: 0x10 for NaT consumption from a register (the only kind here); the General
        // Exception codes 0x20 (Privileged Register) and 0x30 (Reserved Register/Field).
        let code: UInt64
        switch kind {
        case .natConsumption: code = 0x10
        case .privilegedRegister: code = 0x20
        case .reservedRegisterField: code = 0x30
        default: code = 0
        }
        pending = PendingInterruption(kind: kind, isr: isr | code, ifa: ifa, iim: iim, itir: itir, iha: iha)
        return .fault
    }

    /// Records a trap (raised after the instruction completed) for the run loop.
    func raiseTrap(_ kind: Interruption.Kind, isr: UInt64) -> SlotOutcome {
        pending = PendingInterruption(kind: kind, isr: isr)
        return .trap
    }

    func execute(_ slotPointer: UnsafeMutablePointer<ExecutableSlot>, bundleIP: UInt64, slot: Int) -> SlotOutcome {
        // Read fields in place: copying the whole slot costs more than most instructions.
        let o = slotPointer.pointee.operands
        switch slotPointer.pointee.operation {
        case .noEffect:
            return .next

        case .alu(let op, let immediate):
            guard let b = gr(o.v2) else { return illegal() }
            let a: (value: UInt64, nat: Bool)
            if immediate {
                a = (UInt64(bitPattern: o.v1), false)
            } else {
                guard let r = gr(o.v1) else { return illegal() }
                a = r
            }
            guard writable(o.v0) else { return illegal() }
            let v: UInt64
            switch op {
            case .add: v = a.value &+ b.value
            case .addPlusOne: v = a.value &+ b.value &+ 1
            case .sub: v = a.value &- b.value
            case .subMinusOne: v = a.value &- b.value &- 1
            case .addPointer: v = PointerArithmetic.addp4(a.value, b.value)
            case .and: v = a.value & b.value
            case .or: v = a.value | b.value
            case .xor: v = a.value ^ b.value
            case .andComplement: v = a.value & ~b.value
            }
            setGR(o.v0, v, nat: a.nat || b.nat)
            return .next

        case .moveRegister:
            guard let a = gr(o.v1), writable(o.v0) else { return illegal() }
            setGR(o.v0, a.value, nat: a.nat)
            return .next

        case .moveImmediate, .moveLong:
            guard writable(o.v0) else { return illegal() }
            setGR(o.v0, UInt64(bitPattern: o.v1), nat: false)
            return .next

        case .shiftLeftAdd(let pointer):
            guard let a = gr(o.v1), let b = gr(o.v3), writable(o.v0) else { return illegal() }
            let v = pointer ? PointerArithmetic.shladdp4(a.value, count: Int(o.v2), b.value)
                            : IntegerShift.shladd(a.value, count: Int(o.v2), b.value)
            setGR(o.v0, v, nat: a.nat || b.nat)
            return .next

        case .compare(let f):
            return compare(f, o, qualified: true)

        case .testBit(let f):
            return test(f, o, qualified: true)

        case .shiftByRegister(let kind):
            guard let a = gr(o.v1), let b = gr(o.v2), writable(o.v0) else { return illegal() }
            let v: UInt64
            switch kind {
            case .left: v = IntegerShift.shl(a.value, by: b.value)
            case .right: v = IntegerShift.shr(a.value, by: b.value)
            case .rightUnsigned: v = IntegerShift.shr_u(a.value, by: b.value)
            }
            setGR(o.v0, v, nat: a.nat || b.nat)
            return .next

        case .extract(let signed, let implied):
            guard let a = gr(o.v1), writable(o.v0) else { return illegal() }
            let pos = Int(o.v2)
            let len = implied ? 64 - pos : Int(o.v3)
            setGR(o.v0, signed ? FieldOps.extr(a.value, pos: pos, len: len) : FieldOps.extr_u(a.value, pos: pos, len: len), nat: a.nat)
            return .next

        case .depositZero(let immediate, let implied):
            let src: (value: UInt64, nat: Bool)
            if immediate {
                src = (UInt64(bitPattern: o.v1), false)
            } else {
                guard let r = gr(o.v1) else { return illegal() }
                src = r
            }
            guard writable(o.v0) else { return illegal() }
            let pos = Int(o.v2)
            let len = implied ? 64 - pos : Int(o.v3)
            let v = immediate ? FieldOps.dep_z(imm8: src.value, pos: pos, len: len) : FieldOps.dep_z(src.value, pos: pos, len: len)
            setGR(o.v0, v, nat: src.nat)
            return .next

        case .deposit(let immediate):
            let src: (value: UInt64, nat: Bool)
            if immediate {
                src = (o.v1 != 0 ? ~0 : 0, false)
            } else {
                guard let r = gr(o.v1) else { return illegal() }
                src = r
            }
            guard let target = gr(o.v2), writable(o.v0) else { return illegal() }
            let v = immediate ? FieldOps.dep(imm1: UInt64(bitPattern: o.v1), target.value, pos: Int(o.v3), len: Int(o.v4))
                              : FieldOps.dep(src.value, target.value, pos: Int(o.v3), len: Int(o.v4))
            setGR(o.v0, v, nat: src.nat || target.nat)
            return .next

        case .shiftRightPair:
            guard let a = gr(o.v1), let b = gr(o.v2), writable(o.v0) else { return illegal() }
            setGR(o.v0, FieldOps.shrp(a.value, b.value, count: Int(o.v3)), nat: a.nat || b.nat)
            return .next

        case .extend(let signed, let bytes):
            guard let a = gr(o.v1), writable(o.v0) else { return illegal() }
            let v: UInt64
            switch (signed, bytes) {
            case (true, 1): v = IntegerExtension.sxt1(a.value)
            case (true, 2): v = IntegerExtension.sxt2(a.value)
            case (true, _): v = IntegerExtension.sxt4(a.value)
            case (false, 1): v = IntegerExtension.zxt1(a.value)
            case (false, 2): v = IntegerExtension.zxt2(a.value)
            case (false, _): v = IntegerExtension.zxt4(a.value)
            }
            setGR(o.v0, v, nat: a.nat)
            return .next

        case .multimedia(let m):
            return multimedia(m, o, immediateCount: false)

        case .multimediaImmediate(let m):
            return multimedia(m, o, immediateCount: true)

        case .moveToBranch:
            guard let a = gr(o.v1) else { return illegal() }
            if a.nat { return raise(.natConsumption) }
            br[Int(o.v0 & 7)] = a.value
            return .next

        case .moveFromBranch:
            guard writable(o.v0) else { return illegal() }
            setGR(o.v0, br[Int(o.v1 & 7)], nat: false)
            return .next

        case .moveToPredicates:
            guard let a = gr(o.v1) else { return illegal() }
            if a.nat { return raise(.natConsumption) }
            let mask = UInt64(bitPattern: o.v2)
            for p in 1..<64 where mask >> UInt64(p) & 1 != 0 {
                setPredicate(p, a.value >> UInt64(p) & 1 != 0)
            }
            return .next

        case .moveToRotatingPredicates:
            let v = UInt64(bitPattern: o.v1)
            for p in 16..<64 { setPredicate(p, v >> UInt64(p) & 1 != 0) }
            return .next

        case .moveFromIP:
            guard writable(o.v0) else { return illegal() }
            setGR(o.v0, bundleIP, nat: false)
            return .next

        case .moveFromPredicates:
            guard writable(o.v0) else { return illegal() }
            setGR(o.v0, predicates, nat: false)
            return .next

        case .moveToApplication(let immediate, let unit):
            let value: UInt64
            if immediate {
                value = UInt64(bitPattern: o.v1)
            } else {
                guard let a = gr(o.v1) else { return illegal() }
                if a.nat { return raise(.natConsumption) }
                value = a.value
            }
            return writeApplicationRegister(Int(o.v0), value, unit: unit)

        case .moveFromApplication(let unit):
            guard writable(o.v0) else { return illegal() }
            // psr.si: the interval timer is readable only at level 0.
            if o.v1 == 44 && psr & (1 << 23) != 0 && privilegeLevel != 0 { return raise(.privilegedRegister) }
            guard let v = readApplicationRegister(Int(o.v1), unit: unit) else { return illegal() }
            setGR(o.v0, v, nat: false)
            return .next

        case .load(let form):
            return load(form, o, entry: slotPointer.pointee.entry)

        case .store(let form):
            return store(form, o)

        case .compareExchange(let size, let sixteen):
            return compareExchange(size: size, sixteen: sixteen, o)

        case .exchange(let size):
            return exchange(size: size, o)

        case .fetchAdd(let size):
            return fetchAdd(size: size, o)

        case .prefetch(let update):
            guard let base = gr(o.v0) else { return illegal() }
            switch update {
            case .none: return .next
            case .register:
                guard let inc = gr(o.v1), writable(o.v0) else { return illegal() }
                setGR(o.v0, base.value &+ inc.value, nat: base.nat || inc.nat)
            case .immediate:
                guard writable(o.v0) else { return illegal() }
                setGR(o.v0, base.value &+ UInt64(bitPattern: o.v1), nat: base.nat)
            }
            return .next

        case .allocate:
            // ra/rb/rc hold sof/sol/sor (see ExecutableSlot.digest).
            let x = slotPointer.pointee
            let sof = Int(x.ra), sol = Int(x.rb), sor = Int(x.rc)
            guard sof <= 96, sol <= sof, sor <= sof else { return illegal() }
            if sor != cfm.sor && (cfm.rrbGR != 0 || cfm.rrbFR != 0 || cfm.rrbPR != 0) {
                return raise(.reservedRegisterField)
            }
            // The destination is named in the new frame.
            let destination = o.v0
            guard destination != 0, destination < 32 + Int64(sof) else { return illegal() }
            let pfs = ar[64]
            guard resizeFrame(sof: sof, sol: sol, sor: sor) else { return raise(.dataAccess, isr: 0, ifa: bspstore, iim: nil) }
            setGR(destination, pfs, nat: false)
            return .next

        case .flushRegisterStack:
            guard flushDirty() else { return raise(.dataAccess, isr: 0, ifa: bspstore, iim: nil) }
            return .next

        case .loadRegisterStack:
            let rsc = ar[16]
            guard rsc & 3 == 0 else { return illegal() }
            guard loadRegisters(bytes: (rsc >> 16) & 0x3fff) else { return raise(.dataAccess, isr: 0, ifa: bspstore, iim: nil) }
            return .next

        case .cover:
            // With interruption collection off, cover also records the frame in cr.ifs.
            if psr & ProcessorStatus.ic == 0 { cr[ControlRegister.ifs.rawValue] = cfm.bits | 1 << 63 }
            coverFrame()
            return .next

        case .clearRotatingBases(let predicatesOnly):
            if !predicatesOnly {
                cfm.rrbGR = 0
                cfm.rrbFR = 0
            }
            setPredicateRenameBase(0)
            remapRegisters()
            return .next

        case .invalidateALAT:
            alat.removeAll()
            return .next

        case .invalidateALATEntry(let floating):
            if floating {
                alat.remove(floating: true, register: UInt8(physicalFloat(Int(o.v0))))
            } else {
                guard writable(o.v0) || o.v0 == 0 else { return illegal() }
                alat.remove(floating: false, register: grMap[Int(o.v0)])
            }
            return .next

        case .checkSpeculation(let floating):
            let deferred: Bool
            if floating {
                deferred = floatRegister(Int(o.v0)).isNaTVal
            } else {
                guard let a = gr(o.v0) else { return illegal() }
                deferred = a.nat
            }
            return deferred ? .branch(bundleIP &+ UInt64(bitPattern: o.v1)) : .next

        case .checkAdvanced(let floating, let clear):
            let register: UInt8
            if floating {
                register = UInt8(physicalFloat(Int(o.v0)))
            } else {
                guard writable(o.v0) else { return illegal() }
                register = grMap[Int(o.v0)]
            }
            if alat.contains(floating: floating, register: register) {
                if clear { alat.remove(floating: floating, register: register) }
                return .next
            }
            return .branch(bundleIP &+ UInt64(bitPattern: o.v1))

        case .branch(let form):
            return branch(form, o, bundleIP: bundleIP, qualified: true)

        case .breakInstruction:
            // IIM holds the low 21 bits of the immediate (all of it except for break.x).
            return raise(.breakInstruction, isr: 0, ifa: nil, iim: UInt64(bitPattern: o.v0) & 0x1f_ffff)

        case .floating(let f):
            if psr & 0xc_0000 != 0, let code = disabledFloatRegisters(entry: slotPointer.pointee.entry, o) {
                if namesIllegalRegister(slotPointer.pointee.entry, o) { return illegal() }
                return raise(.disabledFloatingPointRegister, isr: code)
            }
            return floating(f, o, bundleIP: bundleIP, qualified: true)

        case .system(let s):
            return system(s, o, entry: slotPointer.pointee.entry)

        case .illegal, .longSlot:
            return illegal()
        case .unimplemented:
            return raise(.notImplemented)
        }
    }

    /// psr.dfl disables f2…f31 and psr.dfh f32…f127: ISR.code bit 0 / bit 1 for the halves used.
    func disabledFloatRegisters(entry: UInt16, _ o: OperandValues) -> UInt64? {
        var code: UInt64 = 0
        for (i, kind) in OpcodeTable.shared.entries[Int(entry)].operands.enumerated() {
            switch kind {
            case .f1, .f2, .f3, .f4:
                let f = o[i]
                if f >= 2 && f < 32 && psr & (1 << 18) != 0 { code |= 1 }
                if f >= 32 && psr & (1 << 19) != 0 { code |= 2 }
            default: continue
            }
        }
        return code == 0 ? nil : code
    }

    /// Slots whose predicate is false but which still write something (cmp.unc, tbit.unc,
    /// br.wtop/wexit, fcmp.unc, fclass.unc).
    func executePredicatedOff(_ x: ExecutableSlot, bundleIP: UInt64) -> SlotOutcome {
        switch x.operation {
        case .compare(let f): return compare(f, x.operands, qualified: false)
        case .testBit(let f): return test(f, x.operands, qualified: false)
        case .branch(let form): return branch(form, x.operands, bundleIP: bundleIP, qualified: false)
        case .floating(let f): return floating(f, x.operands, bundleIP: bundleIP, qualified: false)
        default: return .next
        }
    }

    // MARK: - Predicates

    func writePredicates(_ type: PredicateWriteType, _ p1: Int64, _ p2: Int64, relation: Bool, nat: Bool) -> SlotOutcome {
        let a = Int(p1), b = Int(p2)
        if a == b && a != 0 { return illegal() }
        switch type {
        case .normal, .unconditional:
            setPredicate(a, !nat && relation)
            setPredicate(b, !nat && !relation)
        case .and:
            if nat || !relation { setPredicate(a, false); setPredicate(b, false) }
        case .or:
            if !nat && relation { setPredicate(a, true); setPredicate(b, true) }
        case .orAndComplement:
            if !nat && relation { setPredicate(a, true); setPredicate(b, false) }
        case .andComplement:
            if nat || relation { setPredicate(a, false); setPredicate(b, false) }
        case .orComplement:
            if !nat && !relation { setPredicate(a, true); setPredicate(b, true) }
        case .andOrComplement:
            if !nat && !relation { setPredicate(a, false); setPredicate(b, true) }
        }
        return .next
    }

    func compare(_ f: CompareForm, _ o: OperandValues, qualified: Bool) -> SlotOutcome {
        if !qualified {
            if o.v0 == o.v1 && o.v0 != 0 { return illegal() }
            setPredicate(Int(o.v0), false)
            setPredicate(Int(o.v1), false)
            return .next
        }
        guard let b = gr(o.v3) else { return illegal() }
        let a: (value: UInt64, nat: Bool)
        if f.immediate {
            a = (UInt64(bitPattern: o.v2), false)
        } else {
            guard let r = gr(o.v2) else { return illegal() }
            a = r
        }
        var x = a.value, y = b.value
        if f.fourBytes {
            switch f.relation {
            case .ltu, .leu, .gtu, .geu, .eq, .ne:
                x &= 0xffff_ffff
                y &= 0xffff_ffff
            default:
                x = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: x)))
                y = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: y)))
            }
        }
        let sx = Int64(bitPattern: x), sy = Int64(bitPattern: y)
        let relation: Bool
        switch f.relation {
        case .eq: relation = x == y
        case .ne: relation = x != y
        case .lt: relation = sx < sy
        case .le: relation = sx <= sy
        case .gt: relation = sx > sy
        case .ge: relation = sx >= sy
        case .ltu: relation = x < y
        case .leu: relation = x <= y
        case .gtu: relation = x > y
        case .geu: relation = x >= y
        }
        return writePredicates(f.type, o.v0, o.v1, relation: relation, nat: a.nat || b.nat)
    }

    func test(_ f: TestForm, _ o: OperandValues, qualified: Bool) -> SlotOutcome {
        if !qualified {
            if o.v0 == o.v1 && o.v0 != 0 { return illegal() }
            setPredicate(Int(o.v0), false)
            setPredicate(Int(o.v1), false)
            return .next
        }
        let bitSet: Bool
        var nat = false
        switch f.test {
        case .bit:
            guard let a = gr(o.v2) else { return illegal() }
            bitSet = a.value >> UInt64(o.v3) & 1 != 0
            nat = a.nat
        case .nat:
            guard let a = gr(o.v2) else { return illegal() }
            bitSet = a.nat
        case .feature:
            bitSet = false  // no optional processor features are implemented
        }
        return writePredicates(f.type, o.v0, o.v1, relation: f.nonZero ? bitSet : !bitSet, nat: nat)
    }

    // MARK: - Branches

    func branch(_ form: BranchForm, _ o: OperandValues, bundleIP: UInt64, qualified: Bool) -> SlotOutcome {
        func relativeTarget(_ offset: Int64) -> UInt64 { bundleIP &+ UInt64(bitPattern: offset) }
        switch form.kind {
        case .conditional:
            if form.indirect { return .branch(br[Int(o.v0 & 7)] & ~0xf) }
            return .branch(relativeTarget(o.v0))
        case .call:
            let target = form.indirect ? br[Int(o.v1 & 7)] & ~0xf : relativeTarget(o.v1)
            enterCall(link: Int(o.v0), bundleIP: bundleIP)
            return .branch(target)
        case .ret:
            let target = br[Int(o.v0 & 7)] & ~0xf
            let pfs = PreviousFunctionState(bits: ar[64])
            guard restoreFrame(pfs.frame) else { return raise(.dataAccess, isr: 0, ifa: bspstore, iim: nil) }
            ar[66] = pfs.epilogCount
            if pfs.privilegeLevel > privilegeLevel {
                let old = psr
                privilegeLevel = pfs.privilegeLevel
                psrChanged(from: old)
                if psr & ProcessorStatus.lp != 0 {
                    // Lower-Privilege Transfer trap (ISR.code 0x2), taken at the target.
                    trapAfterBranch = Interruption(kind: .lowerPrivilegeTransfer, iip: bundleIP, slot: 0, isr: 0x2)
                    interruptStateChanged = true
                }
            }
            return .branch(target)
        case .ia:
            // psr.di forbids instruction-set transitions (General Exception, ISR.code 0x40);
            // otherwise there is no IA-32 instruction set to go to.
            if psr & ProcessorStatus.di != 0 { return raise(.disabledInstructionSetTransition, isr: 0x40) }
            return illegal()
        case .cloop:
            if ar[65] != 0 {
                ar[65] &-= 1
                return .branch(relativeTarget(o.v0))
            }
            return .next
        case .ctop, .cexit, .wtop, .wexit:
            // Modulo-scheduled loops: ctop/cexit continue while ar.lc counts down, wtop/wexit
            // while the qualifying predicate holds; then ar.ec drains the epilogue stages.
            let kernel = form.kind == .ctop || form.kind == .cexit ? ar[65] != 0 : qualified
            let taken: Bool
            if kernel {
                if form.kind == .ctop || form.kind == .cexit { ar[65] &-= 1 }
                setPredicate(63, form.kind == .ctop || form.kind == .cexit)
                rotateRegisters()
                taken = true
            } else if ar[66] != 0 {
                let wasAboveOne = ar[66] > 1
                ar[66] -= 1
                setPredicate(63, false)
                rotateRegisters()
                taken = wasAboveOne
            } else {
                setPredicate(63, false)
                taken = false
            }
            let branches = form.kind == .ctop || form.kind == .wtop ? taken : !taken
            return branches ? .branch(relativeTarget(o.v0)) : .next
        }
    }

    // MARK: - Application registers

    func readApplicationRegister(_ n: Int, unit: ExecutionUnit) -> UInt64? {
        if unit == .i && n < 64 { return nil }
        if unit == .m && n >= 64 { return nil }
        return applicationRegister(n)
    }

    func writeApplicationRegister(_ n: Int, _ value: UInt64, unit: ExecutionUnit) -> SlotOutcome {
        if unit == .i && n < 64 { return illegal() }
        if unit == .m && n >= 64 { return illegal() }
        switch n {
        case 0...7:
            if privilegeLevel != 0 { return raise(.privilegedRegister) }
            ar[n] = value
        case 16:
            ar[16] = value & 0x3fff_001f
        case 17:
            return illegal()  // ar.bsp is read-only
        case 18:
            writeBackingStorePointer(value)
        case 19:
            rnat = value & ~(1 << 63)
        case 44:
            if privilegeLevel != 0 { return raise(.privilegedRegister) }
            ar[44] = value &- retired
            interruptStateChanged = true
        case 64:
            guard PreviousFunctionState.isValid(value) else { return raise(.reservedRegisterField) }
            ar[64] = value
        case 66:
            ar[66] = value & 0x3f
        default:
            ar[n] = value
        }
        return .next
    }

    // MARK: - System

    /// A privileged instruction below level 0: Privileged Operation (ISR.code 0x10), unless a
    /// register it names is outside the frame or its target is r0, which is an Illegal
    /// Operation and outranks it.
    func privilegedOperationFault(_ entry: UInt16, _ o: OperandValues) -> SlotOutcome {
        if namesIllegalRegister(entry, o) { return illegal() }
        return raise(.privilegedOperation, isr: 0x10, ifa: nil, iim: nil)
    }

    /// Whether the instruction names a general register outside the frame or targets r0: an
    /// Illegal Operation, which outranks the faults checked before its operands are read
    /// (Privileged Operation, Disabled Floating-Point Register).
    func namesIllegalRegister(_ entry: UInt16, _ o: OperandValues) -> Bool {
        let kinds = OpcodeTable.shared.entries[Int(entry)].operands
        for (i, kind) in kinds.enumerated() {
            switch kind {
            case .r1:
                if !writable(o[i]) { return true }
            case .r2, .r3, .r3_2, .mr3, .cpuidR3, .dbrR3, .dtrR3, .itrR3, .ibrR3, .msrR3, .pkrR3, .pmcR3, .pmdR3, .rrR3:
                if gr(o[i]) == nil { return true }
            default:
                break
            }
        }
        return false
    }

    /// The user-mask bits sum, rum and mov psr.um may change: be, up, ac, mfl, mfh; with
    /// psr.sp (secure performance monitors) set, not up.
    var userMaskWritable: UInt64 {
        psr & ProcessorStatus.sp != 0 ? 0x3a : 0x3e
    }

    func system(_ s: SystemOperation, _ o: OperandValues, entry: UInt16) -> SlotOutcome {
        switch s {
        case .setUserMask:
            psr |= UInt64(bitPattern: o.v0) & userMaskWritable
            return .next
        case .resetUserMask:
            psr &= ~(UInt64(bitPattern: o.v0) & userMaskWritable)
            return .next
        case .moveToUserMask:
            guard let a = gr(o.v1) else { return illegal() }
            if a.nat { return raise(.natConsumption) }
            psr = (psr & ~userMaskWritable) | (a.value & userMaskWritable)
            return .next
        case .moveFromUserMask:
            guard writable(o.v0) else { return illegal() }
            setGR(o.v0, psr & 0x3f, nat: false)
            return .next
        case .moveFromCPUID:
            guard let index = gr(o.v1), writable(o.v0) else { return illegal() }
            if index.nat { return raise(.natConsumption) }
            setGR(o.v0, CPUIdentification.register(Int(index.value & 0xff)), nat: false)
            return .next
        case .moveFromPerformanceMonitor:
            guard writable(o.v0) else { return illegal() }
            setGR(o.v0, 0, nat: false)
            return .next
        case .enterPrivilegedCode:
            // Promote to the level of an execute-only (ar 7) page we are running from.
            if psr & ProcessorStatus.it != 0,
               let page = tlb.lookup(instruction: true, rid: regionRID(ip), address: ip),
               page.accessRights == 7, page.privilegeLevel < privilegeLevel {
                let old = psr
                privilegeLevel = page.privilegeLevel
                psrChanged(from: old)
            }
            return .next
        case .moveToControl, .moveFromControl, .moveToProcessorStatusLow, .moveFromProcessorStatus,
             .setSystemMask, .resetSystemMask, .returnFromInterruption, .bankZero, .bankOne,
             .moveToRegion, .moveFromRegion, .moveToProtectionKey, .moveFromProtectionKey,
             .moveToInstructionBreakpoint, .moveFromInstructionBreakpoint, .moveToDataBreakpoint, .moveFromDataBreakpoint:
            if privilegeLevel != 0 { return privilegedOperationFault(entry, o) }
            return privileged(s, o)
        case .translation, .translationHash:
            if s == .translation && privilegeLevel != 0 { return privilegedOperationFault(entry, o) }
            let e = OpcodeTable.shared.entries[Int(entry)]
            return translationInstruction(Substring(e.name), e.operands, o)
        case .privileged:
            if privilegeLevel != 0 { return privilegedOperationFault(entry, o) }
            return raise(.notImplemented)  // the system architecture (issue 4)
        }
    }
}

/// The CPUID registers a program reads with mov r = cpuid[r3].
public enum CPUIdentification {
    public static func register(_ index: Int) -> UInt64 {
        switch index {
        case 0: return 0x3436_4149_6762_6478  // vendor bytes "xdbgIA64"
        case 1: return 0
        case 3: return 4 | 0x1f << 24  // largest CPUID index 4; family 0x1f (Itanium 2)
        default: return 0
        }
    }
}
