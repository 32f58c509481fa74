import IA64Exec

/// The back ends that real Xen ran in Dom0 daemons (xenconsoled), here inside the hypervisor.
/// The guest sees the real ring protocol (public/io/console.h).
extension Hypervisor {
    enum ConsoleRing {
        static let inBase: UInt64 = 0, inSize: UInt64 = 1024
        static let outBase: UInt64 = 0x400, outSize: UInt64 = 2048
        static let inConsumer: UInt64 = 0xc00, inProducer: UInt64 = 0xc04
        static let outConsumer: UInt64 = 0xc08, outProducer: UInt64 = 0xc0c
    }

    static let consoleKeep = 4 << 20

    func serviceBackend(_ backend: EventChannelTable.Backend, of d: Domain) {
        switch backend {
        case .console:
            drainConsoleRing(d)
            feedConsoleRing(d)  // the guest may have consumed input: room for the backlog
        case .block(let n): serviceBlock(n, of: d)
        }
    }

    /// Consumes what the guest produced in its console ring's output buffer.
    func drainConsoleRing(_ d: Domain) {
        guard let ring = d.consoleRingPhysical,
              var consumer = d.memory.u32(ring + ConsoleRing.outConsumer),
              let producer = d.memory.u32(ring + ConsoleRing.outProducer) else { return }
        var bytes: [UInt8] = []
        // A guest may write any indices. More than a ring's worth outstanding is a broken
        // producer (e.g. an unlocked console racing between vCPUs): resynchronise rather than
        // replay stale ring contents on every notification.
        if (producer &- consumer) & 0xffff_ffff > ConsoleRing.outSize {
            printk("console: domain \(d.id) ring indices broken (prod \(producer), cons \(consumer)): resynchronised")
            d.memory.setU32(ring + ConsoleRing.outConsumer, producer)
            return
        }
        var budget = ConsoleRing.outSize
        while consumer != producer && budget > 0 {
            let b = d.memory.u8(ring + ConsoleRing.outBase + (consumer & (ConsoleRing.outSize - 1))) ?? 0
            bytes.append(UInt8(b))
            consumer = (consumer + 1) & 0xffff_ffff
            budget -= 1
        }
        d.memory.setU32(ring + ConsoleRing.outConsumer, consumer)
        appendConsole(d, bytes)
    }

    /// Adds guest console output; complete lines go to the listener with the domain.
    func appendConsole(_ d: Domain, _ bytes: [UInt8]) {
        d.consoleOutput += bytes
        // Keep the newest 4 MiB: a guest printing forever must not exhaust the host.
        if d.consoleOutput.count > Self.consoleKeep + Self.consoleKeep / 4 {
            d.consoleOutput.removeFirst(d.consoleOutput.count - Self.consoleKeep)
        }
        var partial = partialLines[d.id] ?? []
        for b in bytes {
            if b == 10 {
                consoleListener?(d, String(decoding: partial, as: UTF8.self))
                partial.removeAll()
            } else {
                partial.append(b)
            }
        }
        partialLines[d.id] = partial
    }
}
