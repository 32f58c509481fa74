/// A slot prepared for execution: its operation, qualifying predicate and operands.
public struct ExecutableSlot: Sendable {
    public var operation: Operation
    public var qp: UInt8
    public var entry: UInt16
    public var operands: OperandValues
}

/// A bundle prepared for execution: decoded once, then run from the code cache.
public struct ExecutableBundle: Sendable {
    public var slot0: ExecutableSlot
    public var slot1: ExecutableSlot
    public var slot2: ExecutableSlot

    init(_ decoded: DecodedBundle, operations: [Operation]) {
        func prepare(_ i: Instruction) -> ExecutableSlot {
            let op: Operation
            if i.isLongImmediateSlot {
                op = .longSlot
            } else if i.isReserved {
                op = .illegal
            } else {
                op = operations[Int(i.opcodeIndex)]
            }
            return ExecutableSlot(operation: op, qp: i.qp, entry: i.opcodeIndex, operands: i.operands)
        }
        slot0 = prepare(decoded.slot0)
        slot1 = prepare(decoded.slot1)
        slot2 = prepare(decoded.slot2)
    }

    @inline(__always)
    func slot(_ n: Int) -> ExecutableSlot {
        switch n {
        case 0: return slot0
        case 1: return slot1
        default: return slot2
        }
    }
}

/// Executable bundles of one 16 KiB page of code, filled on first execution.
final class CodePage {
    static let bundlesPerPage = 1024
    let bundles: UnsafeMutablePointer<ExecutableBundle>
    var valid: [UInt64] = Array(repeating: 0, count: 16)

    init() {
        bundles = .allocate(capacity: Self.bundlesPerPage)
    }

    deinit {
        // Only valid entries were initialized.
        for i in 0..<Self.bundlesPerPage where valid[i >> 6] >> UInt64(i & 63) & 1 != 0 {
            (bundles + i).deinitialize(count: 1)
        }
        bundles.deallocate()
    }
}
