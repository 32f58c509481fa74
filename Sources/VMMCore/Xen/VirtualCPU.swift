import IA64Exec

/// One vCPU of a domain: the emulated CPU holding the guest's registers, TLB and region
/// registers, plus the virtual state Xen keeps beside it (the guest's private IVA, the virtual
/// timer, the event callback). The interruption registers, virtual psr.ic, the event mask and
/// the register bank number live in the vCPU's mapped_regs page, where the guest reads them.
public final class VirtualCPU {
    public enum RunState: Equatable, Sendable {
        /// Not brought up yet, or taken down with VCPUOP_down.
        case down
        case runnable
        /// SCHEDOP_block / PAL_HALT_LIGHT: waiting for an event or the timer.
        case blocked
        /// SCHEDOP_poll: waiting for one of these ports (or the deadline, in ITC units).
        case polling(ports: [Int], deadline: UInt64?)
    }

    public let id: Int
    public unowned let domain: Domain
    public let cpu: Processor
    public internal(set) var state: RunState = .down
    /// The physical CPU the scheduler runs it on.
    public internal(set) var physicalCPU: Int
    /// The guest's interruption vector table (cr.iva is private to the hypervisor on PV).
    var iva: UInt64 = 0
    /// Virtual cr.itm (absolute ITC value) and cr.itv; the timer is masked while itv bit 16 is
    /// set or itv is 0, as Xen's vcpu_timer_disabled.
    var itm: UInt64?
    var itv: UInt64 = 0x1_0000
    var tpr: UInt64 = 0x1_0000
    var pta: UInt64 = 15 << 2
    var dcr: UInt64 = 0
    /// Legacy virtual external interrupts (vectors pended without an event callback).
    var pendingVectors: Set<Int> = []
    var eventCallback: UInt64?
    /// The ITC value the vCPU has reached: it never goes backwards across quanta.
    var lastITC: UInt64 = 0
    /// The vcpu_op periodic and single-shot timers (VIRQ_TIMER).
    var timers = VCPUTimers()
    /// The entry point a secondary vCPU starts at when woken by the boot rendezvous IPI.
    var rendezvousEntry: UInt64?

    init(id: Int, domain: Domain, physicalCPU: Int) {
        self.id = id
        self.domain = domain
        self.physicalCPU = physicalCPU
        cpu = Processor(bus: domain.memory)
    }

    var mappedRegs: UInt64 { XenABI.mappedRegsPhysical(vcpu: id) }

    func xsi(_ offset: UInt64) -> UInt64 { domain.memory.u64(mappedRegs + offset) ?? 0 }
    func setXSI(_ offset: UInt64, _ value: UInt64) { domain.memory.setU64(mappedRegs + offset, value) }

    /// Virtual psr.ic (XSI interrupt_collection_enabled, an int).
    var virtualIC: Bool {
        get { (domain.memory.u32(mappedRegs + XSI.interruptCollection) ?? 0) != 0 }
        set { domain.memory.setU32(mappedRegs + XSI.interruptCollection, newValue ? 1 : 0) }
    }

    /// evtchn_upcall_mask of this vCPU's vcpu_info: virtual psr.i = !mask.
    var eventsMasked: Bool {
        get { (domain.memory.u8(XenABI.sharedInfoPhysical + XSI.upcallMask(vcpu: id)) ?? 1) != 0 }
        set { domain.memory.setU8(XenABI.sharedInfoPhysical + XSI.upcallMask(vcpu: id), newValue ? 1 : 0) }
    }

    var upcallPending: Bool {
        get { (domain.memory.u8(XenABI.sharedInfoPhysical + XSI.upcallPending(vcpu: id)) ?? 0) != 0 }
        set { domain.memory.setU8(XenABI.sharedInfoPhysical + XSI.upcallPending(vcpu: id), newValue ? 1 : 0) }
    }

    var bankNumber: UInt64 {
        get { domain.memory.u32(mappedRegs + XSI.bankNumber) ?? 1 }
        set { domain.memory.setU32(mappedRegs + XSI.bankNumber, newValue) }
    }

    var metaphysical: Bool {
        get { (domain.memory.u32(mappedRegs + XSI.metaphysicalMode) ?? 0) != 0 }
        set { domain.memory.setU32(mappedRegs + XSI.metaphysicalMode, newValue ? 1 : 0) }
    }

    var timerEnabled: Bool { itv != 0 && itv & (1 << 16) == 0 }

    /// The psr the guest believes it has: the real one with cpl uncompressed (kernel 2 → 0),
    /// and ic, i and bn from the virtual state.
    var virtualPSR: UInt64 {
        var p = cpu.psr
        let cpl = (p >> 32) & 3
        p &= ~(3 << 32 | Processor.ProcessorStatus.ic | Processor.ProcessorStatus.i | Processor.ProcessorStatus.bn)
        p |= (cpl == 3 ? 3 : 0) << 32
        if virtualIC { p |= Processor.ProcessorStatus.ic }
        if !eventsMasked { p |= Processor.ProcessorStatus.i }
        if bankNumber != 0 { p |= Processor.ProcessorStatus.bn }
        return p
    }

    public var isUp: Bool { state != .down }

    /// A hash of the vCPU's architectural state (the registers ArchitecturalStateReport shows,
    /// region registers) and its scheduling state (with the vcpu_op timers when armed), for
    /// replay state checks. Binary, not the report's text: it is taken at every check.
    public var architecturalHash: UInt64 {
        var h = StateHasher()
        h.add(String(describing: state))
        let frame = cpu.currentFrame
        for r in 0..<(32 + frame.sof) {
            guard let (value, nat) = cpu.generalRegister(r) else { continue }
            h.add(value)
            h.add(byte: nat ? 1 : 0)
        }
        for f in 0..<128 {
            let bits = cpu.floatingRegister(f)
            h.add(bits.significand)
            h.add(UInt64(bits.signExponent))
        }
        h.add(cpu.predicates)
        for b in 0..<8 { h.add(cpu.branchRegister(b)) }
        for (n, _) in ArchitecturalStateReport.applicationRegisterNames { h.add(cpu.applicationRegister(n)) }
        h.add(frame.bits)
        for c in ArchitecturalStateReport.hashedControlRegisters { h.add(cpu.controlRegister(c)) }
        h.add(cpu.psr)
        h.add(cpu.ip)
        h.add(UInt64(cpu.slot))
        h.add(cpu.retired)
        for r in 0..<8 { h.add(cpu.regionRegister(r)) }
        if timers.isArmed {
            h.add(timers.period)
            h.add(timers.periodicDeadline ?? .max)
            h.add(timers.singleShotDeadline ?? .max)
        }
        return h.value
    }
}
