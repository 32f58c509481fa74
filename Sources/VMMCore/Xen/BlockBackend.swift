import Foundation

// Virtual block devices: the Xen split-driver protocol (blkfront in the guest, blkback here in
// the hypervisor instead of Dom0), with the ring layout of Xen 3.1's public/io/blkif.h and
// public/io/ring.h, and a device page that stands in for xenstore.
//
// ## Device discovery: the device page
//
// There is no xenstore. At domain build time the hypervisor does what the toolstack and
// blkback's probe did (create the device, write its size and mode, wait for the front end)
// in a "device page" at the xenstore page, guest-physical page start_info.store_mfn
// (total_pages - 2 for a DomU). All fields little-endian:
//
//     0x000 u32 magic 'XBLK' (0x4b4c4258)     0x004 u32 version (1)
//     0x008 u32 number of devices (≤ 16)      0x00c u32 size of a device entry (64)
//     0x040 + 64 × i: device i
//       +0x00 char[16] virtual device name, NUL-padded ("xvda")
//       +0x10 u64 size in 512-byte sectors
//       +0x18 u32 info: VDISK_CDROM 1, VDISK_REMOVABLE 2, VDISK_READONLY 4 (blkif.h)
//       +0x1c u32 sector size (512)
//       +0x20 u16 virtual device number (xvdX: 202 << 8 | X << 4), the blkif handle
//       +0x22 u16 back-end domain (0: blkback ran in Dom0; grants go to domid 0)
//       +0x24 u32 setup port: a port of the guest bound to the back end; an event on it
//                 makes the back end look at the front end's state
//       +0x28 u32 back-end state (XenbusState): 2 InitWait, 4 Connected, 5 Closing (the
//                 front end broke the ring protocol; the device no longer serves it)
//       +0x2c u32 front-end state: the front end writes 3 (Initialised) once ring-ref and
//                 event-channel are in place
//       +0x30 u32 ring-ref: grant reference of the shared ring page (granted to domain 0)
//       +0x34 u32 event-channel: the front end's port from EVTCHNOP_alloc_unbound with
//                 remote_dom 0; on connect the hypervisor binds it to the back end
//
// The front end: allocate and grant a ring page, allocate the port, write ring-ref and
// event-channel, then front-end state 3, and send an event on the setup port. The back end
// connects at once (synchronously, within that EVTCHNOP_send): it checks the ring grant and
// the port, binds the port, and writes back-end state 4. From then on an event on either
// port means "new requests"; responses are signalled on the front end's port.
//
// ## The shared ring (LP64, 16 KiB pages)
//
//     struct blkif_sring { u32 req_prod @0, req_event @4, rsp_prod @8, rsp_event @12;
//                          u8 pad[48] @16; union { request, response } ring[128] @64 }
//     Entries are 112 bytes (the size of the request); __RING_SIZE rounds
//     (16384 - 64) / 112 = 145 down to a power of two: 128 entries.
//     struct blkif_request (112 bytes) { u8 operation @0 (0 read, 1 write, 2 write barrier);
//         u8 nr_segments @1 (1…11); u16 handle @2; (pad @4); u64 id @8;
//         u64 sector_number @16; struct { u32 gref; u8 first_sect; u8 last_sect; (pad 2) }
//         seg[11] @24, 8 bytes each }
//     struct blkif_response (16 bytes) { u64 id @0; u8 operation @8; (pad @9);
//         i16 status @10 (0 okay, -1 BLKIF_RSP_ERROR, -2 BLKIF_RSP_EOPNOTSUPP); (pad @12) }
//
// Each segment is one granted 16 KiB frame, sectors first_sect…last_sect (≤ 31) of it. A disk
// read writes into the frames, so it needs writable grants; a read-only grant for a read is
// an error, as is a grant that is not GTF_permit_access for domain 0.
//
// ## Timing
//
// A request is checked when the back end takes it off the ring (on the notify), but its
// data moves and its response appears only when it completes, `latency(sectors)` ITC ticks
// of virtual time later: `baseLatency` + `latencyPerSector` × sectors (20 000 + 100 × n; an
// invalid request takes the base latency). Completions are delivered at scheduling-round
// boundaries once virtual time has reached them (so a response is never early, and at most
// a quantum late); when every vCPU is idle, time skips ahead to the next completion.
// Completions due together are delivered in submission order.
//
// ## Writes: an in-memory overlay
//
// The host image is opened read-only and never written, whatever the mode says: sectors a
// guest writes go to an overlay in memory (per device, lost when the hypervisor goes away),
// and later reads see them. A session therefore starts from the same disk contents every
// time, and repeats. A disk whose spec says read-only ('r') refuses writes with
// BLKIF_RSP_ERROR.

/// One virtual block device of a domain: the host image, the overlay, the ring connection.
public final class BlockDevice {
    public static let sectorSize = 512
    /// Virtual-time cost of a request.
    public static let baseLatency: UInt64 = 20_000
    public static let latencyPerSector: UInt64 = 100
    public static func latency(sectors: UInt64) -> UInt64 { baseLatency + latencyPerSector * sectors }

