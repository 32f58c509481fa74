import IA64Exec

/// Building a domain the way Xen/ia64 did (construct_dom0, xc_dom_ia64): memory, the kernel
/// loaded at its ELF physical addresses, firmware stubs in page 0, start_info with the boot
/// parameters, shared_info and the per-vCPU mapped_regs, and vCPU 0 in its boot state.
extension Hypervisor {
    static let startInfoMagicDom0 = "xen-3.1-ia64"
    static let startInfoMagicDomU = "xen-3.0-ia64"
    /// struct ia64_boot_param follows start_info in its page.
    static let bootParamOffset: UInt64 = 0x480

    @discardableResult
    public func createDomain(_ setup: DomainSetup) throws -> Domain {
        let id = domains.count
        guard (1...XenABI.maxVirtualCPUs).contains(setup.vcpus) else {
            throw DomainBuildError("domain \(setup.name): vcpus must be 1...\(XenABI.maxVirtualCPUs), not \(setup.vcpus)")
        }
        let pages = setup.memoryPages
        guard pages >= 16 else { throw DomainBuildError("domain \(setup.name): memory \(setup.memoryMiB) MiB is too small") }
        if let allowed = setup.allowedCPUs, allowed.isEmpty || allowed.contains(where: { $0 < 0 || $0 >= options.physicalCPUs }) {
            throw DomainBuildError("domain \(setup.name): cpus \(allowed) outside the machine's \(options.physicalCPUs) physical CPUs")
        }
        let disks = try openDisks(setup, domainID: id)
        let memory: GuestMemory
        do {
            // The p2m for the boot memory is charged now; leaves for memory the domain grows
            // into later (up to maxmem) are charged to the heap as they are first needed.
            memory = try GuestMemory(machine: machineMemory, heap: heap, maxPages: pages)
            memory.maxPages = setup.maxPages
        } catch {
            printk(error.description)
            throw DomainBuildError("domain \(setup.name): \(error.description) (the Xen heap is full)")
        }
        guard memory.populate(gpfns: 0..<pages) == pages else {
            throw DomainBuildError("domain \(setup.name): not enough machine memory for \(setup.memoryMiB) MiB")
        }
        // Hypervisor-owned frames shared into the domain: shared_info, one mapped_regs page
        // per vCPU, the grant-table frames.
        let sharedGPFN = XenABI.sharedInfoPhysical >> XenABI.pageShift
        let grantGPFN = XenABI.grantTablePhysical >> XenABI.pageShift
        for gpfn in Array(sharedGPFN..<(sharedGPFN + UInt64(1 + setup.vcpus))) + Array(grantGPFN..<(grantGPFN + GrantTable.maxFrames)) {
            guard let mfn = machineMemory.allocate(), memory.mapShared(gpfn: gpfn, mfn: mfn, writable: true) else {
                throw DomainBuildError("domain \(setup.name): out of machine memory for its shared pages")
            }
        }
        let domain = Domain(id: id, name: setup.name, privileged: id == 0, memoryPages: pages,
                            maxPages: setup.maxPages, onCrash: setup.onCrash, memory: memory)
        domain.kernel = setup.kernel

        // The kernel at its physical addresses.
        let loads = setup.kernel.segments.filter { $0.type == ElfSegment.typeLoad && $0.memorySize > 0 }
        guard !loads.isEmpty else { throw DomainBuildError("domain \(setup.name): kernel has no loadable segments") }
        var kernelEnd: UInt64 = 0
        for s in loads {
            let start = s.physicalAddress & ~(1 << 63)
            let end = start.addingReportingOverflow(s.memorySize)
            guard !end.overflow, end.partialValue <= pages << XenABI.pageShift, start >= 0x4000 else {
                throw DomainBuildError("domain \(setup.name): kernel segment at physical 0x\(String(start, radix: 16)) does not fit in its \(setup.memoryMiB) MiB (page 0 holds the firmware)")
            }
            if s.fileSize > 0 {
                memory.setBytes(at: start, Array(setup.kernel.bytes[Int(s.offset)..<Int(s.offset + s.fileSize)]))
            }
            kernelEnd = max(kernelEnd, end.partialValue)
        }
        FirmwareStubs.install(in: memory)

        // start_info: dom0 right after the kernel, a domU at total_pages - 3 with the xenstore
        // page and the console ring after it.
        let startPFN = id == 0 ? (kernelEnd + XenABI.pageSize - 1) >> XenABI.pageShift : pages - 3
        guard startPFN < pages else { throw DomainBuildError("domain \(setup.name): no room for start_info after the kernel") }
        let si = startPFN << XenABI.pageShift
        domain.startInfoPhysical = si
        let magic = Array((id == 0 ? Self.startInfoMagicDom0 : Self.startInfoMagicDomU).utf8)
        memory.setBytes(at: si, magic)
        memory.setU64(si + 0x20, pages)
        memory.setU64(si + 0x28, XenABI.sharedInfoPhysical)
        memory.setU32(si + 0x30, id == 0 ? 3 : 0)  // SIF_PRIVILEGED | SIF_INITDOMAIN
        if id != 0 {
            let ring = (pages - 1) << XenABI.pageShift
            domain.consoleRingPhysical = ring
            memory.setU64(si + 0x38, pages - 2)
            memory.setU64(si + 0x48, pages - 1)
            let port = domain.eventChannels.freePort() ?? 1
            domain.eventChannels[port] = .init(binding: .backend(.console), vcpu: 0)
            memory.setU32(si + 0x50, UInt64(port))
            // The xenstore page carries the device page (BlockBackend.swift).
            if !disks.isEmpty { domain.devicePagePhysical = (pages - 2) << XenABI.pageShift }
            try installBlockDevices(disks, in: domain, devicePage: domain.devicePagePhysical)
        }
        let line = Array(setup.commandLine.utf8.prefix(1023))
        memory.setBytes(at: si + 0x80, line + [0])
        let bp = si + Self.bootParamOffset
        memory.setU64(bp + 0x00, si + 0x80)
        memory.setU64(bp + 0x50, 0)
        memory.setU64(bp + 0x58, pages << XenABI.pageShift)
        memory.setU64(XenABI.sharedInfoPhysical + XSI.startInfoPFN, startPFN)
        // The wall clock at build time, from outside (shared_info wc_version/wc_sec/wc_nsec).
        let clock = inputs.wallClock(at: InputPoint(instructions: retiredInstructions, domain: id))
        memory.setU32(XenABI.sharedInfoPhysical + 0x1000, 2)
        memory.setU32(XenABI.sharedInfoPhysical + 0x1004, clock.seconds & 0xffff_ffff)
        memory.setU32(XenABI.sharedInfoPhysical + 0x1008, UInt64(clock.nanoseconds))

        // vCPUs: spread over the allowed physical CPUs, after the ones earlier domains use.
        let earlier = domains.reduce(0) { $0 + $1.vcpus.count }
        for i in 0..<setup.vcpus {
            let p = setup.allowedCPUs.map { $0[i % $0.count] } ?? (earlier + i) % options.physicalCPUs
            let v = VirtualCPU(id: i, domain: domain, physicalCPU: p)
            domain.vcpus.append(v)
            v.eventsMasked = true
        }
        domains.append(domain)
        bringUp(domain.vcpus[0], entry: setup.kernel.entry, bootParam: bp)
        printk("domain \(id) (\(setup.name)): \(setup.memoryMiB) MiB, \(setup.vcpus) vCPU\(setup.vcpus == 1 ? "" : "s"), entry 0x\(String(setup.kernel.entry, radix: 16))")
        return domain
    }

