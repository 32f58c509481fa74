import Foundation

/// blkback inside the hypervisor (see BlockBackend.swift for the protocol, the device page,
/// the timing and the write overlay): devices made at domain build time, the connection,
/// taking requests off the ring, and delivering their completions in virtual time.
extension Hypervisor {
    // MARK: - Build time

    /// Opens every disk image of `setup` (read-only, always: writes go to the overlay) and
    /// sizes it. Errors name the domain and the image.
    func openDisks(_ setup: DomainSetup, domainID: Int) throws -> [BlockDevice] {
        guard !setup.disks.isEmpty else { return [] }
        guard domainID != 0 else {
            throw DomainBuildError("domain \(setup.name): disks are for DomUs (Dom0 has no block front end here)")
        }
        guard setup.disks.count <= BlockIF.maxDevices else {
            throw DomainBuildError("domain \(setup.name): \(setup.disks.count) disks, at most \(BlockIF.maxDevices)")
        }
        var devices: [BlockDevice] = []
        for (i, spec) in setup.disks.enumerated() {
            let what = "domain \(setup.name): disk \(spec.virtualDevice)"
            guard spec.virtualDevice.utf8.count < 16 else { throw DomainBuildError("\(what): device name too long") }
            if devices.contains(where: { $0.spec.virtualDevice == spec.virtualDevice }) {
                throw DomainBuildError("\(what): virtual device used twice")
            }
            if spec.backendKind == .phy {
                throw DomainBuildError("\(what): phy:\(spec.path) is not supported (a host device would make the session unrepeatable); use a file: image")
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: spec.path, isDirectory: &isDirectory) else {
                throw DomainBuildError("\(what): image \(spec.path) does not exist")
            }
            guard !isDirectory.boolValue else { throw DomainBuildError("\(what): image \(spec.path) is a directory") }
            guard let handle = FileHandle(forReadingAtPath: spec.path) else {
                throw DomainBuildError("\(what): cannot open image \(spec.path) for reading")
            }
            let size: UInt64
            do { size = try handle.seekToEnd() } catch {
                throw DomainBuildError("\(what): cannot read image \(spec.path): \(error.localizedDescription)")
            }
            let sectors = size / UInt64(BlockDevice.sectorSize)
            guard sectors > 0 else {
                throw DomainBuildError("\(what): image \(spec.path) is smaller than one sector (\(size) bytes)")
            }
            devices.append(BlockDevice(index: i, spec: spec, sectors: sectors, image: handle))
        }
        return devices
    }

    /// Writes the device page and binds each device's setup port, as the toolstack and
    /// blkback's probe would (back-end state InitWait).
    func installBlockDevices(_ devices: [BlockDevice], in d: Domain, devicePage page: UInt64) throws {
        d.blockDevices = devices
        guard !devices.isEmpty else { return }
        let m = d.memory
        m.setU32(page + 0x0, BlockIF.magic)
        m.setU32(page + 0x4, BlockIF.version)
        m.setU32(page + 0x8, UInt64(devices.count))
        m.setU32(page + 0xc, BlockIF.entrySize)
        for dev in devices {
            let e = page + BlockIF.deviceEntry + UInt64(dev.index) * BlockIF.entrySize
            var name = Array(dev.spec.virtualDevice.utf8)
            name += [UInt8](repeating: 0, count: 16 - name.count)
            m.setBytes(at: e + BlockIF.Entry.name, name)
            m.setU64(e + BlockIF.Entry.sectors, dev.sectors)
            m.setU32(e + BlockIF.Entry.info, dev.info)
            m.setU32(e + BlockIF.Entry.sectorSize, UInt64(BlockDevice.sectorSize))
            m.setU16(e + BlockIF.Entry.vdev, dev.virtualDeviceNumber)
            m.setU16(e + BlockIF.Entry.backendDomain, 0)
            guard let port = d.eventChannels.freePort() else {
                throw DomainBuildError("domain \(d.name): no free event channel for disk \(dev.spec.virtualDevice)")
            }
            d.eventChannels[port] = .init(binding: .backend(.block(dev.index)), vcpu: 0)
            dev.setupPort = port
            m.setU32(e + BlockIF.Entry.setupPort, UInt64(port))
            m.setU32(e + BlockIF.Entry.backendState, BlockIF.State.initWait)
        }
    }

