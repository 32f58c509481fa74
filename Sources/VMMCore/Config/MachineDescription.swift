/// The host being emulated and the hypervisor's boot options: what a session runs on.
public struct MachineDescription: Equatable, Sendable {
    /// An HP Integrity rx6600 has 4 dual-core Itanium 2 sockets.
    public static let defaultPhysicalCPUs = 8
    public static let defaultMemoryMiB: UInt64 = 8192
    /// Xen/ia64's default xenheap size.
    public static let defaultXenheapMiB: UInt64 = 32
    /// Xen/ia64's NR_CPUS.
    public static let maxPhysicalCPUs = 64

    public var physicalCPUs: Int
    /// Machine RAM.
    public var memoryMiB: UInt64
    /// `dom0_mem`: dom0's memory, overriding its config; nil = take it from the config.
    public var dom0MemMiB: UInt64?
    /// `dom0_max_vcpus`: dom0's vCPU count, overriding its config.
    public var dom0MaxVCPUs: Int?
    /// `dom0_vcpus_pin`: dom0's vCPU n runs on physical CPU n.
    public var dom0VCPUsPinned: Bool
    /// Debug-only: `xdbg_debug_panic=N` makes the hypervisor panic at instruction N.
    public var debugPanicAt: UInt64?
    /// `xenheap_megabytes`: the hypervisor's own heap, carved out of machine memory.
    public var xenheapMiB: UInt64
    /// Options Xen would have ignored.
    public var warnings: [String]

    public init(physicalCPUs: Int = defaultPhysicalCPUs, memoryMiB: UInt64 = defaultMemoryMiB,
                dom0MemMiB: UInt64? = nil, dom0MaxVCPUs: Int? = nil, dom0VCPUsPinned: Bool = false,
                xenheapMiB: UInt64 = defaultXenheapMiB, warnings: [String] = []) {
        self.physicalCPUs = physicalCPUs
        self.memoryMiB = memoryMiB
        self.dom0MemMiB = dom0MemMiB
        self.dom0MaxVCPUs = dom0MaxVCPUs
        self.dom0VCPUsPinned = dom0VCPUsPinned
        self.xenheapMiB = xenheapMiB
        self.warnings = warnings
    }

    /// Applies a Xen command line ("dom0_mem=1G dom0_max_vcpus=2 dom0_vcpus_pin
    /// xenheap_megabytes=16") to a machine with the given CPUs and memory.
    ///
    /// - dom0_mem takes Xen's size syntax (see `XenSize`; a plain number is KiB) and must be a
    ///   whole number of MiB;
    /// - dom0_max_vcpus and xenheap_megabytes are integers;
    /// - dom0_vcpus_pin is a boolean flag: alone, or =yes/on/true/enable/1, =no/off/false/disable/0.
    ///
    /// Unknown options are ignored with a warning. `file`/`line` say where the command line
    /// came from, for errors.
    public static func parse(commandLine: String, physicalCPUs: Int = defaultPhysicalCPUs,
                             memoryMiB: UInt64 = defaultMemoryMiB,
                             file: String? = nil, line: Int? = nil) throws(ConfigError) -> MachineDescription {
        func fail(_ message: String) -> ConfigError { ConfigError(file: file, line: line, message: message) }
        var machine = MachineDescription(physicalCPUs: physicalCPUs, memoryMiB: memoryMiB)
        for word in commandLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let option = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : nil
            func integer() throws(ConfigError) -> Int64 {
                guard let v = value, let n = Int64(v) else { throw fail("\(option) needs an integer, not '\(value ?? "")'") }
                return n
            }
            switch option {
            case "dom0_mem":
                guard let v = value, let bytes = XenSize.parseBytes(v), bytes > 0 else {
                    throw fail("dom0_mem needs a size such as 512M or 1G, not '\(value ?? "")'")
                }
                guard bytes % (1 << 20) == 0 else { throw fail("dom0_mem=\(v) is not a whole number of MiB") }
                machine.dom0MemMiB = bytes >> 20
            case "dom0_max_vcpus":
                let n = try integer()
                guard n >= 1, n <= Int64(DomainConfig.maxVirtualCPUs) else {
                    throw fail("dom0_max_vcpus must be between 1 and \(DomainConfig.maxVirtualCPUs), not \(n)")
                }
                machine.dom0MaxVCPUs = Int(n)
            case "dom0_vcpus_pin":
                switch value?.lowercased() {
                case nil, "yes", "on", "true", "enable", "1": machine.dom0VCPUsPinned = true
                case "no", "off", "false", "disable", "0": machine.dom0VCPUsPinned = false
                default: throw fail("dom0_vcpus_pin takes no value or a boolean, not '\(value ?? "")'")
                }
            case "xdbg_debug_panic":
                let n = try integer()
                guard n >= 1 else { throw fail("xdbg_debug_panic needs a positive instruction count, not \(n)") }
                machine.debugPanicAt = UInt64(n)
            case "xenheap_megabytes":
                let n = try integer()
                guard n >= 1 else { throw fail("xenheap_megabytes must be positive, not \(n)") }
                machine.xenheapMiB = UInt64(n)
            default:
                let place = [file, line.map(String.init)].compactMap { $0 }.joined(separator: ":")
                machine.warnings.append((place.isEmpty ? "" : place + ": ") + "unknown Xen option '\(option)' ignored")
            }
        }
        try machine.validate(file: file, line: line)
        return machine
    }

    /// Checks that the machine itself makes sense (CPU count, heap fits in memory).
    public func validate(file: String? = nil, line: Int? = nil) throws(ConfigError) {
        guard physicalCPUs >= 1, physicalCPUs <= Self.maxPhysicalCPUs else {
            throw ConfigError(file: file, line: line,
                              message: "physical CPUs must be between 1 and \(Self.maxPhysicalCPUs), not \(physicalCPUs)")
        }
        guard xenheapMiB < memoryMiB else {
            throw ConfigError(file: file, line: line,
                              message: "xenheap (\(xenheapMiB) MiB) does not fit in machine memory (\(memoryMiB) MiB)")
        }
    }
}
