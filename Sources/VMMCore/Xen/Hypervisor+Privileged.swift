import IA64Exec

/// What a guest kernel at CPL 2 cannot do itself: hyperprivops (`break 1`…`break 0x19`) and
/// privileged instructions, emulated against the vCPU's virtual state as Xen's privop.c and
/// priv_emulate did. Instructions that only touch the vCPU's own TLB, region and key
/// registers run on its CPU with privilege 0; those that involve psr.ic, psr.i, the
/// interruption registers, the IVA or the timer are virtualized.
extension Hypervisor {
    func handle(_ i: Interruption, on v: VirtualCPU) {
        let kernel = v.cpu.privilegeLevel == XenABI.kernelCPL
        switch i.kind {
        case .breakInstruction where kernel:
            let imm = i.iim ?? 0
            if imm == XenABI.hypercallBreak {
                hypercall(v)
            } else if let op = XenABI.HyperPrivop(rawValue: imm) {
                hyperprivop(op, on: v)
            } else {
                reflect(i, on: v)
            }
        case .privilegedOperation where kernel, .privilegedRegister where kernel:
            emulatePrivileged(i, on: v)
        default:
            reflect(i, on: v)
        }
    }

    // MARK: - Hyperprivops

    func hyperprivop(_ op: XenABI.HyperPrivop, on v: VirtualCPU) {
        let cpu = v.cpu
        func r(_ n: Int) -> UInt64 { cpu.generalRegister(n)?.value ?? 0 }
        func setR8(_ value: UInt64) { cpu.setGeneralRegister(8, value: value) }
        if op == .rfi { return virtualRFI(v) }
        cpu.skipCurrentInstruction()
        switch op {
        case .rfi: break
        case .rsmDT:
            cpu.setProcessorStatus(cpu.psr & ~PSR.dt)
            v.metaphysical = true
        case .ssmDT:
            cpu.setProcessorStatus(cpu.psr | PSR.dt)
            v.metaphysical = false
        case .cover:
            let ifs = cpu.coverCurrentFrame()
            if !v.virtualIC { v.setXSI(XSI.ifs, ifs) }
        case .itcD, .itcI:
            insertGuestTranslation(v, instruction: op == .itcI, slot: nil, pte: r(8))
        case .itrD:
            insertGuestTranslation(v, instruction: false, slot: Int(r(8)), pte: r(9))
        case .ssmI:
            v.eventsMasked = false
        case .getIVR:
            if let vector = v.pendingVectors.max() {
                v.pendingVectors.remove(vector)
                setR8(UInt64(vector))
            } else {
                setR8(15)
            }
        case .getTPR: setR8(v.tpr)
        case .setTPR: v.tpr = r(8)
        case .eoi: break
        case .setITM: v.itm = r(8)
        case .thash: setR8(cpu.hash(ofAddress: r(8)))
        case .ptcGA: purgeGlobally(v, address: r(8), pageShift: (r(9) >> 2) & 0x3f)
        case .getRR: setR8(cpu.regionRegister(Int(r(8) >> 61)))
        case .setRR: setGuestRegion(v, Int(r(8) >> 61), r(9))
        case .setKR:
            guard r(8) < 8 else { return crashDomain(v.domain, reason: "SET_KR: bad index \(r(8))") }
            cpu.setApplicationRegisterForStartup(Int(r(8)), r(9))
            v.setXSI(XSI.kernelRegisters + 8 * r(8), r(9))
        case .fc: break
        case .getCPUID: setR8(Self.cpuid(Int(r(8))))
        case .getPMD: setR8(0)
        case .getEFlag: setR8(cpu.applicationRegister(24))
        case .setEFlag: cpu.setApplicationRegisterForStartup(24, r(8))
        case .rsmBE: cpu.setProcessorStatus(cpu.psr & ~PSR.be)
        case .getPSR: setR8(v.virtualPSR)
        }
    }

