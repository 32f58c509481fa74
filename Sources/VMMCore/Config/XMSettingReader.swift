/// Typed access to the settings of one document. Keys that are read are remembered, so the
/// rest can be reported as ignored, as xm ignored keys it did not know.
struct XMSettingReader {
    let document: XMConfigDocument
    private var usedKeys: Set<String> = []

    init(_ document: XMConfigDocument) {
        self.document = document
    }

    var file: String { document.file }

    func error(_ message: String, line: Int?) -> ConfigError {
        ConfigError(file: document.file, line: line, message: message)
    }

    /// The setting for `key`, marking it as understood.
    mutating func setting(_ key: String) -> XMSetting? {
        usedKeys.insert(key)
        return document[key]
    }

    mutating func required(_ key: String) throws(ConfigError) -> XMSetting {
        guard let s = setting(key) else { throw error("missing required key '\(key)'", line: nil) }
        return s
    }

    mutating func string(_ key: String) throws(ConfigError) -> (String, XMSetting)? {
        guard let s = setting(key) else { return nil }
        return (try Self.string(s.value, key: key, file: file), s)
    }

    mutating func integer(_ key: String) throws(ConfigError) -> (Int64, XMSetting)? {
        guard let s = setting(key) else { return nil }
        guard case .integer(let v) = s.value.kind else {
            throw error("'\(key)' must be an integer, not \(s.value.typeName)", line: s.value.line)
        }
        return (v, s)
    }

    /// A list of strings; a single string is taken as a one-element list, as xm did.
    mutating func stringList(_ key: String) throws(ConfigError) -> ([(String, Int)], XMSetting)? {
        guard let s = setting(key) else { return nil }
        switch s.value.kind {
        case .string(let v): return ([(v, s.value.line)], s)
        case .list(let elements):
            var out: [(String, Int)] = []
            for e in elements { out.append((try Self.string(e, key: key, file: file), e.line)) }
            return (out, s)
        case .integer:
            throw error("'\(key)' must be a list of strings, not an integer", line: s.value.line)
        }
    }

    static func string(_ value: XMValue, key: String, file: String) throws(ConfigError) -> String {
        guard case .string(let v) = value.kind else {
            throw ConfigError(file: file, line: value.line, message: "'\(key)' must be a string, not \(value.typeName)")
        }
        return v
    }

    /// Warnings for keys nobody asked for, and for keys set more than once, in file order.
    var warnings: [String] {
        var out: [String] = []
        var seen: Set<String> = []
        for s in document.settings {
            if !usedKeys.contains(s.key) {
                out.append("\(file):\(s.line): unknown key '\(s.key)' ignored")
            } else if seen.contains(s.key) {
                out.append("\(file):\(s.line): '\(s.key)' set again; the last value wins")
            }
            seen.insert(s.key)
        }
        return out
    }
}
