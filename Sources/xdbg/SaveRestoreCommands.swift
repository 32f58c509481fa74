import ArgumentParser
import Foundation
import VMMCore

/// `xdbg save`: boots a session to an instruction count and writes the whole machine (every
/// domain, vCPU, device and the hypervisor) to a file, as Xen's save does.
struct SaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save",
        abstract: "Run a session to an instruction count and save the whole machine to a file.")

    @Argument(help: "A session file or directory (default: the bundled default session).")
    var session: String?

    @Option(name: .long, help: "Save once the machine has retired this many instructions.")
    var at: UInt64

    @Option(name: .shortAndLong, help: "The machine file to write.")
    var output: String

    func run() throws {
        try reportingFailures {
            let path = SessionPath.resolve(session)
            let parsed: Session
            do { parsed = try SessionFile.load(path: path) } catch let e as ConfigError { throw CommandFailure(e.description) }
            let machine: Hypervisor
            do { machine = try SessionBoot.hypervisor(for: parsed) } catch let e as SessionBoot.Failure {
                throw CommandFailure(e.description)
            }
            let outcome = machine.run(budget: at)
            guard outcome == .budgetSpent else {
                throw CommandFailure("the machine stopped at instruction \(machine.retiredInstructions), before \(at): nothing left to save")
            }
            let bytes = machine.snapshot().encoded()
            do { try Data(bytes).write(to: URL(fileURLWithPath: output)) } catch {
                throw CommandFailure("cannot write \(output): \(error.localizedDescription)")
            }
            print("xdbg: saved the machine at instruction \(machine.retiredInstructions) to \(output) (\(bytes.count) bytes)")
        }
    }
}

/// `xdbg restore`: continues a saved machine exactly where it stopped.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a machine saved by xdbg save and run it on, bit-identically.")

    @Argument(help: "The machine file.")
    var file: String

    @Option(name: .long, help: "Stop once this many instructions have retired in total.")
    var budget: UInt64?

    @Flag(name: .long, help: "Print the final machine state hash.")
    var hash = false

    @Flag(name: .long, help: "Do not echo the consoles live.")
    var quiet = false

    func run() throws {
        try reportingFailures {
            let bytes = try FileInput.read(file)
            let machine: Hypervisor
            do { machine = try Hypervisor(restoring: try MachineSnapshot(decoding: bytes)) } catch {
                throw CommandFailure("\(file): \(error)")
            }
            if !quiet {
                machine.consoleListener = { domain, line in
                    FileHandleOutput.standardOutput((domain.map { "(d\($0.id)) " } ?? "") + line)
                }
            }
            print("xdbg: restored the machine at instruction \(machine.retiredInstructions)")
            switch machine.run(budget: budget ?? .max) {
            case .allDomainsShutDown: print("xdbg: all domains shut down after \(machine.retiredInstructions) instructions")
            case .budgetSpent: print("xdbg: instruction budget spent (\(machine.retiredInstructions) instructions)")
            case .deadlocked: print("xdbg: stopped: every vCPU is blocked and no timer is armed")
            case .breakpoint, .reachedTarget: print("xdbg: stopped at instruction \(machine.retiredInstructions)")
            case .panicked(let p): throw CommandFailure(p.description)
            }
            if hash { print("state hash: \(machine.stateHash())") }
        }
    }
}
