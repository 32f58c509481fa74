import IA64Exec

/// Lays out a disassembly listing line for line as GNU objdump 2.40 does (`-d` on an ELF file,
/// `-D -b binary` on raw bundles): section and symbol headers, address column, byte columns,
/// "..." for runs of zero bytes, and branch targets named by the nearest symbol.
struct ObjdumpListing {
    struct Section {
        let index: Int
        let name: String
        let address: UInt64
        let bytes: [UInt8]
    }

    struct Symbol {
        let name: String
        let value: UInt64
        let size: UInt64
        /// Index of the section it is defined in; nil for absolute symbols.
        let sectionIndex: Int?
        let sectionName: String
        let isFunction: Bool
        let isObject: Bool
        let isLocal: Bool
        let isGlobal: Bool
        let isSectionSymbol: Bool
        let isDebugging: Bool
        let isFile: Bool
    }

    let symbols: [Symbol]
    /// bfd's HAS_RELOC: a relocatable file with relocations prefers same-section symbols.
    let hasRelocations: Bool
    /// `-D`: every section is code and reads may cross symbol boundaries.
    let disassembleAll: Bool
    let disassembler = Disassembler()

    init(symbols: [Symbol], hasRelocations: Bool, disassembleAll: Bool) {
        // objdump drops unnamed, section, debugging, undefined and common symbols (the caller
        // has already left out undefined and common ones).
        self.symbols = symbols.filter { s in
            if s.name.isEmpty { return false }
            if (s.isDebugging || s.isSectionSymbol) && !(s.name.hasPrefix(".plt") || s.name.hasPrefix(".got")) {
                return false
            }
            return true
        }
        self.hasRelocations = hasRelocations
        self.disassembleAll = disassembleAll
    }

    /// The listing of one section, starting with its "Disassembly of section" header.
    func render(_ section: Section) -> String {
        guard !section.bytes.isEmpty else { return "" }
        var out = "\nDisassembly of section \(section.name):\n"
        let sorted = symbols.sorted { Self.ordered($0, $1, section: section) }
        let stopOffset = UInt64(section.bytes.count)
        var addrOffset: UInt64 = 0
        let first = findSymbol(section.address, in: section, sorted: sorted, requireSection: true)
        var place = first ?? 0
        var sym = first.map { sorted[$0] }
        while addrOffset < stopOffset {
            let addr = section.address &+ addrOffset
            out += "\n" + addressWithSymbol(sym, addr, section: section, skipZeroes: false) + ":\n"
            var nextSym: Symbol?
            if let s = sym, s.value > addr {
                nextSym = s
            } else if let s = sym {
                while place < sorted.count
                    && !(sorted[place].sectionName == section.name && sorted[place].value > s.value) {
                    place += 1
                }
                nextSym = place < sorted.count ? sorted[place] : nil
            }
            var nextStop: UInt64
            if let s = sym, s.value > addr {
                nextStop = s.value &- section.address
            } else if let n = nextSym {
                nextStop = n.value &- section.address
            } else {
                nextStop = stopOffset
            }
            if nextStop > stopOffset || nextStop <= addrOffset { nextStop = stopOffset }
            var insns = true
            if !disassembleAll, let s = sym, s.sectionIndex == section.index, s.value <= addr,
               s.isObject, !s.isFunction,
               !s.name.contains("gnu_compiled"), !s.name.contains("gcc2_compiled") {
                insns = false
            }
            out += bytesListing(section, from: addrOffset, to: nextStop, instructions: insns, sorted: sorted)
            addrOffset = nextStop
            sym = nextSym
        }
        return out
    }

    // MARK: - Bytes and instructions

