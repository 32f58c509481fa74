import IA64Exec

/// Firmware hypercalls (r2 >= 0x100), reached through the stubs in guest page 0 or directly:
/// the XSI address, PAL and SAL procedures, and IPIs.
extension Hypervisor {
    func firmwareHypercall(_ v: VirtualCPU, _ number: UInt64) -> UInt64? {
        let cpu = v.cpu
        func r(_ n: Int) -> UInt64 { cpu.generalRegister(n)?.value ?? 0 }
        switch number {
        case XenABI.Firmware.setSharedInfoVA:
            let va = r(28)
            // Region 7, 64 KiB aligned (Xen panicked the domain otherwise).
            guard va >> 61 == 7, va & 0xffff == 0 else {
                crashDomain(v.domain, reason: "FW_HYPERCALL_SET_SHARED_INFO_VA: bad address 0x\(String(va, radix: 16))")
                return nil
            }
            v.domain.xsiBase = va
            for w in v.domain.vcpus {
                w.setXSI(XSI.interruptMaskAddress, va + XSI.upcallMask(vcpu: w.id))
                pinXSI(w)
            }
            return 0
        case XenABI.Firmware.pal:
            return palCall(v, index: r(28))
        case XenABI.Firmware.sal:
            return salCall(v, arguments: (32...39).map { r($0) })
        case XenABI.Firmware.ipi:
            return ipi(v, target: r(14), vector: r(15))
        case XenABI.Firmware.salReturn:
            v.state = .down
            return 0
        default:
            return XenABI.Errno.enosys.result
        }
    }

    /// PAL procedures: HALT_LIGHT idles the vCPU until an event or its timer. Others report
    /// "unimplemented" (-1) in r8.
    func palCall(_ v: VirtualCPU, index: UInt64) -> UInt64 {
        switch index {
        case XenABI.PAL.haltLight:
            if !v.upcallPending && v.pendingVectors.isEmpty { v.state = .blocked }
            return 0
        case XenABI.PAL.freqRatios:
            // ITC ticks one per instruction: ratios 1/1.
            v.cpu.setGeneralRegister(9, value: 1 << 32 | 1)
            v.cpu.setGeneralRegister(10, value: 1 << 32 | 1)
            v.cpu.setGeneralRegister(11, value: 1 << 32 | 1)
            return 0
        default:
            return UInt64(bitPattern: -1)
        }
    }

    /// SAL procedures: SET_VECTORS (machine check, INIT, boot rendezvous), FREQ_BASE, and the
    /// error-record calls for injected machine checks.
    func salCall(_ v: VirtualCPU, arguments a: [UInt64]) -> UInt64 {
        let d = v.domain
        switch a[0] {
        case XenABI.SAL.setVectors:
            switch a[1] {
            case 0: d.machineCheckHandler = a[2]
            case 1: d.initHandler = a[2]
            case XenABI.SAL.bootRendezvousVectorType: d.rendezvousEntry = a[2]
            default: return UInt64(bitPattern: -2)  // invalid argument
            }
            return 0
        case XenABI.SAL.getStateInfo:
            return salGetStateInfo(v, type: a[1], buffer: a[3])
        case XenABI.SAL.getStateInfoSize:
            v.cpu.setGeneralRegister(9, value: 4096)
            return 0
        case XenABI.SAL.clearStateInfo:
            d.errorRecords[a[1]] = nil
            return 0
        case XenABI.SAL.freqBase:
            v.cpu.setGeneralRegister(9, value: 1_000_000_000)  // the platform clock, in Hz
            return 0
        default:
            return UInt64(bitPattern: -1)
        }
    }

    /// FW_HYPERCALL_IPI: the boot rendezvous vector starts a secondary vCPU at the entry
    /// registered with SAL_SET_VECTORS; other vectors pend on the target.
    func ipi(_ v: VirtualCPU, target: UInt64, vector: UInt64) -> UInt64 {
        let d = v.domain
        guard target < UInt64(d.vcpus.count), vector < 256 else { return XenABI.Errno.einval.result }
        let t = d.vcpus[Int(target)]
        if vector == XenABI.Firmware.bootRendezvousVector {
            guard t.state == .down, let entry = d.rendezvousEntry else { return 0 }
            bringUp(t, entry: entry, bootParam: d.startInfoPhysical + Self.bootParamOffset)
            printk("domain \(d.id) vcpu \(t.id) up (boot rendezvous)")
            return 0
        }
        t.pendingVectors.insert(Int(vector))
        kick(t, port: nil)
        return 0
    }
}
