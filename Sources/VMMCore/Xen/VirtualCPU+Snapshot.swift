import IA64Exec

/// A vCPU: the CPU's whole state plus what Xen keeps beside it. The state in its mapped_regs
/// page (virtual psr.ic, bank number, ...) is guest memory, saved with the machine.
extension VirtualCPU {
    static func code<C: StateCoder>(_ vcpu: inout VirtualCPU?, _ c: inout C, domain: Domain) throws {
        var id = vcpu?.id ?? 0
        try c.code(&id)
        if c.isDecoding {
            guard (0..<XenABI.maxVirtualCPUs).contains(id) else { throw c.corrupt("vCPU id \(id)") }
            vcpu = VirtualCPU(id: id, domain: domain, physicalCPU: 0)
        }
        try vcpu!.codeState(&c)
    }

    func codeState<C: StateCoder>(_ c: inout C) throws {
        try c.code(&state)
        try c.code(&physicalCPU)
        try c.code(&iva)
        try c.code(&itm)
        try c.code(&itv)
        try c.code(&tpr)
        try c.code(&pta)
        try c.code(&dcr)
        try c.code(&pendingVectors)
        try c.code(&eventCallback)
        try c.code(&lastITC)
        try c.code(&rendezvousEntry)
        try c.code(&timers)
        try cpu.code(&c)
    }
}

extension VCPUTimers: StateCodable {
    static var placeholder: VCPUTimers { VCPUTimers() }
    mutating func code<C: StateCoder>(_ c: inout C) throws {
        try c.code(&period)
        try c.code(&periodicDeadline)
        try c.code(&singleShotDeadline)
        guard (period == 0) == (periodicDeadline == nil), period == 0 || period >= Self.minimumPeriod else {
            throw c.corrupt("periodic timer of period \(period) with deadline \(String(describing: periodicDeadline))")
        }
    }
}

extension VirtualCPU.RunState: StateCodable {
    public static var placeholder: VirtualCPU.RunState { .down }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var tag = 0
        var ports: [Int] = []
        var deadline: UInt64?
        switch self {
        case .down: tag = 0
        case .runnable: tag = 1
        case .blocked: tag = 2
        case .polling(let p, let d): tag = 3; ports = p; deadline = d
        }
        try c.tag(&tag, limit: 4, "vCPU run state")
        if tag == 3 {
            try c.code(&ports)
            try c.code(&deadline)
        }
        self = [.down, .runnable, .blocked, .polling(ports: ports, deadline: deadline)][tag]
    }
}
