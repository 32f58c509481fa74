import Foundation

/// Guest images and disk blocks a trace depends on, stored once each under the SHA-256 of
/// their bytes in a directory beside the trace (`TRACE.blobs/`), so a trace replays after the
/// original files change or vanish, and repeated contents cost nothing.
public final class BlobStore {
    public let directory: String
    /// Bytes added during this run (for progress and `info`).
    public private(set) var bytesWritten: UInt64 = 0
    private var known: Set<[UInt8]> = []

    public init(directory: String) {
        self.directory = directory
    }

    /// The blob directory of a trace file.
    public static func beside(trace path: String) -> BlobStore { BlobStore(directory: path + ".blobs") }

    /// Where the blob `hash` is stored (whether or not it is there).
    public func path(_ hash: [UInt8]) -> String { directory + "/" + SHA256.hex(hash) }

    /// Stores `bytes` (if not already there) and returns their hash.
    @discardableResult
    public func put(_ bytes: [UInt8]) throws -> [UInt8] {
        let hash = SHA256.digest(bytes)
        if known.contains(hash) { return hash }
        let file = path(hash)
        if !FileManager.default.fileExists(atPath: file) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                let temporary = file + ".tmp"
                try Data(bytes).write(to: URL(fileURLWithPath: temporary))
                guard rename(temporary, file) == 0 else { throw TraceError.io("cannot rename \(temporary)") }
            } catch {
                throw TraceError.io("cannot write blob \(file): \(error.localizedDescription)")
            }
            bytesWritten += UInt64(bytes.count)
        }
        known.insert(hash)
        return hash
    }

    /// The bytes stored under `hash`, checked against it. `what` names them in errors.
    public func get(_ hash: [UInt8], what: String) throws -> [UInt8] {
        let file = path(hash)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw TraceError.missingBlob("\(what): blob \(SHA256.hex(hash).prefix(16))… is missing from \(directory)")
        }
        let bytes = [UInt8](data)
        guard SHA256.digest(bytes) == hash else {
            throw TraceError.missingBlob("\(what): blob \(file) does not match its hash (altered)")
        }
        return bytes
    }

    /// Total size of the blobs `hashes` name (those present).
    public func size(of hashes: Set<[UInt8]>) -> UInt64 {
        hashes.reduce(0) { total, h in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path(h))
            return total + ((attributes?[.size] as? NSNumber)?.uint64Value ?? 0)
        }
    }
}
