import Foundation

/// Reads xm configuration files: the Python-like subset that xm domain configs (and our
/// session files) use in practice.
///
/// - `key = value` assignments, one per line; `#` starts a comment outside strings;
/// - strings in '...' or "..." with the usual backslash escapes; adjacent strings are not joined;
/// - integers in decimal or 0x hexadecimal with an optional sign; True/False read as 1/0;
/// - lists `[ ... ]` that may span several lines, hold comments, and end with a trailing comma.
///
/// Anything else is an error naming the file and line.
public enum XMConfigParser {
    /// Parses a domain configuration. `file` names the text in errors and anchors relative
    /// paths; `physicalCPUs` is what a `cpus` spec that starts with an exclusion ("^1") removes
    /// CPUs from.
    public static func parse(text: String, file: String,
                             physicalCPUs: Int = MachineDescription.defaultPhysicalCPUs) throws(ConfigError) -> DomainConfig {
        try DomainConfig(document: parseDocument(text: text, file: file), physicalCPUs: physicalCPUs)
    }

    /// Reads and parses the domain configuration at `path`.
    public static func load(path: String,
                            physicalCPUs: Int = MachineDescription.defaultPhysicalCPUs) throws(ConfigError) -> DomainConfig {
        try parse(text: readText(path: path), file: path, physicalCPUs: physicalCPUs)
    }

    /// Parses the assignments without interpreting any key.
    public static func parseDocument(text: String, file: String) throws(ConfigError) -> XMConfigDocument {
        var reader = Reader(bytes: Array(text.utf8), file: file)
        return XMConfigDocument(file: file, settings: try reader.settings())
    }

    /// The contents of a configuration file, or an error naming it.
    static func readText(path: String) throws(ConfigError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, message: "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, message: "file is not UTF-8 text")
        }
        return text
    }

    /// A cursor over the file's bytes that keeps the current line number.
    private struct Reader {
        let bytes: [UInt8]
        let file: String
        var index = 0
        var line = 1

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
        }

        func error(_ message: String, line: Int? = nil) -> ConfigError {
            ConfigError(file: file, line: line ?? self.line, message: message)
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func advance() {
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            index += 1
        }

        /// Skips spaces, tabs and carriage returns, and a comment up to (not past) the newline.
        mutating func skipBlanks() {
            while let c = current {
                if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                    advance()
                } else if c == UInt8(ascii: "#") {
                    while let d = current, d != UInt8(ascii: "\n") { advance() }
                } else {
                    return
                }
            }
        }

        /// Skips blanks, comments and newlines (between assignments, and inside lists).
        mutating func skipBlanksAndNewlines() {
            while true {
                skipBlanks()
                guard current == UInt8(ascii: "\n") else { return }
                advance()
            }
        }

        mutating func settings() throws(ConfigError) -> [XMSetting] {
            var result: [XMSetting] = []
            while true {
                skipBlanksAndNewlines()
                guard let c = current else { return result }
                guard Self.isIdentifierStart(c) else { throw error("expected a 'key = value' assignment, found \(Self.show(c))") }
                let keyLine = line
                let key = identifier()
                skipBlanks()
                guard current == UInt8(ascii: "=") else {
                    throw error("expected '=' after '\(key)'\(current.map { ", found " + Self.show($0) } ?? "")")
                }
                advance()
                skipBlanks()
                let value = try self.value()
                skipBlanks()
                if let c = current, c != UInt8(ascii: "\n") {
                    throw error("unexpected \(Self.show(c)) after the value of '\(key)'")
                }
                result.append(XMSetting(key: key, value: value, line: keyLine))
            }
        }

        mutating func identifier() -> String {
            let start = index
            while let c = current, Self.isIdentifierStart(c) || Self.isDigit(c) { advance() }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func value() throws(ConfigError) -> XMValue {
            guard let c = current, c != UInt8(ascii: "\n") else { throw error("missing value") }
            let valueLine = line
            switch c {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                return XMValue(.string(try string(quote: c)), line: valueLine)
            case UInt8(ascii: "["):
                return XMValue(.list(try list()), line: valueLine)
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return XMValue(.integer(try integer()), line: valueLine)
            default:
                guard Self.isIdentifierStart(c) else { throw error("unexpected \(Self.show(c)) where a value should be") }
                switch identifier() {
                case "True": return XMValue(.integer(1), line: valueLine)
                case "False": return XMValue(.integer(0), line: valueLine)
                case let word: throw error("unsupported value '\(word)' (expected a string, an integer or a list)", line: valueLine)
                }
            }
        }

        mutating func string(quote: UInt8) throws(ConfigError) -> String {
            let startLine = line
            advance()
            var out: [UInt8] = []
            while true {
                guard let c = current, c != UInt8(ascii: "\n") else { throw error("unterminated string", line: startLine) }
                advance()
                if c == quote { return String(decoding: out, as: UTF8.self) }
                guard c == UInt8(ascii: "\\") else {
                    out.append(c)
                    continue
                }
                guard let e = current, e != UInt8(ascii: "\n") else { throw error("unterminated string", line: startLine) }
                advance()
                switch e {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "r"): out.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "0"): out.append(0)
                case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(e)
                default: out += [UInt8(ascii: "\\"), e]  // Python keeps unknown escapes as written
                }
            }
        }

        mutating func list() throws(ConfigError) -> [XMValue] {
            let startLine = line
            advance()
            var elements: [XMValue] = []
            while true {
                skipBlanksAndNewlines()
                guard let c = current else { throw error("unterminated list", line: startLine) }
                if c == UInt8(ascii: "]") {
                    advance()
                    return elements
                }
                elements.append(try value())
                skipBlanksAndNewlines()
                guard let d = current else { throw error("unterminated list", line: startLine) }
                if d == UInt8(ascii: ",") {
                    advance()
                } else if d != UInt8(ascii: "]") {
                    throw error("expected ',' or ']' in list, found \(Self.show(d))")
                }
            }
        }

        mutating func integer() throws(ConfigError) -> Int64 {
            let start = index
            while let c = current, Self.isIdentifierStart(c) || Self.isDigit(c)
                || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") { advance() }
            let word = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let value = Self.integerValue(word) else { throw error("bad number '\(word)'") }
            return value
        }

        static func integerValue(_ word: String) -> Int64? {
            var digits = Substring(word)
            var negative = false
            if let sign = digits.first, sign == "-" || sign == "+" {
                negative = sign == "-"
                digits = digits.dropFirst()
            }
            var radix = 10
            if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
                radix = 16
                digits = digits.dropFirst(2)
            }
            guard !digits.isEmpty, digits.first != "+", digits.first != "-",
                  let magnitude = UInt64(digits, radix: radix) else { return nil }
            if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
            return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
        }

        static func isIdentifierStart(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || c == UInt8(ascii: "_")
        }

        static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

        /// A byte as shown in messages: printable ASCII quoted, the rest in hex.
        static func show(_ c: UInt8) -> String {
            c >= 0x21 && c < 0x7f ? "'\(Character(Unicode.Scalar(c)))'" : String(format: "byte 0x%02x", c)
        }
    }
}