    func devicePageEntry(_ d: Domain, _ dev: BlockDevice) -> UInt64? {
        guard d.devicePagePhysical != 0 else { return nil }
        return d.devicePagePhysical + BlockIF.deviceEntry + UInt64(dev.index) * BlockIF.entrySize
    }

    // MARK: - Host input

    /// THE one place where disk contents come from the host: `count` sectors of the image
    /// from `sector` (nil when the host read fails). Everything the guest reads from a disk
    /// passes through here, after which the overlay of sectors the guest wrote applies.
    /// The read itself goes through the door for outside input (`inputs`): a recording logs
    /// what it returns, a replay feeds that back instead of touching the file.
    func readDiskBlock(device: BlockDevice, of domainID: Int, sector: UInt64, count: Int) -> [UInt8]? {
        let size = BlockDevice.sectorSize
        guard sector < device.sectors, UInt64(count) <= device.sectors - sector else { return nil }
        let point = InputPoint(instructions: retiredInstructions, domain: domainID)
        let bytes = inputs.diskRead(device, sector: sector, count: count, at: point) {
            Self.readImage(device, sector: sector, count: count)
        }
        return bytes?.count == count * size ? bytes : nil
    }

    private static func readImage(_ device: BlockDevice, sector: UInt64, count: Int) -> [UInt8]? {
        let size = BlockDevice.sectorSize
        do {
            try device.image.seek(toOffset: sector * UInt64(size))
            let data = try device.image.read(upToCount: count * size) ?? Data()
            guard data.count == count * size else { return nil }  // the image shrank under us
            return [UInt8](data)
        } catch {
            return nil
        }
    }

    /// Disk contents as the guest sees them: the image with the overlay on top.
    func diskContents(_ device: BlockDevice, of domainID: Int, sector: UInt64, count: Int) -> [UInt8]? {
        let size = BlockDevice.sectorSize
        let allOverlaid = (0..<UInt64(count)).allSatisfy { device.overlay[sector + $0] != nil }
        var bytes: [UInt8]
        if allOverlaid {
            bytes = [UInt8](repeating: 0, count: count * size)
        } else {
            guard let read = readDiskBlock(device: device, of: domainID, sector: sector, count: count) else { return nil }
            bytes = read
        }
        for k in 0..<count {
            if let s = device.overlay[sector + UInt64(k)] { bytes.replaceSubrange(k * size..<(k + 1) * size, with: s) }
        }
        return bytes
    }

    // MARK: - Events from the front end

    /// The current virtual time: the running vCPU's ITC inside a quantum, else `now`.
    var currentTime: UInt64 { runningVCPU.map { max(now, $0.cpu.intervalTimeCounter) } ?? now }

    /// An event on one of a device's ports: connect if the front end is ready, then take
    /// whatever requests it produced.
    func serviceBlock(_ n: Int, of d: Domain) {
        guard n >= 0, n < d.blockDevices.count else { return }
        let dev = d.blockDevices[n]
        if !dev.connected { connectBlock(dev, of: d) }
        if dev.connected { consumeBlockRequests(dev, of: d) }
    }

    func connectBlock(_ dev: BlockDevice, of d: Domain) {
        guard let e = devicePageEntry(d, dev), !dev.broken,
              d.memory.u32(e + BlockIF.Entry.frontendState) == BlockIF.State.initialised else { return }
        let name = "domain \(d.id) \(dev.spec.virtualDevice)"
        let ref = d.memory.u32(e + BlockIF.Entry.ringRef) ?? 0, port = d.memory.u32(e + BlockIF.Entry.eventChannel) ?? 0
        guard case .success(let ring) = grantedFrame(d, reference: ref, granteeID: 0, write: true) else {
            printk("blkback: \(name): ring-ref \(ref) is not a writable grant to domain 0; not connected")
            return
        }
        guard d.eventChannels.isValid(port), d.eventChannels[Int(port)].binding == .unbound(remoteDomain: 0) else {
            printk("blkback: \(name): event-channel \(port) is not an unbound port for domain 0; not connected")
            return
        }
        d.eventChannels[Int(port)].binding = .backend(.block(dev.index))
        dev.frontPort = Int(port)
        dev.ringPhysical = ring
        dev.requestConsumer = UInt32(truncatingIfNeeded: d.memory.u32(ring + BlockIF.reqProd) ?? 0)
        dev.responseProducer = UInt32(truncatingIfNeeded: d.memory.u32(ring + BlockIF.rspProd) ?? 0)
        dev.connected = true
        d.memory.setU32(e + BlockIF.Entry.backendState, BlockIF.State.connected)
        printk("blkback: \(name): connected, \(dev.sectors) sectors\(dev.readOnly ? " read-only" : ""), ring-ref \(ref), event-channel \(port)")
    }

