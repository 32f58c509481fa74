import VMMCore

/// Everything needed to rebuild the machine a trace was recorded on, with nothing read from
/// the host at replay time: the machine, every domain's settings, and the content hash of
/// every kernel image and disk (the bytes themselves are in the blob store).
public struct TraceHeader: Equatable, Sendable {
    public struct Machine: Equatable, Sendable {
        public var physicalCPUs: Int
        public var memoryMiB: UInt64
        public var xenheapMiB: UInt64
        public var quantum: UInt64
        /// Debug-only: the hypervisor panics here (xdbg_debug_panic), in replay too.
        public var debugPanicAt: UInt64? = nil
    }

    public struct Disk: Equatable, Sendable {
        public var virtualDevice: String
        public var writable: Bool
        public var isCDROM: Bool
        /// The image as the recording found it: path (for messages), size and content hash.
        public var path: String
        public var sectors: UInt64
        public var contentHash: [UInt8]
    }

    public struct DomainEntry: Equatable, Sendable {
        public var name: String
        public var kernelHash: [UInt8]
        public var memoryMiB: UInt64
        public var maxMemoryMiB: UInt64
        public var vcpus: Int
        public var allowedCPUs: [Int]?
        public var commandLine: String
        public var onCrash: String
        public var disks: [Disk]
    }

    public var machine: Machine
    public var domains: [DomainEntry]
    /// Where the recording came from (a session path), for `xdbg info`.
    public var source: String
    /// Instructions between two state checks.
    public var checkInterval: UInt64
    /// Chaos mode and its seed (nil: no chaos).
    public var chaosSeed: UInt64?

    func encode(into w: inout ByteWriter) {
        w.varint(UInt64(machine.physicalCPUs))
        w.varint(machine.memoryMiB)
        w.varint(machine.xenheapMiB)
        w.varint(machine.quantum)
        w.bool(machine.debugPanicAt != nil)
        if let at = machine.debugPanicAt { w.varint(at) }
        w.string(source)
        w.varint(checkInterval)
        w.bool(chaosSeed != nil)
        if let s = chaosSeed { w.u64(s) }
        w.varint(UInt64(domains.count))
        for d in domains {
            w.string(d.name)
            w.raw(d.kernelHash)
            w.varint(d.memoryMiB)
            w.varint(d.maxMemoryMiB)
            w.varint(UInt64(d.vcpus))
            w.bool(d.allowedCPUs != nil)
            if let cpus = d.allowedCPUs {
                w.varint(UInt64(cpus.count))
                for c in cpus { w.varint(UInt64(c)) }
            }
            w.string(d.commandLine)
            w.string(d.onCrash)
            w.varint(UInt64(d.disks.count))
            for k in d.disks {
                w.string(k.virtualDevice)
                w.bool(k.writable)
                w.bool(k.isCDROM)
                w.string(k.path)
                w.varint(k.sectors)
                w.raw(k.contentHash)
            }
        }
    }

    static func decode(from r: inout ByteReader) throws -> TraceHeader {
        let cpus = try r.count(limit: 64)
        let memory = try r.varint(), heap = try r.varint(), quantum = try r.varint()
        guard cpus >= 1, quantum >= 1 else { throw r.fail("bad machine description") }
        let panicAt: UInt64? = try r.bool() ? try r.varint() : nil
        let source = try r.string()
        let interval = try r.varint()
        let chaos: UInt64? = try r.bool() ? try r.u64() : nil
        let count = try r.count(limit: 256)
        guard count >= 1 else { throw r.fail("a trace needs at least one domain") }
        var domains: [DomainEntry] = []
        for _ in 0..<count {
            let name = try r.string(), kernelHash = try r.raw(32)
            let mem = try r.varint(), maxMem = try r.varint(), vcpus = try r.count(limit: 64)
            var allowed: [Int]?
            if try r.bool() {
                let n = try r.count(limit: 64)
                allowed = try (0..<n).map { _ in try r.count(limit: 63) }
            }
            let line = try r.string(), onCrash = try r.string()
            let diskCount = try r.count(limit: 16)
            var disks: [Disk] = []
            for _ in 0..<diskCount {
                disks.append(Disk(virtualDevice: try r.string(), writable: try r.bool(), isCDROM: try r.bool(),
                                  path: try r.string(), sectors: try r.varint(), contentHash: try r.raw(32)))
            }
            domains.append(DomainEntry(name: name, kernelHash: kernelHash, memoryMiB: mem,
                                       maxMemoryMiB: maxMem, vcpus: vcpus, allowedCPUs: allowed, commandLine: line,
                                       onCrash: onCrash, disks: disks))
        }
        return TraceHeader(machine: Machine(physicalCPUs: cpus, memoryMiB: memory, xenheapMiB: heap, quantum: quantum,
                                           debugPanicAt: panicAt),
                           domains: domains, source: source, checkInterval: interval, chaosSeed: chaos)
    }
}
