import IA64Exec

/// Console input, delivered as Xen 3.1 did. Dom0's input arrives on the hypervisor's serial
/// line: a bounded receive buffer (xen/drivers/char/console.c serial_rx_ring) that Dom0 reads
/// with CONSOLEIO_read after VIRQ_CONSOLE. A DomU's input goes through its console ring page
/// (public/io/console.h in[1024], in_cons, in_prod), filled by the back end xenconsoled was;
/// what does not fit waits in the back end and goes in as the guest consumes. Both buffers are
/// bounded: a guest that never reads cannot make the host grow.
extension Hypervisor {
    /// Xen's SERIAL_RX_SIZE.
    static let serialInputSize = 128
    /// What the console back end holds for a DomU beyond its ring (a pty's worth).
    static let consoleBacklogSize = 4096

    func deliverConsoleInput(_ request: ConsoleInputRequest) {
        guard let d = domain(request.domain), d.isAlive else {
            printk("console: input for domain \(request.domain) dropped: no such domain running")
            return
        }
        if d.privileged {
            let room = max(0, Self.serialInputSize - serialInput.count)
            serialInput += request.bytes.prefix(room)
            if request.bytes.count > room {
                printk("console: serial input buffer full: \(request.bytes.count - room) byte(s) for domain \(d.id) dropped")
            }
            // As Xen's __serial_rx: always notify, so a reader that missed one cannot get stuck.
            sendGlobalVIRQ(XenABI.VIRQ.console, to: d)
            return
        }
        guard d.consoleRingPhysical != nil else {
            printk("console: input for domain \(d.id) dropped: it has no console ring")
            return
        }
        // What the ring takes goes in; of the rest the back end keeps what its buffer holds.
        d.consoleInputBacklog += request.bytes
        feedConsoleRing(d)
        let excess = d.consoleInputBacklog.count - Self.consoleBacklogSize
        if excess > 0 {
            d.consoleInputBacklog.removeLast(excess)
            printk("console: input backlog of domain \(d.id) full: \(excess) byte(s) dropped")
        }
    }

    /// Moves backlog into the ring's in[] as far as the guest has consumed, then notifies the
    /// domain's console port if anything went in. Also called whenever the guest notifies.
    func feedConsoleRing(_ d: Domain) {
        guard !d.consoleInputBacklog.isEmpty, let ring = d.consoleRingPhysical,
              var producer = d.memory.u32(ring + ConsoleRing.inProducer),
              let consumer = d.memory.u32(ring + ConsoleRing.inConsumer) else { return }
        var used = (producer &- consumer) & 0xffff_ffff
        if used > ConsoleRing.inSize {
            // The guest wrote an impossible in_cons: start again from it rather than overrun.
            printk("console: domain \(d.id) input ring indices broken (prod \(producer), cons \(consumer)): resynchronised")
            producer = consumer
            used = 0
        }
        var taken = 0
        while used < ConsoleRing.inSize, taken < d.consoleInputBacklog.count {
            d.memory.setU8(ring + ConsoleRing.inBase + (producer & (ConsoleRing.inSize - 1)), UInt64(d.consoleInputBacklog[taken]))
            producer = (producer + 1) & 0xffff_ffff
            used += 1
            taken += 1
        }
        d.memory.setU32(ring + ConsoleRing.inProducer, producer)
        d.consoleInputBacklog.removeFirst(taken)
        if taken > 0, let port = d.eventChannels.port(forBackend: .console) { setPending(d, port: port) }
    }

    /// CONSOLEIO_read: up to `count` bytes of the serial input into the guest's buffer; the
    /// number copied (0 when there is none). A bad buffer is -EFAULT and the input stays.
    func consoleRead(_ v: VirtualCPU, count: UInt64, handle: UInt64) -> UInt64 {
        let n = Int(min(count, UInt64(serialInput.count)))
        guard n > 0 else { return 0 }
        guard XencommHandle(raw: handle).write(Array(serialInput.prefix(n)), to: v.domain.memory) else {
            return Errno.efault.result
        }
        serialInput.removeFirst(n)
        return UInt64(n)
    }

    /// Input waiting in the hypervisor is machine state: it reaches the guests later.
    func digestConsoleInput(into h: inout StateHasher) {
        h.add(UInt64(serialInput.count))
        serialInput.withUnsafeBytes { h.add(bytes: $0) }
        for d in domains {
            h.add(UInt64(d.consoleInputBacklog.count))
            d.consoleInputBacklog.withUnsafeBytes { h.add(bytes: $0) }
        }
    }
}
