/// One domain's grant table (version 1): the entries live in frames of the granting domain's
/// guest-physical space at IA64_GRANT_TABLE_PADDR, where the guest writes them; this records
/// the size and the foreign frames this domain maps (its map_grant_ref handles, Xen's
/// maptrack).
struct GrantTable {
    /// Each entry is {u16 flags, u16 domid, u32 frame}: 8 bytes.
    static let entrySize: UInt64 = 8
    static let maxFrames: UInt64 = 4
    var frames: UInt64 = 1
    var entryCount: UInt64 { frames * XenABI.pageSize / Self.entrySize }

    struct Mapping: Equatable {
        let grantingDomain: Int
        let reference: UInt64
        /// Where the mapping sits in the mapping domain's guest-physical space.
        let hostAddress: UInt64
        let readOnly: Bool
    }

    /// Handles (indices) of the mappings this domain holds; nil slots are free.
    var mappings: [Mapping?] = []
    /// Xen sized its maptrack at most 8 handles per grant entry a domain can have.
    static let maxMappings = Int(maxFrames * XenABI.pageSize / entrySize) * 8

    /// Records a mapping under the lowest free handle; nil when every handle is in use.
    mutating func addMapping(_ m: Mapping) -> Int? {
        if let free = mappings.firstIndex(where: { $0 == nil }) {
            mappings[free] = m
            return free
        }
        guard mappings.count < Self.maxMappings else { return nil }
        mappings.append(m)
        return mappings.count - 1
    }

    /// The mapping behind `handle`, if it is in use.
    func mapping(_ handle: UInt64) -> Mapping? {
        handle < UInt64(mappings.count) ? mappings[Int(handle)] : nil
    }

    /// Frees `handle`; trailing free handles are dropped so equal sets of mappings look alike.
    mutating func removeMapping(_ handle: Int) {
        mappings[handle] = nil
        while mappings.last == .some(nil) { mappings.removeLast() }
    }
}

extension XenABI {
    /// Grant-table frames follow the mapped_regs pages of 64 vCPUs (asm-ia64/grant_table.h).
    public static let grantTablePhysical: UInt64 = sharedInfoPhysical + pageSize * UInt64(1 + maxVirtualCPUs)

    public enum GrantStatus: Int64, Error {
        case okay = 0, generalError = -1, badDomain = -2, badGntref = -3, badHandle = -4, badVirtAddr = -5
        case badDevAddr = -6, noDeviceSpace = -7, permissionDenied = -8, badPage = -9, badCopyArg = -10
    }

    public enum GrantFlags {
        public static let permitAccess: UInt64 = 1, acceptTransfer: UInt64 = 2, readOnly: UInt64 = 4
        public static let reading: UInt64 = 8, writing: UInt64 = 16
    }

    /// GNTMAP_* flags of map_grant_ref.
    public enum GrantMapFlags {
        public static let deviceMap: UInt64 = 1, hostMap: UInt64 = 2, readOnly: UInt64 = 4
        public static let applicationMap: UInt64 = 8, containsPTE: UInt64 = 16
    }
}
