import CLibdw
#if canImport(Glibc)
import Glibc
#endif

/// One ELF symbol of a guest image.
public struct GuestSymbol: Hashable, Sendable {
    public let name: String
    public let address: UInt64
    public let size: UInt64
    /// STT_FUNC (from `.proc`/`.endp`); labels are STT_NOTYPE.
    public let isFunction: Bool
    public let isGlobal: Bool

    public init(name: String, address: UInt64, size: UInt64, isFunction: Bool, isGlobal: Bool) {
        self.name = name
        self.address = address
        self.size = size
        self.isFunction = isFunction
        self.isGlobal = isGlobal
    }

    public func contains(_ address: UInt64) -> Bool {
        address >= self.address && address - self.address < size
    }
}

/// A source position from the DWARF line table.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file as the line table names it (absolute when the assembler recorded a directory).
    public let file: String
    public let line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// One row of the line table: code from `address` (ip|slot form) on belongs to `location`,
/// up to the next row; an end-of-sequence row closes the run.
public struct LineRow: Hashable, Sendable {
    public let address: UInt64
    public let location: SourceLocation
    public let isStatement: Bool
    public let endSequence: Bool
}

/// What an address is: function and offset, source line.
public struct SymbolizedAddress: Hashable, Sendable, CustomStringConvertible {
    public let pc: GuestPC
    public let function: GuestSymbol?
    /// Bytes from the function's start to the bundle (the slot is not counted).
    public let offset: UInt64
    public let location: SourceLocation?

    /// `function+0xoff`, or `??` when no symbol covers the address.
    public var functionText: String {
        guard let function else { return "??" }
        return function.name + "+" + hex(offset)
    }

    /// `file:line`; where unknown, as addr2line writes it: `??:?` in a known function, else `??:0`.
    public var locationText: String { location?.description ?? (function == nil ? "??:0" : "??:?") }

    /// `0x100402 function+0x20 file.s:12`.
    public var description: String { "\(pc) \(functionText) \(locationText)" }
}

/// Symbols and source lines of a guest ELF image (IA-64, read on any host): the ELF symbol
/// table through libelf and the DWARF line table through libdw.
public final class SymbolTable: Sendable {
    public let path: String
    public let entry: UInt64
    /// Defined code and data symbols (no section, file or absolute symbols), by address.
    public let symbols: [GuestSymbol]
    /// All line-table rows, by address (sequences kept apart by their end rows).
    public let lines: [LineRow]
    /// The `.IA_64.unwind` table (empty when the image has none).
    public let unwindTable: IA64UnwindTable

    private let byName: [String: GuestSymbol]
    private let functions: [GuestSymbol]   // STT_FUNC with a size, by address

    /// Reads `path`. Throws `SymbolError` for a missing file, a non-ELF file or a non-IA-64 image.
    public init(path: String) throws {
        let image = try ElfImage(path: path)
        defer { image.close() }
        self.path = path
        self.entry = image.entry
        let symbols = image.readSymbols()
        self.symbols = symbols
        var byName: [String: GuestSymbol] = [:]
        for s in symbols {
            // Prefer a global definition, then a function, then the first seen.
            if let old = byName[s.name], old.isGlobal || (old.isFunction && !s.isGlobal) { continue }
            byName[s.name] = s
        }
        self.byName = byName
        self.functions = symbols.filter { $0.isFunction && $0.size > 0 }
        let lines = try image.readLines()
        self.lines = lines
        self.unwindTable = IA64UnwindTable(image: image, symbols: symbols)
    }

    // MARK: - Address → function, line

    /// The function covering `address` (its STT_FUNC symbol with a size) and the offset into it;
    /// failing that the nearest preceding code symbol (a label), as addr2line falls back.
    public func function(containing address: UInt64) -> (symbol: GuestSymbol, offset: UInt64)? {
        if let f = Self.last(in: functions, atOrBelow: address, key: \.address), f.contains(address) {
            return (f, address - f.address)
        }
        // Functions nest only by accident (a label given a size); look back a little.
        if let i = functions.lastIndex(where: { $0.contains(address) }) {
            return (functions[i], address - functions[i].address)
        }
        return nil
    }

    /// The source line of `pc` (the line-table row at or before it, in the same sequence).
    public func sourceLocation(of pc: GuestPC) -> SourceLocation? {
        // Rows are sorted with end rows first at equal addresses: the last row at or below the
        // address is the one in force, or an end row when the address is in a gap.
        guard let i = Self.lastIndex(in: lines, atOrBelow: pc.encoded, key: \.address), !lines[i].endSequence else {
            return nil
        }
        return lines[i].location
    }

