/// A session given on the command line: a session file, or a directory holding session.cfg.
enum SessionPath {
    /// The bundled default session (built by scripts/build-guests.sh).
    static let bundledDefault = "Guests/sessions/default/session.cfg"

    static func resolve(_ path: String?) -> String {
        guard let path else { return bundledDefault }
        var isDirectory: ObjCBoolLike = false
        if fileIsDirectory(path, &isDirectory), isDirectory { return path + "/session.cfg" }
        return path
    }
}

#if canImport(Glibc)
import Glibc
#endif

typealias ObjCBoolLike = Bool

private func fileIsDirectory(_ path: String, _ result: inout Bool) -> Bool {
    var st = stat()
    guard stat(path, &st) == 0 else { return false }
    result = (st.st_mode & S_IFMT) == S_IFDIR
    return true
}
