import Foundation

/// One entry of xm's `disk` list: 'file:/path/img,xvda,w', 'phy:sda1,hda,r',
/// 'tap:aio:/path/img,xvdb,w!'.
public struct DiskSpec: Equatable, Sendable {
    /// Where the backend finds the data.
    public enum BackendKind: Equatable, Sendable, CustomStringConvertible {
        /// A host file through a loop device ("file:").
        case file
        /// A host block device ("phy:").
        case phy
        /// A blktap driver, "tap:aio:" → .tap(driver: "aio") (also "tap2:").
        case tap(driver: String)

        public var description: String {
            switch self {
            case .file: return "file"
            case .phy: return "phy"
            case .tap(let driver): return "tap:\(driver)"
            }
        }
    }

    public var backendKind: BackendKind
    /// Host path: resolved against the config file's directory for file and tap backends;
    /// phy devices without a '/' get "/dev/" in front, as xm did.
    public var path: String
    /// The guest's name for the disk ("xvda", "hda"), without a ":cdrom" suffix.
    public var virtualDevice: String
    public var isCDROM: Bool
    public var writable: Bool
    /// Mode "w!": writable even if another domain already has it writable.
    public var sharedWritable: Bool

    public init(backendKind: BackendKind, path: String, virtualDevice: String, isCDROM: Bool = false,
                writable: Bool, sharedWritable: Bool = false) {
        self.backendKind = backendKind
        self.path = path
        self.virtualDevice = virtualDevice
        self.isCDROM = isCDROM
        self.writable = writable
        self.sharedWritable = sharedWritable
    }

    /// Parses one disk entry; relative paths are taken relative to `directory`.
    public static func parse(_ entry: String, relativeTo directory: String) -> Result<DiskSpec, DiskSpecError> {
        func fail(_ why: String) -> Result<DiskSpec, DiskSpecError> { .failure(DiskSpecError(entry: entry, reason: why)) }
        let fields = entry.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.count == 3 else { return fail("expected 'backend:path,device,mode'") }
        let target = fields[0]
        guard let colon = target.firstIndex(of: ":") else { return fail("missing backend (file:, phy:, tap:DRIVER:)") }
        let kindName = String(target[..<colon])
        var rest = String(target[target.index(after: colon)...])
        let kind: BackendKind
        switch kindName {
        case "file": kind = .file
        case "phy": kind = .phy
        case "tap", "tap2":
            guard let c = rest.firstIndex(of: ":") else { return fail("tap needs a driver, as in tap:aio:/path") }
            let driver = String(rest[..<c])
            guard !driver.isEmpty else { return fail("tap needs a driver, as in tap:aio:/path") }
            rest = String(rest[rest.index(after: c)...])
            kind = .tap(driver: driver)
        default:
            return fail("unknown backend '\(kindName)'")
        }
        guard !rest.isEmpty else { return fail("empty path") }
        var path = rest
        if kind == .phy {
            if !path.hasPrefix("/") { path = "/dev/" + path }
        } else {
            path = ConfigPath.resolve(path, against: directory)
        }
        var device = fields[1]
        var cdrom = false
        if device.hasSuffix(":cdrom") {
            cdrom = true
            device.removeLast(":cdrom".count)
        } else if device.hasSuffix(":disk") {
            device.removeLast(":disk".count)
        }
        guard !device.isEmpty, device.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return fail("bad virtual device '\(fields[1])'")
        }
        let writable: Bool
        var shared = false
        switch fields[2] {
        case "r", "ro": writable = false
        case "w", "rw": writable = true
        case "w!":
            writable = true
            shared = true
        default: return fail("bad mode '\(fields[2])' (expected r, w or w!)")
        }
        return .success(DiskSpec(backendKind: kind, path: path, virtualDevice: device, isCDROM: cdrom,
                                 writable: writable, sharedWritable: shared))
    }
}

/// A disk entry that cannot be used.
public struct DiskSpecError: Error, Equatable, CustomStringConvertible {
    public var entry: String
    public var reason: String

    public init(entry: String, reason: String) {
        self.entry = entry
        self.reason = reason
    }

    public var description: String { "bad disk '\(entry)': \(reason)" }
}
