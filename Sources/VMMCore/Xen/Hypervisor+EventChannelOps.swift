import IA64Exec

/// event_channel_op (32): (cmd, pointer to the command's struct), layouts from
/// public/event_channel.h of Xen 3.1.
extension Hypervisor {
    func eventChannelOp(_ v: VirtualCPU, cmd: UInt64, handle: UInt64) -> UInt64 {
        let d = v.domain
        let h = XencommHandle(raw: handle)
        let sizes: [UInt64: Int] = [0: 12, 1: 12, 3: 4, 4: 4, 5: 24, 6: 8, 7: 8, 8: 8, 9: 4]
        guard let size = sizes[cmd] else { return Errno.enosys.result }
        guard var op = h.read(count: size, from: d.memory) else { return Errno.efault.result }
        func writeBack() -> UInt64 { h.write(op, to: d.memory) ? 0 : Errno.efault.result }
        func resolve(_ dom: UInt64) -> Domain? { dom == XenABI.domidSelf ? d : domain(Int(dom)) }
        typealias Op = XenABI.EventChannelOp

        switch cmd {
        case Op.allocUnbound:
            guard let owner = resolve(op.le(0, 2)) else { return Errno.esrch.result }
            guard owner === d || d.privileged else { return Errno.eperm.result }
            let remote = op.le(2, 2) == XenABI.domidSelf ? d.id : Int(op.le(2, 2))
            guard let port = owner.eventChannels.freePort() else { return Errno.enospc.result }
            owner.eventChannels[port] = .init(binding: .unbound(remoteDomain: remote), vcpu: 0)
            op.setLE(4, 4, UInt64(port))
            return writeBack()

        case Op.bindInterdomain:
            guard let remote = resolve(op.le(0, 2)), remote.isAlive else { return Errno.esrch.result }
            let remotePort = op.le(4, 4)
            guard remote.eventChannels.isValid(remotePort),
                  case .unbound(let allowed) = remote.eventChannels[Int(remotePort)].binding, allowed == d.id else {
                return Errno.einval.result
            }
            guard let port = d.eventChannels.freePort() else { return Errno.enospc.result }
            d.eventChannels[port] = .init(binding: .interdomain(remoteDomain: remote.id, remotePort: Int(remotePort)), vcpu: 0)
            remote.eventChannels[Int(remotePort)].binding = .interdomain(remoteDomain: d.id, remotePort: port)
            op.setLE(8, 4, UInt64(port))
            // A bound channel starts pending on the remote end, as Xen's bind_interdomain.
            setPending(remote, port: Int(remotePort))
            return writeBack()

        case Op.bindVIRQ:
            let virq = op.le(0, 4), vcpu = op.le(4, 4)
            guard virq < XenABI.VIRQ.count else { return Errno.einval.result }
            guard vcpu < UInt64(d.vcpus.count) else { return Errno.enoent.result }
            guard d.eventChannels.port(forVIRQ: virq, vcpu: Int(vcpu)) == nil else { return Errno.eexist.result }
            guard let port = d.eventChannels.freePort() else { return Errno.enospc.result }
            d.eventChannels[port] = .init(binding: .virq(virq), vcpu: Int(vcpu))
            op.setLE(8, 4, UInt64(port))
            return writeBack()

        case Op.bindIPI:
            let vcpu = op.le(0, 4)
            guard vcpu < UInt64(d.vcpus.count) else { return Errno.enoent.result }
            guard let port = d.eventChannels.freePort() else { return Errno.enospc.result }
            d.eventChannels[port] = .init(binding: .ipi, vcpu: Int(vcpu))
            op.setLE(4, 4, UInt64(port))
            return writeBack()

        case Op.close:
            let port = op.le(0, 4)
            guard d.eventChannels.isValid(port), port != 0 else { return Errno.einval.result }
            switch d.eventChannels[Int(port)].binding {
            case .free: return Errno.einval.result
            case .reserved, .backend: return Errno.einval.result
            case .interdomain(let rd, let rp):
                if let r = domain(rd), case .interdomain(d.id, Int(port)) = r.eventChannels[rp].binding {
                    r.eventChannels[rp].binding = .unbound(remoteDomain: d.id)
                }
            default: break
            }
            d.eventChannels[Int(port)] = .init()
            return 0

        case Op.send:
            let port = op.le(0, 4)
            guard d.eventChannels.isValid(port) else { return Errno.einval.result }
            switch d.eventChannels[Int(port)].binding {
            case .free, .reserved: return Errno.einval.result
            case .unbound: return 0  // nobody listening yet: dropped, as in Xen
            default:
                send(from: d, port: Int(port))
                return 0
            }

        case Op.status:
            guard let target = resolve(op.le(0, 2)) else { return Errno.esrch.result }
            guard target === d || d.privileged else { return Errno.eperm.result }
            let port = op.le(4, 4)
            guard target.eventChannels.isValid(port) else { return Errno.einval.result }
            let p = target.eventChannels[Int(port)]
            op.setLE(8, 4, target.eventChannels.statusCode(Int(port)))
            op.setLE(12, 4, UInt64(p.vcpu))
            switch p.binding {
            case .unbound(let rd): op.setLE(16, 2, UInt64(rd))
            case .interdomain(let rd, let rp): op.setLE(16, 2, UInt64(rd)); op.setLE(20, 4, UInt64(rp))
            case .virq(let n): op.setLE(16, 4, n)
            default: break
            }
            return writeBack()

        case Op.bindVCPU:
            let port = op.le(0, 4), vcpu = op.le(4, 4)
            guard d.eventChannels.isValid(port), d.eventChannels[Int(port)].binding != .free else { return Errno.einval.result }
            guard vcpu < UInt64(d.vcpus.count) else { return Errno.enoent.result }
            d.eventChannels[Int(port)].vcpu = Int(vcpu)
            return 0

        case Op.unmask:
            let port = op.le(0, 4)
            guard d.eventChannels.isValid(port) else { return Errno.einval.result }
            let maskWord = XenABI.sharedInfoPhysical + XSI.eventMask + (port / 64) * 8
            let bit: UInt64 = 1 << (port % 64)
            d.memory.setU64(maskWord, (d.memory.u64(maskWord) ?? 0) & ~bit)
            // A port that became pending while masked now raises the upcall.
            if isPending(d, port: Int(port)) {
                let v = d.vcpus[min(d.eventChannels[Int(port)].vcpu, d.vcpus.count - 1)]
                let selector = XenABI.sharedInfoPhysical + XSI.pendingSelector(vcpu: v.id)
                d.memory.setU64(selector, (d.memory.u64(selector) ?? 0) | 1 << (port / 64))
                v.upcallPending = true
                kick(v, port: Int(port))
            }
            return 0

        default:
            return Errno.enosys.result
        }
    }
}
