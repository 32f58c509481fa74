/// The `Operation` of every opcode table entry, worked out once from the entry's name and
/// operand layout (assembler aliases included: their names describe what they do with their
/// operands in the order written).
public struct OperationTable: Sendable {
    public static let shared = OperationTable(table: .shared)

    public let operations: [Operation]

    init(table: OpcodeTable) {
        operations = table.entries.enumerated().map { Self.classify($0.element, index: UInt16($0.offset)) }
    }

    static func classify(_ e: OpcodeEntry, index: UInt16) -> Operation {
        let parts = e.name.split(separator: ".").map(String.init)
        let base = parts[0]
        let completers = Set(parts.dropFirst())
        let kinds = e.operands
        func has(_ k: OperandKind) -> Bool { kinds.contains(k) }
        let immediateSource = kinds.count > 1 && kinds[1].descriptor.operandClass == .absolute

        if e.type == .f && !["break", "nop", "hint"].contains(base) {
            return .floating(.arithmetic(FloatArithmeticForm(entry: e)))
        }
        switch base {
        case "nop", "hint", "brp", "mf", "fwb", "sync", "srlz", "fc":
            return .noEffect
        case "break":
            return .breakInstruction
        case "add":
            if has(.c1) { return .alu(.addPlusOne, immediate: false) }
            return .alu(.add, immediate: false)
        case "adds", "addl":
            return .alu(.add, immediate: true)
        case "sub":
            if has(.c1) { return .alu(.subMinusOne, immediate: false) }
            return .alu(.sub, immediate: immediateSource)
        case "addp4":
            return .alu(.addPointer, immediate: immediateSource)
        case "and": return .alu(.and, immediate: immediateSource)
        case "or": return .alu(.or, immediate: immediateSource)
        case "xor": return .alu(.xor, immediate: immediateSource)
        case "andcm": return .alu(.andComplement, immediate: immediateSource)
        case "shladd": return .shiftLeftAdd(pointer: false)
        case "shladdp4": return .shiftLeftAdd(pointer: true)
        case "cmp", "cmp4":
            return compare(parts, fourBytes: base == "cmp4", immediate: kinds.count > 2 && kinds[2].descriptor.operandClass == .absolute)
        case "tbit", "tnat", "tf":
            let test: TestForm.Test = base == "tbit" ? .bit : (base == "tnat" ? .nat : .feature)
            return .testBit(TestForm(test: test, nonZero: completers.contains("nz"), type: writeType(Array(parts.dropFirst(2)))))
        case "shl":
            if kinds.count == 3 && kinds[2] == .r3 { return .shiftByRegister(.left) }
            return .depositZero(immediate: false, impliedLength: true)
        case "shr":
            if kinds.count == 3 && kinds[2] == .r2 { return .shiftByRegister(completers.contains("u") ? .rightUnsigned : .right) }
            return .extract(signed: !completers.contains("u"), impliedLength: true)
        case "extr":
            return .extract(signed: !completers.contains("u"), impliedLength: false)
        case "dep":
            if completers.contains("z") { return .depositZero(immediate: kinds[1] == .imm8, impliedLength: false) }
            return .deposit(immediate: kinds[1] == .imm1)
        case "shrp": return .shiftRightPair
        case "zxt1", "zxt2", "zxt4", "sxt1", "sxt2", "sxt4":
            return .extend(signed: base.hasPrefix("s"), bytes: Int(String(base.last!))!)
        case "mov":
            return move(e, parts: parts)
        case "movl":
            return .moveLong
        case "ld1", "ld2", "ld4", "ld8", "ld16":
            if completers.contains("mov") { return .illegal }
            return .load(loadForm(parts, kinds: kinds, size: base == "ld16" ? 8 : Int(base.dropFirst(2))!, sixteen: base == "ld16"))
        case "st1", "st2", "st4", "st8", "st16":
            return .store(StoreForm(size: base == "st16" ? 8 : Int(base.dropFirst(2))!, spill: completers.contains("spill"),
                                    immediateUpdate: kinds.count == 3 && kinds[2] == .imm9a, sixteen: base == "st16"))
        case "cmpxchg1", "cmpxchg2", "cmpxchg4", "cmpxchg8":
            return .compareExchange(size: Int(base.dropFirst(7))!, sixteen: false)
        case "cmp8xchg16":
            return .compareExchange(size: 8, sixteen: true)
        case "xchg1", "xchg2", "xchg4", "xchg8":
            return .exchange(size: Int(base.dropFirst(4))!)
        case "fetchadd4", "fetchadd8":
            return .fetchAdd(size: Int(base.dropFirst(8))!)
        case "lfetch":
            return .prefetch(update: kinds.count == 1 ? .none : (kinds[1] == .r2 ? .register : .immediate))
        case "alloc": return .allocate
        case "flushrs": return .flushRegisterStack
        case "loadrs": return .loadRegisterStack
        case "cover": return .cover
        case "clrrrb": return .clearRotatingBases(predicatesOnly: completers.contains("pr"))
        case "invala":
            if completers.contains("e") { return .invalidateALATEntry(floating: kinds[0] == .f1) }
            return .invalidateALAT
        case "chk":
            if completers.contains("s") { return .checkSpeculation(floating: kinds[0] == .f2) }
            return .checkAdvanced(floating: kinds[0] == .f1, clear: !completers.contains("nc"))
        case "br":
            return branch(parts, kinds: kinds, long: false)
        case "brl":
            return branch(parts, kinds: kinds, long: true)
        case "sum": return .system(.setUserMask)
        case "rum": return .system(.resetUserMask)
        case "epc": return .system(.enterPrivilegedCode)
        case "ssm": return .system(.setSystemMask)
        case "rsm": return .system(.resetSystemMask)
        case "rfi": return .system(.returnFromInterruption)
        case "bsw": return .system(completers.contains("1") ? .bankOne : .bankZero)
        case "itc", "itr", "ptc", "ptr", "tpa", "tak":
            return .system(.translation)
        case "thash", "ttag", "probe":
            return .system(.translationHash)
        case "vmsw":
            return .system(.privileged)
        case "ldfs", "ldfd", "ldfe", "ldf8", "ldf":
            return .floating(.load(floatFormat(base, completers), floatLoadKind(completers),
                                   kinds.count == 2 ? .none : (kinds[2] == .r2 ? .register : .immediate)))
        case "ldfps", "ldfpd", "ldfp8":
            return .floating(.loadPair(floatFormat("ldf" + base.dropFirst(4), completers),
                                       floatLoadKind(completers), immediateUpdate: kinds.count == 4))
        case "stfs", "stfd", "stfe", "stf8", "stf":
            return .floating(.store(floatFormat("ld" + base.dropFirst(2), completers), immediateUpdate: kinds.count == 3))
        case "getf":
            return .floating(.getFloat(transferKind(completers)))
        case "setf":
            return .floating(.setFloat(transferKind(completers)))
        default:
            if let m = MultimediaOperation.named(e.name.split(separator: ".").prefix(2).joined(separator: ".")) ?? MultimediaOperation.named(base) {
                let countIsImmediate = kinds.last.map { $0.descriptor.operandClass == .absolute } ?? false
                return countIsImmediate && kinds.count == 3 ? .multimediaImmediate(m) : .multimedia(m)
            }
            return .unimplemented
        }
    }

