import Foundation
import Replay
import VMMCore
import XCTest

/// The bundled sessions with their guests built into a temporary directory by the real
/// binutils, and a scratch directory for traces.
enum ReplayFixture {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let guests: Result<String, Error> = Result {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-replay-guests-\(getpid())")
        let p = Process()
        p.executableURL = packageRoot.appendingPathComponent("Guests/build.sh")
        p.arguments = [out.path]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
        return out.path
    }

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xdbg-replay-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A bundled session (Guests/sessions/NAME) pointing at the test build of the guests.
    static func session(_ name: String = "default") throws -> Session {
        let guests = try guests.get()
        let source = packageRoot.appendingPathComponent("Guests/sessions/\(name)")
        let dir = try scratch()
        for file in try FileManager.default.contentsOfDirectory(atPath: source.path).sorted() {
            var text = try String(contentsOf: source.appendingPathComponent(file), encoding: .utf8)
            text = text.replacingOccurrences(of: "../../../out/guests/", with: guests + "/")
            try text.write(toFile: dir + "/" + file, atomically: true, encoding: .utf8)
        }
        return try SessionFile.load(path: dir + "/session.cfg")
    }

    /// Records `session` into a new trace file; returns its path and end record.
    static func record(_ session: Session, options: RecordSession.Options = RecordSession.Options()) throws -> (String, TraceEnd) {
        let path = try scratch() + "/t.trace"
        let r = try RecordSession(session: session, source: "test", path: path, options: options)
        return (path, try r.run())
    }
}
