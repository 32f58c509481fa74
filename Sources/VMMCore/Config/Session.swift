/// A machine and the domains that run on it, checked to fit together.
public struct Session: Equatable, Sendable {
    public var machine: MachineDescription
    /// dom0 with the Xen command line's dom0_mem / dom0_max_vcpus applied.
    public var dom0: DomainConfig
    public var domUs: [DomainConfig]
    /// Warnings from every file involved, and about overridden dom0 settings.
    public var warnings: [String]

    /// Applies the machine's dom0 options to `dom0` and checks the whole: see `SessionFile`.
    public init(machine: MachineDescription, dom0: DomainConfig, domUs: [DomainConfig]) throws(ConfigError) {
        try self.init(machine: machine, dom0: dom0, domUs: domUs, places: Places())
    }

    /// Where the session's own pieces are written, for error messages.
    struct Places {
        var file: String?
        var xenLine: Int?
        var dom0Line: Int?
        var domULines: [Int] = []
    }

    init(machine: MachineDescription, dom0: DomainConfig, domUs: [DomainConfig], places: Places) throws(ConfigError) {
        try machine.validate(file: places.file, line: nil)
        var dom0 = dom0
        var warnings = machine.warnings + dom0.warnings + domUs.flatMap(\.warnings)
        let prefix = [places.file, places.xenLine.map(String.init)].compactMap { $0 }.joined(separator: ":")
        let at = prefix.isEmpty ? "" : prefix + ": "
        if let mem = machine.dom0MemMiB {
            if mem != dom0.memoryMiB {
                warnings.append("\(at)dom0_mem=\(mem)M overrides dom0's memory = \(dom0.memoryMiB)")
            }
            dom0.memoryMiB = mem
            dom0.maxmemMiB = max(dom0.maxmemMiB, mem)
        }
        if let n = machine.dom0MaxVCPUs {
            if n != dom0.vcpus { warnings.append("\(at)dom0_max_vcpus=\(n) overrides dom0's vcpus = \(dom0.vcpus)") }
            dom0.vcpus = n
        }
        if machine.dom0VCPUsPinned && dom0.vcpus > machine.physicalCPUs {
            throw ConfigError(file: places.file, line: places.xenLine,
                              message: "dom0_vcpus_pin: dom0 has \(dom0.vcpus) vCPUs but the machine only \(machine.physicalCPUs) physical CPUs")
        }

        var names: [String: String] = [:]
        var memoryUsed = machine.xenheapMiB
        let all = [(dom0, places.dom0Line)] + domUs.enumerated().map { ($1, $0 < places.domULines.count ? places.domULines[$0] : nil) }
        for (domain, listingLine) in all {
            func fail(_ key: String, _ message: String) -> ConfigError {
                ConfigError(file: domain.file ?? places.file, line: domain.line(ofKey: key), message: message)
            }
            guard domain.vcpus >= 1, domain.vcpus <= DomainConfig.maxVirtualCPUs else {
                throw fail("vcpus", "domain '\(domain.name)': vcpus must be between 1 and \(DomainConfig.maxVirtualCPUs), not \(domain.vcpus)")
            }
            if let bad = domain.cpus?.first(where: { $0 < 0 || $0 >= machine.physicalCPUs }) {
                throw fail("cpus", "domain '\(domain.name)': cpus names CPU \(bad) but the machine has CPUs 0-\(machine.physicalCPUs - 1)")
            }
            if let other = names[domain.name] {
                throw ConfigError(file: places.file, line: listingLine,
                                  message: "domain name '\(domain.name)' is used by both \(other) and \(domain.file ?? "another domain")")
            }
            names[domain.name] = domain.file ?? "another domain"
            memoryUsed += domain.memoryMiB
            if memoryUsed > machine.memoryMiB {
                let needed = all.reduce(machine.xenheapMiB) { $0 + $1.0.memoryMiB }
                throw ConfigError(file: places.file, line: listingLine,
                                  message: "not enough memory: the domains need \(needed - machine.xenheapMiB) MiB plus \(machine.xenheapMiB) MiB of Xen heap, the machine has \(machine.memoryMiB) MiB")
            }
        }
        self.machine = machine
        self.dom0 = dom0
        self.domUs = domUs
        self.warnings = warnings
    }
}
