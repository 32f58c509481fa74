/// A slot prepared for execution: its operation, qualifying predicate and operands.
public struct ExecutableSlot: Sendable {
    public var operation: Operation
    public var qp: UInt8
    public var entry: UInt16
    public var operands: OperandValues
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
            return ExecutableSlot(operation: op, qp: i.qp, entry: i.opcodeIndex, operands: i.operands)
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
