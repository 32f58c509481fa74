import Foundation

/// A session file: the machine and its domains, in xm syntax.
///
///     # default session
///     cpus = 8
///     memory = 4096          # MiB of machine memory
///     xen = "dom0_mem=1024M dom0_max_vcpus=2 dom0_vcpus_pin"
///     dom0 = "dom0.cfg"
///     domains = [ "domu1.cfg", "domu2.cfg" ]
///
/// `cpus` (default 8), `memory` (MiB, default 8192) and `xen` (the hypervisor command line)
/// describe the machine; `dom0` (required) and `domains` name domain configs, relative to the
/// session file. Checks: dom0_mem / dom0_max_vcpus override dom0's memory / vcpus; the Xen
/// heap plus every domain's memory fits in machine memory; `cpus` pins name existing CPUs;
/// vcpus is 1...64; domain names are unique.
public enum SessionFile {
    public static func load(path: String) throws(ConfigError) -> Session {
        try parse(text: XMConfigParser.readText(path: path), file: path)
    }

    /// Parses session text; `file` names it in errors and anchors the domain config paths.
    public static func parse(text: String, file: String) throws(ConfigError) -> Session {
        var reader = XMSettingReader(try XMConfigParser.parseDocument(text: text, file: file))
        let directory = ConfigPath.directory(of: file)
        func resolve(_ path: String) -> String {
            ConfigPath.resolve(path, against: directory)
        }

        var cpus = MachineDescription.defaultPhysicalCPUs
        if let (n, s) = try reader.integer("cpus") {
            guard n >= 1, n <= Int64(MachineDescription.maxPhysicalCPUs) else {
                throw reader.error("'cpus' must be between 1 and \(MachineDescription.maxPhysicalCPUs), not \(n)", line: s.value.line)
            }
            cpus = Int(n)
        }
        var memory = MachineDescription.defaultMemoryMiB
        if let (n, s) = try reader.integer("memory") {
            guard n >= 1 else { throw reader.error("'memory' must be positive, not \(n)", line: s.value.line) }
            memory = UInt64(n)
        }
        var places = Session.Places(file: file)
        let machine: MachineDescription
        if let (line, s) = try reader.string("xen") {
            places.xenLine = s.value.line
            machine = try MachineDescription.parse(commandLine: line, physicalCPUs: cpus, memoryMiB: memory,
                                                   file: file, line: s.value.line)
        } else {
            machine = MachineDescription(physicalCPUs: cpus, memoryMiB: memory)
        }
        let dom0Setting = try reader.required("dom0")
        let dom0Path = try XMSettingReader.string(dom0Setting.value, key: "dom0", file: file)
        places.dom0Line = dom0Setting.value.line
        func loadDomain(_ path: String, line: Int) throws(ConfigError) -> DomainConfig {
            let resolved = resolve(path)
            guard let text = try? XMConfigParser.readText(path: resolved) else {
                throw reader.error("cannot read domain config '\(resolved)'", line: line)
            }
            return try XMConfigParser.parse(text: text, file: resolved, physicalCPUs: cpus)
        }
        let dom0 = try loadDomain(dom0Path, line: dom0Setting.value.line)
        var domUs: [DomainConfig] = []
        if let (entries, _) = try reader.stringList("domains") {
            for (path, line) in entries {
                domUs.append(try loadDomain(path, line: line))
                places.domULines.append(line)
            }
        }
        var session = try Session(machine: machine, dom0: dom0, domUs: domUs, places: places)
        session.warnings = reader.warnings + session.warnings
        return session
    }
}
