import IA64Exec

/// A domain: its identity (constants, used to build it when decoding), then its state.
extension Domain {
    static func code<C: StateCoder>(_ domain: inout Domain?, _ c: inout C, hypervisor h: Hypervisor) throws {
        var id = domain?.id ?? 0
        var name = domain?.name ?? ""
        var privileged = domain?.privileged ?? false
        var onCrash = domain?.onCrash ?? .destroy
        try c.code(&id)
        try c.code(&name)
        try c.code(&privileged)
        try c.rawEnum(&onCrash, "on_crash action")
        if c.isDecoding {
            // maxPages 0 charges nothing to the heap; the p2m and its charges come next, and
            // the heap's own state is restored with the hypervisor.
            let memory = try GuestMemory(machine: h.machineMemory, heap: h.heap, maxPages: 0)
            domain = Domain(id: id, name: name, privileged: privileged, memoryPages: 0, maxPages: 0,
                            onCrash: onCrash, memory: memory)
        }
        try domain!.codeState(&c)
    }

    func codeState<C: StateCoder>(_ c: inout C) throws {
        try memory.code(&c)
        try c.objects(&vcpus) { c, v in try VirtualCPU.code(&v, &c, domain: self) }
        try c.code(&life)
        try c.code(&eventChannels)
        try c.code(&grants)
        if c.isDecoding {
            for case let m? in grants.mappings where !memory.isShared(gpfn: m.hostAddress >> XenABI.pageShift) {
                throw c.corrupt("grant mapping at 0x\(String(m.hostAddress, radix: 16)) of domain \(id) maps nothing")
            }
        }
        try c.code(&xsiBase)
        try c.code(&startInfoPhysical)
        try c.code(&reservationPages)
        try c.code(&maxPages)
        try c.bytes(&consoleOutput)
        try c.code(&consoleRingPhysical)
        try c.bytes(&consoleInputBacklog)
        try c.objects(&blockDevices) { c, d in try BlockDevice.code(&d, &c) }
        try c.code(&devicePagePhysical)
        try c.code(&machineCheckHandler)
        try c.code(&initHandler)
        try c.code(&rendezvousEntry)
        try c.code(&errorRecords)
    }
}

extension Domain.LifeState: StateCodable {
    public static var placeholder: Domain.LifeState { .running }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var tag = 0
        var reason = XenABI.ShutdownReason.poweroff
        switch self {
        case .running: tag = 0
        case .paused: tag = 1
        case .shutdown(let r): tag = 2; reason = r
        case .crashed: tag = 3
        case .destroyed: tag = 4
        }
        try c.tag(&tag, limit: 5, "domain life state")
        if tag == 2 { try c.rawEnum(&reason, "shutdown reason") }
        self = [.running, .paused, .shutdown(reason), .crashed, .destroyed][tag]
    }
}

extension Hypervisor.ErrorRecord: StateCodable {
    static var placeholder: Hypervisor.ErrorRecord { .init(id: 0, severity: 0, timestamp: 0, text: "") }
    mutating func code<C: StateCoder>(_ c: inout C) throws {
        var id = id, severity = severity, timestamp = timestamp, text = text
        try c.code(&id)
        try c.code(&severity)
        try c.code(&timestamp)
        try c.code(&text)
        self = .init(id: id, severity: severity, timestamp: timestamp, text: text)
    }
}
