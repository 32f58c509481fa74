/// Why bytes are not a usable IA-64 ELF file. The description is one line for the user.
public struct ElfError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A section header of an ELF64 file.
public struct ElfSection: Sendable, Equatable {
    public let index: Int
    public let name: String
    public let type: UInt32
    public let flags: UInt64
    public let address: UInt64
    public let offset: UInt64
    public let size: UInt64
    public let link: UInt32

    public static let typeSymbolTable: UInt32 = 2
    public static let typeNoBits: UInt32 = 8
    public static let flagAlloc: UInt64 = 0x2
    public static let flagExecute: UInt64 = 0x4

    public var isExecutable: Bool { flags & Self.flagExecute != 0 }
    public var hasContents: Bool { type != Self.typeNoBits && type != 0 }
}

/// A program header: how a segment is laid out in memory.
public struct ElfSegment: Sendable, Equatable {
    public let type: UInt32
    public let flags: UInt32
    public let offset: UInt64
    public let virtualAddress: UInt64
    public let physicalAddress: UInt64
    public let fileSize: UInt64
    public let memorySize: UInt64

    public static let typeLoad: UInt32 = 1
}

/// A symbol table entry of an ELF64 file.
public struct ElfSymbol: Sendable, Equatable {
    public let name: String
    public let value: UInt64
    public let size: UInt64
    public let info: UInt8
    public let sectionIndex: UInt16

    public var binding: UInt8 { info >> 4 }
    public var type: UInt8 { info & 0xf }

    public static let bindLocal: UInt8 = 0, bindGlobal: UInt8 = 1, bindWeak: UInt8 = 2
    public static let typeObject: UInt8 = 1, typeFunction: UInt8 = 2, typeSection: UInt8 = 3, typeFile: UInt8 = 4
    public static let sectionUndefined: UInt16 = 0, sectionAbsolute: UInt16 = 0xfff1, sectionCommon: UInt16 = 0xfff2
}

/// A little-endian ELF64 file for IA-64, parsed from bytes with every offset bounds-checked.
public struct ElfFile: Sendable {
    public static let machineIA64: UInt16 = 50

    public let bytes: [UInt8]
    public let type: UInt16
    public let machine: UInt16
    public let entry: UInt64
    public let sections: [ElfSection]
    public let symbols: [ElfSymbol]
    public let segments: [ElfSegment]

    public static let typeRelocatable: UInt16 = 1, typeExecutable: UInt16 = 2, typeShared: UInt16 = 3

