import Foundation
import IA64Exec
import VMMCore
import XCTest

/// The guest kernel's scheduler (Guests/kernel/sched.s) and its demonstration
/// (Guests/kernel/sched_demo.s): the kernel is built with its own build script and booted
/// as Dom0 on the hypervisor; three CPU-bound tasks that never yield must be preempted by
/// the timer, interleave, and still compute exactly what the same work computes in Swift.
final class GuestSchedulerTests: XCTestCase {
    /// The demo's parameters (sched_demo.s).
    static let computeIterations: UInt64 = 12, sharedIterations: UInt64 = 24
    static let sortIterations: UInt64 = 5, sortCount = 200

    static func expectedChecksums() -> [UInt64] {
        typealias L = GuestLibraryTests
        var compute: UInt64 = 0
        for k in 0..<computeIterations { compute = L.rotl7(compute) &+ L.workCompute(1000 + 100 * k) }
        var shared: UInt64 = 0
        for k in 0..<sharedIterations { shared = L.rotl7(shared) &+ L.workShared(bytes: 4096, n: 1 + (k & 3)).0 }
        var sort: UInt64 = 0
        for k in 0..<sortIterations {
            var x = k + 1
            let keys = (0..<sortCount).map { _ in L.lcg(&x) >> 16 }
            sort = L.rotl7(sort) &+ keys.sorted().reduce(0) { L.rotl7($0) &+ $1 }
        }
        return [compute, shared, sort]
    }

    static let builtKernel = Result<ElfFile, any Error> { try buildKernel() }

    static func kernel() throws -> ElfFile { try builtKernel.get() }

    /// Guests/kernel/build.sh into a temporary directory (once per test run).
    static func buildKernel() throws -> ElfFile {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-sched-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let p = Process()
        p.executableURL = GuestProgram.packageRoot.appendingPathComponent("Guests/kernel/build.sh")
        p.arguments = [out.path]
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-sched-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        p.standardError = try FileHandle(forWritingTo: errURL)
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw GuestProgram.BuildError(description: "build.sh failed: " + ((try? String(contentsOf: errURL, encoding: .utf8)) ?? ""))
        }
        return try ElfFile(bytes: Array(try Data(contentsOf: out.appendingPathComponent("xenkernel"))))
    }

    struct Run {
        var console: String
        var hash: String
        var outcome: Hypervisor.Outcome
    }

    /// Boots the kernel as Dom0 (1 vCPU), optionally with another timer interval.
    static func boot(tickInterval: UInt64? = nil, budget: UInt64 = 60_000_000) throws -> Run {
        let elf = try kernel()
        let h = Hypervisor()
        _ = try h.createDomain(DomainSetup(name: "Domain-0", kernel: elf, memoryMiB: 256, vcpus: 1, commandLine: "domid=0"))
        if let tickInterval {
            let symbol = try XCTUnwrap(elf.symbol(named: "tick_interval"))
            XCTAssertTrue(h.domains[0].memory.setU64(symbol.value, tickInterval))
        }
        let outcome = h.run(budget: budget)
        return Run(console: h.domains[0].consoleText, hash: h.stateHash(), outcome: outcome)
    }

    struct Report {
        var preemptions: Int
        var checksums: [UInt64]
        var slices: [String: Int]
        var iterations: [String: Int]
        var firstSlices: [Int]
        var interleaved: Bool
    }

    static func parse(_ console: String) throws -> Report {
        let lines = console.split(separator: "\n").map(String.init)
        let head = try XCTUnwrap(lines.first { $0.hasPrefix("sched: 3 tasks, ") }, console)
        // sched: 3 tasks, N preemptions, checksums a b c
        let words = head.split(separator: " ").map(String.init)
        let preemptions = try XCTUnwrap(Int(words[3]), head)
        let checksums = try words.suffix(3).map { try XCTUnwrap(UInt64($0, radix: 16), head) }
        var slices: [String: Int] = [:], iterations: [String: Int] = [:]
        for name in ["compute", "shared", "sort"] {
            // sched: <name> pid <pid>: <slices> slices, <n> iterations
            let line = try XCTUnwrap(lines.first { $0.hasPrefix("sched: \(name) pid ") }, console)
            let w = line.split(separator: " ").map(String.init)
            slices[name] = Int(w[4])
            iterations[name] = Int(w[6])
        }
        let first = try XCTUnwrap(lines.first { $0.hasPrefix("sched: slices before the first exit:") }, console)
        let fw = first.split(separator: " ").map(String.init)
        let firstSlices = fw[6...8].compactMap { Int($0) }
        return Report(preemptions: preemptions, checksums: checksums, slices: slices, iterations: iterations,
                      firstSlices: firstSlices, interleaved: first.hasSuffix("(interleaved)"))
    }

    func check(_ run: Run, file: StaticString = #filePath, line: UInt = #line) throws -> Report {
        XCTAssertEqual(run.outcome, .allDomainsShutDown, run.console, file: file, line: line)
        XCTAssertFalse(run.console.contains("Oops"), run.console, file: file, line: line)
        let report = try Self.parse(run.console)
        XCTAssertGreaterThan(report.preemptions, 0, file: file, line: line)
        XCTAssertEqual(report.checksums, Self.expectedChecksums(), "checksums", file: file, line: line)
        XCTAssertEqual(report.iterations, ["compute": Int(Self.computeIterations), "shared": Int(Self.sharedIterations),
                                           "sort": Int(Self.sortIterations)], file: file, line: line)
        XCTAssertEqual(report.firstSlices.count, 3, file: file, line: line)
        XCTAssertTrue(report.firstSlices.allSatisfy { $0 > 1 }, "\(report.firstSlices)", file: file, line: line)
        XCTAssertTrue(report.interleaved, run.console, file: file, line: line)
        XCTAssertTrue(run.console.contains("shutting down"), file: file, line: line)
        return report
    }

    func testDemoIsPreemptedAndComputesTheRightChecksums() throws {
        let run = try Self.boot()
        let report = try check(run)
        // Tens of preemptions within a few million instructions (tick_interval in events.s).
        XCTAssertGreaterThanOrEqual(report.preemptions, 10, run.console)
        for name in ["compute", "shared", "sort"] {
            XCTAssertGreaterThan(report.slices[name] ?? 0, 1, name)
        }
    }

    func testTwoRunsGiveTheSameStateHash() throws {
        let a = try Self.boot(), b = try Self.boot()
        XCTAssertEqual(a.console, b.console)
        XCTAssertEqual(a.hash, b.hash)
    }

    /// Much shorter time slices: preemption lands on many more instructions (inside the
    /// workloads' integer, FP and memory loops, calls and returns, console output), and every
    /// checksum must still come out right.
    func testFrequentPreemptionKeepsEveryTaskCorrect() throws {
        for interval: UInt64 in [2_503, 7_919] {
            let run = try Self.boot(tickInterval: interval, budget: 200_000_000)
            let report = try check(run)
            XCTAssertGreaterThan(report.preemptions, 100, "interval \(interval)")
        }
    }
}
