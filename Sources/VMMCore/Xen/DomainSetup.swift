/// Everything needed to build one domain, resolved from its configuration: the kernel image
/// already read, sizes in pages, the pinning.
public struct DomainSetup: Sendable {
    public var name: String
    public var kernel: ElfFile
    public var memoryMiB: UInt64
    public var maxMemoryMiB: UInt64
    public var vcpus: Int
    /// Physical CPUs the vCPUs may run on (nil: any; vCPU i goes to the i-th allowed CPU).
    public var allowedCPUs: [Int]?
    public var commandLine: String
    public var onCrash: Domain.OnCrashAction
    /// Virtual block devices (paths resolved); the images are opened when the domain is built.
    public var disks: [DiskSpec]

    public init(name: String, kernel: ElfFile, memoryMiB: UInt64, maxMemoryMiB: UInt64? = nil, vcpus: Int = 1,
                allowedCPUs: [Int]? = nil, commandLine: String = "", onCrash: Domain.OnCrashAction = .destroy, disks: [DiskSpec] = []) {
        self.name = name
        self.kernel = kernel
        self.memoryMiB = memoryMiB
        self.maxMemoryMiB = max(maxMemoryMiB ?? memoryMiB, memoryMiB)
        self.vcpus = vcpus
        self.allowedCPUs = allowedCPUs
        self.commandLine = commandLine
        self.onCrash = onCrash
        self.disks = disks
    }

    var memoryPages: UInt64 { (memoryMiB << 20) >> XenABI.pageShift }
    var maxPages: UInt64 { (maxMemoryMiB << 20) >> XenABI.pageShift }
}

/// Why a domain could not be built.
public struct DomainBuildError: Error, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}
