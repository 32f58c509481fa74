import IA64Exec

/// Event channels on the wire: setting a port pending in the receiving domain's shared_info
/// (evtchn_pending, then the vCPU's pending selector and upcall flag unless masked), waking the
/// vCPU; VIRQs; and domain life-cycle events.
extension Hypervisor {
    /// evtchn_set_pending: returns whether the port was newly pending.
    @discardableResult
    func setPending(_ d: Domain, port: Int) -> Bool {
        let word = XenABI.sharedInfoPhysical + XSI.eventPending + UInt64(port / 64) * 8
        let bit = UInt64(1) << UInt64(port % 64)
        let pending = d.memory.u64(word) ?? 0
        guard pending & bit == 0 else { return false }
        d.memory.setU64(word, pending | bit)
        let mask = d.memory.u64(XenABI.sharedInfoPhysical + XSI.eventMask + UInt64(port / 64) * 8) ?? 0
        guard mask & bit == 0 else { return true }
        let vcpuIndex = d.eventChannels[port].vcpu
        guard vcpuIndex < d.vcpus.count else { return true }
        let v = d.vcpus[vcpuIndex]
        let selector = XenABI.sharedInfoPhysical + XSI.pendingSelector(vcpu: v.id)
        d.memory.setU64(selector, (d.memory.u64(selector) ?? 0) | 1 << UInt64(port / 64))
        v.upcallPending = true
        kick(v, port: port)
        return true
    }

    /// Wakes a vCPU waiting for events (or polling this port).
    func kick(_ v: VirtualCPU, port: Int?) {
        switch v.state {
        case .blocked: v.state = .runnable
        case .polling(let ports, _):
            if let port, ports.contains(port) { v.state = .runnable }
            else if port == nil { v.state = .runnable }
        default: break
        }
    }

    /// Sends on `port` of domain `d` (EVTCHNOP_send and hypervisor-internal notifications).
    func send(from d: Domain, port: Int) {
        switch d.eventChannels[port].binding {
        case .interdomain(let remoteDomain, let remotePort):
            if let r = domain(remoteDomain), r.isAlive { setPending(r, port: remotePort) }
        case .ipi, .virq:
            setPending(d, port: port)
        case .backend(let backend):
            serviceBackend(backend, of: d)
        default:
            break
        }
    }

    func sendVIRQ(_ virq: UInt64, to v: VirtualCPU) {
        if let port = v.domain.eventChannels.port(forVIRQ: virq, vcpu: v.id) { setPending(v.domain, port: port) }
    }

    /// A domain-wide VIRQ (VIRQ_DOM_EXC, VIRQ_CONSOLE…) goes to whichever vCPU bound it.
    func sendGlobalVIRQ(_ virq: UInt64, to d: Domain) {
        for v in d.vcpus { sendVIRQ(virq, to: v) }
    }

    // MARK: - Life cycle

    func shutdown(_ d: Domain, reason: XenABI.ShutdownReason) {
        guard d.isAlive else { return }
        if reason == .crash { crashDomain(d, reason: "guest requested crash"); return }
        d.life = .shutdown(reason)
        printk("domain \(d.id) (\(d.name)) shut down: \(reason)")
        releaseResources(of: d)
        if let dom0 = domain(0), dom0 !== d { sendGlobalVIRQ(XenABI.VIRQ.domainException, to: dom0) }
    }

    /// Crashes a domain (never the host): logged, then handled as on_crash says.
    func crashDomain(_ d: Domain, reason: String) {
        guard d.isAlive else { return }
        printk("domain \(d.id) (\(d.name)) crashed: \(reason); on_crash=\(d.onCrash.rawValue)")
        let v = runningVCPU.flatMap { $0.domain === d ? $0 : nil }
        crashes.append(CrashRecord(domain: d.id, name: d.name, reason: reason, instructions: retiredInstructions,
                                   vcpu: v?.id ?? -1, ip: v.map { $0.cpu.ip | UInt64($0.cpu.slot) } ?? 0))
        d.life = d.onCrash == .preserve ? .crashed : .destroyed
        releaseResources(of: d)
        if d.id == 0 {
            // As Xen: the machine does not survive its control domain.
            printk("Domain 0 crashed: rebooting machine in 5 seconds.")
            for other in domains where other.isAlive {
                other.life = .destroyed
                releaseResources(of: other)
            }
            return
        }
        if let dom0 = domain(0), dom0 !== d { sendGlobalVIRQ(XenABI.VIRQ.domainException, to: dom0) }
    }

    /// What a dying domain lets go of: its interdomain channels and the frames it maps.
    func releaseResources(of d: Domain) {
        closeInterdomainChannels(of: d)
        releaseGrantMappings(of: d)
    }

    /// The remote ends of a dead domain's channels become unbound, as Xen's evtchn_destroy.
    func closeInterdomainChannels(of d: Domain) {
        for port in 0..<XenABI.EventChannelOp.portCount {
            guard case .interdomain(let rd, let rp) = d.eventChannels[port].binding, let r = domain(rd) else { continue }
            if case .interdomain(d.id, port) = r.eventChannels[rp].binding {
                r.eventChannels[rp].binding = .unbound(remoteDomain: d.id)
            }
        }
    }
}
