import IA64Exec

/// One domain's guest-physical address space: a physical-to-machine map (gpfn -> mfn) over
/// 16 KiB pages, backed by frames of a shared `MachineMemory`. Guest-physical bit 63 (the
/// uncacheable alias) is ignored. Unpopulated gpfns fault: loads return nil, stores false.
///
/// A domain reaches only frames it populated itself, plus frames the hypervisor maps into it
/// with `mapShared` (shared_info, mapped_regs) or `mapForeign` (another domain's granted
/// frame); those stay owned elsewhere and are not freed, counted or hashed here. Whoever owns
/// a shared frame must keep it allocated while it is mapped. A foreign mapping may cover one
/// of the domain's own pages: that page is set aside (still owned, counted and hashed) and
/// comes back when the mapping goes.
///
/// The p2m is a table of 16 KiB leaves (2048 entries each, like Xen/ia64's p2m page tables),
/// created as gpfns are first used. Leaves covering gpfns 0..<maxPages are charged to the Xen
/// heap at creation; leaves for gpfns beyond are charged when first needed.
public final class DomainMemory: MemoryBus {
    public static let pageShift: UInt64 = 14
    public static let pageSize: UInt64 = 1 << pageShift
    /// Guest-physical addresses have 63 bits (bit 63 is the uncacheable alias).
    public static let gpfnLimit: UInt64 = 1 << (63 - pageShift)

    static let leafShift: UInt64 = 11
    static let leafEntries = 1 << Int(leafShift)
    // p2m entry: mfn << 8 | flags.
    static let present: UInt64 = 1
    private static let writable: UInt64 = 2
    static let shared: UInt64 = 4
    private static let holdsCode: UInt64 = 8
    static let mfnShift: UInt64 = 8

    final class Leaf {
        let entries: UnsafeMutablePointer<UInt64>
        init() {
            entries = .allocate(capacity: DomainMemory.leafEntries)
            entries.initialize(repeating: 0, count: DomainMemory.leafEntries)
        }
        deinit { entries.deallocate() }
    }

    public let machine: MachineMemory
    public let heap: XenHeap
    /// The reservation limit: populate fails once `reservation` reaches it. Lowering it below
    /// the reservation only stops further growth, as in Xen.
    public var maxPages: UInt64
    /// Pages this domain owns (populated and not released).
    public internal(set) var reservation: UInt64 = 0

    var leaves: [UInt64: Leaf] = [:]
    /// Own pages covered by a foreign mapping: their p2m entries by gpfn, until `unmapForeign`.
    var displaced: [UInt64: UInt64] = [:]
    var p2mCharge: XenHeapCharge
    var prechargedLeaves: UInt64
    var extraLeafCharges: [UInt64: XenHeapAllocation] = [:]
    /// Why the last `populate`/`mapShared` failed, when it was the Xen heap (a p2m leaf could
    /// not be had); `takeHeapFailure` reads and clears it. Never outlives the hypercall that
    /// hit it, so snapshots leave it out.
    var heapFailure: XenHeapError?

    // A one-entry lookaside: consecutive accesses mostly hit the same page.
    private var lastGPFN: UInt64 = .max
    private var lastSlot: UnsafeMutablePointer<UInt64>?
    private var lastHost: UnsafeMutableRawPointer?

