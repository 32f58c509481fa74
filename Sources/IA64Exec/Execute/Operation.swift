/// What a slot does, resolved once per opcode table entry from its name and operand layout, so
/// the interpreter dispatches on a small enum. Operand values stay in printed (assembly) order
/// in the slot's `OperandValues`; each case documents which operand is which.
public enum Operation: Sendable, Equatable {
    /// Not an instruction the CPU executes: Illegal Operation fault.
    case illegal
    /// Executes with no architectural effect here (nop, hint, brp, mf, sync.i, srlz, fwb, fc…).
    case noEffect
    /// The L slot of an MLX bundle.
    case longSlot
    /// break.m/i/b/f/x: o0 = immediate.
    case breakInstruction

    // Integer ALU. o0 = r1, o1 = source 1 (register, or immediate for the Imm forms), o2 = r3.
    case alu(ArithmeticOperation, immediate: Bool)
    /// shladd/shladdp4 r1 = r2, count, r3.
    case shiftLeftAdd(pointer: Bool)
    /// cmp/cmp4/tbit/tnat/tf: o0, o1 = predicate targets; sources follow.
    case compare(CompareForm)
    case testBit(TestForm)

    // Shifts and bit fields.
    /// shl r1 = r2, r3 / shr r1 = r3, r2 / shr.u r1 = r3, r2.
    case shiftByRegister(ShiftKind)
    /// extr / extr.u r1 = r3, pos, len; `impliedLength` for the shr/shr.u immediate aliases (len = 64 - pos).
    case extract(signed: Bool, impliedLength: Bool)
    /// dep.z r1 = r2|imm8, pos, len; `impliedLength` for the shl immediate alias (len = 64 - pos).
    case depositZero(immediate: Bool, impliedLength: Bool)
    /// dep r1 = r2, r3, pos, len4 / dep r1 = imm1, r3, pos, len6.
    case deposit(immediate: Bool)
    /// shrp r1 = r2, r3, count.
    case shiftRightPair
    /// zxt/sxt r1 = r3.
    case extend(signed: Bool, bytes: Int)
    /// Multimedia and other pure two-source integer functions: o0 = r1, o1 = r2, o2 = r3 (or a count).
    case multimedia(MultimediaOperation)
    /// The same with an immediate last operand (count, mux type): o0 = r1, o1 = source, o2 = immediate.
    case multimediaImmediate(MultimediaOperation)

    // Moves.
    case moveRegister          // mov r1 = r3 (adds r1 = 0, r3)
    case moveImmediate         // mov r1 = imm22 (addl r1 = imm22, r0)
    case moveToBranch          // mov b1 = r2
    case moveFromBranch        // mov r1 = b2
    case moveToPredicates      // mov pr = r2, mask17   (o0 is the pr constant)
    case moveToRotatingPredicates  // mov pr.rot = imm44
    case moveFromIP            // mov r1 = ip
    case moveFromPredicates    // mov r1 = pr
    case moveToApplication(immediate: Bool, unit: ExecutionUnit)  // mov ar3 = r2 | imm8
    case moveFromApplication(unit: ExecutionUnit)                 // mov r1 = ar3
    case moveLong              // movl r1 = imm64

    // Memory.
    case load(LoadForm)
    case store(StoreForm)
    case compareExchange(size: Int, sixteen: Bool)
    case exchange(size: Int)
    case fetchAdd(size: Int)
    case prefetch(update: UpdateForm)

    // Register stack and speculation.
    case allocate
    case flushRegisterStack
    case loadRegisterStack
    case cover
    case clearRotatingBases(predicatesOnly: Bool)
    case invalidateALAT
    case invalidateALATEntry(floating: Bool)
    case checkSpeculation(floating: Bool)       // chk.s r2|f2, target
    case checkAdvanced(floating: Bool, clear: Bool)  // chk.a r1|f1, target

    // Branches. Relative targets are o(last) as a byte offset from the bundle.
    case branch(BranchForm)

    // Floating point (dispatched to the FP unit).
    case floating(FloatOperation)

    // System: privileged or system-state instructions.
    case system(SystemOperation)

    /// Recognised but not implemented yet: Illegal Operation, reported as such.
    case unimplemented
}

public enum ArithmeticOperation: UInt8, Sendable {
    case add, addPlusOne, sub, subMinusOne, addPointer, and, or, xor, andComplement
}

public enum ShiftKind: UInt8, Sendable { case left, right, rightUnsigned }

public enum UpdateForm: UInt8, Sendable {
    case none, register, immediate
}

public struct CompareForm: Sendable, Equatable {
    public enum Relation: UInt8, Sendable { case eq, ne, lt, le, gt, ge, ltu, leu, gtu, geu }
    public var relation: Relation
    public var type: PredicateWriteType
    public var fourBytes: Bool
    public var immediate: Bool
}

/// How a compare writes its two predicates (the ctype completer and its assembler aliases).
public enum PredicateWriteType: UInt8, Sendable {
    case normal, unconditional, and, or, orAndComplement, andComplement, orComplement, andOrComplement
}

public struct TestForm: Sendable, Equatable {
    public enum Test: UInt8, Sendable { case bit, nat, feature }
    public var test: Test
    /// .nz: the relation is "bit set" rather than "bit clear".
    public var nonZero: Bool
    public var type: PredicateWriteType
}

public struct LoadForm: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        case normal, speculative, advanced, speculativeAdvanced, acquire, checkClear, checkNoClear,
             checkClearAcquire, fill
    }
    public var size: Int
    public var kind: Kind
    public var update: UpdateForm
    /// ld16: the high eight bytes go to ar.csd.
    public var sixteen: Bool = false
}

public struct StoreForm: Sendable, Equatable {
    public var size: Int
    public var spill: Bool
    public var immediateUpdate: Bool
    public var sixteen: Bool = false
}

public struct BranchForm: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        case conditional, call, ret, ia, cloop, ctop, cexit, wtop, wexit
    }
    public var kind: Kind
    public var indirect: Bool
    /// brl: the target is 64-bit IP-relative.
    public var long: Bool
}