    /// Marks the device dead for a front end that broke the ring protocol.
    func breakBlock(_ dev: BlockDevice, of d: Domain, _ why: String) {
        printk("blkback: domain \(d.id) \(dev.spec.virtualDevice): \(why); device closed")
        dev.broken = true
        dev.connected = false
        if let e = devicePageEntry(d, dev) { d.memory.setU32(e + BlockIF.Entry.backendState, BlockIF.State.closing) }
    }

    /// Takes requests off the ring (as many as are produced and fit with those in flight),
    /// checks each and queues its completion.
    func consumeBlockRequests(_ dev: BlockDevice, of d: Domain) {
        guard dev.connected, !dev.broken else { return }
        let ring = dev.ringPhysical
        guard let prodRaw = d.memory.u32(ring + BlockIF.reqProd) else { return breakBlock(dev, of: d, "ring page gone") }
        let producer = UInt32(truncatingIfNeeded: prodRaw)
        if producer &- dev.requestConsumer > BlockIF.ringSize {
            return breakBlock(dev, of: d, "req_prod \(producer) is more than a ring ahead of req_cons \(dev.requestConsumer)")
        }
        let time = currentTime
        while dev.requestConsumer != producer && dev.inFlight < Int(BlockIF.ringSize) {
            let at = ring + BlockIF.slot(dev.requestConsumer)
            guard let raw = d.memory.bytes(at: at, count: Int(BlockIF.entryBytes)) else {
                return breakBlock(dev, of: d, "ring page gone")
            }
            dev.requestConsumer &+= 1
            var c = checkBlockRequest(raw, dev, of: d)
            c.submitted = time
            let standard = BlockDevice.latency(sectors: c.failure == nil ? c.sectorCount : 0)
            c.due = time + inputs.blockLatency(at: InputPoint(instructions: retiredInstructions, domain: d.id), standard: standard)
            c.sequence = blockSequence
            blockSequence += 1
            dev.inFlight += 1
            blockCompletions.append(c)
        }
        // RING_FINAL_CHECK_FOR_REQUESTS: ask for an event on the next request.
        d.memory.setU32(ring + BlockIF.reqEvent, UInt64(dev.requestConsumer &+ 1))
    }

    /// Decodes and checks one blkif_request: operation, segments, grants, range, mode.
    func checkBlockRequest(_ raw: [UInt8], _ dev: BlockDevice, of d: Domain) -> PendingBlockCompletion {
        let op = UInt8(raw.le(0, 1)), count = Int(raw.le(1, 1))
        var c = PendingBlockCompletion(due: 0, sequence: 0, domain: d.id, device: dev.index, id: raw.le(8, 8),
                                       operation: op, failure: nil, sector: raw.le(16, 8), segments: [], submitted: 0)
        func fail(_ status: Int16 = BlockIF.statusError) -> PendingBlockCompletion {
            c.failure = status
            c.segments = []
            return c
        }
        switch op {
        case BlockIF.opRead, BlockIF.opWrite: break
        case BlockIF.opWriteBarrier: return fail(BlockIF.statusNotSupported)  // feature-barrier not offered
        default: return fail()
        }
        guard count >= 1, count <= BlockIF.maxSegments else { return fail() }
        if op == BlockIF.opWrite && dev.readOnly { return fail() }
        var total: UInt64 = 0
        for k in 0..<count {
            let base = 24 + 8 * k
            let gref = raw.le(base, 4), first = raw.le(base + 4, 1), last = raw.le(base + 5, 1)
            guard first <= last, last < BlockIF.sectorsPerPage else { return fail() }
            // A read fills the frame: it must be granted writable.
            guard case .success(let frame) = grantedFrame(d, reference: gref, granteeID: 0, write: op == BlockIF.opRead) else {
                return fail()
            }
            let n = last - first + 1
            c.segments.append(.init(physical: frame + first * UInt64(BlockDevice.sectorSize), sectors: n))
            total += n
        }
        guard c.sector < dev.sectors, total <= dev.sectors - c.sector else { return fail() }
        return c
    }

