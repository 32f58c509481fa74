/// What a debugger front end (the GDB stub's `ReplayDebugTarget`) needs beyond running and
/// seeking: a checkpoint where the user stands, and the recorded events before a position.
extension ReplaySession {
    /// Takes a checkpoint at the current position (kept in the same thinned set as the ones
    /// taken at state checks); false when the replay has diverged.
    @discardableResult
    public func checkpointHere() -> Bool {
        takeCheckpoint()
        return checkpoints.contains { $0.position == position }
    }

    /// The last `count` recorded events at or before the current position, oldest first.
    public func recentEvents(_ count: Int) -> [TraceEvent] {
        let now = position
        var end = trace.events.count
        while end > 0 && trace.events[end - 1].instructions > now { end -= 1 }
        return Array(trace.events[max(0, end - count)..<end])
    }
}
