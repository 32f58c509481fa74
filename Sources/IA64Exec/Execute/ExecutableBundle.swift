/// A slot prepared for execution: its operation, qualifying predicate and operands.
public struct ExecutableSlot: Sendable {
    public var operation: Operation
    public var qp: UInt8
    public var entry: UInt16
    public var operands: OperandValues
    /// The hottest forms, pre-digested so the run loop handles them inline.
    var fast: FastForm = .general
    var ra: UInt8 = 0, rb: UInt8 = 0, rc: UInt8 = 0
    /// For `.floatUnit`: which F-unit form (see `FloatUnitForm`).
    var floatForm: FloatUnitForm = .arithmetic
    var imm: Int64 = 0
}

/// The F-unit forms behind the run loop's single `.floatUnit` case. They share one case so
/// that adding one does not reshape the run loop's dispatch (its speed is sensitive to that).
enum FloatUnitForm: UInt8 {
    /// Any F-unit multiply-add form: the general F-unit interpreter, minus the decode.
    case arithmetic
    /// fmpy.d / fnmpy.d (f2 = f0 implied): ra = f1, rb = f3, rc = f4, imm = variant << 8 |
    /// status field << 16.
    case multiplyDouble
    /// setf.sig f1 = r2 (ra = f1, rb = r2), getf.sig r1 = f2 (ra = r1, rb = f2), and xma.l /
    /// xmpy.l f1 = f3, f4, f2 (ra = f1, rb = f3, rc = f4, imm = f2, f0 when implied).
    case setSignificand, getSignificand, integerMultiplyLow
}

/// Common instruction forms the run loop executes without a call. Registers are logical
/// numbers (ra destination, rb and rc sources); `imm` carries any immediate. `operands` keep
/// the general layout, for when a fast form falls back to `execute`.
enum FastForm: UInt8 {
    case general, longSlot, nop
    case addRR, subRR, andRR, orRR, xorRR, addIR, move, moveImmediate, shiftLeftAdd
    case load8, load8Update, store8, store8Update
    case compareEq, compareLt, compareLtu, compareEqImm, compareLtImm
    case branch, countedLoop
    case moveFromBranch, moveToBranch, moveToLoopRegister
    /// br.call: ra = link register; imm = offset (direct) or rb = source register (rc = 1).
    case call
    /// br.ret: ra = source register.
    case ret
    case loadDouble, storeDouble
    /// F-unit work with a `floatForm`.
    case floatUnit
    case allocate
    /// fma.d / fms.d / fnma.d / fadd.d / fsub.d with explicit f2 and f3: ra = f1, rb = f3, rc = f4, imm = f2 |
    /// variant << 8 | status field << 16.
    case multiplyAddDouble
}

