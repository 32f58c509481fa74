import VMMCore

/// `--input DOMAIN@INSTRUCTIONS:TEXT` (xdbg boot and record): TEXT typed at the domain's
/// console once INSTRUCTIONS have retired. In TEXT, `\n` is a newline and `\\` a backslash.
struct ConsoleInputSpec {
    var request: ConsoleInputRequest
    var at: UInt64

    static let usage = "expected DOMAIN@INSTRUCTIONS:TEXT, e.g. 1@20000000:'hello\\n'"

    /// nil: not of that form (or TEXT is empty or has an unknown escape).
    init?(_ spec: String) {
        guard let atSign = spec.firstIndex(of: "@"), let colon = spec[atSign...].firstIndex(of: ":"),
              let domain = Int(spec[..<atSign]), domain >= 0,
              let at = UInt64(spec[spec.index(after: atSign)..<colon]),
              let bytes = Self.unescape(spec[spec.index(after: colon)...]), !bytes.isEmpty else { return nil }
        request = ConsoleInputRequest(domain: domain, bytes: bytes)
        self.at = at
    }

    static func unescape(_ text: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        var escaped = false
        for b in text.utf8 {
            if escaped {
                switch b {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "\\"): out.append(b)
                default: return nil
                }
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                escaped = true
            } else {
                out.append(b)
            }
        }
        return escaped ? nil : out
    }

    /// Parses every `--input`, failing with one line on the first bad one.
    static func parseAll(_ specs: [String]) throws -> [ConsoleInputSpec] {
        try specs.map { spec in
            guard let parsed = ConsoleInputSpec(spec) else { throw CommandFailure("bad --input '\(spec)': \(usage)") }
            return parsed
        }
    }

    /// Fails when an input names a domain that is not among `ids`.
    static func checkDomains(_ inputs: [ConsoleInputSpec], ids: [Int]) throws {
        for i in inputs where !ids.contains(i.request.domain) {
            throw CommandFailure("--input for domain \(i.request.domain): the session has no such domain")
        }
    }
}
