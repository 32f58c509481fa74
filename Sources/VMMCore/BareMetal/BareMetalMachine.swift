import IA64Exec

/// An IA-64 ELF run as a processor leaves firmware: loaded at its physical addresses, started
/// at privilege level 0 in physical addressing mode with interruption collection off, on the
/// minimal platform of `BareMetalBus`. Interruptions go to the program's own vector table
/// (cr.iva); one that would be lost (no vector table, or collection off) ends the run.
public final class BareMetalMachine {
    public enum Outcome: Equatable, Sendable {
        case halted(code: UInt64)
        case reachedStop
        case instructionLimit
        /// An interruption the program cannot take: why, and the interruption.
        case unhandled(reason: String, Interruption)
    }

    public let bus = BareMetalBus()
    public let cpu: Processor
    public let elf: ElfFile
    /// Where the register stack starts unless the program sets ar.bspstore itself.
    public static let initialBackingStore: UInt64 = 48 << 20

    public init(elf: ElfFile) throws {
        let loads = elf.segments.filter { $0.type == ElfSegment.typeLoad && $0.memorySize > 0 }
        guard !loads.isEmpty else { throw ElfError("no loadable segments") }
        for s in loads {
            let end = s.physicalAddress.addingReportingOverflow(s.memorySize)
            guard !end.overflow, BareMetalBus.physical(end.partialValue) <= BareMetalBus.ramSize else {
                throw ElfError("segment at physical 0x\(String(s.physicalAddress, radix: 16)) is outside the platform's \(BareMetalBus.ramSize >> 20) MiB of RAM")
            }
            if s.fileSize > 0 {
                _ = bus.ram.write(Array(elf.bytes[Int(s.offset)..<Int(s.offset + s.fileSize)]),
                                  at: BareMetalBus.physical(s.physicalAddress))
            }
        }
        self.elf = elf
        cpu = Processor(bus: bus)
        // The entry point is virtual; with a physical link (the usual bare layout) it is the same.
        cpu.ip = elf.entry
        cpu.privilegeLevel = 0
        cpu.setBackingStore(Self.initialBackingStore)
    }

    public func run(stopAt: UInt64? = nil, maxInstructions: UInt64 = .max) -> Outcome {
        cpu.stopAddress = stopAt
        while true {
            switch cpu.run(until: maxInstructions) {
            case .instructionLimit: return .instructionLimit
            case .reachedStopAddress: return .reachedStop
            case .interruption(let i):
                if let code = bus.haltCode { return .halted(code: code) }
                if cpu.controlRegister(.iva) == 0 {
                    return .unhandled(reason: "no interruption vector table (cr.iva is 0)", i)
                }
                if cpu.psr & Processor.ProcessorStatus.ic == 0 {
                    return .unhandled(reason: "interruption with collection off (psr.ic = 0): its state would be lost", i)
                }
                cpu.deliver(i)
            }
        }
    }
}
