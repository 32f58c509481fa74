/// Why a trace (or its blobs) cannot be used. Every case reads as one line.
public enum TraceError: Error, Equatable, CustomStringConvertible {
    /// The file is not an xdbg trace at all.
    case foreign(String)
    /// The file is a trace but its bytes are wrong at `offset`.
    case damaged(offset: Int, String)
    /// A trace of a format version this xdbg does not read.
    case unsupportedVersion(UInt32)
    /// A guest image or disk block the trace needs is missing or altered.
    case missingBlob(String)
    case io(String)

    public var description: String {
        switch self {
        case .foreign(let why): "not an xdbg trace: \(why)"
        case .damaged(let offset, let why): "damaged trace at offset \(offset): \(why)"
        case .unsupportedVersion(let v): "trace format version \(v) is not supported (this xdbg reads version \(TraceFormat.version))"
        case .missingBlob(let why): why
        case .io(let why): why
        }
    }
}
