import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A user-facing failure: printed as one line on stderr, exit status 2.
struct CommandFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension ParsableCommand {
    /// Runs `body`, turning any failure into "xdbg: error: …" and exit status 2.
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as CommandFailure {
            printError(failure.message)
            throw ExitCode(2)
        } catch let error as ExitCode {
            throw error
        } catch ExitCodeError.panic {
            throw ExitCode(3)
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }

    private func printError(_ message: String) {
        let line = "xdbg: error: " + message.split(separator: "\n").joined(separator: " ") + "\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }
}

/// Plain lines on stderr (warnings).
enum FileHandleOutput {
    static func standardError(_ line: String) { emit(line, to: 2) }
    static func standardOutput(_ line: String) { emit(line, to: 1) }
    /// Without a newline (progress lines).
    static func standardErrorRaw(_ text: String) { _ = text.withCString { write(2, $0, strlen($0)) } }

    private static func emit(_ line: String, to fd: Int32) {
        let text = line + "\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
    }
}
