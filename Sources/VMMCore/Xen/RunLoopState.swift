/// Where the hypervisor's run loop stands between two calls of `Hypervisor.run`: a round is
/// open or not, which physical CPU's turn is next, and the vCPU slice in progress. Keeping
/// this outside the call stack is what lets a run stop at any instruction (a budget, a
/// breakpoint, a replay target) and resume as if it never had.
struct RunLoopState {
    /// A round has begun: its injections, completions and timer wake-ups are done.
    var roundOpen = false
    /// The physical CPU whose turn comes next in the open round.
    var nextCPU = 0
    /// Some vCPU ran in the open round (time then advances by a quantum).
    var ranAny = false
    var slice: RunningSlice?
}

/// A vCPU's turn on a physical CPU: it runs until its processor has retired `end`.
final class RunningSlice {
    let vcpu: VirtualCPU
    let end: UInt64
    /// A processor run toward this retired count was cut short by a stop condition; the next
    /// call continues it without the between-runs checks (timer, events) the uncut run would
    /// not have made.
    var inner: UInt64?
    /// Stopped before a break address: the next call executes that instruction first.
    var atBreakpoint = false

    init(vcpu: VirtualCPU, end: UInt64) {
        self.vcpu = vcpu
        self.end = end
    }
}

/// When `Hypervisor.run` stops.
public struct StopConditions {
    /// Pause once the machine has retired this many instructions in total.
    public var instructions: UInt64
    /// Pause once this vCPU's processor has retired this many instructions.
    public var vcpuTarget: (vcpu: VirtualCPU, retired: UInt64)?

    public init(instructions: UInt64 = .max, vcpuTarget: (vcpu: VirtualCPU, retired: UInt64)? = nil) {
        self.instructions = instructions
        self.vcpuTarget = vcpuTarget
    }
}