    private func bytesListing(_ section: Section, from start: UInt64, to stop: UInt64, instructions: Bool,
                              sorted: [Symbol]) -> String {
        var out = ""
        let data = section.bytes
        var octetsPerLine = instructions ? 4 : 16
        let skipAddressChars = Self.addressCharsToSkip(section)
        var addrOffset = start
        while addrOffset < stop {
            // ia64 sets skip_zeroes to 16 (a whole bundle); 3 at the end of a section.
            var zeros: UInt64 = 0
            while addrOffset + zeros < stop && data[Int(addrOffset + zeros)] == 0 { zeros += 1 }
            if zeros >= 16 || (addrOffset + zeros == stop && zeros < 3) {
                if addrOffset + zeros != stop { zeros &= ~3 }
                out += "\t...\n"
                addrOffset += zeros
                continue
            }
            out += Self.addressColumn(section.address &+ addrOffset, skip: skipAddressChars) + ":\t"
            var octets: Int
            var text: String
            if instructions {
                let memaddr = (section.address &+ addrOffset) & ~0xf
                let offset = memaddr &- section.address
                let stopAddress = section.address &+ stop
                let inBounds = memaddr >= section.address && offset <= UInt64(data.count)
                    && offset + 16 <= UInt64(data.count)
                    && (disassembleAll || !(memaddr >= stopAddress || memaddr + 16 > stopAddress))
                guard inBounds else {
                    out += "Address 0x\(String(memaddr, radix: 16)) is out of bounds.\n\n"
                    break
                }
                let bundle = InstructionBundle(bytes: data, offset: Int(offset))
                let result = disassembler.instructionText(bundle: bundle, address: section.address &+ addrOffset) {
                    target in self.targetText(target, section: section, sorted: sorted)
                }
                text = result.text
                octets = result.length
                octetsPerLine = Disassembler.bytesPerSlotLine
            } else {
                octets = min(octetsPerLine, Int(stop - addrOffset))
                text = String(decoding: data[Int(addrOffset)..<Int(addrOffset) + octets].map {
                    (0x20...0x7e).contains($0) ? $0 : UInt8(ascii: ".")
                }, as: UTF8.self)
            }
            var pb = min(octets, octetsPerLine)
            for j in Int(addrOffset)..<Int(addrOffset) + pb {
                if UInt64(j + 1) <= stop { out += Self.hexByte(data[j]) }
                out += " "
            }
            if pb < octetsPerLine { out += String(repeating: "   ", count: octetsPerLine - pb) }
            out += instructions ? "\t" : "    "
            out += text
            while pb < octets {
                let j = Int(addrOffset) + pb
                out += "\n" + Self.addressColumn(section.address &+ UInt64(j), skip: skipAddressChars) + ":\t"
                pb = min(pb + octetsPerLine, octets)
                for k in j..<Int(addrOffset) + pb {
                    if UInt64(k + 1) <= stop { out += Self.hexByte(data[k]) }
                    out += " "
                }
            }
            out += "\n"
            addrOffset += UInt64(octets)
        }
        return out
    }

    // MARK: - Addresses

