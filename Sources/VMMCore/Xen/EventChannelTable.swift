/// One domain's event-channel ports (Xen's struct evtchn array): what each port is bound to.
/// Port 0 is reserved, as in Xen. Pending and mask bits live in the domain's shared_info page,
/// not here.
struct EventChannelTable {
    enum Binding: Equatable {
        case free
        case reserved
        /// Waiting for `remoteDomain` to bind to it.
        case unbound(remoteDomain: Int)
        case interdomain(remoteDomain: Int, remotePort: Int)
        case virq(UInt64)
        case ipi
        /// The other end is a back end inside the hypervisor (console, block device).
        case backend(Backend)
    }

    enum Backend: Equatable { case console, block(Int) }

    struct Port: Equatable {
        var binding: Binding = .free
        /// The vCPU notified when the port becomes pending.
        var vcpu = 0
    }

    private(set) var ports: [Port]

    init(count: Int = XenABI.EventChannelOp.portCount) {
        ports = Array(repeating: Port(), count: count)
        ports[0].binding = .reserved
    }

    func isValid(_ port: UInt64) -> Bool { port < UInt64(ports.count) }

    subscript(port: Int) -> Port {
        get { ports[port] }
        set { ports[port] = newValue }
    }

    /// The lowest free port, or nil when all are in use (-ENOSPC).
    func freePort() -> Int? { ports.firstIndex { $0.binding == .free } }

    /// The port bound to `virq` on `vcpu`, if any.
    func port(forVIRQ virq: UInt64, vcpu: Int) -> Int? {
        ports.indices.first { ports[$0].binding == .virq(virq) && ports[$0].vcpu == vcpu }
    }

    func port(forBackend backend: Backend) -> Int? { ports.indices.first { ports[$0].binding == .backend(backend) } }

    /// Status values of EVTCHNOP_status: closed 0, unbound 1, interdomain 2, pirq 3, virq 4, ipi 5.
    func statusCode(_ port: Int) -> UInt64 {
        switch ports[port].binding {
        case .free, .reserved: return 0
        case .unbound, .backend: return 1
        case .interdomain: return 2
        case .virq: return 4
        case .ipi: return 5
        }
    }

    /// A stable digest of the bindings, for machine state hashes.
    func digest(into hasher: inout StateHasher) {
        for (i, p) in ports.enumerated() where p.binding != .free {
            hasher.add(UInt64(i))
            hasher.add(UInt64(p.vcpu))
            hasher.add(String(describing: p.binding))
        }
    }
}
