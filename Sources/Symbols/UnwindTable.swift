/// One entry of `.IA_64.unwind`: a procedure's code range and its decoded unwind info.
public struct IA64UnwindEntry: Hashable, Sendable {
    /// Code range [start, end), bundle addresses.
    public let start: UInt64
    public let end: UInt64
    /// The info block's address, and its offset from the segment base as the table stores it.
    public let infoAddress: UInt64
    public let infoOffset: UInt64
    /// From the info block's header word.
    public let version: UInt16
    public let flags: UInt16
    /// Descriptor area length in 8-byte words.
    public let lengthWords: UInt32
    public let descriptors: [UnwindDescriptor]
    /// The personality routine's address (its word after the descriptors) when the flags ask
    /// for a handler.
    public let personality: UInt64?
    /// The symbol at (or nearest before) `start`, for listings.
    public let name: String?

    public static let ehandlerFlag: UInt16 = 1
    public static let uhandlerFlag: UInt16 = 2

    /// Number of instruction slots in the procedure.
    public var slotCount: UInt64 { (end - start) / 16 * 3 }

    public func contains(_ pc: GuestPC) -> Bool { pc.bundle >= start && pc.bundle < end }

    /// The entry as `readelf -u` prints it (lines, tabs included).
    public var listing: [String] {
        var lines = ["<\(name ?? "")>: [\(hex(start))-\(hex(end))], info at +\(hex(infoOffset))"]
        var flagNames = ""
        if flags & Self.ehandlerFlag != 0 { flagNames += " ehandler" }
        if flags & Self.uhandlerFlag != 0 { flagNames += " uhandler" }
        if flagNames.hasPrefix(" ") { flagNames.removeFirst() }
        lines.append("  v\(version), flags=\(hex(UInt64(flags))) (\(flagNames)), len=\(8 * UInt64(lengthWords)) bytes")
        for d in descriptors {
            lines.append((d.isRegionHeader ? "    " : "\t") + d.description)
        }
        if let personality { lines.append("  personality: \(hex(personality))") }
        return lines
    }
}

/// The `.IA_64.unwind` table of an image: entries sorted by start address.
public struct IA64UnwindTable: Sendable {
    public let entries: [IA64UnwindEntry]
    /// The base the table's offsets are relative to (the segment holding the table).
    public let segmentBase: UInt64

    public init(entries: [IA64UnwindEntry], segmentBase: UInt64 = 0) {
        self.entries = entries.sorted { $0.start < $1.start }
        self.segmentBase = segmentBase
    }

    /// The entry whose range holds `pc`'s bundle.
    public func entry(for pc: GuestPC) -> IA64UnwindEntry? {
        guard let i = SymbolTable.lastIndex(in: entries, atOrBelow: pc.bundle, key: \.start) else { return nil }
        return entries[i].contains(pc) ? entries[i] : nil
    }

    /// Reads the table from an open image: the unwind section (SHT_IA_64_UNWIND, or by name),
    /// the segment containing it as the base of its offsets, info blocks wherever they lie in
    /// the image's sections.
    init(image: ElfImage, symbols: [GuestSymbol]) {
        let shtUnwind: UInt32 = 0x7000_0001
        guard let section = image.sections.first(where: { $0.type == shtUnwind })
            ?? image.section(named: ".IA_64.unwind") else {
            self.init(entries: [])
            return
        }
        let base = image.segments.first {
            $0.type == 1 && section.address >= $0.vaddr && section.address < $0.vaddr + $0.memsz
        }?.vaddr ?? 0
        let table = image.bytes(of: section)
        // Info blocks: from the sections holding them, read on demand.
        var sectionBytes: [String: [UInt8]] = [:]
        func infoBytes(at address: UInt64) -> (bytes: [UInt8], offset: Int)? {
            guard let s = image.sections.first(where: {
                $0.address != 0 && address >= $0.address && address < $0.address + $0.size && $0.type != 8
            }) else { return nil }
            if sectionBytes[s.name] == nil { sectionBytes[s.name] = image.bytes(of: s) }
            return (sectionBytes[s.name]!, Int(address - s.address))
        }
        let code = symbols.filter { $0.isFunction || $0.size == 0 }
        var entries: [IA64UnwindEntry] = []
        var i = 0
        while i + 24 <= table.count {
            let start = Self.le64(table, i), end = Self.le64(table, i + 8), info = Self.le64(table, i + 16)
            i += 24
            if start == 0 && end == 0 { continue }
            let startAddress = base &+ start, endAddress = base &+ end, infoAddress = base &+ info
            var version: UInt16 = 0, flags: UInt16 = 0, length: UInt32 = 0
            var descriptors: [UnwindDescriptor] = []
            var personality: UInt64?
            if info != 0, let (bytes, offset) = infoBytes(at: infoAddress), offset + 8 <= bytes.count {
                let header = Self.le64(bytes, offset)
                version = UInt16(header >> 48)
                flags = UInt16((header >> 32) & 0xffff)
                length = UInt32(header & 0xffff_ffff)
                let descEnd = offset + 8 + 8 * Int(length)
                var decoder = UnwindDecoder(bytes: bytes, start: offset + 8, end: descEnd)
                descriptors = decoder.decodeAll()
                if flags & (IA64UnwindEntry.ehandlerFlag | IA64UnwindEntry.uhandlerFlag) != 0, descEnd + 8 <= bytes.count {
                    personality = Self.le64(bytes, descEnd)
                }
            }
            let name: String? = {
                if let f = SymbolTable.last(in: code, atOrBelow: startAddress, key: \.address) {
                    return f.address == startAddress ? f.name : f.name + "+" + hex(startAddress - f.address)
                }
                return nil
            }()
            entries.append(IA64UnwindEntry(start: startAddress, end: endAddress, infoAddress: infoAddress,
                                           infoOffset: info, version: version, flags: flags, lengthWords: length,
                                           descriptors: descriptors, personality: personality, name: name))
        }
        self.init(entries: entries, segmentBase: base)
    }

    static func le64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
        return v
    }
}
