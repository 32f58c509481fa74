import IA64Exec

/// Whole-machine snapshots: `snapshot()` captures the hypervisor, every domain, vCPU, device
/// and machine memory; `Hypervisor(restoring:)` builds a machine that continues exactly as
/// the original would have. See `MachineSnapshot` for how frames are shared between
/// snapshots and for the file format.
///
/// Not saved, on purpose: `consoleListener` and `inputs` (host attachments: whoever
/// restores attaches its own) and the disk images (reopened by path on restore). `options`
/// travel in the snapshot's header, since the machine must be built before its state is
/// decoded.
extension Hypervisor {
    /// Every field of the hypervisor's own state, listed once for both directions. Adding a
    /// field to snapshots is one line here (and a `MachineSnapshot.formatVersion` bump).
    func codeState<C: StateCoder>(_ c: inout C) throws {
        try machineMemory.code(&c)  // the allocator; frame contents travel beside the state
        try heap.code(&c)
        try c.objects(&domains) { c, d in try Domain.code(&d, &c, hypervisor: self) }
        try c.code(&now)
        try c.code(&retiredInstructions)
        try c.code(&log)
        try c.code(&partialLines)
        try c.code(&errorRecordCount)
        try c.array(&crashes, placeholder: CrashRecord(domain: 0, name: "", reason: "", instructions: 0, vcpu: 0, ip: 0)) { c, r in
            try c.code(&r.domain)
            try c.code(&r.name)
            try c.code(&r.reason)
            try c.code(&r.instructions)
            try c.code(&r.vcpu)
            try c.code(&r.ip)
        }
        try codeRunLoop(&c)
        try c.code(&blockCompletions)
        try c.code(&blockSequence)
        try c.code(&orphanedFrames)
        try c.bytes(&serialInput)
        try c.code(&nextOnCPU)
        try codeRunningVCPU(&c)
        if c.isDecoding {
            guard nextOnCPU.count == max(1, options.physicalCPUs), nextOnCPU.allSatisfy({ $0 >= 0 }) else {
                throw c.corrupt("scheduler positions for \(nextOnCPU.count) physical CPUs, the machine has \(options.physicalCPUs)")
            }
            for mfn in orphanedFrames where !machineMemory.isAllocated(mfn) {
                throw c.corrupt("orphaned frame \(mfn) is not allocated")
            }
        }
    }

    /// Where the run loop stands (RunLoopState), the open slice's vCPU as domain and vCPU
    /// indices: a machine restored mid-round resumes the very slice it was in.
    private func codeRunLoop<C: StateCoder>(_ c: inout C) throws {
        try c.code(&loop.roundOpen)
        try c.code(&loop.nextCPU)
        try c.code(&loop.ranAny)
        var slice: [UInt64]?
        if let s = loop.slice, let d = domains.firstIndex(where: { $0 === s.vcpu.domain }),
           let i = s.vcpu.domain.vcpus.firstIndex(where: { $0 === s.vcpu }) {
            slice = [UInt64(d), UInt64(i), s.end, s.inner ?? .max, s.atBreakpoint ? 1 : 0]
        }
        try c.code(&slice)
        guard c.isDecoding else { return }
        loop.slice = nil
        if let x = slice {
            guard x.count == 5, x[0] < UInt64(domains.count), x[1] < UInt64(domains[Int(x[0])].vcpus.count) else {
                throw c.corrupt("running slice \(x) names no vCPU")
            }
            let s = RunningSlice(vcpu: domains[Int(x[0])].vcpus[Int(x[1])], end: x[2])
            s.inner = x[3] == .max ? nil : x[3]
            s.atBreakpoint = x[4] != 0
            loop.slice = s
        }
    }

    /// The vCPU inside continueSlice (nil between runs), as domain and vCPU indices.
    private func codeRunningVCPU<C: StateCoder>(_ c: inout C) throws {
        var running: [Int]?
        if let v = runningVCPU, let d = domains.firstIndex(where: { $0 === v.domain }),
           let i = v.domain.vcpus.firstIndex(where: { $0 === v }) {
            running = [d, i]
        }
        try c.code(&running)
        guard c.isDecoding else { return }
        runningVCPU = nil
        if let r = running {
            guard r.count == 2, domains.indices.contains(r[0]), domains[r[0]].vcpus.indices.contains(r[1]) else {
                throw c.corrupt("running vCPU \(r) does not exist")
            }
            runningVCPU = domains[r[0]].vcpus[r[1]]
        }
    }

    /// The whole machine now. Frames whose bytes equal the same frame in `previous` share its
    /// buffer, so consecutive snapshots cost little more than the frames written in between.
    public func snapshot(reusingFramesOf previous: MachineSnapshot? = nil) -> MachineSnapshot {
        var writer = StateWriter(capacity: 1 << 16)
        do {
            try codeState(&writer)
        } catch {
            // Encoding only throws when a type's code function is wrong.
            fatalError("snapshot encoding failed: \(error)")
        }
        return MachineSnapshot(options: options, retiredInstructions: retiredInstructions, now: now,
                               state: writer.bytes, memory: machineMemory, previous: previous)
    }

    /// A machine restored from `snapshot`: it runs on exactly as the snapshotted one did.
    /// Attach `consoleListener` and `inputs` afterwards as needed. Throws a
    /// `SnapshotFormatError` for inconsistent state, a `SnapshotRestoreError` when a disk
    /// image cannot be reopened.
    public convenience init(restoring snapshot: MachineSnapshot) throws {
        self.init(options: snapshot.options)
        try StateReader.withReader(snapshot.state, baseOffset: snapshot.stateOffset) { r in
            try self.codeState(&r)
            guard r.isAtEnd else { throw r.corrupt("\(r.remaining) bytes left over after the machine state") }
        }
        try snapshot.installFrames(into: machineMemory)
    }
}

extension Hypervisor.Options: StateCodable {
    public static var placeholder: Hypervisor.Options { .init() }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        try c.code(&physicalCPUs)
        try c.code(&quantum)
        try c.code(&memoryMiB)
        try c.code(&xenheapMiB)
        try c.code(&debugPanicAt)
        guard (1...4096).contains(physicalCPUs), quantum > 0, memoryMiB <= 1 << 22, xenheapMiB <= 1 << 16 else {
            throw c.corrupt("machine options out of range (\(physicalCPUs) CPUs, \(memoryMiB) MiB, heap \(xenheapMiB) MiB)")
        }
    }
}
