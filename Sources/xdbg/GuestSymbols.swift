import IA64Exec
import VMMCore

/// Function names for guest addresses from a domain's kernel symbol table, for stop reports
/// (which also serve machines that have no trace, hence no image file for `SymbolTable`).
struct GuestSymbols {
    let functions: [ElfSymbol]

    init(_ elf: ElfFile?) {
        functions = (elf?.symbols ?? []).filter {
            $0.sectionIndex != ElfSymbol.sectionUndefined && $0.sectionIndex < ElfSymbol.sectionAbsolute
                && ($0.type == ElfSymbol.typeFunction || $0.type == 0) && !$0.name.isEmpty && !$0.name.hasPrefix(".")
        }.sorted { $0.value < $1.value }
    }

    /// "name+0xoff" for `address` (the bundle address), or nil when no symbol precedes it.
    func describe(_ address: UInt64) -> String? {
        guard let s = functions.last(where: { $0.value <= address }) else { return nil }
        if s.size > 0 && address >= s.value + s.size { return nil }
        return address == s.value ? s.name : "\(s.name)+0x\(String(address - s.value, radix: 16))"
    }
}

/// What `xdbg replay` prints at a stop: where (domain, vCPU, counts), the symbolized ip, the
/// instruction about to execute, and the registers a kernel developer looks at first.
enum StopReport {
    static func hex(_ v: UInt64, width: Int = 16) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func render(_ v: VirtualCPU, machine: Hypervisor) -> String {
        let cpu = v.cpu
        let symbols = GuestSymbols(v.domain.kernel)
        let ip = cpu.ip
        var lines: [String] = []
        let place = symbols.describe(ip).map { " <\($0)>" } ?? ""
        lines.append("domain \(v.domain.id) (\(v.domain.name)) vcpu \(v.id), machine instruction \(machine.retiredInstructions), vcpu instruction \(cpu.retired)")
        var instruction = "?"
        if let bundle = v.domain.memory.fetchBundle(cpu.debugTranslate(ip) ?? ip) {
            let shown = ip + UInt64(min(cpu.slot, 2) * Disassembler.bytesPerSlotLine)
            instruction = Disassembler().instructionText(bundle: bundle, address: shown) { "0x" + String($0, radix: 16) }.text
        }
        lines.append("ip 0x\(String(ip, radix: 16)) slot \(cpu.slot)\(place): \(instruction.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))")
        var row: [String] = []
        func add(_ name: String, _ value: UInt64) {
            row.append(name.padding(toLength: 5, withPad: " ", startingAt: 0) + ": " + hex(value))
            if row.count == 3 {
                lines.append(row.joined(separator: " "))
                row = []
            }
        }
        add("psr", cpu.psr)
        add("cfm", cpu.currentFrame.bits)
        add("pr", cpu.predicates)
        add("b0", cpu.branchRegister(0))
        add("bsp", cpu.applicationRegister(17))
        add("sp", cpu.generalRegister(12)?.value ?? 0)
        for r in [1, 8, 9, 10, 14, 15, 16, 17] { add("r\(r)", cpu.generalRegister(r)?.value ?? 0) }
        let sof = cpu.currentFrame.sof
        for r in 32..<(32 + min(sof, 8)) { add("r\(r)", cpu.generalRegister(r)?.value ?? 0) }
        if !row.isEmpty { lines.append(row.joined(separator: " ")) }
        return lines.joined(separator: "\n")
    }
}
