import Foundation
import VMMCore

/// The two directions between a machine and its trace header: recording describes the
/// domains it is about to build (storing kernels in the blob store and hashing disks), and
/// replay rebuilds the same domains from that description alone.
public enum TracedMachine {
    /// The header for `setups`, with every kernel stored in `blobs`.
    static func header(options: Hypervisor.Options, setups: [DomainSetup], source: String, checkInterval: UInt64,
                       chaosSeed: UInt64?, blobs: BlobStore) throws -> TraceHeader {
        var domains: [TraceHeader.DomainEntry] = []
        for s in setups {
            let kernelHash = try blobs.put(s.kernel.bytes)
            var disks: [TraceHeader.Disk] = []
            for d in s.disks {
                guard let data = FileManager.default.contents(atPath: d.path) else {
                    throw TraceError.io("domain \(s.name): disk \(d.virtualDevice): cannot read image \(d.path)")
                }
                disks.append(TraceHeader.Disk(virtualDevice: d.virtualDevice, writable: d.writable, isCDROM: d.isCDROM,
                                              path: d.path, sectors: UInt64(data.count) / UInt64(BlockDevice.sectorSize),
                                              contentHash: SHA256.digest([UInt8](data))))
            }
            domains.append(TraceHeader.DomainEntry(name: s.name, kernelHash: kernelHash,
                                                   memoryMiB: s.memoryMiB, maxMemoryMiB: s.maxMemoryMiB, vcpus: s.vcpus,
                                                   allowedCPUs: s.allowedCPUs, commandLine: s.commandLine,
                                                   onCrash: s.onCrash.rawValue, disks: disks))
        }
        return TraceHeader(machine: .init(physicalCPUs: options.physicalCPUs, memoryMiB: options.memoryMiB,
                                          xenheapMiB: options.xenheapMiB, quantum: options.quantum,
                                          debugPanicAt: options.debugPanicAt),
                           domains: domains, source: source, checkInterval: checkInterval, chaosSeed: chaosSeed)
    }

    static func options(_ header: TraceHeader) -> Hypervisor.Options {
        .init(physicalCPUs: header.machine.physicalCPUs, quantum: header.machine.quantum,
              memoryMiB: header.machine.memoryMiB, xenheapMiB: header.machine.xenheapMiB,
              debugPanicAt: header.machine.debugPanicAt)
    }

    /// The domains of `header`, kernels from `blobs`. Disks become sparse stand-ins of the
    /// recorded size in `scratch`: a replay never reads an image, every block it needs is in
    /// the trace.
    static func setups(_ header: TraceHeader, blobs: BlobStore, scratch: String) throws -> [DomainSetup] {
        var setups: [DomainSetup] = []
        for (i, d) in header.domains.enumerated() {
            let bytes = try blobs.get(d.kernelHash, what: "domain \(d.name): kernel")
            let elf: ElfFile
            do { elf = try ElfFile(bytes: bytes) } catch {
                throw TraceError.missingBlob("domain \(d.name): stored kernel is not a usable ELF image")
            }
            guard let onCrash = Domain.OnCrashAction(rawValue: d.onCrash) else {
                throw TraceError.damaged(offset: 0, "domain \(d.name): unknown on_crash '\(d.onCrash)'")
            }
            var disks: [DiskSpec] = []
            for (k, disk) in d.disks.enumerated() {
                let path = scratch + "/d\(i)-\(k).img"
                guard FileManager.default.createFile(atPath: path, contents: nil),
                      let handle = FileHandle(forWritingAtPath: path) else {
                    throw TraceError.io("cannot create \(path)")
                }
                try handle.truncate(atOffset: disk.sectors * UInt64(BlockDevice.sectorSize))
                try handle.close()
                disks.append(DiskSpec(backendKind: .file, path: path, virtualDevice: disk.virtualDevice,
                                      isCDROM: disk.isCDROM, writable: disk.writable))
            }
            setups.append(DomainSetup(name: d.name, kernel: elf, memoryMiB: d.memoryMiB, maxMemoryMiB: d.maxMemoryMiB,
                                      vcpus: d.vcpus, allowedCPUs: d.allowedCPUs, commandLine: d.commandLine,
                                      onCrash: onCrash, disks: disks))
        }
        return setups
    }
}
