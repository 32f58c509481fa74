import VMMCore

/// The door for outside input in replay mode: every answer comes from the trace, given at the
/// point the recording gave it; a question the recording did not ask there is a divergence.
public final class Replayer: ExternalInputs {
    let events: [TraceEvent]
    let blobs: BlobStore
    let chaos: Bool
    let checkInterval: UInt64
    /// The next event to give out. Part of the machine's state for checkpoints.
    public internal(set) var cursor = 0
    public internal(set) var divergence: Divergence?

    init(trace: Trace, blobs: BlobStore) {
        events = trace.events
        self.blobs = blobs
        chaos = trace.header.chaosSeed != nil
        checkInterval = max(1, trace.header.checkInterval)
    }

    func diverge(at instructions: UInt64, _ what: String) {
        guard divergence == nil else { return }
        let interval = Int(instructions / checkInterval)
        divergence = Divergence(instructions: instructions, interval: interval,
                                intervalStart: UInt64(interval) * checkInterval,
                                intervalEnd: UInt64(interval + 1) * checkInterval, differences: [what])
    }

    /// The next event, which must be of `kind` at `point`.
    func take(_ kind: TraceEvent.Kind, at point: InputPoint) -> TraceEvent? {
        guard divergence == nil else { return nil }
        guard cursor < events.count else {
            diverge(at: point.instructions, "the replay asks for a \(kind.name) at \(point), after the last recorded input")
            return nil
        }
        let e = events[cursor]
        guard e.kind == kind, Self.point(of: e) == point else {
            let recorded = Self.point(of: e).map { "\(e.kind.name) at \($0)" } ?? "\(e.kind.name) at instruction \(e.instructions)"
            diverge(at: point.instructions, "the replay asks for a \(kind.name) at \(point); the recording has a \(recorded)")
            return nil
        }
        cursor += 1
        return e
    }

    static func point(of e: TraceEvent) -> InputPoint? {
        switch e {
        case .wallClock(let p, _), .diskRead(let p, _, _, _, _), .platformEvent(let p, _), .quantum(let p, _), .blockLatency(let p, _),
             .consoleInput(let p, _): p
        case .stateCheck: nil
        }
    }

    /// The state check recorded at `instructions`, consumed; nil if the next event is not one.
    func takeStateCheck(at instructions: UInt64) -> StateCheck? {
        guard cursor < events.count, case .stateCheck(let c) = events[cursor], c.instructions == instructions else { return nil }
        cursor += 1
        return c
    }

    /// Where the next recorded state check is, if any.
    var nextStateCheckPosition: UInt64? {
        events[cursor...].first { $0.kind == .stateCheck }?.instructions
    }

    public func wallClock(at point: InputPoint) -> WallClock {
        guard case .wallClock(_, let c)? = take(.wallClock, at: point) else { return StandardInputs.fixedWallClock }
        return c
    }

    public func diskRead(_ device: BlockDevice, sector: UInt64, count: Int, at point: InputPoint,
                         hostRead: () -> [UInt8]?) -> [UInt8]? {
        guard case .diskRead(_, let dev, let s, let n, let hash)? = take(.diskRead, at: point) else { return nil }
        guard dev == device.index, s == sector, n == count else {
            diverge(at: point.instructions, "disk read of device \(device.index) sectors \(sector)+\(count); the recording read device \(dev) sectors \(s)+\(n)")
            return nil
        }
        guard let hash else { return nil }
        do { return try blobs.get(hash, what: "disk \(device.spec.virtualDevice) sectors \(sector)+\(count)") } catch {
            diverge(at: point.instructions, "\(error)")
            return nil
        }
    }

    public func platformEvents(at point: InputPoint) -> [PlatformEventRequest] {
        var due: [PlatformEventRequest] = []
        while divergence == nil, cursor < events.count, case .platformEvent(let p, let r) = events[cursor] {
            if p.instructions < point.instructions {
                diverge(at: point.instructions, "the recording delivered an MCA/INIT at instruction \(p.instructions); the replay passed it")
                break
            }
            guard p == point else { break }
            due.append(r)
            cursor += 1
        }
        return due
    }

    public func consoleInput(at point: InputPoint) -> [ConsoleInputRequest] {
        var due: [ConsoleInputRequest] = []
        while divergence == nil, cursor < events.count, case .consoleInput(let p, let r) = events[cursor] {
            if p.instructions < point.instructions {
                diverge(at: point.instructions, "the recording delivered console input at instruction \(p.instructions); the replay passed it")
                break
            }
            guard p == point else { break }
            due.append(r)
            cursor += 1
        }
        return due
    }

    public func quantum(at point: InputPoint, standard: UInt64) -> UInt64 {
        guard chaos else { return standard }
        guard case .quantum(_, let q)? = take(.quantum, at: point) else { return standard }
        return q
    }

    public func blockLatency(at point: InputPoint, standard: UInt64) -> UInt64 {
        guard chaos else { return standard }
        guard case .blockLatency(_, let l)? = take(.blockLatency, at: point) else { return standard }
        return l
    }
}