    public init(bytes: [UInt8]) throws {
        self.bytes = bytes
        guard bytes.count >= 4, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46 else {
            throw ElfError("not an ELF file")
        }
        guard bytes.count >= 64 else { throw ElfError("truncated ELF header (\(bytes.count) bytes, need 64)") }
        guard bytes[4] == 2 else { throw ElfError("not a 64-bit ELF file (class \(bytes[4])); IA-64 needs ELFCLASS64") }
        guard bytes[5] == 1 else { throw ElfError("not a little-endian ELF file (data encoding \(bytes[5]))") }
        let reader = ByteReader(bytes: bytes)
        type = try reader.u16(16)
        machine = try reader.u16(18)
        guard machine == Self.machineIA64 else {
            throw ElfError("ELF file is for machine \(machine), not IA-64 (\(Self.machineIA64))")
        }
        entry = try reader.u64(24)
        let shoff = try reader.u64(40)
        let shentsize = try reader.u16(58)
        let shnum = try reader.u16(60)
        let shstrndx = try reader.u16(62)
        var sections: [ElfSection] = []
        if shnum > 0 {
            guard shentsize >= 64 else { throw ElfError("bad section header size \(shentsize)") }
            let tableEnd = shoff.addingReportingOverflow(UInt64(shnum) * UInt64(shentsize))
            guard !tableEnd.overflow, tableEnd.partialValue <= UInt64(bytes.count) else {
                throw ElfError("truncated section header table (\(shnum) entries at offset \(shoff), file is \(bytes.count) bytes)")
            }
            var raw: [(nameOffset: UInt32, ElfSection)] = []
            for i in 0..<Int(shnum) {
                let base = Int(shoff) + i * Int(shentsize)
                let s = ElfSection(
                    index: i, name: "", type: try reader.u32(base + 4), flags: try reader.u64(base + 8),
                    address: try reader.u64(base + 16), offset: try reader.u64(base + 24),
                    size: try reader.u64(base + 32), link: try reader.u32(base + 40))
                raw.append((try reader.u32(base), s))
            }
            guard Int(shstrndx) < raw.count else { throw ElfError("section name table index \(shstrndx) out of range") }
            let names = raw[Int(shstrndx)].1
            for (nameOffset, s) in raw {
                let name = s.index == 0 ? "" : try reader.string(in: names, at: nameOffset)
                if s.hasContents && s.index != 0 {
                    let end = s.offset.addingReportingOverflow(s.size)
                    guard !end.overflow, end.partialValue <= UInt64(bytes.count) else {
                        throw ElfError("section \(name) extends past the end of the file")
                    }
                }
                sections.append(ElfSection(index: s.index, name: name, type: s.type, flags: s.flags,
                                           address: s.address, offset: s.offset, size: s.size, link: s.link))
            }
        }
        self.sections = sections
        var symbols: [ElfSymbol] = []
        if let symtab = sections.first(where: { $0.type == ElfSection.typeSymbolTable }) {
            guard Int(symtab.link) < sections.count else { throw ElfError("symbol table names a bad string table") }
            let strtab = sections[Int(symtab.link)]
            let count = Int(symtab.size / 24)
            for i in 0..<count {
                let base = Int(symtab.offset) + i * 24
                symbols.append(ElfSymbol(
                    name: try reader.string(in: strtab, at: try reader.u32(base)),
                    value: try reader.u64(base + 8), size: try reader.u64(base + 16),
                    info: try reader.u8(base + 4), sectionIndex: try reader.u16(base + 6)))
            }
        }
        self.symbols = symbols
        let phoff = try reader.u64(32)
        let phentsize = try reader.u16(54)
        let phnum = try reader.u16(56)
        var segments: [ElfSegment] = []
        if phnum > 0 {
            guard phentsize >= 56 else { throw ElfError("bad program header size \(phentsize)") }
            let end = phoff.addingReportingOverflow(UInt64(phnum) * UInt64(phentsize))
            guard !end.overflow, end.partialValue <= UInt64(bytes.count) else {
                throw ElfError("truncated program header table (\(phnum) entries at offset \(phoff))")
            }
            for i in 0..<Int(phnum) {
                let base = Int(phoff) + i * Int(phentsize)
                let segment = ElfSegment(
                    type: try reader.u32(base), flags: try reader.u32(base + 4), offset: try reader.u64(base + 8),
                    virtualAddress: try reader.u64(base + 16), physicalAddress: try reader.u64(base + 24),
                    fileSize: try reader.u64(base + 32),
                    memorySize: try reader.u64(base + 40))
                if segment.type == ElfSegment.typeLoad && segment.fileSize > 0 {
                    let fileEnd = segment.offset.addingReportingOverflow(segment.fileSize)
                    guard !fileEnd.overflow, fileEnd.partialValue <= UInt64(bytes.count) else {
                        throw ElfError("segment \(i) extends past the end of the file")
                    }
                }
                if segment.type == ElfSegment.typeLoad && segment.fileSize > segment.memorySize {
                    throw ElfError("segment \(i) has file size larger than memory size")
                }
                segments.append(segment)
            }
        }
        self.segments = segments
    }

    /// The value of the first defined symbol called `name`.
    public func symbol(named name: String) -> ElfSymbol? {
        symbols.first { $0.name == name && $0.sectionIndex != ElfSymbol.sectionUndefined }
    }

    /// The bytes of a section that has contents in the file.
    public func contents(of section: ElfSection) -> ArraySlice<UInt8> {
        guard section.hasContents else { return [] }
        return bytes[Int(section.offset)..<Int(section.offset + section.size)]
    }
}

/// Bounds-checked little-endian reads.
struct ByteReader {
    let bytes: [UInt8]

    func u8(_ at: Int) throws -> UInt8 {
        guard at >= 0, at < bytes.count else { throw ElfError("truncated ELF file: read at offset \(at) past end (\(bytes.count) bytes)") }
        return bytes[at]
    }

    func le(_ at: Int, _ width: Int) throws -> UInt64 {
        guard at >= 0, at <= bytes.count - width else {
            throw ElfError("truncated ELF file: read at offset \(at) past end (\(bytes.count) bytes)")
        }
        var v: UInt64 = 0
        for i in 0..<width { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
        return v
    }

    func u16(_ at: Int) throws -> UInt16 { UInt16(try le(at, 2)) }
    func u32(_ at: Int) throws -> UInt32 { UInt32(try le(at, 4)) }
    func u64(_ at: Int) throws -> UInt64 { try le(at, 8) }

    /// A NUL-terminated string at `offset` inside string table section `table`.
    func string(in table: ElfSection, at offset: UInt32) throws -> String {
        guard UInt64(offset) < table.size else { throw ElfError("string offset \(offset) outside its string table") }
        var i = Int(table.offset) + Int(offset)
        let end = Int(table.offset + table.size)
        var out: [UInt8] = []
        while i < end, i < bytes.count, bytes[i] != 0 {
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
