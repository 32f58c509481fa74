import Foundation
import IA64Exec

/// Giving a guest what the hardware would have: faults reflected to the guest's vector table
/// and event upcalls to its registered callback, both through the XSI area (faults.c
/// reflect_interruption and reflect_event).
extension Hypervisor {
    typealias PSR = Processor.ProcessorStatus

    /// The real PSR a guest kernel runs with after a reflection: kernel CPL, collection on,
    /// translation on, bank 1 (virtual ic, i and bank live in the XSI area).
    func kernelEntryPSR(from psr: UInt64, dcr: UInt64) -> UInt64 {
        let kept: UInt64 = 1 << 2 | 1 << 4 | 1 << 5 | PSR.pk | 1 << 27 | 1 << 35  // up, mfl, mfh, pk, rt, mc
        var p = psr & kept
        p |= XenABI.kernelCPL << 32 | PSR.ic | PSR.dt | PSR.it | 1 << 27 | PSR.bn
        if dcr & 2 != 0 { p |= PSR.be }
        return p
    }

    /// Saves the interrupted context in the XSI area and switches to the guest's handler at
    /// `target`: virtual bank 0 (bank-1 r16–r31 saved), collection off, events masked.
    func enterGuestHandler(_ v: VirtualCPU, target: UInt64, ipsr: UInt64, iip: UInt64, isr: UInt64,
                           ifa: UInt64? = nil, itir: UInt64? = nil, iha: UInt64? = nil, iim: UInt64? = nil) {
        v.setXSI(XSI.ipsr, ipsr)
        v.setXSI(XSI.iip, iip)
        v.setXSI(XSI.isr, isr)
        if let ifa { v.setXSI(XSI.ifa, ifa) }
        if let itir { v.setXSI(XSI.itir, itir) }
        if let iha { v.setXSI(XSI.iha, iha) }
        if let iim { v.setXSI(XSI.iim, iim) }
        v.setXSI(XSI.precoverIFS, 1 << 63 | v.cpu.currentFrame.bits)
        v.setXSI(XSI.ifs, 0)
        if v.bankNumber != 0 { saveBank(v, to: XSI.bank1Registers, nats: XSI.bank1NaTs) }
        v.bankNumber = 0
        v.virtualIC = false
        v.eventsMasked = true
        v.cpu.setProcessorStatus(kernelEntryPSR(from: v.cpu.psr, dcr: v.dcr))
        v.metaphysical = false
        v.cpu.ip = target & ~0xf
        v.cpu.slot = 0
    }

    func saveBank(_ v: VirtualCPU, to offset: UInt64, nats: UInt64) {
        let (values, natBits) = v.cpu.bankedRegisters()
        var natWord: UInt64 = 0
        for i in 0..<16 {
            v.setXSI(offset + 8 * UInt64(i), values[i])
            if natBits[i] { natWord |= 1 << UInt64(i) }
        }
        v.setXSI(nats, natWord)
    }

    func loadBank(_ v: VirtualCPU, from offset: UInt64, nats: UInt64) {
        let natWord = v.xsi(nats)
        v.cpu.setBankedRegisters(values: (0..<16).map { v.xsi(offset + 8 * UInt64($0)) },
                                 nats: (0..<16).map { natWord >> UInt64($0) & 1 != 0 })
    }

    /// Reflects a fault or trap to the guest's vector table. With virtual psr.ic off the state
    /// would be lost: Xen crashed the domain then ("psr.ic off, delivering fault"), and an
    /// Illegal Operation there is the hypervisor's `fatal opcode`.
    func reflect(_ i: Interruption, on v: VirtualCPU) {
        guard v.virtualIC, v.iva != 0 else {
            if i.kind == .illegalOperation || i.kind == .notImplemented {
                fatalOpcode(i, on: v)
            } else {
                crashDomain(v.domain, reason: "psr.ic off, delivering fault=0x\(String(i.vectorOffset, radix: 16)) (\(i.kind.rawValue)) at ip 0x\(String(i.iip, radix: 16)) slot \(i.slot), vcpu \(v.id)")
            }
            return
        }
        var ipsr = v.virtualPSR & ~(3 << 41)
        ipsr |= UInt64(v.cpu.architecturalSlot(of: i) & 3) << 41
        enterGuestHandler(v, target: v.iva + UInt64(i.vectorOffset), ipsr: ipsr, iip: i.iip, isr: v.cpu.withArchitecturalSlot(i),
                          ifa: i.ifa, itir: i.itir, iha: i.iha ?? i.ifa.map { v.cpu.hash(ofAddress: $0) }, iim: i.iim)
    }

    /// An Illegal Operation the guest cannot take: log it with the bundle, crash the domain.
    func fatalOpcode(_ i: Interruption, on v: VirtualCPU) {
        var text = "fatal opcode: domain \(v.domain.id) (\(v.domain.name)) vcpu \(v.id) ip 0x\(String(i.iip, radix: 16)) slot \(i.slot)"
        if let (_, bundle) = v.cpu.currentInstruction() {
            text += ": " + Self.bundleText(bundle, at: i.iip)
        }
        printk(text)
        crashDomain(v.domain, reason: "fatal opcode")
    }

    /// The bundle as objdump shows it, slots separated by " | ".
    static func bundleText(_ bundle: InstructionBundle, at address: UInt64) -> String {
        let d = Disassembler()
        var parts: [String] = []
        var offset = 0
        while offset < 16 {
            let (text, length) = d.instructionText(bundle: bundle, address: (address & ~0xf) + UInt64(offset)) {
                "0x" + String($0, radix: 16)
            }
            parts.append(text.trimmingCharacters(in: .whitespaces))
            offset += length
        }
        return parts.joined(separator: " | ")
    }

    /// Delivers a pending event upcall when the vCPU can take it: events unmasked, collection
    /// on, a callback registered.
    func deliverPendingEvent(_ v: VirtualCPU) {
        guard v.upcallPending || !v.pendingVectors.isEmpty, !v.eventsMasked, v.virtualIC else { return }
        var ipsr = v.virtualPSR & ~(3 << 41)
        ipsr |= UInt64(v.cpu.architecturalSlot(v.cpu.slot, at: v.cpu.ip) & 3) << 41
        if let callback = v.eventCallback, v.upcallPending {
            enterGuestHandler(v, target: callback, ipsr: ipsr, iip: v.cpu.ip, isr: 0)
        } else if !v.pendingVectors.isEmpty, v.iva != 0 {
            enterGuestHandler(v, target: v.iva + 0x3000, ipsr: ipsr, iip: v.cpu.ip, isr: 0)
        }
    }
}
