import IA64Exec

/// The memory of the minimal bare-metal platform: RAM from physical address 0, and two device
/// ports. Physical address bit 63 (the uncacheable alias) is ignored.
///
/// - console (0xFFFF_0000): a store writes its low byte to the console;
/// - halt (0xFFFF_0008): a store halts the machine with the stored value as exit code. The
///   store is refused, so the CPU stops on it with a data fault the machine recognises.
public final class BareMetalBus: MemoryBus {
    public static let consolePort: UInt64 = 0xffff_0000
    public static let haltPort: UInt64 = 0xffff_0008
    public static let ramSize: UInt64 = 64 << 20

    public let ram = SparseMemory()
    public var console: (UInt8) -> Void = { _ in }
    public private(set) var haltCode: UInt64?

    public init() {
        ram.map(0, length: Self.ramSize)
    }

    @inline(__always)
    static func physical(_ address: UInt64) -> UInt64 { address & ~(1 << 63) }

    public var codeGeneration: UInt64 { ram.codeGeneration }
    public var codeGenerationCell: UnsafePointer<UInt64> { ram.codeGenerationCell }

    public func load(_ address: UInt64, size: Int) -> UInt64? {
        let a = Self.physical(address)
        if a >= Self.consolePort && a < Self.consolePort + 16 { return 0 }
        return ram.load(a, size: size)
    }

    public func store(_ address: UInt64, size: Int, value: UInt64) -> Bool {
        let a = Self.physical(address)
        if a == Self.consolePort {
            console(UInt8(truncatingIfNeeded: value))
            return true
        }
        if a == Self.haltPort {
            haltCode = value
            return false
        }
        return ram.store(a, size: size, value: value)
    }

    public func fetchBundle(_ address: UInt64) -> InstructionBundle? { ram.fetchBundle(Self.physical(address)) }

    public func directPage(_ number: UInt64, forWriting: Bool) -> UnsafeMutableRawPointer? {
        // Device ports live in the page at 0xFFFF_0000: never handed out directly.
        let a = Self.physical(number << DirectPage.shift)
        if a >> DirectPage.shift == Self.consolePort >> DirectPage.shift { return nil }
        return ram.directPage(a >> DirectPage.shift, forWriting: forWriting)
    }
}
