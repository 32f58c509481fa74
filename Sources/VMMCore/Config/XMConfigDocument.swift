/// The assignments of one xm-syntax file, in file order, before any key is interpreted.
public struct XMConfigDocument: Equatable, Sendable {
    /// The file name used in error messages.
    public var file: String
    /// Every assignment in file order; a key set twice appears twice.
    public var settings: [XMSetting]

    public init(file: String, settings: [XMSetting]) {
        self.file = file
        self.settings = settings
    }

    /// The assignment in effect for `key`: the last one, as when Python runs the file.
    public subscript(key: String) -> XMSetting? { settings.last { $0.key == key } }
}
