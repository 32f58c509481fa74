/// Path arithmetic for config files. Plain string work: Foundation's NSString path methods
/// trap on some inputs (a bare file name) on Linux.
enum ConfigPath {
    /// The directory part of `file` ("" for a bare name, "/" for a file in the root).
    static func directory(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "" }
        return slash == file.startIndex ? "/" : String(file[..<slash])
    }

    /// `path` if absolute, else `path` inside `directory` (unchanged for an empty directory).
    static func resolve(_ path: String, against directory: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }
}
