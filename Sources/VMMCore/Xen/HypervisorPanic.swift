/// A fatal internal error of the hypervisor (Xen's panic()): what, and where in the run.
public struct HypervisorPanic: Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var instructions: UInt64
    public var virtualTime: UInt64

    public var description: String { "hypervisor panic at instruction \(instructions): \(message)" }
}
