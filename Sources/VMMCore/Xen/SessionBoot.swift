import Foundation

/// Turns a parsed session into a running machine: the hypervisor sized as the machine
/// description says, Dom0 then each DomU built from its config (kernel read from disk, the
/// command line from root= and extra plus the domain id, which this kernel has no xenstore to
/// learn from).
public enum SessionBoot {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `inputs` is the door for outside input the machine uses from its first domain build on.
    public static func hypervisor(for session: Session, quantum: UInt64 = 20_000,
                                  inputs: ExternalInputs = StandardInputs()) throws -> Hypervisor {
        try hypervisor(options: options(for: session, quantum: quantum), setups: try domainSetups(for: session), inputs: inputs)
    }

    public static func options(for session: Session, quantum: UInt64 = 20_000) -> Hypervisor.Options {
        .init(physicalCPUs: session.machine.physicalCPUs, quantum: quantum,
              memoryMiB: session.machine.memoryMiB, xenheapMiB: session.machine.xenheapMiB,
              debugPanicAt: session.machine.debugPanicAt)
    }

    /// A machine of `options` with the domains of `setups` built in order (the first is Dom0).
    public static func hypervisor(options: Hypervisor.Options, setups: [DomainSetup],
                                  inputs: ExternalInputs = StandardInputs()) throws -> Hypervisor {
        let h = Hypervisor(options: options)
        h.inputs = inputs
        for setup in setups {
            do { try h.createDomain(setup) } catch let e as DomainBuildError {
                throw Failure(description: e.description)
            }
        }
        return h
    }

    /// Dom0 then each DomU of `session`, resolved: kernels read and parsed, command lines made.
    public static func domainSetups(for session: Session) throws -> [DomainSetup] {
        var setups: [DomainSetup] = []
        for (index, config) in ([session.dom0] + session.domUs).enumerated() {
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: config.kernel)))
            } catch {
                throw Failure(description: "domain \(config.name): cannot read kernel \(config.kernel)")
            }
            let elf: ElfFile
            do { elf = try ElfFile(bytes: bytes) } catch let e as ElfError {
                throw Failure(description: "domain \(config.name): kernel \(config.kernel): \(e.description)")
            }
            var line: [String] = []
            if let root = config.root { line.append("root=" + root) }
            if let extra = config.extra { line.append(extra) }
            line.append("domid=\(index)")
            var pins = config.cpus
            if index == 0 && session.machine.dom0VCPUsPinned {
                pins = (0..<config.vcpus).map { $0 % session.machine.physicalCPUs }
            }
            let onCrash: Domain.OnCrashAction
            switch config.onCrash {
            case .preserve: onCrash = .preserve
            case .restart, .renameRestart, .coredumpRestart: onCrash = .restart
            case .destroy, .coredumpDestroy: onCrash = .destroy
            }
            setups.append(DomainSetup(name: config.name, kernel: elf, memoryMiB: config.memoryMiB,
                                      maxMemoryMiB: config.maxmemMiB, vcpus: config.vcpus, allowedCPUs: pins,
                                      commandLine: line.joined(separator: " "), onCrash: onCrash, disks: config.disks))
        }
        return setups
    }
}
