import IA64Exec

/// Machine checks and INITs injected into a domain. The hypervisor logs the event, keeps a
/// SAL error record the guest retrieves with SAL_GET_STATE_INFO (type 0 MCA, 1 INIT), tells
/// Dom0 with VIRQ_MCA_CPE, and enters the OS handler the guest registered with
/// SAL_SET_VECTORS, like an interruption (interrupted state in the XSI area, collection off,
/// events masked) with r8 = 1 (INIT) or 2 (machine check). A machine check with no handler
/// crashes the domain, as firmware would reset a machine without an OS_MCA.
extension Hypervisor {
    public enum PlatformEvent: String, Sendable, Equatable {
        case machineCheck = "mca"
        case initSignal = "init"

        var salRecordType: UInt64 { self == .machineCheck ? 0 : 1 }
    }

    /// A SAL error record: header {u64 id, u8 revision[2], u8 severity, u8 validation, u32
    /// length, u64 timestamp (virtual time), u8 platform_guid[16]} then the event text.
    struct ErrorRecord: Equatable {
        let id: UInt64
        let severity: UInt8
        let timestamp: UInt64
        let text: String

        var bytes: [UInt8] {
            var b = [UInt8](repeating: 0, count: 40)
            b.setLE(0, 8, id)
            b.setLE(8, 2, 0x0002)  // revision 2.0
            b.setLE(10, 1, UInt64(severity))
            let payload = Array(text.utf8) + [0]
            b.setLE(12, 4, UInt64(40 + payload.count))
            b.setLE(16, 8, timestamp)
            return b + payload
        }
    }

    /// Injects `event` into vCPU `vcpu` of domain `domainID`; false (and a log line) when
    /// there is no such live domain or vCPU.
    @discardableResult
    public func inject(_ event: PlatformEvent, domain domainID: Int, vcpu: Int) -> Bool {
        guard let d = domain(domainID), d.isAlive, vcpu >= 0, vcpu < d.vcpus.count, d.vcpus[vcpu].isUp else {
            printk("\(event == .machineCheck ? "MCA" : "INIT"): no running domain \(domainID) vcpu \(vcpu) to inject into")
            return false
        }
        let v = d.vcpus[vcpu]
        errorRecordCount += 1
        let name = event == .machineCheck ? "MCA" : "INIT"
        let record = ErrorRecord(id: errorRecordCount, severity: event == .machineCheck ? 1 : 0, timestamp: now,
                                 text: "\(name) injected by xdbg into domain \(d.id) vcpu \(vcpu) at ip 0x\(String(v.cpu.ip, radix: 16))")
        d.errorRecords[event.salRecordType] = record
        printk("\(name): injected into domain \(d.id) (\(d.name)) vcpu \(vcpu) at ip 0x\(String(v.cpu.ip, radix: 16)) slot \(v.cpu.slot), record \(record.id)")
        if let dom0 = domain(0), dom0.isAlive { sendGlobalVIRQ(XenABI.VIRQ.mcaCPE, to: dom0) }
        guard let handler = event == .machineCheck ? d.machineCheckHandler : d.initHandler else {
            if event == .machineCheck {
                crashDomain(d, reason: "machine check with no OS_MCA handler registered")
            } else {
                printk("INIT: domain \(d.id) registered no OS_INIT handler; ignored")
            }
            return true
        }
        var ipsr = v.virtualPSR & ~(3 << 41)
        ipsr |= UInt64(v.cpu.architecturalSlot(v.cpu.slot, at: v.cpu.ip) & 3) << 41
        enterGuestHandler(v, target: handler, ipsr: ipsr, iip: v.cpu.ip, isr: 0)
        v.cpu.setGeneralRegister(8, value: event == .machineCheck ? 2 : 1)
        if v.state != .runnable { v.state = .runnable }
        return true
    }

    /// SAL_GET_STATE_INFO(type, 0, buffer): copies the pending record; r9 = its size.
    /// SAL status -5 ("no information available") when there is none.
    func salGetStateInfo(_ v: VirtualCPU, type: UInt64, buffer: UInt64) -> UInt64 {
        guard let record = v.domain.errorRecords[type] else { return UInt64(bitPattern: -5) }
        let bytes = record.bytes
        guard v.domain.memory.setBytes(at: buffer, bytes) else { return UInt64(bitPattern: -2) }
        v.cpu.setGeneralRegister(9, value: UInt64(bytes.count))
        return 0
    }
}