extension ExecutableSlot {
    /// Works out the fast form, if any, for a freshly decoded slot.
    mutating func digest() {
        let o = operands
        func regs(_ a: Int64, _ b: Int64, _ c: Int64) {
            ra = UInt8(a & 127); rb = UInt8(b & 127); rc = UInt8(c & 127)
        }
        switch operation {
        case .longSlot: fast = .longSlot
        case .noEffect: fast = .nop
        case .alu(let op, let immediate):
            if immediate {
                guard op == .add else { return }
                fast = .addIR; regs(o.v0, 0, o.v2); imm = o.v1
            } else {
                switch op {
                case .add: fast = .addRR
                case .sub: fast = .subRR
                case .and: fast = .andRR
                case .or: fast = .orRR
                case .xor: fast = .xorRR
                default: return
                }
                regs(o.v0, o.v1, o.v2)
            }
        case .moveRegister: fast = .move; regs(o.v0, o.v1, 0)
        case .shiftLeftAdd(pointer: false): fast = .shiftLeftAdd; regs(o.v0, o.v1, o.v3); imm = o.v2
        case .moveImmediate, .moveLong: fast = .moveImmediate; regs(o.v0, 0, 0); imm = o.v1
        case .load(let f) where f.size == 8 && f.kind == .normal && !f.sixteen:
            switch f.update {
            case .none: fast = .load8; regs(o.v0, o.v1, 0)
            case .immediate: fast = .load8Update; regs(o.v0, o.v1, 0); imm = o.v2
            case .register: return
            }
        case .store(let f) where f.size == 8 && !f.spill && !f.sixteen:
            if f.immediateUpdate { fast = .store8Update; regs(0, o.v0, o.v1); imm = o.v2 }
            else { fast = .store8; regs(0, o.v0, o.v1) }
        case .compare(let f) where f.type == .normal && !f.fourBytes:
            switch (f.relation, f.immediate) {
            case (.eq, false): fast = .compareEq
            case (.lt, false): fast = .compareLt
            case (.ltu, false): fast = .compareLtu
            case (.eq, true): fast = .compareEqImm
            case (.lt, true): fast = .compareLtImm
            default: return
            }
            // ra/rb: predicate targets; rc: second source; imm: first source (register number
            // or immediate value).
            ra = UInt8(o.v0 & 63); rb = UInt8(o.v1 & 63); rc = UInt8(o.v3 & 127); imm = o.v2
            if ra == rb && ra != 0 { fast = .general }
        case .floating(.load(.double, .normal, .none)): fast = .loadDouble; regs(o.v0, o.v1, 0)
        case .floating(.store(.double, false)): fast = .storeDouble; regs(0, o.v0, o.v1)
        case .floating(.arithmetic(let f)) where f.kind == .multiplyAdd && f.precision == 2 && f.f3 != 0xff:
            // fadd.d (fma.d with f4 = f1 implied) included; an addend of f0 (fmpy.d) is a
            // plain product.
            fast = .multiplyAddDouble
            ra = UInt8(o.v0 & 127)
            rb = UInt8(o[Int(f.f3)] & 127)
            rc = f.f4 == 0xff ? 1 : UInt8(o[Int(f.f4)] & 127)
            imm = (f.f2 == 0xff ? 0 : o[Int(f.f2)] & 127) | Int64(f.variant) << 8 | Int64(f.statusField) << 16
            if imm & 127 == 0 { fast = .floatUnit; floatForm = .multiplyDouble }
        case .floating(.setFloat(.significand)): fast = .floatUnit; floatForm = .setSignificand; regs(o.v0, o.v1, 0)
        case .floating(.getFloat(.significand)): fast = .floatUnit; floatForm = .getSignificand; regs(o.v0, o.v1, 0)
        case .floating(.arithmetic(let f)) where f.kind == .integerMultiplyAdd && f.variant == 0
                && f.f3 != 0xff && f.f4 != 0xff:
            fast = .floatUnit
            floatForm = .integerMultiplyLow
            ra = UInt8(o.v0 & 127)
            rb = UInt8(o[Int(f.f3)] & 127)
            rc = UInt8(o[Int(f.f4)] & 127)
            imm = f.f2 == 0xff ? 0 : o[Int(f.f2)] & 127
        case .floating(.arithmetic(let f)) where f.kind == .multiplyAdd: fast = .floatUnit
        case .allocate:
            // Frame sizes, whichever alloc syntax (with or without ar.pfs) was decoded.
            let full = OpcodeTable.shared.entries[Int(entry)].operands.count == 5
            ra = UInt8(clamping: full ? o.v2 : o.v1)
            rb = UInt8(clamping: full ? o.v3 : o.v2)
            rc = UInt8(clamping: full ? o.v4 : o.v3)
            imm = o.v0
            fast = .allocate
        case .moveFromBranch: fast = .moveFromBranch; regs(o.v0, o.v1 & 7, 0)
        case .moveToBranch: fast = .moveToBranch; regs(o.v0 & 7, o.v1, 0)
        case .moveToApplication(false, _) where o.v0 == 64 || o.v0 == 65:
            fast = .moveToLoopRegister; regs(0, o.v1, 0); imm = o.v0
        case .branch(let b) where b.kind == .call && !b.long:
            fast = .call
            ra = UInt8(o.v0 & 7)
            if b.indirect { rb = UInt8(o.v1 & 7); rc = 1 } else { imm = o.v1 }
        case .branch(let b) where b.kind == .ret:
            fast = .ret
            ra = UInt8(o.v0 & 7)
        case .branch(let b) where !b.indirect && !b.long:
            switch b.kind {
            case .conditional: fast = .branch
            case .cloop: fast = .countedLoop
            default: return
            }
            imm = o.v0
        default:
            return
        }
    }
}

/// Decodes a bundle into its three executable slots.
enum ExecutableBundle {
    static func prepare(_ decoded: DecodedBundle, operations: [Operation], into slots: UnsafeMutablePointer<ExecutableSlot>) {
        func prepare(_ i: Instruction) -> ExecutableSlot {
            let op: Operation
            if i.isLongImmediateSlot {
                op = .longSlot
            } else if i.isReserved {
                op = .illegal
            } else {
                op = operations[Int(i.opcodeIndex)]
            }
            var slot = ExecutableSlot(operation: op, qp: i.qp, entry: i.opcodeIndex, operands: i.operands)
            slot.digest()
            return slot
        }
        slots.initialize(to: prepare(decoded.slot0))
        (slots + 1).initialize(to: prepare(decoded.slot1))
        (slots + 2).initialize(to: prepare(decoded.slot2))
    }
}

/// Executable slots of one 16 KiB page of code (three per bundle), filled on first execution.
final class CodePage {
    static let bundlesPerPage = 1024
    let slots: UnsafeMutablePointer<ExecutableSlot>
    /// One bit per bundle: decoded yet?
    let valid: UnsafeMutablePointer<UInt64>

    init() {
        slots = .allocate(capacity: 3 * Self.bundlesPerPage)
        valid = .allocate(capacity: 16)
        valid.initialize(repeating: 0, count: 16)
    }

    deinit {
        // Only decoded bundles' slots were initialized.
        for i in 0..<Self.bundlesPerPage where valid[i >> 6] >> UInt64(i & 63) & 1 != 0 {
            (slots + 3 * i).deinitialize(count: 3)
        }
        slots.deallocate()
        valid.deallocate()
    }
}
