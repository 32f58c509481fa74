/// A value in an xm configuration file: the Python-like subset xm configs use in practice.
/// Every value remembers the line it starts on, so errors about list elements spanning several
/// lines point at the element itself.
public struct XMValue: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case string(String)
        /// Integers; Python's True/False read as 1/0, as in Python.
        case integer(Int64)
        case list([XMValue])
    }

    public var kind: Kind
    public var line: Int

    public init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }

    /// The name of the value's type as Python would say it, for error messages.
    public var typeName: String {
        switch kind {
        case .string: return "a string"
        case .integer: return "an integer"
        case .list: return "a list"
        }
    }
}
