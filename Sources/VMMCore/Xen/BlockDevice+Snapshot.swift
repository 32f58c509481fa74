import Foundation
import IA64Exec

/// A block device: its identity (spec and size), the write overlay, blkback's ring state and
/// its statistics. The disk image is not saved: a restored device reopens the image named in
/// its spec (read-only, as at build time) and reads it through `Hypervisor.readDiskBlock`,
/// hence through `inputs` when one is attached.
extension BlockDevice {
    static func code<C: StateCoder>(_ device: inout BlockDevice?, _ c: inout C) throws {
        var index = device?.index ?? 0
        var spec = device?.spec ?? .placeholder
        var sectors = device?.sectors ?? 0
        try c.code(&index)
        try c.code(&spec)
        try c.code(&sectors)
        if c.isDecoding {
            guard let handle = FileHandle(forReadingAtPath: spec.path) else {
                throw SnapshotRestoreError("disk \(spec.virtualDevice): cannot open image \(spec.path) for reading")
            }
            let size = (try? handle.seekToEnd()) ?? 0
            guard size / UInt64(Self.sectorSize) == sectors else {
                throw SnapshotRestoreError("disk \(spec.virtualDevice): image \(spec.path) has \(size / UInt64(Self.sectorSize)) sectors, the snapshot's had \(sectors)")
            }
            device = BlockDevice(index: index, spec: spec, sectors: sectors, image: handle)
        }
        try device!.codeState(&c)
    }

    func codeState<C: StateCoder>(_ c: inout C) throws {
        var sectorsWritten = c.isDecoding ? [] : overlay.keys.sorted()
        try c.code(&sectorsWritten)
        if c.isDecoding { overlay = [:] }
        for sector in sectorsWritten {
            var data = overlay[sector] ?? []
            try c.bytes(&data)
            guard data.count == Self.sectorSize else { throw c.corrupt("overlay sector of \(data.count) bytes") }
            overlay[sector] = data
        }
        try c.code(&connected)
        try c.code(&broken)
        try c.code(&ringPhysical)
        try c.code(&frontPort)
        try c.code(&setupPort)
        try c.code(&requestConsumer)
        try c.code(&responseProducer)
        try c.code(&inFlight)
        try c.code(&requestsCompleted)
        try c.code(&completionLog)
    }
}

extension DiskSpec: StateCodable {
    public static var placeholder: DiskSpec { DiskSpec(backendKind: .file, path: "", virtualDevice: "", writable: false) }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        var kind = 0
        var driver = ""
        switch backendKind {
        case .file: kind = 0
        case .phy: kind = 1
        case .tap(let d): kind = 2; driver = d
        }
        try c.tag(&kind, limit: 3, "disk backend")
        if kind == 2 { try c.code(&driver) }
        backendKind = kind == 0 ? .file : kind == 1 ? .phy : .tap(driver: driver)
        try c.code(&path)
        try c.code(&virtualDevice)
        try c.code(&isCDROM)
        try c.code(&writable)
        try c.code(&sharedWritable)
    }
}

extension BlockCompletionRecord: StateCodable {
    public static var placeholder: BlockCompletionRecord {
        BlockCompletionRecord(id: 0, operation: 0, status: 0, sectors: 0, submitted: 0, due: 0, delivered: 0)
    }
    public mutating func code<C: StateCoder>(_ c: inout C) throws {
        try c.code(&id)
        try c.code(&operation)
        try c.code(&status)
        try c.code(&sectors)
        try c.code(&submitted)
        try c.code(&due)
        try c.code(&delivered)
    }
}

extension PendingBlockCompletion: StateCodable {
    static var placeholder: PendingBlockCompletion {
        PendingBlockCompletion(due: 0, sequence: 0, domain: 0, device: 0, id: 0, operation: 0, failure: nil,
                               sector: 0, segments: [], submitted: 0)
    }
    mutating func code<C: StateCoder>(_ c: inout C) throws {
        try c.code(&due)
        try c.code(&sequence)
        try c.code(&domain)
        try c.code(&device)
        try c.code(&id)
        try c.code(&operation)
        try c.code(&failure)
        try c.code(&sector)
        try c.code(&segments)
        try c.code(&submitted)
    }
}

extension PendingBlockCompletion.Segment: StateCodable {
    static var placeholder: PendingBlockCompletion.Segment { .init(physical: 0, sectors: 0) }
    mutating func code<C: StateCoder>(_ c: inout C) throws {
        try c.code(&physical)
        try c.code(&sectors)
    }
}
