/// A bundle decoded once into its template and three instructions; cheap to copy and cache.
public struct DecodedBundle: Sendable, Hashable {
    public let bundle: InstructionBundle
    public let template: BundleTemplate
    public let slot0: Instruction
    public let slot1: Instruction
    public let slot2: Instruction

    public func slot(_ n: Int) -> Instruction {
        switch n {
        case 0: return slot0
        case 1: return slot1
        default: return slot2
        }
    }
}
