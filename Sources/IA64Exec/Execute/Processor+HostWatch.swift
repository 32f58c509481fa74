/// Host-side data watchpoints for a debugger (gdb's `watch`/`rwatch`/`awatch`), invisible to
/// the guest: unlike the dbr registers they raise no Data Debug fault and change nothing the
/// guest can observe; they only make `run` stop right after an instruction that accessed a
/// watched range of virtual addresses.
///
/// While any watch is armed: the data-page caches stay empty, so every load and store takes the
/// slow path, which records a hit (`noteHostWatch`); and `run` executes one instruction per slice,
/// returning `.reachedStopAddress` after an instruction that hit (like a break address, the
/// caller tells the two apart by `hostWatchHit`). The next instruction is then at (ip, slot).
/// Accesses the hypervisor makes on the guest's behalf are not seen.
public struct HostWatch: Equatable, Sendable {
    public var address: UInt64
    public var length: UInt64
    public var reads: Bool
    public var writes: Bool

    public init(address: UInt64, length: UInt64, reads: Bool, writes: Bool) {
        self.address = address
        self.length = max(1, length)
        self.reads = reads
        self.writes = writes
    }
}

/// The access that triggered a watch: which watch (index into `hostWatches`), the access's
/// virtual address and size, and whether it wrote.
public struct HostWatchHit: Equatable, Sendable {
    public var watch: Int
    public var address: UInt64
    public var size: Int
    public var write: Bool
}

extension Processor {
    func hostWatchesChanged() {
        hostWatchArmed = !hostWatches.isEmpty
        hostWatchHit = nil
        // Cached data pages would let accesses bypass the slow path where hits are noted.
        translationChanged()
    }

    /// Called on the slow path of every data access while a watch is armed.
    func noteHostWatch(_ address: UInt64, size: Int, write: Bool) {
        guard hostWatchHit == nil else { return }
        for (i, w) in hostWatches.enumerated() where write ? w.writes : w.reads {
            if address < w.address &+ w.length && w.address < address &+ UInt64(size) {
                hostWatchHit = HostWatchHit(watch: i, address: address, size: size, write: write)
                return
            }
        }
    }

    /// Forgets the last hit (the caller has reported it).
    public func clearHostWatchHit() { hostWatchHit = nil }
}
