import ArgumentParser
import IA64Exec
import VMMCore

#if canImport(Glibc)
import Glibc
#endif

/// `xdbg run`: a static IA-64 Linux program at privilege level 3.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a static IA-64 Linux program (exit, read and write system calls).")

    @Argument(help: "A static IA-64 ELF executable.")
    var file: String

    @Option(name: .long, help: "Stop before executing this symbol or address (0x…).")
    var until: String?

    @Option(name: .long, help: "Stop after this many instructions.")
    var maxInsns: UInt64?

    @Option(name: .long, help: "Write the final architectural state as JSON to this path.")
    var stateJson: String?

    func run() throws {
        try reportingFailures {
            let bytes = try FileInput.read(file)
            let elf: ElfFile
            let process: LinuxUserProcess
            do {
                elf = try ElfFile(bytes: bytes)
                process = try LinuxUserProcess(elf: elf)
            } catch let error as ElfError {
                throw CommandFailure("\(file): \(error.description)")
            }
            var stop: UInt64?
            if let until {
                if let symbol = elf.symbol(named: until) {
                    stop = symbol.value
                } else if let address = FileInput.address(until) {
                    stop = address
                } else {
                    throw CommandFailure("--until \(until): no such symbol in \(file), and not an address")
                }
            }
            process.output = { fd, data in
                _ = data.withUnsafeBytes { write(fd == 2 ? 2 : 1, $0.baseAddress, $0.count) }
            }
            process.input = { fd, count in
                guard fd == 0 else { return [] }
                var buffer = [UInt8](repeating: 0, count: count)
                let n = read(0, &buffer, count)
                return n > 0 ? Array(buffer.prefix(n)) : []
            }
            let outcome = process.run(stopAt: stop, maxInstructions: maxInsns ?? .max)
            if let stateJson {
                let text = ArchitecturalStateReport.json(process.cpu)
                guard let f = fopen(stateJson, "w") else {
                    throw CommandFailure("cannot write \(stateJson): \(String(cString: strerror(errno)))")
                }
                fputs(text, f)
                fclose(f)
            }
            let count = process.cpu.retired
            switch outcome {
            case .exited(let status):
                printStatus("exited with status \(status) after \(count) instructions")
                if status != 0 { throw ExitCode(Int32(truncatingIfNeeded: status & 0xff)) }
            case .reachedStop:
                printStatus("stopped at \(until ?? "") (0x\(String(process.cpu.ip, radix: 16))) after \(count) instructions")
            case .instructionLimit:
                printStatus("stopped after \(count) instructions at 0x\(String(process.cpu.ip, radix: 16)) slot \(process.cpu.slot)")
            case .fault(let interruption):
                let text = disassembly(at: interruption, memory: process.memory)
                throw CommandFailure("\(interruption) after \(count) instructions: \(text)")
            }
        }
    }

    private func printStatus(_ line: String) {
        let text = "xdbg: " + line + "\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    private func disassembly(at i: Interruption, memory: SparseMemory) -> String {
        guard let bundle = memory.fetchBundle(i.iip) else { return "(no code at the faulting address)" }
        let (text, _) = Disassembler().instructionText(bundle: bundle, address: i.iip + UInt64(6 * i.slot)) {
            "0x" + String($0, radix: 16)
        }
        return text.trimmingCharacters(in: " ")
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
