/// One `key = value` assignment of an xm configuration file.
public struct XMSetting: Equatable, Sendable {
    public var key: String
    public var value: XMValue
    /// The line the key is on.
    public var line: Int

    public init(key: String, value: XMValue, line: Int) {
        self.key = key
        self.value = value
        self.line = line
    }
}
