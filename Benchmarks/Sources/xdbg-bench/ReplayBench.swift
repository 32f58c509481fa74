import Foundation
import Replay
import VMMCore

/// Wall-clock seconds of `body`.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

/// `xdbg-bench replay SESSION N`: boot, record and replay the same session for N instructions,
/// five rounds interleaved (so a slow spell of the host hits all of them alike) and medians
/// reported; then reverse-stepi from the end and reverse-continue to a breakpoint hit far back.
func benchReplay(sessionPath: String, instructions n: UInt64) throws {
    let session = try SessionFile.load(path: sessionPath)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-bench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/bench.trace"
    var boots: [Double] = [], records: [Double] = [], replays: [Double] = []
    var replay: ReplaySession!
    var bytes = 0
    for round in 1...5 {
        let (booted, tBoot) = try timed { () -> UInt64 in
            let h = try SessionBoot.hypervisor(for: session)
            _ = h.run(budget: n)
            return h.retiredInstructions
        }
        var options = RecordSession.Options()
        options.maxInstructions = n
        let recording = try RecordSession(session: session, source: sessionPath, path: path, options: options)
        let (end, tRecord) = try timed { try recording.run() }
        bytes = Int(recording.traceBytes)
        replay = try ReplaySession(path: path)
        let (stop, tReplay) = timed { replay.run() }
        guard stop == .endOfHistory, replay.machine.stateHash() == end.stateHash, booted == end.instructions else {
            print("replay: FAILED (\(stop))")
            exit(1)
        }
        print(String(format: "round %d: boot %.2f s, record %.2f s, replay %.2f s (%d state checks verified, %d checkpoints kept)",
                     round, tBoot, tRecord, tReplay, replay.checksPassed, replay.checkpoints.count))
        boots.append(tBoot)
        records.append(tRecord)
        replays.append(tReplay)
    }
    let (tBoot, tRecord, tReplay) = (median(boots), median(records), median(replays))
    let mips = { (t: Double) in Double(n) / t / 1e6 }
    print(String(format: "boot:    %d instructions in %.2f s = %.1f MIPS (median of 5)", n, tBoot, mips(tBoot)))
    print(String(format: "record:  %.2f s = %.1f MIPS (%+.1f%% over boot); trace %d bytes = %.4f bytes per 1000 instructions",
                 tRecord, mips(tRecord), (tRecord / tBoot - 1) * 100, bytes, Double(bytes) * 1000 / Double(n)))
    print(String(format: "replay:  %.2f s = %.1f MIPS (%.3fx recording speed)", tReplay, mips(tReplay), tRecord / tReplay))

    // reverse-stepi from the end, one instruction of domain 1 vCPU 0 at a time.
    var steps: [Double] = []
    for _ in 0..<9 {
        let (ok, t) = try timed { try replay.reverseStep(domain: 1, vcpu: 0) }
        guard ok else { break }
        steps.append(t)
    }
    print(String(format: "reverse-stepi from the end: median %.1f ms over %d steps (max %.1f ms)",
                 median(steps) * 1000, steps.count, (steps.max() ?? 0) * 1000))

    // reverse-continue to blk_read's last hit in domain 1, from 5e8 instructions after it.
    let fresh = try ReplaySession(path: path)
    guard let blkRead = fresh.machine.domains[1].kernelSymbol("blk_read") else { return }
    fresh.setBreakpoint(blkRead, domain: 1)
    var hit: UInt64 = 0
    while case .breakpoint = fresh.run(to: 200_000_000) { hit = fresh.position }  // its last hit
    guard hit > 0 else { return }
    fresh.clearBreakpoints()
    let from = min(hit + 500_000_000, fresh.endOfHistory)
    _ = try fresh.seek(to: from)
    fresh.setBreakpoint(blkRead, domain: 1)
    let (back, tBack) = try timed { try fresh.reverseContinue() }
    print(String(format: "reverse-continue over %d instructions to the breakpoint hit at %d: %.2f s (%@)",
                 from - hit, hit, tBack, fresh.position == hit ? "landed on it" : "WRONG: landed at \(fresh.position), \(String(describing: back))"))
}

/// `xdbg-bench domus KERNEL N`: total guest MIPS with Dom0 and 1, 4 and 6 DomUs running the
/// compute workload, each for N instructions.
func benchDomUs(kernel: String, instructions n: UInt64) throws {
    let elf = try ElfFile(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: kernel))))
    for count in [1, 4, 6] {
        var setups = [DomainSetup(name: "Domain-0", kernel: elf, memoryMiB: 512, vcpus: 1, commandLine: "console=hvc0 domid=0")]
        for i in 1...count {
            setups.append(DomainSetup(name: "domu\(i)", kernel: elf, memoryMiB: 256, vcpus: 1,
                                      commandLine: "workload=compute compute=100000000 domid=\(i)"))
        }
        let h = try SessionBoot.hypervisor(options: .init(physicalCPUs: 8, memoryMiB: 8192), setups: setups)
        let (_, t) = timed { _ = h.run(budget: n) }
        print(String(format: "%d DomU(s): %d instructions in %.2f s = %.1f MIPS", count, h.retiredInstructions, t,
                     Double(h.retiredInstructions) / t / 1e6))
    }
}

/// `xdbg-bench restore SESSION N`: the cost of a snapshot and of a restore at N.
func benchRestore(sessionPath: String, instructions n: UInt64) throws {
    let h = try SessionBoot.hypervisor(for: try SessionFile.load(path: sessionPath))
    _ = h.run(budget: n)
    let (snap, tSnap) = timed { h.snapshot() }
    let (_, tRestore) = try timed { try Hypervisor(restoring: snap) }
    let (_, tHash) = timed { StateCheck(of: h) }
    print(String(format: "snapshot %.1f ms (%d bytes, %d frames), restore %.1f ms, state check %.1f ms",
                 tSnap * 1000, snap.byteCount, snap.frameCount, tRestore * 1000, tHash * 1000))
}
