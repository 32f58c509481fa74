/// A domain crash as the hypervisor saw it: who, why, when, and where its vCPU was (the vCPU
/// running when the crash was detected; -1 when the crash came from outside any vCPU).
public struct CrashRecord: Equatable, Sendable {
    public var domain: Int
    public var name: String
    public var reason: String
    public var instructions: UInt64
    public var vcpu: Int
    /// ip | slot of that vCPU.
    public var ip: UInt64
}
