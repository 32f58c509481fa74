/// An interruption the CPU raised, recorded precisely: which vector, the ISR fields, and the
/// faulting IP and slot. The CPU state is as before the faulting instruction (faults) or after
/// it (traps). The next layer delivers it to a guest's vector table; `run` returns it.
public struct Interruption: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case illegalOperation = "Illegal Operation fault"
        case breakInstruction = "Break Instruction fault"
        case privilegedOperation = "Privileged Operation fault"
        case privilegedRegister = "Privileged Register fault"
        case reservedRegisterField = "Reserved Register/Field fault"
        case disabledInstructionSetTransition = "Disabled Instruction Set Transition fault"
        case disabledFloatingPointRegister = "Disabled Floating-Point Register fault"
        case natConsumption = "Register NaT Consumption fault"
        case unalignedReference = "Unaligned Data Reference fault"
        case dataAccess = "Data Page Not Present fault"
        case instructionAccess = "Instruction Page Not Present fault"
        case speculation = "Speculation fault"
        case floatingPointFault = "Floating-Point fault"
        case floatingPointTrap = "Floating-Point trap"
        case unimplementedDataAddress = "Unimplemented Data Address fault"
        case lowerPrivilegeTransfer = "Lower-Privilege Transfer trap"
        case takenBranch = "Taken Branch trap"
        case singleStep = "Single Step trap"
        case externalInterrupt = "External Interrupt"
        /// A machine check the platform raised while psr.mc masked it, now unmasked: the
        /// platform delivers it through firmware (PALE_CHECK), not the vector table.
        case machineCheckAbort = "Machine Check Abort"
        case vhptTranslation = "VHPT Translation fault"
        case instructionTLB = "Instruction TLB fault"
        case dataTLB = "Data TLB fault"
        case alternateInstructionTLB = "Alternate Instruction TLB fault"
        case alternateDataTLB = "Alternate Data TLB fault"
        case dataNestedTLB = "Data Nested TLB fault"
        case dirtyBit = "Dirty Bit fault"
        case instructionAccessBit = "Instruction Access Bit fault"
        case dataAccessBit = "Data Access Bit fault"
        case instructionAccessRights = "Instruction Access Rights fault"
        case dataAccessRights = "Data Access Rights fault"
        case instructionKeyMiss = "Instruction Key Miss fault"
        case dataKeyMiss = "Data Key Miss fault"
        case keyPermission = "Key Permission fault"
        case instructionDebug = "Instruction Debug fault"
        case dataDebug = "Data Debug fault"
        /// Not a guest error: an instruction (or operand case) xdbg does not execute yet.
        case notImplemented = "instruction not implemented by xdbg yet (raised as Illegal Operation)"
    }

    public let kind: Kind
    /// Offset of the handler in the interruption vector table (IVA-relative).
    public var vectorOffset: UInt32 {
        switch kind {
        case .breakInstruction: return 0x2c00
        case .externalInterrupt: return 0x3000
        case .machineCheckAbort: return 0  // not through the IVT (see the case)
        case .vhptTranslation: return 0x0000
        case .instructionTLB: return 0x0400
        case .dataTLB: return 0x0800
        case .alternateInstructionTLB: return 0x0c00
        case .alternateDataTLB: return 0x1000
        case .dataNestedTLB: return 0x1400
        case .dirtyBit: return 0x2000
        case .instructionAccessBit: return 0x2400
        case .dataAccessBit: return 0x2800
        case .instructionAccessRights: return 0x5200
        case .dataAccessRights: return 0x5300
        case .instructionKeyMiss: return 0x1800
        case .dataKeyMiss: return 0x1c00
        case .keyPermission: return 0x5100
        case .instructionDebug, .dataDebug: return 0x5900
        case .dataAccess, .instructionAccess: return 0x5000
        case .illegalOperation, .notImplemented, .privilegedOperation, .privilegedRegister, .reservedRegisterField,
             .disabledInstructionSetTransition, .unimplementedDataAddress: return 0x5400  // General Exception
        case .disabledFloatingPointRegister: return 0x5500
        case .natConsumption: return 0x5600
        case .speculation: return 0x5700
        case .unalignedReference: return 0x5a00
        case .floatingPointFault: return 0x5c00
        case .floatingPointTrap: return 0x5d00
        case .lowerPrivilegeTransfer: return 0x5e00
        case .takenBranch: return 0x5f00
        case .singleStep: return 0x6000
        }
    }
    /// Interruption Status Register value (code, vector, and access bits as the manual defines).
    public let isr: UInt64
    /// ISR.ed (bit 43): exception deferral of the faulting instruction's code page.
    public static let isrED: UInt64 = 1 << 43
    /// Interruption Instruction Pointer: the bundle address of the faulting instruction.
    public let iip: UInt64
    /// Slot (0–2) of the faulting instruction (ISR.ei).
    public let slot: Int
    /// Faulting data address, when the fault is about one.
    public let ifa: UInt64?
    /// Interruption Immediate (the break/chk immediate), when there is one.
    public let iim: UInt64?
    /// Translation faults: the region's page size and RID (cr.itir) and the VHPT hash address
    /// (cr.iha).
    public let itir: UInt64?
    public let iha: UInt64?

    /// The slot is already the architecture's number (an rfi to slot 2 of an MLX bundle),
    /// not xdbg's internal one (see Processor+LongSlot.swift).
    public let slotIsArchitectural: Bool

    public init(kind: Kind, iip: UInt64, slot: Int, isr: UInt64 = 0, ifa: UInt64? = nil, iim: UInt64? = nil,
                itir: UInt64? = nil, iha: UInt64? = nil, slotIsArchitectural: Bool = false) {
        self.kind = kind
        self.slotIsArchitectural = slotIsArchitectural
        self.iip = iip
        self.slot = slot
        self.isr = isr | (UInt64(slot & 3) << 41)
        self.ifa = ifa
        self.iim = iim
        self.itir = itir
        self.iha = iha
    }

    public var description: String {
        var s = "\(kind.rawValue) at 0x\(String(iip, radix: 16)) slot \(slot)"
        if let ifa { s += ", address 0x\(String(ifa, radix: 16))" }
        if let iim { s += ", immediate 0x\(String(iim, radix: 16))" }
        return s
    }
}