    private let generation: UnsafeMutablePointer<UInt64> = {
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    /// An empty address space allowed `maxPages` pages. Charges the p2m for gpfns
    /// 0..<maxPages (8 bytes per entry) to `heap`.
    public init(machine: MachineMemory, heap: XenHeap, maxPages: UInt64) throws(XenHeapError) {
        self.machine = machine
        self.heap = heap
        self.maxPages = maxPages
        prechargedLeaves = (maxPages + UInt64(Self.leafEntries) - 1) >> Self.leafShift
        p2mCharge = try heap.charge(bytes: (prechargedLeaves << Self.leafShift) * 8)
    }

    deinit {
        for (_, leaf) in leaves.sorted(by: { $0.key < $1.key }) {
            let entries = leaf.entries
            for i in 0..<Self.leafEntries where entries[i] & (Self.present | Self.shared) == Self.present {
                machine.free(mfn: entries[i] >> Self.mfnShift)
            }
        }
        for (_, entry) in displaced.sorted(by: { $0.key < $1.key }) { machine.free(mfn: entry >> Self.mfnShift) }
        for (_, allocation) in extraLeafCharges.sorted(by: { $0.key < $1.key }) { heap.free(allocation) }
        heap.release(p2mCharge)
        generation.deallocate()
    }

    // MARK: p2m

    func invalidateLookaside() {
        lastGPFN = .max
        lastSlot = nil
        lastHost = nil
    }

    /// The p2m slot of `gpfn`, if its leaf exists.
    @inline(__always)
    private func slot(_ gpfn: UInt64) -> UnsafeMutablePointer<UInt64>? {
        if gpfn == lastGPFN { return lastSlot }
        guard let leaf = leaves[gpfn >> Self.leafShift] else { return nil }
        let s = leaf.entries + Int(gpfn & UInt64(Self.leafEntries - 1))
        lastGPFN = gpfn
        lastSlot = s
        lastHost = nil
        return s
    }

    /// The p2m slot of `gpfn`, creating (and if needed charging) its leaf.
    private func slotCreating(_ gpfn: UInt64) -> UnsafeMutablePointer<UInt64>? {
        guard gpfn < Self.gpfnLimit else { return nil }
        if let s = slot(gpfn) { return s }
        let index = gpfn >> Self.leafShift
        if index >= prechargedLeaves {
            do {
                extraLeafCharges[index] = try heap.allocate(order: 0)
            } catch {
                heapFailure = error
                return nil
            }
        }
        leaves[index] = Leaf()
        return slot(gpfn)
    }

    /// The host memory of the page in `entry`; nil if its frame was never touched (unless
    /// `touching`, which creates it).
    @inline(__always)
    private func host(_ gpfn: UInt64, _ entry: UInt64, touching: Bool) -> UnsafeMutableRawPointer? {
        if gpfn == lastGPFN, let h = lastHost { return h }
        let mfn = entry >> Self.mfnShift
        let h = touching ? machine.frame(mfn) : machine.touchedFrame(mfn)
        if gpfn == lastGPFN { lastHost = h }
        return h
    }

    /// Gives the domain a fresh (zero) machine frame at `gpfn`. Fails if the gpfn is already
    /// mapped, the domain is at `maxPages`, or machine memory or the Xen heap is exhausted.
    @discardableResult
    public func populate(gpfn: UInt64) -> Bool {
        guard reservation < maxPages, let s = slotCreating(gpfn), s.pointee == 0,
              let mfn = machine.allocate(order: 0) else { return false }
        s.pointee = mfn << Self.mfnShift | Self.present | Self.writable
        reservation += 1
        invalidateLookaside()
        return true
    }

    /// The Xen heap error behind the last failed `populate`/`mapShared`, if that was the
    /// cause; cleared by reading.
    public func takeHeapFailure() -> XenHeapError? {
        defer { heapFailure = nil }
        return heapFailure
    }

    /// Populates every gpfn in `gpfns`; the number populated before the first failure.
    @discardableResult
    public func populate(gpfns: Range<UInt64>) -> UInt64 {
        var done: UInt64 = 0
        for gpfn in gpfns {
            guard populate(gpfn: gpfn) else { break }
            done += 1
        }
        return done
    }

    /// Ballooning: gives the frame at `gpfn` back to the machine. Later accesses fault.
    /// False if the gpfn is not populated by this domain. With `keepingFrame` the frame leaves
    /// the domain but stays allocated: another domain still maps it, and frees it later.
    @discardableResult
    public func release(gpfn: UInt64, keepingFrame: Bool = false) -> Bool {
        guard let s = slot(gpfn), s.pointee & (Self.present | Self.shared) == Self.present else { return false }
        if !keepingFrame { machine.free(mfn: s.pointee >> Self.mfnShift) }
        s.pointee = 0
        reservation -= 1
        dropCPUPointers()
        return true
    }

    /// Maps a frame owned elsewhere at `gpfn`. False if the gpfn is in use or `mfn` is not an
    /// allocated frame.
    @discardableResult
    public func mapShared(gpfn: UInt64, mfn: UInt64, writable: Bool) -> Bool {
        guard machine.isAllocated(mfn), mfn < 1 << (64 - Self.mfnShift),
              let s = slotCreating(gpfn), s.pointee == 0 else { return false }
        s.pointee = mfn << Self.mfnShift | Self.present | Self.shared | (writable ? Self.writable : 0)
        invalidateLookaside()
        return true
    }

    /// Removes a `mapShared` mapping; false if `gpfn` holds none.
    @discardableResult
    public func unmapShared(gpfn: UInt64) -> Bool {
        guard let s = slot(gpfn), s.pointee & (Self.present | Self.shared) == Self.present | Self.shared else { return false }
        s.pointee = 0
        dropCPUPointers()
        return true
    }

    /// Maps another domain's frame `mfn` at `gpfn` (a grant mapping). An own page there is set
    /// aside until `unmapForeign`; an empty gpfn is fine too. False if the gpfn already holds a
    /// shared or foreign frame, is out of range, its p2m leaf cannot be charged, or `mfn` is
    /// not an allocated frame.
    @discardableResult
    public func mapForeign(gpfn: UInt64, mfn: UInt64, writable: Bool) -> Bool {
        guard machine.isAllocated(mfn), mfn < 1 << (64 - Self.mfnShift),
              let s = slotCreating(gpfn), s.pointee & Self.shared == 0 else { return false }
        if s.pointee != 0 { displaced[gpfn] = s.pointee }
        s.pointee = mfn << Self.mfnShift | Self.present | Self.shared | (writable ? Self.writable : 0)
        dropCPUPointers()  // the CPU may hold a pointer to the page now covered
        return true
    }

    /// Removes a foreign mapping from `gpfn`, putting back the own page it covered (if any);
    /// the frame that was mapped, or nil if `gpfn` holds no shared or foreign frame.
    @discardableResult
    public func unmapForeign(gpfn: UInt64) -> UInt64? {
        guard let s = slot(gpfn), s.pointee & (Self.present | Self.shared) == Self.present | Self.shared else { return nil }
        let mfn = s.pointee >> Self.mfnShift
        s.pointee = displaced.removeValue(forKey: gpfn) ?? 0
        dropCPUPointers()
        return mfn
    }

    /// True if `gpfn` holds a frame owned elsewhere (hypervisor page or foreign mapping).
    public func isShared(gpfn: UInt64) -> Bool {
        guard let s = slot(gpfn) else { return false }
        return s.pointee & (Self.present | Self.shared) == Self.present | Self.shared
    }

    /// The machine frame behind `gpfn`, if mapped (owned or shared).
    public func mfn(ofGPFN gpfn: UInt64) -> UInt64? {
        guard let s = slot(gpfn), s.pointee & Self.present != 0 else { return nil }
        return s.pointee >> Self.mfnShift
    }

    /// True if `gpfn` holds a frame this domain populated.
    public func isPopulated(gpfn: UInt64) -> Bool {
        guard let s = slot(gpfn) else { return false }
        return s.pointee & (Self.present | Self.shared) == Self.present
    }

    /// A mapping went away: the CPU must drop page pointers it holds (it does so when the
    /// code generation changes), or it would write into a frame now used elsewhere.
    private func dropCPUPointers() {
        codeGeneration &+= 1
        invalidateLookaside()
    }

    // MARK: MemoryBus

    public var codeGeneration: UInt64 {
        get { generation.pointee }
        set { generation.pointee = newValue }
    }

    public var codeGenerationCell: UnsafePointer<UInt64> { UnsafePointer(generation) }

    @inline(__always)
    private static func gpfn(_ address: UInt64) -> UInt64 { (address & ~(1 << 63)) >> pageShift }

    public func load(_ address: UInt64, size: Int) -> UInt64? {
        let offset = Int(address & (Self.pageSize - 1))
        if offset + size <= Int(Self.pageSize) {
            let gpfn = Self.gpfn(address)
            guard let s = slot(gpfn), s.pointee & Self.present != 0 else { return nil }
            guard let p = host(gpfn, s.pointee, touching: false) else { return 0 }  // never written: zeros
            switch size {
            case 1: return UInt64(p.load(fromByteOffset: offset, as: UInt8.self))
            case 2: return UInt64(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            case 4: return UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            default: return UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            }
        }
        // Straddles a page boundary: byte by byte.
        var value: UInt64 = 0
        for i in 0..<size {
            guard let b = load(address &+ UInt64(i), size: 1) else { return nil }
            value |= b << (8 * UInt64(i))
        }
        return value
    }

    public func store(_ address: UInt64, size: Int, value: UInt64) -> Bool {
        let offset = Int(address & (Self.pageSize - 1))
        if offset + size <= Int(Self.pageSize) {
            let gpfn = Self.gpfn(address)
            guard let s = slot(gpfn), s.pointee & (Self.present | Self.writable) == Self.present | Self.writable,
                  let p = host(gpfn, s.pointee, touching: true) else { return false }
            if s.pointee & Self.holdsCode != 0 { codeGeneration &+= 1 }
            machine.noteWritten(s.pointee >> Self.mfnShift)
            switch size {
            case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: offset, as: UInt8.self)
            case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, toByteOffset: offset, as: UInt16.self)
            case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian, toByteOffset: offset, as: UInt32.self)
            default: p.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self)
            }
            return true
        }
        // Straddles a page boundary: all or nothing.
        guard isWritable(address, count: size) else { return false }
        for i in 0..<size {
            _ = store(address &+ UInt64(i), size: 1, value: value >> (8 * UInt64(i)))
        }
        return true
    }

    private func isWritable(_ address: UInt64) -> Bool {
        guard let s = slot(Self.gpfn(address)) else { return false }
        return s.pointee & (Self.present | Self.writable) == Self.present | Self.writable
    }

    /// Whether all of `count` bytes at `address` can be stored (one check per page).
    public func isWritable(_ address: UInt64, count: Int) -> Bool {
        guard count > 0 else { return true }
        var at = address
        let end = address &+ UInt64(count - 1)
        guard end >= address else { return false }  // wraps around the address space
        while true {
            guard isWritable(at) else { return false }
            let next = (at | (Self.pageSize - 1)) &+ 1
            if next == 0 || next > end { return true }
            at = next
        }
    }

    public func directPage(_ number: UInt64, forWriting: Bool) -> UnsafeMutableRawPointer? {
        let gpfn = number & (Self.gpfnLimit - 1)
        guard let s = slot(gpfn), s.pointee & Self.present != 0 else { return nil }
        if forWriting {
            guard s.pointee & (Self.writable | Self.holdsCode) == Self.writable else { return nil }
            machine.noteOpened(s.pointee >> Self.mfnShift)
        }
        return host(gpfn, s.pointee, touching: true)
    }

    public func fetchBundle(_ address: UInt64) -> InstructionBundle? {
        let gpfn = Self.gpfn(address)
        guard address & 0xf == 0, let s = slot(gpfn), s.pointee & Self.present != 0 else { return nil }
        if s.pointee & Self.holdsCode == 0 {
            s.pointee |= Self.holdsCode
            codeGeneration &+= 1  // writable pointers handed out for this page are now stale
        }
        guard let p = host(gpfn, s.pointee, touching: false) else { return InstructionBundle(low: 0, high: 0) }
        let offset = Int(address & (Self.pageSize - 1))
        return InstructionBundle(
            low: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
            high: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)))
    }

    // MARK: Hypervisor access

    /// `count` bytes at guest-physical `gpa`, or nil if any of them is unmapped.
    public func read(_ gpa: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            guard let b = load(gpa &+ UInt64(i), size: 1) else { return nil }
            out.append(UInt8(b))
        }
        return out
    }

    /// Copies `bytes` to guest-physical `gpa`; all or nothing, false if any byte is unmapped
    /// or read-only.
    @discardableResult
    public func write(_ gpa: UInt64, bytes: [UInt8]) -> Bool {
        guard isWritable(gpa, count: bytes.count) else { return false }
        for (i, b) in bytes.enumerated() { _ = store(gpa &+ UInt64(i), size: 1, value: UInt64(b)) }
        return true
    }

    public func load64(_ gpa: UInt64) -> UInt64? { load(gpa, size: 8) }
    public func load32(_ gpa: UInt64) -> UInt32? { load(gpa, size: 4).map { UInt32(truncatingIfNeeded: $0) } }
    @discardableResult public func store64(_ gpa: UInt64, _ value: UInt64) -> Bool { store(gpa, size: 8, value: value) }
    @discardableResult public func store32(_ gpa: UInt64, _ value: UInt32) -> Bool { store(gpa, size: 4, value: UInt64(value)) }

    // MARK: Determinism

    /// A hash of every populated page in ascending gpfn order: its gpfn and contents, a word
    /// at a time (fast enough for every replay state check), then the own pages a foreign
    /// mapping covers, by gpfn. Shared mappings and which machine frames back the pages are
    /// left out, and a page never written hashes as the zeros it reads as, so equal contents
    /// hash equal.
    public var stateHash: UInt64 {
        var h: UInt64 = 0x9e37_79b9_7f4a_7c15
        for (key, leaf) in leaves.sorted(by: { $0.key < $1.key }) {
            let entries = leaf.entries
            for i in 0..<Self.leafEntries where entries[i] & (Self.present | Self.shared) == Self.present {
                h = (h ^ (key << Self.leafShift | UInt64(i))) &* 0x100_0000_01b3
                // A page never written hashes as the zero page it reads as (content hash 0).
                h = (h ^ frameHash(entries[i] >> Self.mfnShift)) &* 0x100_0000_01b3
            }
        }
        for (gpfn, entry) in displaced.sorted(by: { $0.key < $1.key }) {
            h = (h ^ gpfn) &* 0x100_0000_01b3
            h = (h ^ frameHash(entry >> Self.mfnShift)) &* 0x100_0000_01b3
        }
        return h
    }

    /// The contents of the page mapped at `gpfn`, owned or not, hashed as `stateHash` hashes
    /// pages; nil if nothing is mapped there.
    public func pageHash(gpfn: UInt64) -> UInt64? { mfn(ofGPFN: gpfn).map(frameHash) }

    /// A frame's content hash (kept between checks by the machine); 0 for one never written.
    private func frameHash(_ mfn: UInt64) -> UInt64 { machine.frameHash(mfn) ?? 0 }
}
