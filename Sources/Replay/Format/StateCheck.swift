import VMMCore

/// A fingerprint of the machine at one instruction count: per vCPU its retired count, ip and
/// a hash of its architectural state, per domain a hash of its memory and its life state.
/// Logged at a regular interval while recording; a replay that reaches the same count must
/// match it exactly.
public struct StateCheck: Equatable, Sendable {
    public struct VCPU: Equatable, Sendable {
        public var domain: Int
        public var vcpu: Int
        public var retired: UInt64
        public var ip: UInt64
        public var stateHash: UInt64
    }

    public struct DomainState: Equatable, Sendable {
        public var domain: Int
        public var life: String
        public var memoryHash: UInt64
    }

    public var instructions: UInt64
    public var virtualTime: UInt64
    public var vcpus: [VCPU]
    public var domains: [DomainState]

    /// Takes the fingerprint of `machine` as it stands.
    public init(of machine: Hypervisor) {
        machine.sealMemoryWrites()
        instructions = machine.retiredInstructions
        virtualTime = machine.now
        vcpus = []
        domains = []
        for d in machine.domains {
            domains.append(DomainState(domain: d.id, life: String(describing: d.life), memoryHash: d.memoryHash))
            for v in d.vcpus {
                vcpus.append(VCPU(domain: d.id, vcpu: v.id, retired: v.cpu.retired, ip: v.cpu.ip | UInt64(v.cpu.slot),
                                  stateHash: v.architecturalHash))
            }
        }
    }

    init(instructions: UInt64, virtualTime: UInt64, vcpus: [VCPU], domains: [DomainState]) {
        self.instructions = instructions
        self.virtualTime = virtualTime
        self.vcpus = vcpus
        self.domains = domains
    }

    /// The differences from `recorded`, most telling first (empty when they match).
    public func differences(from recorded: StateCheck) -> [String] {
        var out: [String] = []
        if virtualTime != recorded.virtualTime {
            out.append("virtual time \(virtualTime), recorded \(recorded.virtualTime)")
        }
        for r in recorded.vcpus {
            let who = "domain \(r.domain) vcpu \(r.vcpu)"
            guard let v = vcpus.first(where: { $0.domain == r.domain && $0.vcpu == r.vcpu }) else {
                out.append("\(who) does not exist")
                continue
            }
            if v.retired != r.retired {
                out.append("\(who) retired \(v.retired) instructions, recorded \(r.retired)")
            } else if v.ip != r.ip {
                out.append("\(who) ip 0x\(String(v.ip, radix: 16)), recorded 0x\(String(r.ip, radix: 16))")
            } else if v.stateHash != r.stateHash {
                out.append("\(who) registers differ (ip 0x\(String(v.ip, radix: 16)) as recorded)")
            }
        }
        for r in recorded.domains {
            guard let d = domains.first(where: { $0.domain == r.domain }) else {
                out.append("domain \(r.domain) does not exist")
                continue
            }
            if d.life != r.life { out.append("domain \(r.domain) is \(d.life), recorded \(r.life)") }
            if d.memoryHash != r.memoryHash { out.append("domain \(r.domain) memory differs") }
        }
        return out
    }

    func encode(into w: inout ByteWriter) {
        w.varint(virtualTime)
        w.varint(UInt64(vcpus.count))
        for v in vcpus {
            w.varint(UInt64(v.domain))
            w.varint(UInt64(v.vcpu))
            w.varint(v.retired)
            w.varint(v.ip)
            w.u64(v.stateHash)
        }
        w.varint(UInt64(domains.count))
        for d in domains {
            w.varint(UInt64(d.domain))
            w.string(d.life)
            w.u64(d.memoryHash)
        }
    }

    static func decode(from r: inout ByteReader, instructions: UInt64) throws -> StateCheck {
        let time = try r.varint()
        let n = try r.count(limit: 256 * 64)
        var vcpus: [VCPU] = []
        for _ in 0..<n {
            vcpus.append(VCPU(domain: try r.count(limit: 255), vcpu: try r.count(limit: 63), retired: try r.varint(),
                              ip: try r.varint(), stateHash: try r.u64()))
        }
        let m = try r.count(limit: 256)
        var domains: [DomainState] = []
        for _ in 0..<m {
            domains.append(DomainState(domain: try r.count(limit: 255), life: try r.string(limit: 256), memoryHash: try r.u64()))
        }
        return StateCheck(instructions: instructions, virtualTime: time, vcpus: vcpus, domains: domains)
    }
}
