import ArgumentParser
import Symbols

/// `xdbg symbolize`: guest addresses to function+offset and source line, like addr2line -f.
struct SymbolizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symbolize",
        abstract: "Map guest code addresses to function+offset and file:line.",
        discussion: """
            Each ADDR is hex: a bundle address (0x100400), an IA-64 PC with the slot in the low \
            bits (0x100402), or bundle+slot (0x100400+2); each prints as \
            `ADDR function+0xoff file:line` (?? where unknown). A symbol name prints its address \
            the same way; FILE:LINE prints the lowest address of each run of code for that line.
            """)

    @Argument(help: "An IA-64 ELF image with symbols (and DWARF line info).")
    var image: String

    @Argument(help: "Addresses (hex), symbol names, or FILE:LINE.")
    var addresses: [String]

    func run() throws {
        try reportingFailures {
            let table = try SymbolTable(path: image)
            var lines: [String] = []
            for text in addresses {
                for pc in try resolve(text, in: table) {
                    lines.append(table.symbolize(pc).description)
                }
            }
            for line in lines { FileHandleOutput.standardOutput(line) }
        }
    }

    private func resolve(_ text: String, in table: SymbolTable) throws -> [GuestPC] {
        do {
            return [try GuestPC.parse(text)]
        } catch let error as SymbolError {
            if let colon = text.lastIndex(of: ":"), let line = Int(text[text.index(after: colon)...]) {
                let file = String(text[..<colon])
                let pcs = table.addresses(file: file, line: line)
                guard !pcs.isEmpty else { throw CommandFailure(SymbolError.noLine(file: file, line: line).description) }
                return pcs
            }
            if let symbol = table.symbol(named: text) {
                return [GuestPC(bundle: symbol.address)]
            }
            let looksNumeric = text.hasPrefix("0x") || text.hasPrefix("0X") || text.first?.isHexDigit == true
            throw CommandFailure(looksNumeric ? error.description : "no symbol '\(text)' in \(image)")
        }
    }
}

/// `xdbg unwind-info`: the image's `.IA_64.unwind` table, decoded like `readelf -u`.
struct UnwindInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unwind-info",
        abstract: "List the unwind table entries of an IA-64 ELF image (as readelf -u does).",
        discussion: """
            With ADDR arguments, prints for each the entry covering it and the unwind state there: \
            where the return pointer, ar.pfs and the previous sp are found.
            """)

    @Argument(help: "An IA-64 ELF image.")
    var image: String

    @Argument(help: "Addresses (hex, as for symbolize) to show the unwind state at.")
    var addresses: [String] = []

    func run() throws {
        try reportingFailures {
            let symbols = try SymbolTable(path: image)
            let table = symbols.unwindTable
            if addresses.isEmpty {
                FileHandleOutput.standardOutput("\(table.entries.count) unwind entries")
                for entry in table.entries {
                    FileHandleOutput.standardOutput("")
                    for line in entry.listing { FileHandleOutput.standardOutput(line) }
                }
                return
            }
            let unwinder = IA64Unwinder(table: table)
            for text in addresses {
                let pc: GuestPC
                do { pc = try GuestPC.parse(text) } catch let error as SymbolError { throw CommandFailure(error.description) }
                let where_ = symbols.symbolize(pc)
                guard let entry = table.entry(for: pc), let state = unwinder.state(at: pc) else {
                    FileHandleOutput.standardOutput("\(where_): no unwind entry (leaf: rp in b0, ar.pfs unsaved)")
                    continue
                }
                var frame = "psp=sp"
                if state.spRestored { frame = "psp=sp (restored)" }
                else if let size = state.frameSize { frame = "psp=sp+0x" + String(size, radix: 16) }
                else if let saved = state.previousSP { frame = "psp in \(saved)" }
                FileHandleOutput.standardOutput(
                    "\(where_): entry <\(entry.name ?? "?")> slot \(state.slotIndex): rp \(state.rp == .unsaved ? "in b0" : state.rp.description), "
                        + "ar.pfs \(state.pfs == .unsaved ? "unsaved" : state.pfs.description), \(frame)")
            }
        }
    }
}