    /// cpuid registers: vendor "GenuineIntel", version (family 0x1f, Itanium 2), 5 registers.
    static func cpuid(_ n: Int) -> UInt64 {
        switch n {
        case 0: return 0x49_656e_6975_6e65_47  // "GenuineI"
        case 1: return 0x6c_6574_6e            // "ntel"
        case 3: return 0x1f_0000_0004          // number = 4 (cpuid 0-4), family 0x1f
        default: return 0
        }
    }

    /// rfi from the XSI ipsr/iip/ifs: virtual ic, i and bank from ipsr; the real PSR keeps
    /// kernel code at CPL 2.
    func virtualRFI(_ v: VirtualCPU) {
        let ipsr = v.xsi(XSI.ipsr), iip = v.xsi(XSI.iip), ifs = v.xsi(XSI.ifs)
        v.virtualIC = ipsr & PSR.ic != 0
        v.eventsMasked = ipsr & PSR.i == 0
        if ipsr & PSR.bn != 0 && v.bankNumber == 0 {
            saveBank(v, to: XSI.bank0Registers, nats: XSI.bank0NaTs)
            loadBank(v, from: XSI.bank1Registers, nats: XSI.bank1NaTs)
            v.bankNumber = 1
        }
        let cpl = (ipsr >> 32) & 3
        var real = ipsr & ~(PSR.ic | PSR.i | PSR.bn | 3 << 32)
        real |= (cpl == 3 ? 3 : XenABI.kernelCPL) << 32 | PSR.ic | PSR.bn
        v.metaphysical = ipsr & PSR.dt == 0
        do {
            try v.cpu.returnFromInterruption(ipsr: real, iip: iip, ifs: ifs)
        } catch {
            switch error {
            case .impossibleFrame:
                crashDomain(v.domain, reason: "rfi: ifs 0x\(String(ifs, radix: 16)) names an impossible register frame")
            case .backingStoreUnreadable:
                crashDomain(v.domain, reason: "rfi: cannot restore the register frame from the backing store")
            }
        }
    }

    /// itc/itr for the guest: ifa and itir from the XSI area, the pte's privilege level
    /// compressed (0 and 1 become the kernel's 2), translation register slots 0–5 (6 and 7
    /// hold the XSI mappings).
    func insertGuestTranslation(_ v: VirtualCPU, instruction: Bool, slot: Int?, pte: UInt64) {
        if let slot, slot >= 6 {
            return crashDomain(v.domain, reason: "itr: translation register \(slot) is reserved for the hypervisor")
        }
        var entry = pte
        let pl = (pte >> 7) & 3
        if pl < XenABI.kernelCPL { entry = (entry & ~(3 << 7)) | XenABI.kernelCPL << 7 }
        v.cpu.insertTranslation(instruction: instruction, registerSlot: slot, ifa: v.xsi(XSI.ifa),
                                itir: v.xsi(XSI.itir), pte: entry)
    }

    /// ptc.g / ptc.ga / the PTC_GA hyperprivop: the purge reaches the translation caches of
    /// every vCPU of the domain (Xen's domain-wide vTLB flush), each keeping its XSI pins.
    func purgeGlobally(_ v: VirtualCPU, address: UInt64, pageShift: UInt64, includingSelf: Bool = true) {
        let rid = v.cpu.regionID(of: address)
        for w in v.domain.vcpus where includingSelf || w !== v {
            w.cpu.purgeTranslations(address: address, pageShift: pageShift, rid: rid)
            pinXSI(w)
        }
    }

    func setGuestRegion(_ v: VirtualCPU, _ n: Int, _ value: UInt64) {
        v.cpu.setRegionRegister(n, value)
        v.setXSI(XSI.regionRegisters + 8 * UInt64(n), value)
        if n == 7 { pinXSI(v) }
    }

    // MARK: - Privileged instructions

