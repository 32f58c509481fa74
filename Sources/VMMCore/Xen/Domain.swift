import IA64Exec

/// A Xen domain: its guest-physical memory, vCPUs, event channels, grant table, console and
/// life cycle.
public final class Domain {
    public enum LifeState: Equatable, Sendable {
        case running
        case paused
        case shutdown(XenABI.ShutdownReason)
        /// Crashed and kept for inspection (on_crash = preserve) or destroyed.
        case crashed
        case destroyed
    }

    public let id: Int
    public let name: String
    public let privileged: Bool
    public let memory: GuestMemory
    public internal(set) var vcpus: [VirtualCPU] = []
    public internal(set) var life: LifeState = .running
    var eventChannels = EventChannelTable()
    var grants = GrantTable()
    /// Where the guest asked for the XSI area (FW hypercall 0x600).
    var xsiBase: UInt64 = XenABI.defaultXSIBase
    var startInfoPhysical: UInt64 = 0
    /// Pages the domain has (current reservation) and may have.
    var reservationPages: UInt64
    var maxPages: UInt64
    public let onCrash: OnCrashAction
    /// Console output as the guest wrote it.
    public internal(set) var consoleOutput: [UInt8] = []
    /// The console ring page (DomU) and its last consumed index.
    var consoleRingPhysical: UInt64?
    /// Console input the ring's in[] had no room for yet (xenconsoled's buffer).
    var consoleInputBacklog: [UInt8] = []
    /// Virtual block devices (disk = [...]) and the device page that describes them (0: none).
    public internal(set) var blockDevices: [BlockDevice] = []
    var devicePagePhysical: UInt64 = 0
    /// Registered SAL_SET_VECTORS handlers (machine check, INIT) and the rendezvous entry.
    var machineCheckHandler: UInt64?
    var initHandler: UInt64?
    /// SAL_SET_VECTORS type 2: where secondary vCPUs start (the boot rendezvous).
    var rendezvousEntry: UInt64?
    /// SAL error records waiting for SAL_GET_STATE_INFO, by record type (0 MCA, 1 INIT).
    var errorRecords: [UInt64: Hypervisor.ErrorRecord] = [:]

    public enum OnCrashAction: String, Sendable { case destroy, preserve, restart }
    /// The kernel image the domain was built from (for symbols; never changes).
    public internal(set) var kernel: ElfFile?

    init(id: Int, name: String, privileged: Bool, memoryPages: UInt64, maxPages: UInt64, onCrash: OnCrashAction, memory: GuestMemory) {
        self.id = id
        self.name = name
        self.privileged = privileged
        self.reservationPages = memoryPages
        self.maxPages = maxPages
        self.onCrash = onCrash
        self.memory = memory
    }

    public var consoleText: String { String(decoding: consoleOutput, as: UTF8.self) }

    /// The domain's own pages, the hypervisor pages shared into it (shared_info and each
    /// vCPU's mapped registers) and the foreign frames it maps through grants (handle, grant,
    /// where, and contents), all of which the guest reads as its memory too.
    public var memoryHash: UInt64 {
        var h = StateHasher()
        h.add(memory.stateHash)
        // shared_info and each vCPU's mapped_regs: hypervisor frames, hashed through the same
        // frame hash cache as the domain's own pages (rehashed only when written).
        for k in 0..<UInt64(1 + vcpus.count) {
            let gpfn = (XenABI.sharedInfoPhysical + k * XenABI.pageSize) >> XenABI.pageShift
            if let page = memory.pageHash(gpfn: gpfn) { h.add(page) }
        }
        for (handle, m) in grants.mappings.enumerated() {
            guard let m else { continue }
            h.add(UInt64(handle))
            h.add(UInt64(m.grantingDomain))
            h.add(m.reference)
            h.add(m.hostAddress)
            h.add(byte: m.readOnly ? 1 : 0)
            h.add(memory.pageHash(gpfn: m.hostAddress >> XenABI.pageShift) ?? 0)
        }
        return h.value
    }

    /// The address of a defined symbol of the domain's kernel.
    public func kernelSymbol(_ name: String) -> UInt64? { kernel?.symbol(named: name)?.value }

    public var isAlive: Bool {
        switch life {
        case .running, .paused: return true
        default: return false
        }
    }

    var shared: UInt64 { XenABI.sharedInfoPhysical }
}
