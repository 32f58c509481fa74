/// Memory made of 16 KiB pages created by `map`: what a user-mode program or a test runs on.
/// Unmapped addresses fail, so wild accesses fault instead of silently reading zeros.
public final class SparseMemory: MemoryBus {
    public static let pageShift: UInt64 = 14
    public static let pageSize: UInt64 = 1 << pageShift

    private final class Page {
        let bytes: UnsafeMutableRawPointer
        var holdsCode = false
        init() {
            bytes = UnsafeMutableRawPointer.allocate(byteCount: Int(SparseMemory.pageSize), alignment: 16)
            bytes.initializeMemory(as: UInt8.self, repeating: 0, count: Int(SparseMemory.pageSize))
        }
        deinit { bytes.deallocate() }
    }

    private var pages: [UInt64: Page] = [:]
    // A one-entry lookaside: consecutive accesses mostly hit the same page.
    private var lastNumber: UInt64 = .max
    private var lastPage: Page?
    private let generation: UnsafeMutablePointer<UInt64> = {
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    public var codeGeneration: UInt64 {
        get { generation.pointee }
        set { generation.pointee = newValue }
    }

    public var codeGenerationCell: UnsafePointer<UInt64> { UnsafePointer(generation) }

    public init() {}

    deinit { generation.deallocate() }

    /// Makes `[address, address + length)` accessible (zero-filled where new).
    public func map(_ address: UInt64, length: UInt64) {
        guard length > 0 else { return }
        var n = address >> Self.pageShift
        let last = (address &+ length &- 1) >> Self.pageShift
        while true {
            if pages[n] == nil { pages[n] = Page() }
            if n == last { break }
            n += 1
        }
    }

    public func isMapped(_ address: UInt64) -> Bool { pages[address >> Self.pageShift] != nil }

    /// Mapped page numbers in ascending order (for hashing and dumps: never dictionary order).
    public var mappedPageNumbers: [UInt64] { pages.keys.sorted() }

    @inline(__always)
    private func page(_ number: UInt64) -> Page? {
        if number == lastNumber { return lastPage }
        guard let p = pages[number] else { return nil }
        lastNumber = number
        lastPage = p
        return p
    }

    public func load(_ address: UInt64, size: Int) -> UInt64? {
        let offset = Int(address & (Self.pageSize - 1))
        if offset + size <= Int(Self.pageSize) {
            guard let p = page(address >> Self.pageShift) else { return nil }
            switch size {
            case 1: return UInt64(p.bytes.load(fromByteOffset: offset, as: UInt8.self))
            case 2: return UInt64(UInt16(littleEndian: p.bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            case 4: return UInt64(UInt32(littleEndian: p.bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            default: return UInt64(littleEndian: p.bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            }
        }
        // Straddles a page boundary: byte by byte.
        var value: UInt64 = 0
        for i in 0..<size {
            guard let b = load(address &+ UInt64(i), size: 1) else { return nil }
            value |= b << (8 * UInt64(i))
        }
        return value
    }

    public func store(_ address: UInt64, size: Int, value: UInt64) -> Bool {
        let offset = Int(address & (Self.pageSize - 1))
        if offset + size <= Int(Self.pageSize) {
            guard let p = page(address >> Self.pageShift) else { return false }
            if p.holdsCode { codeGeneration &+= 1 }
            switch size {
            case 1: p.bytes.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: offset, as: UInt8.self)
            case 2: p.bytes.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, toByteOffset: offset, as: UInt16.self)
            case 4: p.bytes.storeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian, toByteOffset: offset, as: UInt32.self)
            default: p.bytes.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self)
            }
            return true
        }
        for i in 0..<size where page((address &+ UInt64(i)) >> Self.pageShift) == nil { return false }
        for i in 0..<size {
            _ = store(address &+ UInt64(i), size: 1, value: value >> (8 * UInt64(i)))
        }
        return true
    }

    public func directPage(_ number: UInt64, forWriting: Bool) -> UnsafeMutableRawPointer? {
        guard let p = page(number), !(forWriting && p.holdsCode) else { return nil }
        return p.bytes
    }

    public func fetchBundle(_ address: UInt64) -> InstructionBundle? {
        guard address & 0xf == 0, let p = page(address >> Self.pageShift) else { return nil }
        if !p.holdsCode {
            p.holdsCode = true
            codeGeneration &+= 1  // writable pointers handed out for this page are now stale
        }
        let offset = Int(address & (Self.pageSize - 1))
        return InstructionBundle(
            low: UInt64(littleEndian: p.bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
            high: UInt64(littleEndian: p.bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)))
    }

    /// Copies bytes in (loading a program image); fails if any byte is unmapped.
    public func write(_ bytes: [UInt8], at address: UInt64) -> Bool {
        for (i, b) in bytes.enumerated() where !store(address &+ UInt64(i), size: 1, value: UInt64(b)) { return false }
        return true
    }

    public func read(_ address: UInt64, count: Int) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            guard let b = load(address &+ UInt64(i), size: 1) else { return nil }
            out.append(UInt8(b))
        }
        return out
    }
}
