import VMMCore

/// Checkpoints and reverse execution. While replaying forward the session snapshots the whole
/// machine at some of the state checks it passes (see `wantsCheckpoint`; frames shared with
/// the previous snapshot), keeping a bounded, thinned-out set; going back restores the nearest
/// earlier checkpoint and replays forward from there.
extension ReplaySession {
    public struct Checkpoint {
        public let position: UInt64
        let snapshot: MachineSnapshot
        let cursor: Int
        let checksPassed: Int
        /// Each vCPU's retired count, by domain then vCPU.
        let vcpuRetired: [[UInt64]]
    }

    static let maxCheckpoints = 24

    /// Takes a checkpoint here unless one exists at this position.
    func takeCheckpoint() {
        guard replayer.divergence == nil, !checkpoints.contains(where: { $0.position == position }) else { return }
        let previous = checkpoints.last(where: { $0.position < position })?.snapshot
        let cp = Checkpoint(position: position, snapshot: machine.snapshot(reusingFramesOf: previous), cursor: replayer.cursor,
                            checksPassed: checksPassed, vcpuRetired: machine.domains.map { $0.vcpus.map(\.cpu.retired) })
        checkpoints.append(cp)
        checkpoints.sort { $0.position < $1.position }
        // Thin out, keeping them dense near the newest position (where going back one
        // instruction must be quick) and sparse far from it: drop the one whose neighbours
        // are closest together relative to its distance from the newest, so spacing grows
        // with distance and about O(log n) survive.
        while checkpoints.count > Self.maxCheckpoints {
            let newest = checkpoints[checkpoints.count - 1].position
            var best = 1
            var bestScore = Double.infinity
            for i in 1..<(checkpoints.count - 1) {
                let span = Double(checkpoints[i + 1].position - checkpoints[i - 1].position)
                let score = span / Double(max(1, newest - checkpoints[i].position))
                if score < bestScore {
                    bestScore = score
                    best = i
                }
            }
            checkpoints.remove(at: best)
        }
    }

    func restore(_ cp: Checkpoint) throws {
        let m = try Hypervisor(restoring: cp.snapshot)
        let listener = machine.consoleListener
        m.inputs = replayer
        m.consoleListener = listener
        replayer.cursor = cp.cursor
        replayer.divergence = nil
        machine = m
        checksPassed = cp.checksPassed
        applyBreakpoints()
    }

    /// The latest checkpoint at or before `position`, restored (or the start, rebuilt).
    func restoreNearest(atOrBefore target: UInt64) throws {
        if let cp = checkpoints.last(where: { $0.position <= target }) {
            try restore(cp)
        } else {
            try restart()
        }
    }

    /// Goes back one instruction of `vcpu` of `domain`: to where it had retired one fewer.
    /// `.endOfHistory` is not possible here; at its first instruction it returns `.position`
    /// without moving and `false`.
    public func reverseStep(domain: Int, vcpu: Int) throws -> Bool {
        guard let v = machine.domain(domain)?.vcpus[vcpu], v.cpu.retired > 0 else { return false }
        let target = v.cpu.retired - 1
        let di = machine.domains.firstIndex { $0.id == domain }!
        let cp = checkpoints.last { $0.position < position && $0.vcpuRetired[di][vcpu] <= target }
        if let cp { try restore(cp) } else { try restart() }
        let saved = breakpoints
        breakpoints = [:]
        applyBreakpoints()
        defer {
            breakpoints = saved
            applyBreakpoints()
        }
        let w = machine.domain(domain)!.vcpus[vcpu]
        if w.cpu.retired == target { return true }
        _ = run(to: .max, vcpuTarget: (w, target))
        return w.cpu.retired == target
    }

    /// Goes back to the last breakpoint hit before the current position; false (and the
    /// machine at the start of the history) when there is none.
    public func reverseContinue() throws -> Stop? {
        let now = position
        var windowEnd = now
        var starts: [Checkpoint?] = checkpoints.filter { $0.position < now }.map { Optional($0) }
        starts.insert(nil, at: 0)  // the start of the history
        for start in starts.reversed() {
            if let start { try restore(start) } else { try restart() }
            var hits = 0
            while true {
                let stop = run(to: windowEnd)
                guard case .breakpoint = stop, position < now else { break }
                hits += 1
            }
            guard hits > 0 else {
                windowEnd = start?.position ?? 0
                continue
            }
            if let start { try restore(start) } else { try restart() }
            var last: Stop?
            for _ in 0..<hits { last = run(to: windowEnd) }
            return last
        }
        try restart()
        return nil
    }
}
