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
    /// Where `codeGeneration` lives, so the CPU can check it with a plain load per bundle.
    var codeGenerationCell: UnsafePointer<UInt64> { get }
    /// Fetches a bundle for execution and marks its memory as code.
    func fetchBundle(_ address: UInt64) -> InstructionBundle?
    /// The host memory behind the 16 KiB page `number`, for the CPU to access directly, or nil
    /// to make every access go through load/store (device memory). For writing, pages that
    /// hold code must return nil so that stores to them bump `codeGeneration`; a page turning
    /// into code must bump `codeGeneration` too, so the CPU drops pointers it holds.
    func directPage(_ number: UInt64, forWriting: Bool) -> UnsafeMutableRawPointer?
}

/// Size of the pages `MemoryBus.directPage` hands out.
public enum DirectPage {
    public static let shift: UInt64 = 14
    public static let size: UInt64 = 1 << shift
}
