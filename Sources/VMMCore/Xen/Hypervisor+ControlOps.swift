import IA64Exec

/// multicall, and the Dom0-only domctl/sysctl subset a toolstack needs (layouts of Xen 3.1's
/// public/domctl.h and sysctl.h: {u32 cmd, u32 interface_version, u16 domain, union @8}).
extension Hypervisor {
    /// multicall: an array of {u64 op, u64 result, u64 args[6]}; each result is written back.
    func multicall(_ v: VirtualCPU, handle: UInt64, count: UInt64) -> UInt64 {
        guard count <= 64 else { return Errno.einval.result }
        let h = XencommHandle(raw: handle)
        guard var entries = h.read(count: 64 * Int(count), from: v.domain.memory) else { return Errno.efault.result }
        for i in 0..<Int(count) {
            let number = entries.le(64 * i, 8)
            let args = (0..<6).map { entries.le(64 * i + 16 + 8 * $0, 8) }
            // No nesting, and calls that leave the vCPU (shutdown, down) end the batch. A
            // block or poll does not: as in Xen, it takes effect when the hypercall returns,
            // after the remaining entries ran (they used to be skipped, results unwritten).
            let result = number == XenABI.Hypercall.multicall.rawValue ? Errno.einval.result
                : dispatch(v, number: number, args: args) ?? 0
            entries.setLE(64 * i + 8, 8, result)
            guard v.state != .down, v.domain.life == .running else { break }
        }
        return h.write(entries, to: v.domain.memory) ? 0 : Errno.efault.result
    }

    enum Domctl {
        static let destroy: UInt64 = 2, pause: UInt64 = 3, unpause: UInt64 = 4, getDomainInfo: UInt64 = 5
        static let setVCPUAffinity: UInt64 = 9, maxMem: UInt64 = 11
    }

    func domctl(_ v: VirtualCPU, handle: UInt64) -> UInt64 {
        guard v.domain.privileged else { return Errno.eperm.result }
        let h = XencommHandle(raw: handle)
        guard var op = h.read(count: 64, from: v.domain.memory) else { return Errno.efault.result }
        let cmd = op.le(0, 4)
        let domid = Int(op.le(8, 2))
        guard let target = domain(domid) else { return Errno.esrch.result }
        switch cmd {
        case Domctl.pause:
            // Xen's pause by the system controller is a flag, not a count: pausing a paused
            // domain (or unpausing a running one) succeeds and changes nothing. Only pausing
            // oneself is -EINVAL.
            guard target !== v.domain else { return Errno.einval.result }
            if target.life == .running {
                target.life = .paused
                printk("domain \(target.id) paused")
            }
            return 0
        case Domctl.unpause:
            guard target !== v.domain else { return Errno.einval.result }
            if target.life == .paused {
                target.life = .running
                printk("domain \(target.id) unpaused")
            }
            return 0
        case Domctl.destroy:
            guard target !== v.domain else { return Errno.einval.result }
            guard target.life != .destroyed else { return Errno.esrch.result }
            target.life = .destroyed
            releaseResources(of: target)
            printk("domain \(target.id) destroyed")
            return 0
        case Domctl.getDomainInfo:
            // The union starts at offset 16 (it holds 64-bit members), as max_mem and
            // setvcpuaffinity below: {u16 domain @16, u32 flags @20, u64 tot_pages @24,
            // u64 max_pages @32, u64 shared_info_frame @40, u64 cpu_time @48,
            // u32 nr_online_vcpus @56, u32 max_vcpu_id @60, u32 ssidref @64, handle[16] @68}.
            // Flags are Xen's XEN_DOMINF_*: dying 0, hvm_guest 1, shutdown 2, paused 3,
            // blocked 4, running 5, shutdown reason << 16.
            op.setLE(8, 2, UInt64(target.id))
            op.setLE(16, 2, UInt64(target.id))
            var flags: UInt64 = 0
            switch target.life {
            case .shutdown(let r): flags |= 1 << 2 | r.rawValue << 16
            case .crashed, .destroyed: flags |= 1 << 0
            case .paused: flags |= 1 << 3
            case .running: flags |= target.vcpus.contains { $0.state == .runnable } ? 1 << 5 : 1 << 4
            }
            op.setLE(20, 4, flags)
            op.setLE(24, 8, target.reservationPages)
            op.setLE(32, 8, target.maxPages)
            op.setLE(40, 8, XenABI.sharedInfoPhysical >> XenABI.pageShift)
            op.setLE(48, 8, target.vcpus.reduce(0) { $0 + $1.cpu.retired })
            op.setLE(56, 4, UInt64(target.vcpus.filter(\.isUp).count))
            op.setLE(60, 4, UInt64(target.vcpus.count - 1))
            return h.write(op, to: v.domain.memory) ? 0 : Errno.efault.result
        case Domctl.maxMem:
            // {u64 max_memkb}
            let pages = (op.le(16, 8) << 10) >> XenABI.pageShift
            guard pages >= target.reservationPages else { return Errno.einval.result }
            target.maxPages = pages
            return 0
        case Domctl.setVCPUAffinity:
            // {u32 vcpu, cpumap handle @24, u32 nr_cpus @32}
            let vcpu = Int(op.le(16, 4))
            guard vcpu < target.vcpus.count else { return Errno.einval.result }
            guard let map = XencommHandle(raw: op.le(24, 8)).read(count: 8, from: v.domain.memory) else { return Errno.efault.result }
            let bits = map.le(0, 8)
            guard let cpu = (0..<options.physicalCPUs).first(where: { bits >> UInt64($0) & 1 != 0 }) else { return Errno.einval.result }
            target.vcpus[vcpu].physicalCPU = cpu
            return 0
        default:
            return Errno.enosys.result
        }
    }

    enum Sysctl { static let readConsole: UInt64 = 1, physinfo: UInt64 = 3 }

    func sysctl(_ v: VirtualCPU, handle: UInt64) -> UInt64 {
        guard v.domain.privileged else { return Errno.eperm.result }
        let h = XencommHandle(raw: handle)
        guard var op = h.read(count: 64, from: v.domain.memory) else { return Errno.efault.result }
        switch op.le(0, 4) {
        case Sysctl.readConsole:
            // {u32 clear @8, handle buffer @16, u32 count @24 (in: size, out: written)}
            let text = Array((log.joined(separator: "\n") + "\n").utf8)
            let n = min(Int(op.le(24, 4)), text.count)
            guard XencommHandle(raw: op.le(16, 8)).write(Array(text.suffix(n)), to: v.domain.memory) else { return Errno.efault.result }
            op.setLE(24, 4, UInt64(n))
        case Sysctl.physinfo:
            // {u32 threads_per_core @8, cores_per_socket, sockets_per_node, nr_nodes, u32 cpu_khz @24,
            //  u64 total_pages @32, u64 free_pages @40}
            op.setLE(8, 4, 1)
            op.setLE(12, 4, UInt64(options.physicalCPUs))
            op.setLE(16, 4, 1)
            op.setLE(20, 4, 1)
            op.setLE(24, 4, 1_000_000)
            let used = domains.filter(\.isAlive).reduce(0) { $0 + $1.reservationPages }
            op.setLE(32, 8, used)
            op.setLE(40, 8, 0)
        default:
            return Errno.enosys.result
        }
        return h.write(op, to: v.domain.memory) ? 0 : Errno.efault.result
    }
}