    func emulatePrivileged(_ i: Interruption, on v: VirtualCPU) {
        let cpu = v.cpu
        guard let (instruction, bundle) = cpu.currentInstruction(), let entry = instruction.entry,
              case .system(let op) = OperationTable.shared.operations[Int(instruction.opcodeIndex)] else {
            return cannotEmulate(i, on: v, reason: "not a system instruction")
        }
        let o = instruction.operands
        func gr(_ r: Int64) -> UInt64 { cpu.generalRegister(Int(r))?.value ?? 0 }
        func setGR(_ r: Int64, _ value: UInt64) { cpu.setGeneralRegister(Int(r), value: value) }
        switch op {
        case .moveToControl:
            guard writeControl(v, Int(o.v0), gr(o.v1)) else { return cannotEmulate(i, on: v, reason: "cr\(o.v0)") }
        case .moveFromControl:
            guard let value = readControl(v, Int(o.v1)) else { return cannotEmulate(i, on: v, reason: "cr\(o.v1)") }
            setGR(o.v0, value)
        case .moveToProcessorStatusLow:
            setVirtualPSR(v, low: gr(o.v1))
        case .moveFromProcessorStatus:
            setGR(o.v0, v.virtualPSR & (0xffff_ffff | 3 << 35))
        case .setSystemMask, .resetSystemMask:
            let mask = UInt64(bitPattern: o.v0) & 0xff_ffff
            let low = v.virtualPSR & 0xffff_ffff
            setVirtualPSR(v, low: op == .setSystemMask ? low | mask : low & ~mask)
        case .returnFromInterruption:
            return virtualRFI(v)
        case .bankZero, .bankOne:
            let one = op == .bankOne
            if (v.bankNumber != 0) != one {
                let (saveTo, saveNaT) = one ? (XSI.bank0Registers, XSI.bank0NaTs) : (XSI.bank1Registers, XSI.bank1NaTs)
                let (loadFrom, loadNaT) = one ? (XSI.bank1Registers, XSI.bank1NaTs) : (XSI.bank0Registers, XSI.bank0NaTs)
                saveBank(v, to: saveTo, nats: saveNaT)
                loadBank(v, from: loadFrom, nats: loadNaT)
                v.bankNumber = one ? 1 : 0
            }
        case .translation where entry.name.hasPrefix("itc"):
            insertGuestTranslation(v, instruction: entry.name == "itc.i", slot: nil, pte: gr(o.v0))
        case .translation where entry.name.hasPrefix("itr"):
            insertGuestTranslation(v, instruction: entry.name == "itr.i", slot: Int(gr(o.v0) & 0xff), pte: gr(o.v1))
        case .moveToRegion:
            setGuestRegion(v, Int(gr(o.v0) >> 61), gr(o.v1))
            cpu.skipCurrentInstruction()
            return
        case .translation, .moveFromRegion, .moveToProtectionKey, .moveFromProtectionKey,
             .moveToInstructionBreakpoint, .moveFromInstructionBreakpoint, .moveToDataBreakpoint,
             .moveFromDataBreakpoint:
            // The vCPU's own TLB and registers: run it with privilege 0, then keep the XSI
            // mappings in place (a purge may have hit them).
            if case .interruption(let fault) = cpu.executeOneInstruction(atPrivilege: 0) {
                return reflect(fault, on: v)
            }
            pinXSI(v)
            if entry.name == "ptc.g" || entry.name == "ptc.ga" {
                // Global purges reach every vCPU of the domain, as on a real multiprocessor.
                purgeGlobally(v, address: gr(o.v0), pageShift: (gr(o.v1) >> 2) & 0x3f, includingSelf: false)
            }
            return
        case .privileged where entry.name.hasPrefix("mov") && entry.name.contains("kr") == false:
            return cannotEmulate(i, on: v, reason: entry.name)
        default:
            // ar.kr writes and the rest of the privileged register moves run natively.
            if entry.name == "mov.m" || entry.name == "mov.i" || entry.name == "mov" {
                if case .interruption(let fault) = cpu.executeOneInstruction(atPrivilege: 0) {
                    return reflect(fault, on: v)
                }
                return
            }
            return cannotEmulate(i, on: v, reason: entry.name + " " + Self.bundleText(bundle, at: cpu.ip))
        }
        cpu.skipCurrentInstruction()
    }

