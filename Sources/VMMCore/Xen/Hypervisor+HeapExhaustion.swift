import IA64Exec

/// Running out of Xen heap while a domain grows. The p2m leaves for memory beyond a domain's
/// boot reservation are charged to the heap as they are first needed (DomainMemory); when a
/// populate_physmap / increase_reservation needs a leaf the heap cannot give, Xen/ia64 printed
/// its allocator's complaint, tried to show where the domain was, and crashed the domain. The
/// unwinder keeps its label state on the same heap, so that backtrace stopped after the frames
/// it could read without state: `unwind.desc_label_state(): out of memory`. Dom0 and the other
/// domains are not affected.
extension Hypervisor {
    func p2mAllocationFailed(_ error: XenHeapError, domain d: Domain, caller v: VirtualCPU) {
        printk(error.description)
        if let t = v.domain === d ? v : d.vcpus.first { printGuestBacktrace(t) }
        crashDomain(d, reason: "out of Xen heap for its p2m (\(d.reservationPages) pages, maxmem \(d.maxPages))")
    }

    /// The guest frames of `v`, symbolized from its kernel: the interrupted ip and the return
    /// branch in b0 (a leaf's caller) need no unwind state; every frame beyond does, and its
    /// state comes from the Xen heap.
    func printGuestBacktrace(_ v: VirtualCPU) {
        let d = v.domain
        printk("domain \(d.id) (\(d.name)) vcpu \(v.id): call trace:")
        let ip = v.cpu.ip | UInt64(v.cpu.slot)  // the slot in the low bits, as Linux/ia64 shows it
        printk(" [<\(Self.hex16(ip))>] \(guestSymbol(ip, in: d))")
        let caller = v.cpu.branchRegister(0)
        if caller != 0 { printk(" [<\(Self.hex16(caller))>] \(guestSymbol(caller, in: d))") }
        // desc_label_state: the unwinder's copy of the register-stack state it labels.
        guard let state = try? heap.allocate(order: 0) else {
            printk("unwind.desc_label_state(): out of memory")
            return
        }
        // The heap had room after all: the guest's unwind tables are not followed further.
        heap.free(state)
    }

    static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }

    /// "name+0xoff/0xsize" from the domain's kernel symbols, or "?" outside them.
    func guestSymbol(_ address: UInt64, in d: Domain) -> String {
        guard let kernel = d.kernel else { return "?" }
        let hit = kernel.symbols
            .filter { $0.type == ElfSymbol.typeFunction && $0.size > 0 && address >= $0.value && address - $0.value < $0.size }
            .min { $0.size < $1.size }
        guard let s = hit else { return "?" }
        return "\(s.name)+0x\(String(address - s.value, radix: 16))/0x\(String(s.size, radix: 16))"
    }
}