    static func writeType(_ c: [String]) -> PredicateWriteType {
        switch c.joined(separator: ".") {
        case "unc": return .unconditional
        case "and": return .and
        case "or": return .or
        case "or.andcm": return .orAndComplement
        case "andcm": return .andComplement
        case "orcm": return .orComplement
        case "and.orcm": return .andOrComplement
        default: return .normal
        }
    }

    static func compare(_ parts: [String], fourBytes: Bool, immediate: Bool) -> Operation {
        guard parts.count >= 2, let relation = CompareForm.Relation(name: parts[1]) else { return .illegal }
        return .compare(CompareForm(relation: relation, type: writeType(Array(parts.dropFirst(2))),
                                    fourBytes: fourBytes, immediate: immediate))
    }

    static func move(_ e: OpcodeEntry, parts: [String]) -> Operation {
        let k = e.operands
        guard k.count >= 2 else { return .unimplemented }
        switch (k[0], k[1]) {
        case (.r1, .r3): return .moveRegister
        case (.r1, .imm22): return .moveImmediate
        case (.b1, .r2): return .moveToBranch
        case (.r1, .b2): return .moveFromBranch
        case (.pr, .r2): return .moveToPredicates
        case (.prRot, .imm44): return .moveToRotatingPredicates
        case (.r1, .ip): return .moveFromIP
        case (.r1, .pr): return .moveFromPredicates
        case (.ar3, .r2): return .moveToApplication(immediate: false, unit: e.type == .i ? .i : .m)
        case (.ar3, .imm8): return .moveToApplication(immediate: true, unit: e.type == .i ? .i : .m)
        case (.r1, .ar3): return .moveFromApplication(unit: e.type == .i ? .i : .m)
        case (.psrUM, .r2): return .system(.moveToUserMask)
        case (.r1, .psrUM): return .system(.moveFromUserMask)
        case (.r1, .cpuidR3): return .system(.moveFromCPUID)
        case (.r1, .pmdR3): return .system(.moveFromPerformanceMonitor)
        case (.ibrR3, .r2): return .system(.moveToInstructionBreakpoint)
        case (.r1, .ibrR3): return .system(.moveFromInstructionBreakpoint)
        case (.dbrR3, .r2): return .system(.moveToDataBreakpoint)
        case (.r1, .dbrR3): return .system(.moveFromDataBreakpoint)
        case (.pkrR3, .r2): return .system(.moveToProtectionKey)
        case (.r1, .pkrR3): return .system(.moveFromProtectionKey)
        case (.rrR3, .r2): return .system(.moveToRegion)
        case (.r1, .rrR3): return .system(.moveFromRegion)
        case (.cr3, .r2): return .system(.moveToControl)
        case (.r1, .cr3): return .system(.moveFromControl)
        case (.psrL, .r2): return .system(.moveToProcessorStatusLow)
        case (.r1, .psr): return .system(.moveFromProcessorStatus)
        default: return .system(.privileged)
        }
    }