    /// Xen: "priv_emulate: priv_handle_op fails" and a General Exception for the guest.
    func cannotEmulate(_ i: Interruption, on v: VirtualCPU, reason: String) {
        printk("priv_emulate: can't handle privop at 0x\(String(i.iip, radix: 16)) slot \(i.slot) (\(reason)), domain \(v.domain.id) vcpu \(v.id)")
        reflect(i, on: v)
    }

    /// mov psr.l = r / ssm / rsm: ic, i and bn are virtual; dt/it/rt and the rest are real.
    func setVirtualPSR(_ v: VirtualCPU, low: UInt64) {
        v.virtualIC = low & PSR.ic != 0
        v.eventsMasked = low & PSR.i == 0
        let keep = v.cpu.psr & ~0xffff_ffff
        var real = keep | (low & 0xffff_ffff & ~(PSR.ic | PSR.i))
        real |= PSR.ic
        v.metaphysical = low & PSR.dt == 0
        v.cpu.setProcessorStatus(real)
    }

    func readControl(_ v: VirtualCPU, _ n: Int) -> UInt64? {
        typealias CR = Processor.ControlRegister
        guard let cr = CR(rawValue: n) else { return nil }
        switch cr {
        case .iva: return v.iva
        case .itm: return v.itm ?? 0
        case .itv: return v.itv
        case .tpr: return v.tpr
        case .pta: return v.pta
        case .dcr: return v.dcr
        case .ipsr: return v.xsi(XSI.ipsr)
        case .isr: return v.xsi(XSI.isr)
        case .iip: return v.xsi(XSI.iip)
        case .ifa: return v.xsi(XSI.ifa)
        case .itir: return v.xsi(XSI.itir)
        case .iipa: return v.xsi(XSI.iipa)
        case .ifs: return v.xsi(XSI.ifs)
        case .iim: return v.xsi(XSI.iim)
        case .iha: return v.xsi(XSI.iha)
        case .lid: return UInt64(v.id) << 24
        case .ivr:
            guard let vector = v.pendingVectors.max() else { return 15 }
            v.pendingVectors.remove(vector)
            return UInt64(vector)
        case .irr0, .irr1, .irr2, .irr3:
            let base = (n - CR.irr0.rawValue) * 64
            return v.pendingVectors.reduce(0) { ($1 >= base && $1 < base + 64) ? $0 | 1 << UInt64($1 - base) : $0 }
        case .eoi: return 0
        case .pmv, .cmcv, .lrr0, .lrr1: return 1 << 16
        }
    }

    func writeControl(_ v: VirtualCPU, _ n: Int, _ value: UInt64) -> Bool {
        typealias CR = Processor.ControlRegister
        guard let cr = CR(rawValue: n) else { return false }
        switch cr {
        case .iva: v.iva = value & ~0x7fff
        case .itm: v.itm = value
        case .itv: v.itv = value
        case .tpr: v.tpr = value
        case .pta:
            v.pta = value
            v.cpu.setControlRegister(.pta, value & ~1)  // the hypervisor walks no guest VHPT
        case .dcr:
            v.dcr = value
            v.cpu.setControlRegister(.dcr, value)
        case .ipsr: v.setXSI(XSI.ipsr, value)
        case .isr: v.setXSI(XSI.isr, value)
        case .iip: v.setXSI(XSI.iip, value)
        case .ifa: v.setXSI(XSI.ifa, value)
        case .itir: v.setXSI(XSI.itir, value)
        case .iipa: v.setXSI(XSI.iipa, value)
        case .ifs: v.setXSI(XSI.ifs, value)
        case .iim: v.setXSI(XSI.iim, value)
        case .iha: v.setXSI(XSI.iha, value)
        case .eoi, .lid, .pmv, .cmcv, .lrr0, .lrr1: break
        case .ivr, .irr0, .irr1, .irr2, .irr3: return false
        }
        return true
    }
}
