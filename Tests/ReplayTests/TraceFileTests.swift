import Foundation
import Replay
import VMMCore
import XCTest

/// Damaged, truncated and foreign trace files: read up to the last complete chunk when a
/// recording was cut short, rejected with the offset otherwise, never a crash.
final class TraceFileTests: XCTestCase {
    static let recorded: Result<(path: String, bytes: [UInt8]), Error> = Result {
        var options = RecordSession.Options()
        options.checkInterval = 1_000_000  // many chunks
        let (path, _) = try ReplayFixture.record(try ReplayFixture.session(), options: options)
        return (path, [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    func testTruncatedRecordingReadsUpToItsLastCompleteChunkAndReplays() throws {
        let (path, bytes) = try Self.recorded.get()
        let whole = try Trace.parse(bytes)
        XCTAssertNil(whole.truncatedAt)
        // Cut inside the events, as a killed recorder leaves the file.
        let cut = bytes.count * 2 / 3
        let partial = try Trace.parse(Array(bytes[0..<cut]))
        XCTAssertNil(partial.end)
        XCTAssertNotNil(partial.truncatedAt)
        XCTAssertLessThan(partial.events.count, whole.events.count)
        XCTAssertEqual(partial.events, Array(whole.events.prefix(partial.events.count)), "the chunks before the cut are intact")
        let s = try ReplaySession(trace: partial, blobs: BlobStore.beside(trace: path))
        XCTAssertEqual(s.run(), .endOfHistory)
        XCTAssertEqual(s.position, partial.instructions)
        XCTAssertEqual(s.checksPassed, partial.events.filter { $0.kind == .stateCheck }.count)
        // Every other cut is either a readable prefix or a clear error, never a crash.
        for cut in stride(from: 0, to: bytes.count, by: 97) {
            do {
                let t = try Trace.parse(Array(bytes[0..<cut]))
                XCTAssertEqual(t.events, Array(whole.events.prefix(t.events.count)))
            } catch let e as TraceError {
                XCTAssertFalse(e.description.isEmpty)
            }
        }
    }

    func testBitFlipsAreRejectedWithTheirOffset() throws {
        let (_, bytes) = try Self.recorded.get()
        var rejected = 0
        for offset in stride(from: 0, to: bytes.count, by: 13) {
            var damaged = bytes
            damaged[offset] ^= 0x10
            do {
                _ = try Trace.parse(damaged)
                XCTFail("a flipped bit at offset \(offset) was accepted")
            } catch let e as TraceError {
                rejected += 1
                let text = e.description
                XCTAssertTrue(text.contains("offset") || text.hasPrefix("not an xdbg trace") || text.contains("version"), text)
            }
        }
        XCTAssertGreaterThan(rejected, 50)
    }

    func testForeignFilesAreRejected() throws {
        for (bytes, expected) in [([UInt8](), "too short"), (Array("session.cfg: not a trace at all\n".utf8), "no XDBGTRCE magic"),
                                  ([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], "no XDBGTRCE magic")] {
            XCTAssertThrowsError(try Trace.parse(bytes)) { error in
                XCTAssertTrue("\(error)".hasPrefix("not an xdbg trace"), "\(error)")
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
        var future = Array(TraceFormat.magic)
        future += [9, 0, 0, 0]
        XCTAssertThrowsError(try Trace.parse(future)) { XCTAssertEqual($0 as? TraceError, .unsupportedVersion(9)) }
    }

    func testMissingBlobsAreReportedByName() throws {
        let (path, bytes) = try Self.recorded.get()
        let copy = try ReplayFixture.scratch() + "/copy.trace"
        try Data(bytes).write(to: URL(fileURLWithPath: copy))  // no blobs beside the copy
        XCTAssertThrowsError(try ReplaySession(path: copy)) { error in
            XCTAssertTrue("\(error)".contains("domain Domain-0: kernel: blob"), "\(error)")
        }
        XCTAssertNoThrow(try ReplaySession(path: path))
    }
}