    static func hex16(_ v: UInt64) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h
    }

    static func hexByte(_ b: UInt8) -> String {
        (b < 16 ? "0" : "") + String(b, radix: 16)
    }

    /// objdump drops leading zeros of the address column in groups of four, keeping at least one.
    static func addressCharsToSkip(_ section: Section) -> Int {
        let buf = hex16(section.address &+ UInt64(section.bytes.count))
        var skip = buf.prefix { $0 == "0" }.count
        if skip == buf.count && section.address != 0 { skip = 0 }
        if skip != 0 { skip = (skip - 1) & ~3 }
        return skip
    }

    static func addressColumn(_ address: UInt64, skip: Int) -> String {
        var chars = Array(hex16(address).dropFirst(skip))
        var i = 0
        while i < chars.count && chars[i] == "0" {
            chars[i] = " "
            i += 1
        }
        if i == chars.count { chars[i - 1] = "0" }
        return String(chars)
    }

    private static func value(_ v: UInt64, skipZeroes: Bool) -> String {
        skipZeroes ? String(v, radix: 16) : hex16(v)
    }

    private func addressWithSymbol(_ sym: Symbol?, _ vma: UInt64, section: Section, skipZeroes: Bool) -> String {
        var out = Self.value(vma, skipZeroes: skipZeroes) + " <"
        let base: UInt64
        if let sym {
            out += sym.name
            base = sym.value
        } else {
            out += section.name
            base = section.address
        }
        if base > vma {
            out += "-0x" + String(base - vma, radix: 16)
        } else if vma > base {
            out += "+0x" + String(vma - base, radix: 16)
        }
        return out + ">"
    }

    /// A branch target: "4000000000000100 <main+0x20>".
    private func targetText(_ vma: UInt64, section: Section, sorted: [Symbol]) -> String {
        guard !sorted.isEmpty else { return "0x" + String(vma, radix: 16) }
        let sym = findSymbol(vma, in: section, sorted: sorted, requireSection: false).map { sorted[$0] }
        return addressWithSymbol(sym, vma, section: section, skipZeroes: true)
    }

    // MARK: - Symbols

    /// objdump's find_symbol_for_address: the closest symbol at or below `vma`, preferring the
    /// section being listed.
    private func findSymbol(_ vma: UInt64, in section: Section, sorted: [Symbol],
                            requireSection: Bool) -> Int? {
        guard !sorted.isEmpty else { return nil }
        var lo = 0, hi = sorted.count
        while lo + 1 < hi {
            let mid = (lo + hi) / 2
            if sorted[mid].value > vma {
                hi = mid
            } else if sorted[mid].value < vma {
                lo = mid
            } else {
                lo = mid
                break
            }
        }
        var thisPlace = lo
        while thisPlace > 0 && sorted[thisPlace].value == sorted[thisPlace - 1].value { thisPlace -= 1 }
        var m = thisPlace
        while m < hi && sorted[m].value == sorted[thisPlace].value {
            if sorted[m].sectionIndex == section.index { return m }
            m += 1
        }
        let wantSection = requireSection
            || (hasRelocations && vma >= section.address && vma < section.address &+ UInt64(section.bytes.count))
        func ok(_ i: Int) -> Bool { !wantSection || sorted[i].sectionIndex == section.index }
        if !ok(thisPlace) {
            var newPlace = sorted.count
            var i = m - 1
            while i >= 0 {
                if ok(i) {
                    if newPlace == sorted.count { newPlace = i }
                    if sorted[i].value != sorted[newPlace].value { break }
                    newPlace = i
                }
                i -= 1
            }
            if newPlace != sorted.count {
                thisPlace = newPlace
            } else {
                for j in (thisPlace + 1)..<sorted.count where ok(j) {
                    thisPlace = j
                    break
                }
            }
            if !ok(thisPlace) { return nil }
        }
        return thisPlace
    }

    /// objdump's compare_symbols: by value, then this section first, then useful names first,
    /// functions and objects before others, globals before locals, larger before smaller, names.
    static func ordered(_ a: Symbol, _ b: Symbol, section: Section) -> Bool {
        if a.value != b.value { return a.value < b.value }
        let aIn = a.sectionName == section.name, bIn = b.sectionName == section.name
        if aIn != bIn { return aIn }
        let aCompiled = a.name.contains("gnu_compiled") || a.name.contains("gcc2_compiled")
        let bCompiled = b.name.contains("gnu_compiled") || b.name.contains("gcc2_compiled")
        if aCompiled != bCompiled { return !aCompiled }
        func fileLike(_ s: Symbol) -> Bool {
            s.isFile || (s.name.utf8.count > 2 && (s.name.hasSuffix(".o") || s.name.hasSuffix(".a")))
        }
        if fileLike(a) != fileLike(b) { return !fileLike(a) }
        if a.isDebugging != b.isDebugging { return !a.isDebugging }
        if a.isSectionSymbol != b.isSectionSymbol { return !a.isSectionSymbol }
        if a.isFunction != b.isFunction { return a.isFunction }
        if a.isObject != b.isObject { return a.isObject }
        if a.isLocal != b.isLocal { return !a.isLocal }
        if a.isGlobal != b.isGlobal { return a.isGlobal }
        let aSize = a.isSectionSymbol ? 0 : a.size, bSize = b.isSectionSymbol ? 0 : b.size
        if aSize != bSize { return aSize > bSize }
        let aDot = a.name.hasPrefix("."), bDot = b.name.hasPrefix(".")
        if aDot != bDot { return !aDot }
        return Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
    }
}
