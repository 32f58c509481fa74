/// How the CPU reaches memory: the VMM implements this. Addresses are the CPU's (virtual)
/// addresses; values are little-endian integers of 1, 2, 4, 8 bytes. Returning nil/false means
/// the access cannot be satisfied and the CPU raises a fault: nothing outside this protocol
/// reaches the CPU.
public protocol MemoryBus: AnyObject {
    func load(_ address: UInt64, size: Int) -> UInt64?
    func store(_ address: UInt64, size: Int, value: UInt64) -> Bool
    /// Bumped whenever memory that has been fetched as code is written, so decoded-bundle
    /// caches can drop stale bundles.
    var codeGeneration: UInt64 { get }
    /// Fetches a bundle for execution and marks its memory as code.
    func fetchBundle(_ address: UInt64) -> InstructionBundle?
}
