import Foundation

/// A session given on the command line: a session file, or a directory holding session.cfg.
enum SessionPath {
    /// The bundled default session (built by scripts/build-guests.sh).
    static let bundledDefault = "Guests/sessions/default/session.cfg"

    static func resolve(_ path: String?) -> String {
        guard let path else { return bundledDefault }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return path + "/session.cfg"
        }
        return path
    }
}
