import IA64Exec

/// A static IA-64 Linux program run at privilege level 3 on its own memory, with the system
/// calls exit (1025), read (1026) and write (1027): `break 0x100000`, r15 = number, arguments in
/// the caller's output registers, result in r8, r10 = 0 or -1.
public final class LinuxUserProcess {
    public static let syscallBreak: UInt64 = 0x100000
    public static let stackTop: UInt64 = 0x6000_0000_0100_0000
    public static let stackSize: UInt64 = 1 << 20
    public static let backingStoreBase: UInt64 = 0x6000_0000_8000_0000
    public static let backingStoreSize: UInt64 = 64 << 20
    /// Linux's initial ar.fpsr: all traps disabled, sf0 round-to-nearest double-extended with
    /// wre, sf1 with wre, sf2/sf3 the same as sf0.
    public static let initialFPSR: UInt64 = 0x0009_804c_0270_033f

    public enum Outcome: Equatable, Sendable {
        case exited(status: Int64)
        case reachedStop
        case instructionLimit
        case fault(Interruption)
    }

    public let memory: SparseMemory
    public let cpu: Processor
    public let elf: ElfFile
    /// Where write(2) output goes, by file descriptor.
    public var output: (Int, [UInt8]) -> Void = { _, _ in }
    /// Where read(2) input comes from: (fd, count) -> bytes.
    public var input: (Int, Int) -> [UInt8] = { _, _ in [] }

    public init(elf: ElfFile) throws {
        guard elf.type == ElfFile.typeExecutable else {
            throw ElfError("not a static executable (ELF type \(elf.type)); link with ia64-linux-gnu-ld -static")
        }
        let loads = elf.segments.filter { $0.type == ElfSegment.typeLoad }
        guard !loads.isEmpty else { throw ElfError("no loadable segments") }
        memory = SparseMemory()
        for s in loads where s.memorySize > 0 {
            // (Bounds of the file part were checked by ElfFile.)
            guard s.memorySize < 1 << 32, s.virtualAddress.addingReportingOverflow(s.memorySize).overflow == false else {
                throw ElfError("segment at 0x\(String(s.virtualAddress, radix: 16)) is too large")
            }
            memory.map(s.virtualAddress, length: s.memorySize)
            if s.fileSize > 0 {
                _ = memory.write(Array(elf.bytes[Int(s.offset)..<Int(s.offset + s.fileSize)]), at: s.virtualAddress)
            }
        }
        memory.map(Self.stackTop - Self.stackSize, length: Self.stackSize)
        memory.map(Self.backingStoreBase, length: Self.backingStoreSize)
        self.elf = elf
        cpu = Processor(bus: memory)
        cpu.ip = elf.entry
        cpu.privilegeLevel = 3
        cpu.setGeneralRegister(12, value: Self.stackTop - 16)
        cpu.setBackingStore(Self.backingStoreBase)
        cpu.setApplicationRegisterForStartup(40, Self.initialFPSR)
    }

    /// Runs until exit, the stop address, `maxInstructions` retired in total, or a fault.
    public func run(stopAt: UInt64? = nil, maxInstructions: UInt64 = .max) -> Outcome {
        cpu.stopAddress = stopAt
        while true {
            switch cpu.run(until: maxInstructions) {
            case .instructionLimit:
                return .instructionLimit
            case .reachedStopAddress:
                return .reachedStop
            case .interruption(let i):
                guard i.kind == .breakInstruction, i.iim == Self.syscallBreak else { return .fault(i) }
                if let status = systemCall() { return .exited(status: status) }
                cpu.skipCurrentInstruction()
            }
        }
    }

    /// Performs the system call in r15; returns the exit status for exit.
    func systemCall() -> Int64? {
        let number = cpu.generalRegister(15)?.value ?? 0
        let sol = cpu.currentFrame.sol
        func argument(_ i: Int) -> UInt64 { cpu.generalRegister(32 + sol + i)?.value ?? 0 }
        func result(_ value: UInt64, error: Bool) {
            cpu.setGeneralRegister(8, value: value)
            cpu.setGeneralRegister(10, value: error ? ~0 : 0)
        }
        switch number {
        case 1025:
            return Int64(bitPattern: argument(0))
        case 1026:
            let fd = Int(argument(0)), address = argument(1), count = Int(min(argument(2), 1 << 20))
            let bytes = input(fd, count).prefix(count)
            if memory.write(Array(bytes), at: address) {
                result(UInt64(bytes.count), error: false)
            } else {
                result(14, error: true)  // EFAULT
            }
        case 1027:
            let fd = Int(argument(0)), address = argument(1), count = Int(min(argument(2), 1 << 20))
            if let bytes = memory.read(address, count: count) {
                output(fd, bytes)
                result(UInt64(count), error: false)
            } else {
                result(14, error: true)
            }
        default:
            result(38, error: true)  // ENOSYS
        }
        return nil
    }
}
