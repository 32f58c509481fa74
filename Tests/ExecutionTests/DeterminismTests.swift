import IA64Exec
import VMMCore
import XCTest

/// Same program, same state, always; and stopping anywhere then resuming changes nothing.
final class DeterminismTests: XCTestCase {
    func finalState(stoppingEvery step: UInt64?) throws -> (String, UInt64) {
        let elf = try GuestProgram.build(file: "Guests/examples/fib.s")
        let process = try LinuxUserProcess(elf: elf)
        var outcome: LinuxUserProcess.Outcome
        if let step {
            var limit = step
            repeat {
                outcome = process.run(maxInstructions: limit)
                limit += step
            } while outcome == .instructionLimit
        } else {
            outcome = process.run()
        }
        XCTAssertEqual(outcome, .exited(status: 0))
        return (ArchitecturalStateReport.json(process.cpu), process.cpu.retired)
    }

    func testStopAndResumeAtAnyInstructionGivesTheSameState() throws {
        let (reference, count) = try finalState(stoppingEvery: nil)
        XCTAssertGreaterThan(count, 10_000)
        // Steps of 1 and 2 stop in every slot position, MLX bundles included; others vary phase.
        for step: UInt64 in [1, 2, 7, 1000, 4097] {
            let (state, n) = try finalState(stoppingEvery: step)
            XCTAssertEqual(n, count, "step \(step)")
            XCTAssertEqual(state, reference, "step \(step)")
        }
    }

    func testStoppingAtExactlyNInstructions() throws {
        let elf = try GuestProgram.build(file: "Guests/examples/fib.s")
        let process = try LinuxUserProcess(elf: elf)
        for n: UInt64 in [1, 2, 3, 5, 100, 12345] {
            XCTAssertEqual(process.run(maxInstructions: n), .instructionLimit)
            XCTAssertEqual(process.cpu.retired, n)
        }
    }
}
