import IA64Exec

/// Hypercalls: `break 0x1000` at kernel CPL, number in r2, arguments in the output registers
/// of the current frame, result (or a negative Xen errno) in r8. Numbers Xen/ia64 left
/// unwired return -ENOSYS; bad arguments get Xen's error codes, never a hypervisor crash.
extension Hypervisor {
    typealias Errno = XenABI.Errno

    func argument(_ v: VirtualCPU, _ k: Int) -> UInt64 {
        v.cpu.generalRegister(32 + v.cpu.currentFrame.sol + k)?.value ?? 0
    }

    func hypercall(_ v: VirtualCPU) {
        let cpu = v.cpu
        let number = cpu.generalRegister(2)?.value ?? 0
        cpu.skipCurrentInstruction()
        let args = (0..<6).map { argument(v, $0) }
        let result: UInt64?
        if number >= 0x100 {
            result = firmwareHypercall(v, number)
        } else {
            result = dispatch(v, number: number, args: args)
        }
        if let result { cpu.setGeneralRegister(8, value: result) }
    }

    /// One hypercall by number (also used by multicall). nil: r8 already set or the vCPU is
    /// gone (shutdown).
    func dispatch(_ v: VirtualCPU, number: UInt64, args: [UInt64]) -> UInt64? {
        guard let call = XenABI.Hypercall(rawValue: number) else { return Errno.enosys.result }
        switch call {
        case .xenVersion: return xenVersion(v, cmd: args[0], handle: args[1])
        case .consoleIO: return consoleIO(v, cmd: args[0], count: args[1], handle: args[2])
        case .schedOpCompat: return schedOp(v, cmd: args[0], argument: args[1], compat: true)
        case .schedOp: return schedOp(v, cmd: args[0], argument: args[1], compat: false)
        case .eventChannelOp: return eventChannelOp(v, cmd: args[0], handle: args[1])
        case .callbackOp: return callbackOp(v, cmd: args[0], handle: args[1])
        case .vcpuOp: return vcpuOp(v, cmd: args[0], target: args[1], handle: args[2])
        case .memoryOp: return memoryOp(v, cmd: args[0], handle: args[1])
        case .grantTableOp: return grantTableOp(v, cmd: args[0], handle: args[1], count: args[2])
        case .multicall: return multicall(v, handle: args[0], count: args[1])
        case .domctl: return domctl(v, handle: args[0])
        case .sysctl: return sysctl(v, handle: args[0])
        }
    }

    // MARK: - xen_version, console_io

    static let versionMajor: UInt64 = 3, versionMinor: UInt64 = 1
    static let extraVersion = ".0-xdbg"
    static let capabilities = "xen-3.0-ia64 xen-3.0-ia64be"

    func xenVersion(_ v: VirtualCPU, cmd: UInt64, handle: UInt64) -> UInt64 {
        let h = XencommHandle(raw: handle)
        func copyString(_ s: String, size: Int) -> UInt64 {
            var bytes = Array(s.utf8.prefix(size - 1))
            bytes += Array(repeating: 0, count: size - bytes.count)
            return h.write(bytes, to: v.domain.memory) ? 0 : Errno.efault.result
        }
        switch cmd {
        case XenABI.XenVersionOp.version: return Self.versionMajor << 16 | Self.versionMinor
        case XenABI.XenVersionOp.extraVersion: return copyString(Self.extraVersion, size: 16)
        case XenABI.XenVersionOp.capabilities: return copyString(Self.capabilities, size: 1024)
        case XenABI.XenVersionOp.pageSize: return XenABI.pageSize
        case 6:  // get_features: {u32 submap_idx, u32 submap}
            guard var info = h.read(count: 8, from: v.domain.memory) else { return Errno.efault.result }
            info.setLE(4, 4, 0)
            return h.write(info, to: v.domain.memory) ? 0 : Errno.efault.result
        default: return Errno.enosys.result
        }
    }

