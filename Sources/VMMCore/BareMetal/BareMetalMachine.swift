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

    /// Firmware entry points. Nothing is mapped there: a fetch from one is a firmware call,
    /// serviced by `firmware` and returned from as the calling convention says.
    /// - PAL (static calling convention): `br` to `palEntry` with the return address in b0,
    ///   r28 = function index, r29–r31 = arguments; results in r8 (status), r9–r11; returns to b0.
    /// - SAL (procedure calling convention): `br.call` to `salEntry`; function and arguments in
    ///   the callee's r32–r39; results in r8 (status), r9–r11; returns as br.ret b0 does.
    public static let palEntry: UInt64 = 0xffff_8000
    public static let salEntry: UInt64 = 0xffff_8010

    public enum FirmwareInterface: Sendable, Equatable { case pal, sal }

    public struct FirmwareCall: Sendable, Equatable {
        public let interface: FirmwareInterface
        /// PAL: r28 then r29–r31; SAL: r32–r39.
        public let arguments: [UInt64]

        public init(interface: FirmwareInterface, arguments: [UInt64]) {
            self.interface = interface
            self.arguments = arguments
        }
    }

    /// Results in r8 (status) and r9–r11.
    public struct FirmwareResult: Sendable, Equatable {
        public var status: Int64
        public var values: [UInt64]
        public init(status: Int64, values: [UInt64] = []) {
            self.status = status
            self.values = values
        }
        /// The architected "unimplemented procedure" status.
        public static let unimplemented = FirmwareResult(status: -1)
    }

    /// Services firmware calls; by default every procedure reports "unimplemented" (-1).
    /// SAL_SET_VECTORS (0x01000000) is answered by the machine itself, before this.
    public var firmware: (FirmwareCall) -> FirmwareResult = { _ in .unimplemented }

    /// Machine check and INIT: platform events delivered to the OS handlers registered with
    /// SAL_SET_VECTORS (vector type 0 = machine check, 1 = INIT; handler physical address in
    /// the next argument). On delivery the interrupted state is always collected in cr.ipsr and
    /// cr.iip, the PSR is formed as for an interruption, r8 says which event (1 INIT, 2 machine
    /// check), and execution continues at the handler.
    public enum PlatformEvent: Sendable, Equatable { case initSignal, machineCheck }
    public private(set) var machineCheckHandler: UInt64?
    public private(set) var initHandler: UInt64?
    public static let salSetVectors: UInt64 = 0x0100_0000

    /// Raises `event`; false (nothing happens) when the guest registered no handler for it.
    /// A machine check while psr.mc is set waits until the guest clears it (an rfi from its
    /// handler); its handler runs with psr.mc set.
    @discardableResult
    public func raise(_ event: PlatformEvent) -> Bool {
        guard let handler = event == .initSignal ? initHandler : machineCheckHandler else { return false }
        if event == .machineCheck && cpu.psr & Processor.ProcessorStatus.mc != 0 {
            cpu.holdMachineCheck()
            return true
        }
        cpu.deliverPlatformEvent(to: handler, code: event == .initSignal ? 1 : 2, masksMachineChecks: event == .machineCheck)
        return true
    }
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

    func serviceFirmwareCall(sal: Bool) {
        let registers = sal ? Array(32...39) : Array(28...31)
        let arguments = registers.map { cpu.generalRegister($0)?.value ?? 0 }
        let result: FirmwareResult
        if sal && arguments[0] == Self.salSetVectors && arguments[1] <= 1 {
            if arguments[1] == 0 { machineCheckHandler = arguments[2] } else { initHandler = arguments[2] }
            result = FirmwareResult(status: 0)
        } else {
            result = firmware(FirmwareCall(interface: sal ? .sal : .pal, arguments: arguments))
        }
        cpu.setGeneralRegister(8, value: UInt64(bitPattern: result.status))
        for (i, v) in result.values.prefix(3).enumerated() { cpu.setGeneralRegister(9 + i, value: v) }
        if sal {
            cpu.returnFromProcedure(through: 0)
        } else {
            cpu.ip = cpu.branchRegister(0) & ~0xf
            cpu.slot = 0
        }
    }

    public func run(stopAt: UInt64? = nil, maxInstructions: UInt64 = .max) -> Outcome {
        cpu.stopAddress = stopAt
        while true {
            switch cpu.run(until: maxInstructions) {
            case .instructionLimit: return .instructionLimit
            case .reachedStopAddress: return .reachedStop
            case .interruption(let i):
                if let code = bus.haltCode { return .halted(code: code) }
                if i.kind == .machineCheckAbort, let handler = machineCheckHandler {
                    cpu.deliverPlatformEvent(to: handler, code: 2, masksMachineChecks: true)
                    continue
                }
                if i.kind == .instructionAccess, cpu.slot == 0,
                   BareMetalBus.physical(cpu.ip) == Self.palEntry || BareMetalBus.physical(cpu.ip) == Self.salEntry {
                    serviceFirmwareCall(sal: BareMetalBus.physical(cpu.ip) == Self.salEntry)
                    continue
                }
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
