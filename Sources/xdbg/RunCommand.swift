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
        abstract: "Run a static IA-64 Linux program (exit, read and write system calls), or with --bare a bare-metal program.",
        discussion: """
            --bare loads the ELF at its physical addresses and starts it at privilege level 0 in \
            physical mode with interruption collection off, on a minimal platform: 64 MiB of RAM \
            from address 0, a console port at 0xFFFF0000 (a store prints its low byte) and a halt \
            port at 0xFFFF0008 (a store halts with that exit code).
            """)

    @Argument(help: "A static IA-64 ELF executable.")
    var file: String

    @Option(name: .long, help: "Stop before executing this symbol or address (0x…).")
    var until: String?

    @Option(name: .long, help: "Stop after this many instructions.")
    var maxInsns: UInt64?

    @Option(name: .long, help: "Write the final architectural state as JSON to this path.")
    var stateJson: String?

    @Flag(name: .long, help: "Run a bare-metal program at privilege level 0 (see below).")
    var bare = false

    func run() throws {
        try reportingFailures {
            let bytes = try FileInput.read(file)
            let elf: ElfFile
            do {
                elf = try ElfFile(bytes: bytes)
            } catch let error as ElfError {
                throw CommandFailure("\(file): \(error.description)")
            }
            if bare {
                try runBare(elf)
                return
            }
            let process: LinuxUserProcess
            do {
                process = try LinuxUserProcess(elf: elf)
            } catch let error as ElfError {
                throw CommandFailure("\(file): \(error.description)")
            }
            let stop = try stopAddress(elf)
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
            try writeState(process.cpu)
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

    private func stopAddress(_ elf: ElfFile) throws -> UInt64? {
        guard let until else { return nil }
        if let symbol = elf.symbol(named: until) { return symbol.value }
        if let address = FileInput.address(until) { return address }
        throw CommandFailure("--until \(until): no such symbol in \(file), and not an address")
    }

    private func writeState(_ cpu: Processor) throws {
        guard let stateJson else { return }
        let text = ArchitecturalStateReport.json(cpu)
        guard let f = fopen(stateJson, "w") else {
            throw CommandFailure("cannot write \(stateJson): \(String(cString: strerror(errno)))")
        }
        fputs(text, f)
        fclose(f)
    }

    private func runBare(_ elf: ElfFile) throws {
        let machine: BareMetalMachine
        do {
            machine = try BareMetalMachine(elf: elf)
        } catch let error as ElfError {
            throw CommandFailure("\(file): \(error.description)")
        }
        let stop = try stopAddress(elf)
        machine.bus.console = { byte in
            var b = byte
            _ = write(1, &b, 1)
        }
        let outcome = machine.run(stopAt: stop, maxInstructions: maxInsns ?? .max)
        try writeState(machine.cpu)
        let count = machine.cpu.retired
        switch outcome {
        case .halted(let code):
            printStatus("halted with exit code \(code) after \(count) instructions")
            if code != 0 { throw ExitCode(Int32(truncatingIfNeeded: code & 0xff)) }
        case .reachedStop:
            printStatus("stopped at \(until ?? "") (0x\(String(machine.cpu.ip, radix: 16))) after \(count) instructions")
        case .instructionLimit:
            printStatus("stopped after \(count) instructions at 0x\(String(machine.cpu.ip, radix: 16)) slot \(machine.cpu.slot)")
        case .unhandled(let reason, let interruption):
            let text = disassembly(at: interruption, memory: machine.bus.ram)
            throw CommandFailure("\(interruption) after \(count) instructions, \(reason): \(text)")
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