    /// console_io: Dom0 only (Xen without VERBOSE), write appends to its console, read takes
    /// serial input (Hypervisor+ConsoleInput.swift).
    func consoleIO(_ v: VirtualCPU, cmd: UInt64, count: UInt64, handle: UInt64) -> UInt64 {
        guard v.domain.privileged else { return Errno.eperm.result }
        switch cmd {
        case XenABI.ConsoleIO.write:
            guard count <= 1 << 16 else { return Errno.einval.result }
            guard let bytes = XencommHandle(raw: handle).read(count: Int(count), from: v.domain.memory) else {
                return Errno.efault.result
            }
            appendConsole(v.domain, bytes)
            return 0
        case XenABI.ConsoleIO.read:
            return consoleRead(v, count: count, handle: handle)
        default:
            return Errno.enosys.result
        }
    }

    // MARK: - sched_op

    func schedOp(_ v: VirtualCPU, cmd: UInt64, argument: UInt64, compat: Bool) -> UInt64? {
        let memory = v.domain.memory
        switch cmd {
        case XenABI.SchedOp.yield:
            return 0
        case XenABI.SchedOp.block:
            // Blocking enables events (Xen's do_block clears the upcall mask).
            v.eventsMasked = false
            if !v.upcallPending { v.state = .blocked }
            return 0
        case XenABI.SchedOp.shutdown:
            let reasonValue: UInt64
            if compat {
                reasonValue = argument
            } else {
                guard let b = XencommHandle(raw: argument).read(count: 4, from: memory) else { return Errno.efault.result }
                reasonValue = b.le(0, 4)
            }
            guard let reason = XenABI.ShutdownReason(rawValue: reasonValue) else { return Errno.einval.result }
            v.cpu.setGeneralRegister(8, value: 0)
            shutdown(v.domain, reason: reason)
            return nil
        case XenABI.SchedOp.poll where !compat:
            guard let b = XencommHandle(raw: argument).read(count: 24, from: memory) else { return Errno.efault.result }
            let count = b.le(8, 4)
            guard count <= 128 else { return Errno.einval.result }
            guard let list = XencommHandle(raw: b.le(0, 8)).read(count: Int(count) * 4, from: memory) else {
                return Errno.efault.result
            }
            var ports: [Int] = []
            for i in 0..<Int(count) {
                let p = list.le(4 * i, 4)
                guard v.domain.eventChannels.isValid(p) else { return Errno.einval.result }
                ports.append(Int(p))
            }
            // Return at once when one is already pending.
            for p in ports where isPending(v.domain, port: p) { return 0 }
            let timeout = b.le(16, 8)
            v.state = .polling(ports: ports, deadline: timeout == 0 ? nil : timeout)
            return 0
        case XenABI.SchedOp.remoteShutdown where !compat:
            guard v.domain.privileged else { return Errno.eperm.result }
            guard let b = XencommHandle(raw: argument).read(count: 8, from: memory) else { return Errno.efault.result }
            guard let target = domain(Int(b.le(0, 2))), target.isAlive else { return Errno.esrch.result }
            guard let reason = XenABI.ShutdownReason(rawValue: b.le(4, 4)) else { return Errno.einval.result }
            shutdown(target, reason: reason)
            return 0
        default:
            return Errno.enosys.result
        }
    }

    func isPending(_ d: Domain, port: Int) -> Bool {
        let word = d.memory.u64(XenABI.sharedInfoPhysical + XSI.eventPending + UInt64(port / 64) * 8) ?? 0
        return word & (1 << UInt64(port % 64)) != 0
    }

    // MARK: - callback_op

    func callbackOp(_ v: VirtualCPU, cmd: UInt64, handle: UInt64) -> UInt64 {
        guard let b = XencommHandle(raw: handle).read(count: cmd == XenABI.CallbackOp.register ? 16 : 2, from: v.domain.memory) else {
            return Errno.efault.result
        }
        let type = b.le(0, 2)
        guard type == XenABI.CallbackOp.typeEvent || type == XenABI.CallbackOp.typeFailsafe else { return Errno.einval.result }
        switch cmd {
        case XenABI.CallbackOp.register:
            if type == XenABI.CallbackOp.typeEvent { v.eventCallback = b.le(8, 8) }
            return 0
        case XenABI.CallbackOp.unregister:
            if type == XenABI.CallbackOp.typeEvent { v.eventCallback = nil }
            return 0
        default:
            return Errno.enosys.result
        }
    }
}
