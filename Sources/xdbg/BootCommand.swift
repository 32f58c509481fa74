import ArgumentParser
import IA64Exec
import VMMCore

#if canImport(Glibc)
import Glibc
#endif

/// `xdbg boot`: runs a session (machine + domains) without recording, showing the consoles.
struct BootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot",
        abstract: "Boot a session of Xen/ia64-style domains and show their consoles (no recording).",
        discussion: """
            Runs until every domain has shut down, the instruction budget is spent, or nothing \
            can run. --kernel boots a single Dom0 from an ELF image instead of a session file. \
            --console-dir DIR writes DIR/NAME.log for each domain and DIR/xen.log.
            """)

    @Argument(help: "A session file (machine options and domain configs).")
    var session: String?

    @Option(name: .long, help: "Boot one Dom0 from this kernel image instead of a session.")
    var kernel: String?

    @Option(name: .long, help: "Dom0 memory in MiB with --kernel.")
    var memory: UInt64 = 256

    @Option(name: .long, help: "Dom0 vCPUs with --kernel.")
    var vcpus: Int = 1

    @Option(name: .long, help: "Stop after this many instructions in total.")
    var budget: UInt64?

    @Option(name: .long, parsing: .singleValue,
            help: "Inject a machine check or INIT: mca|init:DOMAIN:VCPU@INSTRUCTIONS (repeatable).")
    var inject: [String] = []

    @Option(name: .long, parsing: .singleValue,
            help: "Type TEXT at a domain's console: DOMAIN@INSTRUCTIONS:TEXT, \\n a newline (repeatable).")
    var input: [String] = []

    @Flag(name: .long, help: "Print the final machine state hash.")
    var hash = false

    @Flag(name: .long, help: "Do not echo the consoles live.")
    var quiet = false

    @Option(name: .long, help: "Capture each domain's console to DIR/NAME.log and the hypervisor log to DIR/xen.log.")
    var consoleDir: String?

    static func parseInjection(_ spec: String) -> (Hypervisor.PlatformEvent, Int, Int, UInt64)? {
        let parts = spec.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let at = UInt64(parts[1]) else { return nil }
        let fields = parts[0].split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, let event = Hypervisor.PlatformEvent(rawValue: String(fields[0])),
              let domain = Int(fields[1]), let vcpu = Int(fields[2]), domain >= 0, vcpu >= 0 else { return nil }
        return (event, domain, vcpu, at)
    }


    func run() throws {
        try reportingFailures {
            let consoleInputs = try ConsoleInputSpec.parseAll(input)
            let consoles = try ConsoleOutput(echo: !quiet, directory: consoleDir)
            let hypervisor: Hypervisor
            let inputs = StandardInputs()
            if let kernel {
                hypervisor = Hypervisor()
                hypervisor.inputs = inputs
                let elf: ElfFile
                do { elf = try ElfFile(bytes: try FileInput.read(kernel)) } catch let e as ElfError {
                    throw CommandFailure("\(kernel): \(e.description)")
                }
                do {
                    try hypervisor.createDomain(DomainSetup(name: "Domain-0", kernel: elf, memoryMiB: memory, vcpus: vcpus,
                                                            commandLine: "domid=0"))
                } catch let e as DomainBuildError { throw CommandFailure(e.description) }
            } else {
                let path = SessionPath.resolve(session)
                let parsed: Session
                do { parsed = try SessionFile.load(path: path) } catch let e as ConfigError {
                    throw CommandFailure(e.description)
                }
                for w in parsed.warnings { FileHandleOutput.standardError("xdbg: warning: " + w) }
                do { hypervisor = try SessionBoot.hypervisor(for: parsed, inputs: inputs) } catch let e as SessionBoot.Failure {
                    throw CommandFailure(e.description)
                }
            }
            try ConsoleInputSpec.checkDomains(consoleInputs, ids: hypervisor.domains.map(\.id))
            for i in consoleInputs { inputs.schedule(i.request, atInstruction: i.at) }
            try consoles.attach(to: hypervisor)
            for spec in inject {
                guard let (event, domain, vcpu, at) = Self.parseInjection(spec) else {
                    throw CommandFailure("bad --inject '\(spec)': expected mca|init:DOMAIN:VCPU@INSTRUCTIONS, e.g. mca:1:0@5000000")
                }
                inputs.schedule(PlatformEventRequest(event: event, domain: domain, vcpu: vcpu), atInstruction: at)
            }
            let panicReport = PanicReport(path: "xdbg-panic-report.txt",
                                          position: "xdbg boot (no trace): record the session to reproduce it")
            panicReport.attach(to: hypervisor)
            let outcome = hypervisor.run(budget: budget ?? .max)
            consoles.finish(hypervisor)
            switch outcome {
            case .allDomainsShutDown: print("xdbg: all domains shut down after \(hypervisor.retiredInstructions) instructions")
            case .budgetSpent: print("xdbg: instruction budget spent (\(hypervisor.retiredInstructions) instructions)")
            case .deadlocked: print("xdbg: stopped: every vCPU is blocked and no timer is armed")
            case .breakpoint, .reachedTarget: print("xdbg: stopped at instruction \(hypervisor.retiredInstructions)")
            case .panicked: break
            }
            if hash { print("state hash: \(hypervisor.stateHash())") }
            try panicReport.failIfPanicked()
        }
    }
}
