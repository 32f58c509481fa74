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
        let h = Hypervisor(options: .init(physicalCPUs: session.machine.physicalCPUs, quantum: quantum,
                                          memoryMiB: session.machine.memoryMiB, xenheapMiB: session.machine.xenheapMiB))
        h.inputs = inputs
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
            let setup = DomainSetup(name: config.name, kernel: elf, memoryMiB: config.memoryMiB,
                                    maxMemoryMiB: config.maxmemMiB, vcpus: config.vcpus, allowedCPUs: pins,
                                    commandLine: line.joined(separator: " "), onCrash: onCrash, disks: config.disks)
            do { try h.createDomain(setup) } catch let e as DomainBuildError {
                throw Failure(description: e.description)
            }
        }
        return h
    }
}
