/// Bridges to the multimedia and floating-point units.
extension Processor {
    func multimedia(_ m: MultimediaOperation, _ o: OperandValues, immediateCount: Bool) -> SlotOutcome {
        return .fault(.illegalOperation)
    }

}