    /// Function, offset and line of `pc`.
    public func symbolize(_ pc: GuestPC) -> SymbolizedAddress {
        let f = function(containing: pc.bundle)
        return SymbolizedAddress(pc: pc, function: f?.symbol, offset: f?.offset ?? 0, location: sourceLocation(of: pc))
    }

    // MARK: - Name → address, line → addresses

    /// The symbol called `name` (a global one if several share the name).
    public func symbol(named name: String) -> GuestSymbol? { byName[name] }

    /// The address of symbol `name`.
    public func address(ofSymbol name: String) -> UInt64? { byName[name]?.address }

    /// The code of `file:line`: for each run of the line table (sequence) that has rows for the
    /// line, its lowest address, in ip|slot form, sorted. `file` matches a row's file exactly or
    /// by its trailing path components ("main.s", "kernel/main.s").
    public func addresses(file: String, line: Int) -> [GuestPC] {
        var result: [UInt64] = []
        var sequenceBest: UInt64?
        for row in lines {
            if row.endSequence {
                if let best = sequenceBest { result.append(best) }
                sequenceBest = nil
                continue
            }
            if row.location.line == line && Self.fileMatches(row.location.file, file) {
                sequenceBest = min(sequenceBest ?? row.address, row.address)
            }
        }
        if let best = sequenceBest { result.append(best) }
        return Array(Set(result)).sorted().compactMap { GuestPC(encoded: $0) }
    }

    /// Every file named in the line table.
    public var sourceFiles: [String] { Array(Set(lines.map(\.location.file))).sorted() }

    static func fileMatches(_ full: String, _ query: String) -> Bool {
        if full == query { return true }
        return full.hasSuffix("/" + query)
    }

    // MARK: - Sorted-array search

    static func lastIndex<T>(in array: [T], atOrBelow value: UInt64, key: KeyPath<T, UInt64>) -> Int? {
        var lo = 0, hi = array.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if array[mid][keyPath: key] <= value { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : lo - 1
    }

    static func last<T>(in array: [T], atOrBelow value: UInt64, key: KeyPath<T, UInt64>) -> T? {
        lastIndex(in: array, atOrBelow: value, key: key).map { array[$0] }
    }
}

/// An open ELF file, through libelf. Internal: SymbolTable reads everything it needs at init.
final class ElfImage {
    struct Section {
        let name: String
        let type: UInt32
        let flags: UInt64
        let address: UInt64
        let size: UInt64
        let scn: OpaquePointer
    }
    struct Segment {
        let type: UInt32
        let vaddr: UInt64
        let memsz: UInt64
    }

    let path: String
    let fd: Int32
    let elf: OpaquePointer
    let entry: UInt64
    let sections: [Section]
    let segments: [Segment]

    init(path: String) throws {
        self.path = path
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw SymbolError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw SymbolError.cannotOpen(path: path, reason: "not a regular file") }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SymbolError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        _ = elf_version(UInt32(EV_CURRENT))
        guard let elf = elf_begin(fd, ELF_C_READ_MMAP, nil) else {
            Glibc.close(fd)
            throw SymbolError.notELF(path: path)
        }
        guard elf_kind(elf) == ELF_K_ELF else {
            elf_end(elf); Glibc.close(fd)
            throw SymbolError.notELF(path: path)
        }
        var ehdr = GElf_Ehdr()
        guard gelf_getehdr(elf, &ehdr) != nil else {
            elf_end(elf); Glibc.close(fd)
            throw SymbolError.notELF(path: path)
        }
        guard ehdr.e_machine == UInt16(EM_IA_64) else {
            elf_end(elf); Glibc.close(fd)
            throw SymbolError.notIA64(path: path, machine: Int(ehdr.e_machine))
        }
        self.fd = fd
        self.elf = elf
        self.entry = ehdr.e_entry

        var shstrndx = 0
        _ = elf_getshdrstrndx(elf, &shstrndx)
        var sections: [Section] = []
        var scn = elf_nextscn(elf, nil)
        while let s = scn {
            var shdr = GElf_Shdr()
            if gelf_getshdr(s, &shdr) != nil {
                let name = elf_strptr(elf, shstrndx, Int(shdr.sh_name)).map { String(cString: $0) } ?? ""
                sections.append(Section(name: name, type: shdr.sh_type, flags: shdr.sh_flags,
                                        address: shdr.sh_addr, size: shdr.sh_size, scn: s))
            }
            scn = elf_nextscn(elf, s)
        }
        self.sections = sections