    /// The boot state of a PV vCPU (vcpu_init_regs): metaphysical mode, bank 1, kernel CPL,
    /// interruption collection and events off, timer masked, r28 = boot parameters.
    func bringUp(_ v: VirtualCPU, entry: UInt64, bootParam: UInt64) {
        let cpu = v.cpu
        cpu.ip = entry & ~0xf
        cpu.slot = 0
        cpu.setProcessorStatus(XenABI.kernelCPL << 32 | Processor.ProcessorStatus.ic | Processor.ProcessorStatus.bn)
        cpu.setApplicationRegisterForStartup(16, XenABI.kernelCPL << 2)  // ar.rsc.pl: how a guest knows it runs on Xen
        cpu.setGeneralRegister(28, value: bootParam)
        cpu.setControlRegister(.itv, 1 << 16)
        v.metaphysical = true
        v.bankNumber = 1
        v.virtualIC = false
        v.eventsMasked = true
        v.itv = 1 << 16
        v.setXSI(XSI.interruptMaskAddress, v.domain.xsiBase + XSI.upcallMask(vcpu: v.id))
        v.lastITC = now
        v.state = .runnable
        pinXSI(v)
    }

    /// Xen pins two data translation registers for the XSI area: shared_info (16 KiB) at
    /// XSI_BASE and this vCPU's mapped_regs (4 KiB) at XSI_BASE + 0x4000, read-write at the
    /// kernel's privilege level. They take the last two data TR slots.
    func pinXSI(_ v: VirtualCPU) {
        let base = v.domain.xsiBase
        v.cpu.pinTranslation(instruction: false, slot: 6, address: base, physical: XenABI.sharedInfoPhysical,
                             pageShift: 14, pl: XenABI.kernelCPL, ar: 2)
        v.cpu.pinTranslation(instruction: false, slot: 7, address: base + XSI.mappedRegsOffset, physical: v.mappedRegs,
                             pageShift: 12, pl: XenABI.kernelCPL, ar: 2)
    }
}
