import IA64Exec

/// The port table: its size, then only the ports that differ from a fresh free port.
extension EventChannelTable: StateCodable {
    static var placeholder: EventChannelTable { EventChannelTable(count: 1) }

    mutating func code<C: StateCoder>(_ c: inout C) throws {
        var size = ports.count
        try c.count(&size, minimumSize: 0)
        guard (1...XenABI.EventChannelOp.portCount * 16).contains(size) else { throw c.corrupt("event channel table of \(size) ports") }
        var used = c.isDecoding ? [] : ports.indices.filter { ports[$0] != Port() }
        try c.code(&used)
        if c.isDecoding { self = EventChannelTable(count: size) }
        for index in used {
            guard (0..<size).contains(index) else { throw c.corrupt("event channel port \(index) out of range") }
            var port = self[index]
            try port.code(&c)
            self[index] = port
        }
    }
}

extension EventChannelTable.Port: StateCodable {
    static var placeholder: EventChannelTable.Port { .init() }
    mutating func code<C: StateCoder>(_ c: inout C) throws {
        try binding.code(&c)
        try c.code(&vcpu)
    }
}

extension EventChannelTable.Binding: StateCodable {
    static var placeholder: EventChannelTable.Binding { .free }
    mutating func code<C: StateCoder>(_ c: inout C) throws {
        var tag = 0, a = 0, b = 0
        var virq: UInt64 = 0
        switch self {
        case .free: tag = 0
        case .reserved: tag = 1
        case .unbound(let remote): tag = 2; a = remote
        case .interdomain(let remote, let port): tag = 3; a = remote; b = port
        case .virq(let v): tag = 4; virq = v
        case .ipi: tag = 5
        case .backend(.console): tag = 6
        case .backend(.block(let n)): tag = 7; a = n
        }
        try c.tag(&tag, limit: 8, "event channel binding")
        switch tag {
        case 2, 7: try c.code(&a)
        case 3: try c.code(&a); try c.code(&b)
        case 4: try c.code(&virq)
        default: break
        }
        guard c.isDecoding else { return }
        switch tag {
        case 0: self = .free
        case 1: self = .reserved
        case 2: self = .unbound(remoteDomain: a)
        case 3: self = .interdomain(remoteDomain: a, remotePort: b)
        case 4: self = .virq(virq)
        case 5: self = .ipi
        case 6: self = .backend(.console)
        default: self = .backend(.block(a))
        }
    }
}