        var phnum = 0
        _ = elf_getphdrnum(elf, &phnum)
        var segments: [Segment] = []
        for i in 0..<phnum {
            var phdr = GElf_Phdr()
            if gelf_getphdr(elf, Int32(i), &phdr) != nil {
                segments.append(Segment(type: phdr.p_type, vaddr: phdr.p_vaddr, memsz: phdr.p_memsz))
            }
        }
        self.segments = segments
    }

    func close() {
        elf_end(elf)
        Glibc.close(fd)
    }

    func section(named name: String) -> Section? { sections.first { $0.name == name } }

    /// The bytes of a section (empty for NOBITS or on error).
    func bytes(of section: Section) -> [UInt8] {
        guard let data = elf_getdata(section.scn, nil), let buf = data.pointee.d_buf, data.pointee.d_size > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: buf, count: data.pointee.d_size))
    }

    func readSymbols() -> [GuestSymbol] {
        guard let symtab = sections.first(where: { $0.type == UInt32(SHT_SYMTAB) })
            ?? sections.first(where: { $0.type == UInt32(SHT_DYNSYM) }) else { return [] }
        var shdr = GElf_Shdr()
        guard gelf_getshdr(symtab.scn, &shdr) != nil, let data = elf_getdata(symtab.scn, nil) else { return [] }
        let count = shdr.sh_entsize == 0 ? 0 : Int(shdr.sh_size / shdr.sh_entsize)
        var result: [GuestSymbol] = []
        for i in 0..<count {
            var sym = GElf_Sym()
            guard gelf_getsym(data, Int32(i), &sym) != nil else { continue }
            let type = Int32(sym.st_info & 0xf), bind = Int32(sym.st_info >> 4)
            guard type == STT_FUNC || type == STT_NOTYPE || type == STT_OBJECT else { continue }
            guard sym.st_shndx != UInt16(SHN_UNDEF), sym.st_shndx != UInt16(SHN_ABS) else { continue }
            guard let cname = elf_strptr(elf, Int(shdr.sh_link), Int(sym.st_name)) else { continue }
            let name = String(cString: cname)
            guard !name.isEmpty else { continue }
            result.append(GuestSymbol(name: name, address: sym.st_value, size: sym.st_size,
                                    isFunction: type == STT_FUNC, isGlobal: bind == STB_GLOBAL || bind == STB_WEAK))
        }
        result.sort { ($0.address, $0.isFunction ? 0 : 1, $0.name) < ($1.address, $1.isFunction ? 0 : 1, $1.name) }
        return result
    }

    /// Every compilation unit's line table through libdw (no relocation needed: executables).
    func readLines() throws -> [LineRow] {
        guard sections.contains(where: { $0.name == ".debug_line" }) else { return [] }
        guard let dwarf = dwarf_begin_elf(elf, DWARF_C_READ, nil) else {
            throw SymbolError.libdw(String(cString: dwarf_errmsg(-1)))
        }
        defer { dwarf_end(dwarf) }
        var rows: [LineRow] = []
        var unit: OpaquePointer? = nil
        var next: OpaquePointer? = nil
        var version: Dwarf_Half = 0
        var unitType: UInt8 = 0
        var cudie = Dwarf_Die()
        while dwarf_get_units(dwarf, unit, &next, &version, &unitType, &cudie, nil) == 0 {
            unit = next
            var lines: OpaquePointer? = nil
            var count = 0
            guard dwarf_getsrclines(&cudie, &lines, &count) == 0, let lines else { continue }
            var sequence: [LineRow] = []
            for i in 0..<count {
                guard let line = dwarf_onesrcline(lines, i) else { continue }
                var address: Dwarf_Addr = 0
                var number: Int32 = 0
                var isStmt = false, end = false
                guard dwarf_lineaddr(line, &address) == 0 else { continue }
                _ = dwarf_lineno(line, &number)
                _ = dwarf_linebeginstatement(line, &isStmt)
                _ = dwarf_lineendsequence(line, &end)
                let file = dwarf_linesrc(line, nil, nil).map { String(cString: $0) } ?? "??"
                sequence.append(LineRow(address: address, location: SourceLocation(file: file, line: Int(number)),
                                        isStatement: isStmt, endSequence: end))
            }
            rows += sequence
        }
        // Stable by address, end rows before rows starting at the same address.
        return rows.enumerated().sorted {
            ($0.element.address, $0.element.endSequence ? 0 : 1, $0.offset)
                < ($1.element.address, $1.element.endSequence ? 0 : 1, $1.offset)
        }.map(\.element)
    }
}
