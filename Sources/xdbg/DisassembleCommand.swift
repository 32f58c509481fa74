import ArgumentParser
import IA64Exec
import VMMCore

/// `xdbg dis`: an objdump-identical disassembly of an IA-64 ELF file or of raw bundles.
struct DisassembleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dis",
        abstract: "Disassemble IA-64 code exactly as ia64-linux-gnu-objdump does.",
        discussion: """
            ELF input lists its executable sections like `objdump -d`. With --raw the file is a \
            flat sequence of 16-byte bundles placed at --base, listed like \
            `objdump -D -b binary -m ia64 --adjust-vma=BASE`.
            """)

    @Argument(help: "An IA-64 ELF file, or with --raw a file of bundles.")
    var file: String

    @Flag(name: .long, help: "Treat FILE as raw bundles rather than ELF.")
    var raw = false

    @Option(name: .long, help: "Address of the first raw bundle (hex with 0x, or decimal).")
    var base: String = "0"

    func run() throws {
        try reportingFailures {
            let bytes = try FileInput.read(file)
            let text = raw ? try rawListing(bytes) : try elfListing(bytes)
            print(text, terminator: "")
        }
    }

    private func rawListing(_ bytes: [UInt8]) throws -> String {
        guard let address = FileInput.address(base) else {
            throw CommandFailure("bad --base \(base): expected an address like 0x4000000000000000")
        }
        guard bytes.count % 16 == 0 else {
            throw CommandFailure("\(file): size \(bytes.count) is not a multiple of 16 (raw input is whole bundles)")
        }
        guard address.addingReportingOverflow(UInt64(bytes.count)).partialValue >= address || bytes.isEmpty,
              !address.addingReportingOverflow(UInt64(bytes.count)).overflow else {
            throw CommandFailure("\(file): base \(base) plus file size passes the end of the address space")
        }
        let listing = ObjdumpListing(symbols: [], hasRelocations: false, disassembleAll: true)
        let section = ObjdumpListing.Section(index: 1, name: ".data", address: address, bytes: bytes)
        return "\n\(file):     file format binary\n\n" + listing.render(section)
    }

    private func elfListing(_ bytes: [UInt8]) throws -> String {
        let elf: ElfFile
        do {
            elf = try ElfFile(bytes: bytes)
        } catch let error as ElfError {
            throw CommandFailure("\(file): \(error.description)")
        }
        let hasRelocations = elf.type == ElfFile.typeRelocatable
            && elf.sections.contains { $0.type == 4 || $0.type == 9 }
        let symbols = elf.symbols.dropFirst().compactMap { s -> ObjdumpListing.Symbol? in
            if s.sectionIndex == ElfSymbol.sectionUndefined || s.sectionIndex == ElfSymbol.sectionCommon { return nil }
            let section = Int(s.sectionIndex) < elf.sections.count && s.sectionIndex < 0xff00
                ? elf.sections[Int(s.sectionIndex)] : nil
            var name = s.name
            if name.isEmpty && s.type == ElfSymbol.typeSection, let section { name = section.name }
            return ObjdumpListing.Symbol(
                name: name, value: s.value, size: s.size,
                sectionIndex: section?.index, sectionName: section?.name ?? "*ABS*",
                isFunction: s.type == ElfSymbol.typeFunction || s.type == 10,
                isObject: s.type == ElfSymbol.typeObject || s.type == 5,
                isLocal: s.binding == ElfSymbol.bindLocal,
                isGlobal: s.binding == ElfSymbol.bindGlobal,
                isSectionSymbol: s.type == ElfSymbol.typeSection,
                isDebugging: s.type == ElfSymbol.typeSection || s.type == ElfSymbol.typeFile,
                isFile: s.type == ElfSymbol.typeFile)
        }
        let listing = ObjdumpListing(symbols: symbols, hasRelocations: hasRelocations, disassembleAll: false)
        var out = "\n\(file):     file format elf64-ia64-little\n\n"
        for section in elf.sections where section.index != 0 && section.isExecutable && section.hasContents {
            out += listing.render(ObjdumpListing.Section(
                index: section.index, name: section.name, address: section.address,
                bytes: Array(elf.contents(of: section))))
        }
        return out
    }
}