    public let index: Int
    public let spec: DiskSpec
    public let sectors: UInt64
    public var readOnly: Bool { !spec.writable || spec.isCDROM }
    /// The image, opened read-only at build time. Read only through Hypervisor.readDiskBlock.
    let image: FileHandle
    /// Sectors written by the guest (sector → 512 bytes); the host file is never written.
    var overlay: [UInt64: [UInt8]] = [:]

    // Ring state (blkback's private indices).
    var connected = false
    /// The front end broke the protocol (bad indices): no more service.
    var broken = false
    var ringPhysical: UInt64 = 0
    var frontPort = 0
    var setupPort = 0
    var requestConsumer: UInt32 = 0
    var responseProducer: UInt32 = 0
    /// Requests taken off the ring and not yet answered.
    var inFlight = 0

    /// Statistics, for tests and the log.
    public internal(set) var requestsCompleted = 0
    public internal(set) var completionLog: [BlockCompletionRecord] = []

    init(index: Int, spec: DiskSpec, sectors: UInt64, image: FileHandle) {
        self.index = index
        self.spec = spec
        self.sectors = sectors
        self.image = image
    }

    deinit { try? image.close() }

    public var virtualDeviceNumber: UInt64 {
        let name = Array(spec.virtualDevice.utf8)
        if name.count >= 4, name.starts(with: Array("xvd".utf8)), let c = name.last, c >= 97, c <= 122 {
            return 202 << 8 | UInt64(c - 97) << 4
        }
        return 0
    }

    public var info: UInt64 { (spec.isCDROM ? 1 : 0) | (readOnly ? 4 : 0) }

    func digest(into h: inout StateHasher) {
        h.add(UInt64(index))
        h.add(connected ? 1 : 0)
        h.add(broken ? 1 : 0)
        h.add(ringPhysical)
        h.add(UInt64(frontPort))
        h.add(UInt64(requestConsumer))
        h.add(UInt64(responseProducer))
        for sector in overlay.keys.sorted() {
            h.add(sector)
            overlay[sector]!.withUnsafeBytes { h.add(bytes: $0) }
        }
    }
}

/// What happened to one request, for tests: when it was taken off the ring and answered.
public struct BlockCompletionRecord: Equatable, Sendable {
    public var id: UInt64
    public var operation: UInt8
    public var status: Int16
    public var sectors: UInt64
    public var submitted: UInt64
    public var due: UInt64
    public var delivered: UInt64
}

/// The layouts above, as offsets.
enum BlockIF {
    static let magic: UInt64 = 0x4b4c_4258  // "XBLK"
    static let version: UInt64 = 1
    static let maxDevices = 16
    static let deviceEntry: UInt64 = 0x40
    static let entrySize: UInt64 = 64
    enum Entry {
        static let name: UInt64 = 0x00, sectors: UInt64 = 0x10, info: UInt64 = 0x18, sectorSize: UInt64 = 0x1c
        static let vdev: UInt64 = 0x20, backendDomain: UInt64 = 0x22, setupPort: UInt64 = 0x24
        static let backendState: UInt64 = 0x28, frontendState: UInt64 = 0x2c
        static let ringRef: UInt64 = 0x30, eventChannel: UInt64 = 0x34
    }
    enum State { static let initWait: UInt64 = 2, initialised: UInt64 = 3, connected: UInt64 = 4, closing: UInt64 = 5 }

    // public/io/ring.h, LP64
    static let reqProd: UInt64 = 0, reqEvent: UInt64 = 4, rspProd: UInt64 = 8, rspEvent: UInt64 = 12
    static let ringHeader: UInt64 = 64
    static let entryBytes: UInt64 = 112
    static let ringSize: UInt32 = 128
    static func slot(_ index: UInt32) -> UInt64 { ringHeader + UInt64(index % ringSize) * entryBytes }

    // public/io/blkif.h
    static let opRead: UInt8 = 0, opWrite: UInt8 = 1, opWriteBarrier: UInt8 = 2
    static let maxSegments = 11
    static let sectorsPerPage = UInt64(XenABI.pageSize) / 512
    static let statusOkay: Int16 = 0, statusError: Int16 = -1, statusNotSupported: Int16 = -2
}

/// A request taken off a ring, checked, waiting for its completion time.
struct PendingBlockCompletion {
    struct Segment { var physical: UInt64; var sectors: UInt64 }
    var due: UInt64
    var sequence: UInt64
    var domain: Int
    var device: Int
    var id: UInt64
    var operation: UInt8
    /// nil: do the transfer at completion; otherwise the (error) status to answer.
    var failure: Int16?
    var sector: UInt64
    var segments: [Segment]
    var submitted: UInt64
    var sectorCount: UInt64 { segments.reduce(0) { $0 + $1.sectors } }
}
