/// A configuration file (or Xen command line) that cannot be used. The description is one line,
/// `FILE:LINE: message`, so it can be shown as is and editors can jump to the spot.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    /// The file at fault; nil for inputs that are not files (a command line given directly).
    public var file: String?
    /// 1-based line within `file`; nil when the problem is with the file as a whole.
    public var line: Int?
    public var message: String

    public init(file: String?, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        switch (file, line) {
        case let (file?, line?): return "\(file):\(line): \(message)"
        case let (file?, nil): return "\(file): \(message)"
        case let (nil, line?): return "line \(line): \(message)"
        case (nil, nil): return message
        }
    }
}
