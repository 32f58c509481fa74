import IA64Exec

/// memory_op (12): ballooning. Guest frames are 16 KiB pfns; on ia64 the guest names its own
/// pfns (the p2m is the hypervisor's business), so increase/populate take the pfns to fill and
/// decrease the pfns to give back. The result is the number of extents done.
extension Hypervisor {
    func memoryOp(_ v: VirtualCPU, cmd: UInt64, handle: UInt64) -> UInt64 {
        let d = v.domain
        let h = XencommHandle(raw: handle)
        typealias Op = XenABI.MemoryOp
        switch cmd {
        case Op.currentReservation, Op.maximumReservation:
            guard let b = h.read(count: 2, from: d.memory) else { return Errno.efault.result }
            guard let target = b.le(0, 2) == XenABI.domidSelf ? d : domain(Int(b.le(0, 2))) else { return Errno.esrch.result }
            guard target === d || d.privileged else { return Errno.eperm.result }
            return cmd == Op.currentReservation ? target.reservationPages : target.maxPages
        case Op.maximumRAMPage:
            return d.maxPages
        case Op.increaseReservation, Op.decreaseReservation, Op.populatePhysmap:
            guard let r = h.read(count: 32, from: d.memory) else { return Errno.efault.result }
            let count = r.le(8, 8), order = r.le(16, 4), domid = r.le(24, 2)
            guard let target = domid == XenABI.domidSelf ? d : domain(Int(domid)) else { return Errno.esrch.result }
            guard target === d || d.privileged else { return Errno.eperm.result }
            guard order <= 10, count <= 1 << 20 else { return Errno.einval.result }
            let list = XencommHandle(raw: r.le(0, 8))
            var done: UInt64 = 0
            while done < count {
                guard let entry = list.read(count: 8, at: Int(8 * done), from: d.memory)?.le(0, 8) else {
                    return done == 0 ? Errno.efault.result : done
                }
                let pages = UInt64(1) << order
                guard entry & (pages - 1) == 0 else { return done == 0 ? Errno.einval.result : done }
                // Overflow-safe: entry and pages both come from the guest.
                guard entry < target.maxPages, pages <= target.maxPages - entry else { return done }
                if cmd == Op.decreaseReservation {
                    guard (0..<pages).allSatisfy({ target.memory.isPopulated(gpfn: entry + $0) }) else { return done }
                    for k in 0..<pages { releasePage(target, gpfn: entry + k) }
                    target.reservationPages -= pages
                } else {
                    // Only pages not yet there count against the reservation.
                    let missing = (0..<pages).filter { !target.memory.isPopulated(gpfn: entry + $0) }
                    guard target.reservationPages + UInt64(missing.count) <= target.maxPages else { return done }
                    for k in missing {
                        guard target.memory.populate(gpfn: entry + k) else {
                            if let error = target.memory.takeHeapFailure() {
                                p2mAllocationFailed(error, domain: target, caller: v)
                            }
                            return done
                        }
                        target.reservationPages += 1
                    }
                }
                done += 1
            }
            if count > 0 {
                printk("domain \(target.id) \(cmd == Op.decreaseReservation ? "released" : "populated") \(done << order) page(s); reservation \(target.reservationPages) pages")
            }
            return done
        default:
            return Errno.enosys.result
        }
    }
}
