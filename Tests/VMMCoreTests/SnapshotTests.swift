import Foundation
import IA64Exec
@testable import VMMCore
import XCTest

/// Whole-machine snapshots of the default session: a restored machine continues bit for bit
/// like the original, through memory and through a file; consecutive snapshots share the
/// frames that did not change; damaged files are refused with the offset of the damage.
final class SnapshotTests: XCTestCase {
    /// The default session with the kernel and disk paths pointing at the test build.
    static func session() throws -> Session {
        let guests = try DefaultSessionTests.guests.get()
        let source = DefaultSessionTests.packageRoot.appendingPathComponent("Guests/sessions/default")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path).sorted() {
            var text = try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8)
            text = text.replacingOccurrences(of: "../../../out/guests/", with: guests + "/")
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try SessionFile.load(path: dir.appendingPathComponent("session.cfg").path)
    }

    struct Final: Equatable {
        var outcome: Hypervisor.Outcome
        var retired: UInt64
        var now: UInt64
        var hash: String
        var consoles: [String]
        var log: [String]
        var lines: [String]
    }

    /// Runs to the end, pausing at `pauses` first (a pause ends a scheduling round early, so
    /// machines compared must pause at the same points), collecting the lines the console
    /// listener sees from now on.
    func finish(_ h: Hypervisor, pausingAt pauses: [UInt64] = []) -> Final {
        var lines: [String] = []
        h.consoleListener = { d, line in lines.append("\(d?.id ?? -1): \(line)") }
        for p in pauses { _ = h.run(budget: p) }
        let outcome = h.run(budget: 200_000_000)
        return Final(outcome: outcome, retired: h.retiredInstructions, now: h.now, hash: h.stateHash(),
                     consoles: h.domains.map(\.consoleText), log: h.log, lines: lines)
    }

    func testRestoredMachinesContinueIdenticallyAndShareFrames() throws {
        let h = try SessionBoot.hypervisor(for: try Self.session())
        var snapshots: [MachineSnapshot] = []
        var restored: [Hypervisor] = []
        let points: [UInt64] = [1_000_000, 7_500_000, 15_000_000]
        for point in points {
            XCTAssertEqual(h.run(budget: point), .budgetSpent)
            let s = h.snapshot(reusingFramesOf: snapshots.last)
            snapshots.append(s)
            let r = try Hypervisor(restoring: s)
            XCTAssertEqual(r.stateHash(), h.stateHash(), "restored at \(point)")
            XCTAssertEqual(r.snapshot().state, s.state, "a restored machine snapshots to the same state")
            restored.append(r)
            print("snapshot at \(point): \(s.frameCount) frames, state \(s.stateByteCount) bytes, "
                  + "byteCount \(s.byteCount), new \(s.newByteCount) (\(s.newFrameCount) frames copied)")
        }

        // Frames shared between consecutive snapshots.
        let (s1, s2, s3) = (snapshots[0], snapshots[1], snapshots[2])
        // The guests rewrite about half their touched frames between these points.
        XCTAssertLessThan(s2.newByteCount * 4, s2.byteCount * 3, "the second snapshot copies less than a full copy")
        XCTAssertLessThan(s3.newByteCount * 4, s3.byteCount * 3)
        let shared = s2.touchedFrameNumbers.filter { s2.sharesFrame($0, with: s1) }.count
        XCTAssertGreaterThan(shared, s1.frameCount / 4)
        let together = MachineSnapshot.byteCount(of: snapshots)
        XCTAssertLessThan(together, s1.byteCount + s2.byteCount + s3.byteCount)
        print("three snapshots together: \(together) bytes; alone: \(s1.byteCount + s2.byteCount + s3.byteCount)")

        // Through a file: encode, decode, restore.
        let file = s2.encoded()
        let decoded = try MachineSnapshot(decoding: file)
        XCTAssertEqual(decoded.state, s2.state)
        XCTAssertEqual(decoded.encoded(), file, "decode then encode gives the same bytes")
        let fromFile = try Hypervisor(restoring: decoded)
        XCTAssertEqual(fromFile.stateHash(), restored[1].stateHash())

        let original = finish(h)  // after the last pause point
        XCTAssertEqual(original.outcome, .allDomainsShutDown)
        for (i, r) in restored.enumerated() {
            let f = finish(r, pausingAt: Array(points[(i + 1)...]))
            XCTAssertEqual(f.outcome, original.outcome, "restored \(i)")
            XCTAssertEqual(f.retired, original.retired, "restored \(i)")
            XCTAssertEqual(f.now, original.now, "restored \(i)")
            XCTAssertEqual(f.hash, original.hash, "restored \(i)")
            XCTAssertEqual(f.consoles, original.consoles, "restored \(i)")
            XCTAssertEqual(f.log, original.log, "restored \(i)")
            if i == 2 { XCTAssertEqual(f.lines, original.lines, "listener lines after the last snapshot") }
        }
        let f = finish(fromFile, pausingAt: [points[2]])
        XCTAssertEqual(f.hash, original.hash, "restored from the file")
        XCTAssertEqual(f.consoles, original.consoles)
        XCTAssertEqual(f.log, original.log)
    }

    /// Snapshots taken while disk requests are in flight (and, later, once a write overlay
    /// exists): the restored machine completes them exactly as the original does.
    func testInFlightBlockRequestsAndOverlaysSurviveRestore() throws {
        let h = try SessionBoot.hypervisor(for: try Self.session())
        var point: UInt64 = 0
        var taken: [(UInt64, Hypervisor)] = []
        var sawOverlay = false
        while point < 30_000_000 && taken.count < 2 {
            point += 50_000
            _ = h.run(budget: point)
            let overlay = h.domains.contains { $0.blockDevices.contains { !$0.overlay.isEmpty } }
            if !h.blockCompletions.isEmpty && (taken.isEmpty || (overlay && !sawOverlay)) {
                sawOverlay = overlay
                let file = h.snapshot().encoded()
                taken.append((point, try Hypervisor(restoring: try MachineSnapshot(decoding: file))))
            }
        }
        XCTAssertEqual(taken.count, 2, "found points with requests in flight, before and after an overlay")
        XCTAssertTrue(sawOverlay)
        let original = finish(h)
        for (at, r) in taken {
            XCTAssertFalse(r.blockCompletions.isEmpty)
            var pauses: [UInt64] = []
            var p = at
            while p < point { p += 50_000; pauses.append(p) }
            let f = finish(r, pausingAt: pauses)
            XCTAssertEqual(f.hash, original.hash, "restored at \(at)")
            XCTAssertEqual(f.consoles, original.consoles, "restored at \(at)")
            XCTAssertEqual(f.log, original.log, "restored at \(at)")
            XCTAssertEqual(r.domains.flatMap { $0.blockDevices.map(\.completionLog) },
                           h.domains.flatMap { $0.blockDevices.map(\.completionLog) })
        }
    }

    /// Two snapshots with nothing run in between share every frame: the second costs only
    /// its state and frame table.
    func testBackToBackSnapshotsShareEverything() throws {
        let h = try SessionBoot.hypervisor(for: try Self.session())
        _ = h.run(budget: 3_000_000)
        let a = h.snapshot()
        let b = h.snapshot(reusingFramesOf: a)
        XCTAssertEqual(b.newFrameCount, 0)
        XCTAssertEqual(b.state, a.state)
        XCTAssertTrue(a.touchedFrameNumbers.allSatisfy { b.sharesFrame($0, with: a) || a.frames[a.frameIndex($0)!] === FrameBuffer.zero })
        XCTAssertEqual(MachineSnapshot.byteCount(of: [a, b]), a.byteCount + b.stateByteCount + b.frameCount * 16)
        // And a machine restored from one snapshots (against it) to no new frames either.
        let r = try Hypervisor(restoring: a)
        XCTAssertEqual(r.snapshot(reusingFramesOf: a).newFrameCount, 0)
    }

    /// A snapshot of a booted machine: encoded once for the corruption tests.
    static let smallFile: Result<[UInt8], Error> = Result {
        let h = try session()
        let m = try SessionBoot.hypervisor(for: h)
        _ = m.run(budget: 2_000_000)
        return m.snapshot().encoded()
    }

    func testTruncatedFilesAreRejectedWithTheOffset() throws {
        let file = try Self.smallFile.get()
        for cut in [0, 7, 19, 27, 100, file.count / 2, file.count - 9, file.count - 1] {
            XCTAssertThrowsError(try MachineSnapshot(decoding: Array(file.prefix(cut))), "cut at \(cut)") { error in
                XCTAssertTrue(error is SnapshotFormatError, "\(error)")
                XCTAssertTrue("\(error)".contains("offset"), "\(error)")
                XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
            }
        }
    }

    func testBitFlipsAreRejectedWithTheOffset() throws {
        let file = try Self.smallFile.get()
        var rng = SystemRandomNumberGenerator()
        for position in [0, 5, 8, 12, 20, 40, file.count / 3, file.count - 20, file.count - 1]
            + (0..<8).map({ _ in Int.random(in: 0..<file.count, using: &rng) }) {
            var bad = file
            bad[position] ^= 1 << UInt8.random(in: 0...7, using: &rng)
            XCTAssertThrowsError(try MachineSnapshot(decoding: bad), "flip at \(position)") { error in
                guard let e = error as? SnapshotFormatError else { return XCTFail("\(error)") }
                XCTAssertTrue(e.description.contains("offset \(e.offset)"), e.description)
            }
        }
    }

    /// Damage behind a valid checksum (what a buggy writer could produce): decoding and
    /// restoring either work or throw an error with an offset; they never crash.
    func testDamagedStateWithValidChecksumNeverCrashes() throws {
        let file = try Self.smallFile.get()
        let good = try MachineSnapshot(decoding: file)
        let stateEnd = good.stateOffset + good.stateByteCount
        var rng = SystemRandomNumberGenerator()
        var rejected = 0
        for trial in 0..<60 {
            var bad = Array(file)
            let position = trial < 20 ? Int.random(in: good.stateOffset..<stateEnd, using: &rng)
                                      : Int.random(in: MachineSnapshot.headerSize..<stateEnd, using: &rng)
            bad[position] = trial % 3 == 0 ? 0xff : bad[position] ^ (1 << UInt8.random(in: 0...7, using: &rng))
            let sum = bad.withUnsafeBytes { MachineSnapshot.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<bad.count - 8])) }
            for i in 0..<8 { bad[bad.count - 8 + i] = UInt8(truncatingIfNeeded: sum >> (8 * UInt64(i))) }
            do {
                _ = try Hypervisor(restoring: try MachineSnapshot(decoding: bad))
            } catch let e as SnapshotFormatError {
                rejected += 1
                XCTAssertTrue(e.description.contains("offset"), e.description)
            } catch let e as SnapshotRestoreError {
                rejected += 1
                _ = e
            }
        }
        print("damaged states rejected: \(rejected) of 60")
        XCTAssertGreaterThan(rejected, 0)
    }

    func testNotASnapshotAndOtherVersions() throws {
        XCTAssertThrowsError(try MachineSnapshot(decoding: Array("hello, this is not a snapshot file".utf8))) { error in
            XCTAssertEqual((error as? SnapshotFormatError)?.offset, 0)
        }
        var file = try Self.smallFile.get()
        file[8] = 99
        XCTAssertThrowsError(try MachineSnapshot(decoding: file)) { error in
            XCTAssertEqual((error as? SnapshotFormatError)?.offset, 8)
            XCTAssertTrue("\(error)".contains("version 99"), "\(error)")
        }
    }
}
