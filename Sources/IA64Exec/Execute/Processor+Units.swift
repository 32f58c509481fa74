/// Bridges to the multimedia and floating-point units.
extension Processor {
    func multimedia(_ m: MultimediaOperation, _ o: OperandValues, immediateCount: Bool) -> SlotOutcome {
        return .fault(.illegalOperation)
    }

    func floating(_ f: FloatOperation, _ x: ExecutableSlot, bundleIP: UInt64, qualified: Bool) -> SlotOutcome {
        guard qualified else { return .next }
        return .fault(.illegalOperation)
    }
}