    static func loadForm(_ parts: [String], kinds: [OperandKind], size: Int, sixteen: Bool) -> LoadForm {
        let c = Set(parts.dropFirst())
        let kind: LoadForm.Kind
        if c.contains("fill") { kind = .fill }
        else if c.contains("sa") { kind = .speculativeAdvanced }
        else if c.contains("s") { kind = .speculative }
        else if c.contains("a") { kind = .advanced }
        else if c.contains("c") {
            kind = c.contains("nc") ? .checkNoClear : (c.contains("acq") ? .checkClearAcquire : .checkClear)
        } else if c.contains("acq") { kind = .acquire }
        else { kind = .normal }
        let update: UpdateForm = kinds.last == .r2 ? .register : (kinds.last == .imm9b ? .immediate : .none)
        return LoadForm(size: size, kind: kind, update: update, sixteen: sixteen)
    }

    static func floatFormat(_ base: String, _ c: Set<String>) -> FloatMemoryFormat {
        if c.contains("fill") || c.contains("spill") { return .spill }
        switch base {
        case "ldfs": return .single
        case "ldfd": return .double
        case "ldfe": return .extended
        default: return .integer
        }
    }

    static func floatLoadKind(_ c: Set<String>) -> LoadForm.Kind {
        if c.contains("sa") { return .speculativeAdvanced }
        if c.contains("s") { return .speculative }
        if c.contains("a") { return .advanced }
        if c.contains("c") { return c.contains("nc") ? .checkNoClear : .checkClear }
        return .normal
    }

    static func transferKind(_ c: Set<String>) -> FloatTransferKind {
        if c.contains("s") { return .single }
        if c.contains("d") { return .double }
        if c.contains("exp") { return .exponent }
        return .significand
    }

    static func branch(_ parts: [String], kinds: [OperandKind], long: Bool) -> Operation {
        let indirect = kinds.last == .b2
        let c = Set(parts.dropFirst())
        let kind: BranchForm.Kind
        if c.contains("call") { kind = .call }
        else if c.contains("ret") { kind = .ret }
        else if c.contains("ia") { kind = .ia }
        else if c.contains("cloop") { kind = .cloop }
        else if c.contains("ctop") { kind = .ctop }
        else if c.contains("cexit") { kind = .cexit }
        else if c.contains("wtop") { kind = .wtop }
        else if c.contains("wexit") { kind = .wexit }
        else { kind = .conditional }
        return .branch(BranchForm(kind: kind, indirect: indirect, long: long))
    }
}

extension CompareForm.Relation {
    init?(name: String) {
        switch name {
        case "eq": self = .eq
        case "ne": self = .ne
        case "lt": self = .lt
        case "le": self = .le
        case "gt": self = .gt
        case "ge": self = .ge
        case "ltu": self = .ltu
        case "leu": self = .leu
        case "gtu": self = .gtu
        case "geu": self = .geu
        default: return nil
        }
    }
}
