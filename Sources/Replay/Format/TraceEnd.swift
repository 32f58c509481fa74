/// How a recording ended: the outcome, where, the final machine hash, and the crashes seen.
public struct TraceEnd: Equatable, Sendable {
    public struct Crash: Equatable, Sendable {
        public var domain: Int
        public var name: String
        public var reason: String
        public var instructions: UInt64
        public var vcpu: Int
        public var ip: UInt64
    }

    public var outcome: String
    public var instructions: UInt64
    public var virtualTime: UInt64
    public var stateHash: String
    public var crashes: [Crash]

    func encode(into w: inout ByteWriter) {
        w.string(outcome)
        w.varint(instructions)
        w.varint(virtualTime)
        w.string(stateHash)
        w.varint(UInt64(crashes.count))
        for c in crashes {
            w.varint(UInt64(c.domain))
            w.string(c.name)
            w.string(c.reason)
            w.varint(c.instructions)
            w.zigzag(Int64(c.vcpu))
            w.varint(c.ip)
        }
    }

    static func decode(from r: inout ByteReader) throws -> TraceEnd {
        let outcome = try r.string(), n = try r.varint(), t = try r.varint(), hash = try r.string()
        let count = try r.count(limit: 4096)
        var crashes: [Crash] = []
        for _ in 0..<count {
            crashes.append(Crash(domain: try r.count(limit: 255), name: try r.string(), reason: try r.string(),
                                 instructions: try r.varint(), vcpu: Int(try r.zigzag()), ip: try r.varint()))
        }
        return TraceEnd(outcome: outcome, instructions: n, virtualTime: t, stateHash: hash, crashes: crashes)
    }
}
