import Foundation
import VMMCore

/// The door for outside input in record mode: every answer comes from the real source (the
/// host clock, the disk images, the injections and console input asked for, the chaos generator) and is logged
/// to the trace before the machine sees it.
public final class Recorder: ExternalInputs {
    let writer: TraceWriter
    let blobs: BlobStore
    var chaos: ChaosSource?
    let standard = StandardInputs()
    /// The first error writing the trace; the recording stops at the next check.
    public private(set) var failure: Error?
    /// The host clock, replaceable in tests.
    var hostClock: () -> WallClock = {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return WallClock(seconds: UInt64(ts.tv_sec), nanoseconds: UInt32(ts.tv_nsec))
    }

    init(writer: TraceWriter, blobs: BlobStore, chaosSeed: UInt64?) {
        self.writer = writer
        self.blobs = blobs
        self.chaos = chaosSeed.map { ChaosSource(seed: $0) }
    }

    /// Delivers `request` at the first round boundary once `instructions` have retired.
    public func schedule(_ request: PlatformEventRequest, atInstruction instructions: UInt64) {
        standard.schedule(request, atInstruction: instructions)
    }

    /// Delivers console input at the first round boundary once `instructions` have retired.
    public func schedule(_ request: ConsoleInputRequest, atInstruction instructions: UInt64) {
        standard.schedule(request, atInstruction: instructions)
    }

    func log(_ event: TraceEvent) {
        guard failure == nil else { return }
        do { try writer.append(event) } catch { failure = error }
    }

    public func wallClock(at point: InputPoint) -> WallClock {
        let clock = hostClock()
        log(.wallClock(point, clock))
        return clock
    }

    public func diskRead(_ device: BlockDevice, sector: UInt64, count: Int, at point: InputPoint,
                         hostRead: () -> [UInt8]?) -> [UInt8]? {
        let bytes = hostRead()
        var hash: [UInt8]?
        if let bytes {
            do { hash = try blobs.put(bytes) } catch { failure = failure ?? error }
        }
        log(.diskRead(point, device: device.index, sector: sector, count: count, contentHash: hash))
        return bytes
    }

    public func platformEvents(at point: InputPoint) -> [PlatformEventRequest] {
        let due = standard.platformEvents(at: point)
        for r in due { log(.platformEvent(point, r)) }
        return due
    }

    public func consoleInput(at point: InputPoint) -> [ConsoleInputRequest] {
        let due = standard.consoleInput(at: point)
        for r in due { log(.consoleInput(point, r)) }
        return due
    }

    public func quantum(at point: InputPoint, standard q: UInt64) -> UInt64 {
        guard chaos != nil else { return q }
        let value = chaos!.quantum(standard: q)
        log(.quantum(point, value))
        return value
    }

    public func blockLatency(at point: InputPoint, standard l: UInt64) -> UInt64 {
        guard chaos != nil else { return l }
        let value = chaos!.latency(standard: l)
        log(.blockLatency(point, value))
        return value
    }
}
