import Foundation
import XCTest

/// The default session with its guests built into a temporary directory (kernel and disk
/// paths rewritten to point there); returns the directory.
enum DefaultSessionFixture {
    static func make() throws -> String {
        let dir = try Tools.temporaryDirectory()
        let build = try Tools.run(Tools.packageRoot.appendingPathComponent("Guests/build.sh").path, [dir.path + "/guests"])
        XCTAssertEqual(build.status, 0, build.stderr)
        let source = Tools.packageRoot.appendingPathComponent("Guests/sessions/default")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            let text = try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "../../../out/guests/", with: dir.path + "/guests/")
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir.path
    }
}
