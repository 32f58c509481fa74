import Foundation

/// One domain as an xm/xl configuration file describes it.
public struct DomainConfig: Equatable, Sendable {
    /// The largest vCPU count a domain can have (Xen's MAX_VIRT_CPUS on ia64).
    public static let maxVirtualCPUs = 64

    public var name: String
    /// Kernel image path, resolved against the config file's directory.
    public var kernel: String
    public var ramdisk: String?
    /// Extra kernel command line.
    public var extra: String?
    /// Root device, prepended to the command line as "root=..." by the builder.
    public var root: String?
    /// Initial memory.
    public var memoryMiB: UInt64
    /// Ceiling for ballooning up; at least `memoryMiB`.
    public var maxmemMiB: UInt64
    public var vcpus: Int
    /// Physical CPUs the domain's vCPUs may run on; nil = any.
    public var cpus: [Int]?
    public var onPoweroff: DomainLifecycleAction
    public var onReboot: DomainLifecycleAction
    public var onCrash: DomainLifecycleAction
    public var disks: [DiskSpec]
    /// The file this came from, if any (for messages).
    public var file: String?
    /// Things xm would have ignored (unknown keys, keys set twice), as `FILE:LINE: message`.
    public var warnings: [String]
    /// Lines of the keys in `file`, so later checks (the session's) can point at them.
    var keyLines: [String: Int] = [:]

    public init(name: String, kernel: String, ramdisk: String? = nil, extra: String? = nil, root: String? = nil,
                memoryMiB: UInt64, maxmemMiB: UInt64? = nil, vcpus: Int = 1, cpus: [Int]? = nil,
                onPoweroff: DomainLifecycleAction = .destroy, onReboot: DomainLifecycleAction = .restart,
                onCrash: DomainLifecycleAction = .destroy, disks: [DiskSpec] = [], file: String? = nil,
                warnings: [String] = []) {
        self.name = name
        self.kernel = kernel
        self.ramdisk = ramdisk
        self.extra = extra
        self.root = root
        self.memoryMiB = memoryMiB
        self.maxmemMiB = max(maxmemMiB ?? memoryMiB, memoryMiB)
        self.vcpus = vcpus
        self.cpus = cpus
        self.onPoweroff = onPoweroff
        self.onReboot = onReboot
        self.onCrash = onCrash
        self.disks = disks
        self.file = file
        self.warnings = warnings
    }

    /// The line of `key` in `file`, when the config came from one.
    public func line(ofKey key: String) -> Int? { keyLines[key] }

    /// Interprets a parsed xm document. Relative paths are resolved against the document's
    /// directory; `physicalCPUs` completes `cpus` specs that start with an exclusion.
    public init(document: XMConfigDocument, physicalCPUs: Int = MachineDescription.defaultPhysicalCPUs) throws(ConfigError) {
        var reader = XMSettingReader(document)
        let directory = ConfigPath.directory(of: document.file)
        func resolve(_ path: String) -> String {
            ConfigPath.resolve(path, against: directory)
        }
        func positive(_ key: String, _ entry: (Int64, XMSetting)?) throws(ConfigError) -> UInt64? {
            guard let (v, s) = entry else { return nil }
            guard v > 0 else { throw reader.error("'\(key)' must be positive, not \(v)", line: s.value.line) }
            return UInt64(v)
        }

        let nameSetting = try reader.required("name")
        let name = try XMSettingReader.string(nameSetting.value, key: "name", file: document.file)
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else {
            throw reader.error("'name' must be non-empty and without spaces", line: nameSetting.value.line)
        }
        let kernelSetting = try reader.required("kernel")
        let kernel = try XMSettingReader.string(kernelSetting.value, key: "kernel", file: document.file)
        guard !kernel.isEmpty else { throw reader.error("'kernel' is empty", line: kernelSetting.value.line) }
        guard let memory = try positive("memory", reader.integer("memory")) else {
            throw reader.error("missing required key 'memory'", line: nil)
        }
        let maxmemEntry = try reader.integer("maxmem")
        let maxmem = try positive("maxmem", maxmemEntry) ?? memory
        if let (_, s) = maxmemEntry, maxmem < memory {
            throw reader.error("'maxmem' (\(maxmem) MiB) is less than 'memory' (\(memory) MiB)", line: s.value.line)
        }
        var vcpus = 1
        if let (v, s) = try reader.integer("vcpus") {
            guard v >= 1, v <= Int64(Self.maxVirtualCPUs) else {
                throw reader.error("'vcpus' must be between 1 and \(Self.maxVirtualCPUs), not \(v)", line: s.value.line)
            }
            vcpus = Int(v)
        }
        let cpus = try Self.cpus(&reader, physicalCPUs: physicalCPUs)
        func action(_ key: String, default value: DomainLifecycleAction) throws(ConfigError) -> DomainLifecycleAction {
            guard let (text, s) = try reader.string(key) else { return value }
            guard let a = DomainLifecycleAction(rawValue: text) else {
                let names = DomainLifecycleAction.allCases.map(\.rawValue).joined(separator: ", ")
                throw reader.error("bad '\(key)' action '\(text)' (expected one of \(names))", line: s.value.line)
            }
            return a
        }
        var disks: [DiskSpec] = []
        if let (entries, _) = try reader.stringList("disk") {
            for (entry, line) in entries {
                switch DiskSpec.parse(entry, relativeTo: directory) {
                case .success(let d): disks.append(d)
                case .failure(let e): throw reader.error(e.description, line: line)
                }
            }
        }
        self.init(name: name, kernel: resolve(kernel),
                  ramdisk: try reader.string("ramdisk").map { resolve($0.0) },
                  extra: try reader.string("extra")?.0, root: try reader.string("root")?.0,
                  memoryMiB: memory, maxmemMiB: maxmem, vcpus: vcpus, cpus: cpus,
                  onPoweroff: try action("on_poweroff", default: .destroy),
                  onReboot: try action("on_reboot", default: .restart),
                  onCrash: try action("on_crash", default: .destroy),
                  disks: disks, file: document.file, warnings: [])
        warnings = reader.warnings
        for s in document.settings { keyLines[s.key] = s.line }  // the last assignment is the one in effect
    }

    /// `cpus`: a spec string ("0-3,^1") or a list of CPU numbers or specs.
    private static func cpus(_ reader: inout XMSettingReader, physicalCPUs: Int) throws(ConfigError) -> [Int]? {
        guard let s = reader.setting("cpus") else { return nil }
        var specs: [(String, Int)] = []
        switch s.value.kind {
        case .string(let v): specs = [(v, s.value.line)]
        case .integer(let v): specs = [(String(v), s.value.line)]
        case .list(let elements):
            for e in elements {
                switch e.kind {
                case .string(let v): specs.append((v, e.line))
                case .integer(let v): specs.append((String(v), e.line))
                case .list: throw reader.error("'cpus' list elements must be CPU numbers or strings, not a list", line: e.line)
                }
            }
        }
        var all = Set<Int>()
        for (spec, line) in specs {
            switch CPUList.parse(spec, physicalCPUs: physicalCPUs) {
            case .success(let list): all.formUnion(list)
            case .failure(let e): throw reader.error(e.description, line: line)
            }
        }
        guard !all.isEmpty else { throw reader.error("'cpus' selects no CPU", line: s.value.line) }
        return all.sorted()
    }
}
