import IA64Exec

/// vcpu_op (24): (cmd, vCPU id, argument handle), Xen 3.1's common do_vcpu_op. The id is a C
/// int: negative or beyond MAX_VIRT_CPUS is -EINVAL, a vCPU the domain does not have -ENOENT.
extension Hypervisor {
    func vcpuOp(_ v: VirtualCPU, cmd: UInt64, target: UInt64, handle: UInt64) -> UInt64? {
        let id = Int(Int32(truncatingIfNeeded: target))
        guard id >= 0, id < XenABI.maxVirtualCPUs else { return Errno.einval.result }
        guard id < v.domain.vcpus.count else { return Errno.enoent.result }
        let t = v.domain.vcpus[id]
        typealias Op = XenABI.VCPUOp
        switch cmd {
        case Op.up:
            guard t.state == .down else { return 0 }
            guard let entry = t.rendezvousEntry ?? v.domain.rendezvousEntry else { return Errno.einval.result }
            bringUp(t, entry: entry, bootParam: v.domain.startInfoPhysical + Self.bootParamOffset)
            printk("domain \(v.domain.id) vcpu \(t.id) up")
            return 0
        case Op.down:
            t.state = .down
            printk("domain \(v.domain.id) vcpu \(t.id) down")
            if t === v { v.cpu.setGeneralRegister(8, value: 0); return nil }
            return 0
        case Op.isUp:
            return t.isUp ? 1 : 0
        case Op.initialise:
            return Errno.einval.result  // ia64 brings vCPUs up through the SAL rendezvous
        case Op.setPeriodicTimer:
            // {u64 period_ns}
            guard let b = XencommHandle(raw: handle).read(count: 8, from: v.domain.memory) else { return Errno.efault.result }
            let period = b.le(0, 8)
            guard period >= VCPUTimers.minimumPeriod else { return Errno.einval.result }
            // The period runs on the target's own clock: for another vCPU, the time it will
            // see when it next runs.
            t.timers.startPeriodic(period: period, at: t === v ? v.cpu.intervalTimeCounter : max(now, t.lastITC))
            return 0
        case Op.stopPeriodicTimer:
            t.timers.stopPeriodic()
            return 0
        case Op.setSingleshotTimer:
            // {u64 timeout_abs_ns, u32 flags}: only for the calling vCPU.
            guard t === v else { return Errno.einval.result }
            guard let b = XencommHandle(raw: handle).read(count: 16, from: v.domain.memory) else { return Errno.efault.result }
            let deadline = b.le(0, 8)
            if b.le(8, 4) & Op.singleshotFuture != 0 && deadline < v.cpu.intervalTimeCounter { return Errno.etime.result }
            t.timers.singleShotDeadline = deadline
            return 0
        case Op.stopSingleshotTimer:
            guard t === v else { return Errno.einval.result }
            t.timers.singleShotDeadline = nil
            return 0
        default:
            return Errno.enosys.result
        }
    }
}