    // MARK: - Completions

    func nextBlockCompletion() -> UInt64? { blockCompletions.map(\.due).min() }

    /// Delivers every completion due by `now`, in (due time, submission) order: moves the
    /// data, writes the response, pushes rsp_prod and notifies the front end if it asked.
    func deliverBlockCompletions() {
        guard blockCompletions.contains(where: { $0.due <= now }) else { return }
        let due = blockCompletions.filter { $0.due <= now }.sorted { ($0.due, $0.sequence) < ($1.due, $1.sequence) }
        blockCompletions.removeAll { $0.due <= now }
        var touched: [(Domain, BlockDevice)] = []
        for c in due {
            guard let d = domain(c.domain), d.life == .running || d.life == .paused, c.device < d.blockDevices.count else { continue }
            let dev = d.blockDevices[c.device]
            dev.inFlight -= 1
            guard dev.connected, !dev.broken else { continue }
            let status = c.failure ?? performBlockTransfer(c, dev, of: d)
            respond(dev, of: d, id: c.id, operation: c.operation, status: status)
            dev.requestsCompleted += 1
            dev.completionLog.append(.init(id: c.id, operation: c.operation, status: status, sectors: c.failure == nil ? c.sectorCount : 0,
                                           submitted: c.submitted, due: c.due, delivered: now))
            if !touched.contains(where: { $0.1 === dev }) { touched.append((d, dev)) }
        }
        // Slots freed: take requests that did not fit before.
        for (d, dev) in touched { consumeBlockRequests(dev, of: d) }
    }

    func performBlockTransfer(_ c: PendingBlockCompletion, _ dev: BlockDevice, of d: Domain) -> Int16 {
        let size = BlockDevice.sectorSize
        if c.operation == BlockIF.opRead {
            guard let data = diskContents(dev, of: c.domain, sector: c.sector, count: Int(c.sectorCount)) else { return BlockIF.statusError }
            // Check every destination first, so a failing request writes nothing.
            for s in c.segments where d.memory.bytes(at: s.physical, count: 1) == nil { return BlockIF.statusError }
            var offset = 0
            for s in c.segments {
                let n = Int(s.sectors) * size
                guard d.memory.setBytes(at: s.physical, Array(data[offset..<offset + n])) else { return BlockIF.statusError }
                offset += n
            }
        } else {
            var data: [UInt8] = []
            for s in c.segments {
                guard let bytes = d.memory.bytes(at: s.physical, count: Int(s.sectors) * size) else { return BlockIF.statusError }
                data += bytes
            }
            for k in 0..<Int(c.sectorCount) {
                dev.overlay[c.sector + UInt64(k)] = Array(data[k * size..<(k + 1) * size])
            }
        }
        return BlockIF.statusOkay
    }

    /// Writes a blkif_response and pushes it (RING_PUSH_RESPONSES_AND_CHECK_NOTIFY).
    func respond(_ dev: BlockDevice, of d: Domain, id: UInt64, operation: UInt8, status: Int16) {
        let ring = dev.ringPhysical
        let at = ring + BlockIF.slot(dev.responseProducer)
        var r = [UInt8](repeating: 0, count: 16)
        r.setLE(0, 8, id)
        r.setLE(8, 1, UInt64(operation))
        r.setLE(10, 2, UInt64(UInt16(bitPattern: status)))
        guard d.memory.setBytes(at: at, r) else { return breakBlock(dev, of: d, "ring page gone") }
        let old = dev.responseProducer
        dev.responseProducer &+= 1
        let new = dev.responseProducer
        d.memory.setU32(ring + BlockIF.rspProd, UInt64(new))
        let event = UInt32(truncatingIfNeeded: d.memory.u32(ring + BlockIF.rspEvent) ?? 0)
        if new &- event < new &- old { setPending(d, port: dev.frontPort) }
    }

    /// The state of the block layer for machine hashes.
    func digestBlock(into h: inout StateHasher) {
        for c in blockCompletions.sorted(by: { $0.sequence < $1.sequence }) {
            h.add(c.due)
            h.add(c.sequence)
            h.add(UInt64(c.domain))
            h.add(c.id)
            h.add(UInt64(UInt16(bitPattern: c.failure ?? 0)))
        }
    }
}
