import Symbols
import VMMCore

/// What xdbg does when the hypervisor it runs panics: at the panic site it captures the host
/// stack with libunwind (symbolized by libdw, Swift names demangled), adds the guest state and
/// the trace position, and writes the report to a file; the command then fails with exit 3.
final class PanicReport {
    let path: String
    let position: String
    private(set) var written: HypervisorPanic?

    /// `position` says how to get back there (the trace and a replay command, or the session).
    init(path: String, position: String) {
        self.path = path
        self.position = position
    }

    func attach(to machine: Hypervisor) {
        machine.panicHandler = { [unowned self, unowned machine] panic in
            var report = FatalErrorReport(message: panic.description, skip: 1)
            var guest: [String] = []
            for d in machine.domains where d.isAlive {
                for v in d.vcpus where v.isUp { guest.append(StopReport.render(v, machine: machine)) }
            }
            report.addSection("guest state", guest.joined(separator: "\n\n"))
            report.addSection("trace position",
                              "machine instruction \(panic.instructions), virtual time \(panic.virtualTime)\n\(self.position)")
            do { try report.write(to: self.path) } catch {
                FileHandleOutput.standardError("xdbg: cannot write the panic report \(self.path): \(error)")
            }
            self.written = panic
        }
    }

    /// After the run: fail the command if the hypervisor panicked.
    func failIfPanicked() throws {
        guard let p = written else { return }
        FileHandleOutput.standardError("xdbg: \(p.description)")
        FileHandleOutput.standardError("xdbg: panic report written to \(path)")
        throw ExitCodeError.panic
    }
}

enum ExitCodeError: Error { case panic }
