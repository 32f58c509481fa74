/// The one door through which anything that does not follow from the machine's own state
/// enters it. The hypervisor asks it, and nothing else, for: the wall clock, disk contents,
/// platform events (MCA/INIT) and console input to deliver, and the scheduling and I/O timing choices that
/// chaos mode perturbs. Replay implements it twice: a recorder that takes each answer from
/// the real source and logs it, and a replayer that gives back the logged answers at the
/// same points. `StandardInputs` answers without recording, for `xdbg boot` and tests.
///
/// Virtual time itself is not an input: ar.itc advances one tick per retired instruction
/// and the scheduler runs on instruction counts, so every ITC read follows from the state.
/// Each question carries the point it is asked at, so a replayer can check that the replay
/// asks the same questions at the same points as the recording did.
public protocol ExternalInputs: AnyObject {
    /// The wall-clock time given to a domain being built (shared_info wc_sec/wc_nsec).
    func wallClock(at point: InputPoint) -> WallClock
    /// The bytes of `count` sectors of `device` from `sector`; `hostRead` reads the image.
    /// nil: the read failed (the guest sees an I/O error).
    func diskRead(_ device: BlockDevice, sector: UInt64, count: Int, at point: InputPoint,
                  hostRead: () -> [UInt8]?) -> [UInt8]?
    /// Platform events to deliver now; asked at every scheduling-round boundary.
    func platformEvents(at point: InputPoint) -> [PlatformEventRequest]
    /// Console input (keystrokes) to deliver now; asked at every scheduling-round boundary,
    /// right after `platformEvents`.
    func consoleInput(at point: InputPoint) -> [ConsoleInputRequest]
    /// How many instructions the vCPU about to run gets; `standard` without chaos.
    func quantum(at point: InputPoint, standard: UInt64) -> UInt64
    /// The virtual-time latency of a block request; `standard` without chaos.
    func blockLatency(at point: InputPoint, standard: UInt64) -> UInt64
}

/// Where in the run a question is asked: instructions retired by the whole machine so far,
/// and the domain and vCPU concerned (-1 when none).
public struct InputPoint: Equatable, Sendable, CustomStringConvertible {
    public var instructions: UInt64
    public var domain: Int
    public var vcpu: Int

    public init(instructions: UInt64, domain: Int = -1, vcpu: Int = -1) {
        self.instructions = instructions
        self.domain = domain
        self.vcpu = vcpu
    }

    public var description: String {
        var s = "instruction \(instructions)"
        if domain >= 0 { s += ", domain \(domain)" }
        if vcpu >= 0 { s += " vcpu \(vcpu)" }
        return s
    }
}

public struct WallClock: Equatable, Sendable {
    public var seconds: UInt64
    public var nanoseconds: UInt32
    public init(seconds: UInt64, nanoseconds: UInt32) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }
}

/// A machine check or INIT for one vCPU.
public struct PlatformEventRequest: Equatable, Sendable {
    public var event: Hypervisor.PlatformEvent
    public var domain: Int
    public var vcpu: Int
    public init(event: Hypervisor.PlatformEvent, domain: Int, vcpu: Int) {
        self.event = event
        self.domain = domain
        self.vcpu = vcpu
    }
}

/// Bytes typed at one domain's console.
public struct ConsoleInputRequest: Equatable, Sendable {
    public var domain: Int
    public var bytes: [UInt8]
    public init(domain: Int, bytes: [UInt8]) {
        self.domain = domain
        self.bytes = bytes
    }
}

/// The inputs of a machine nobody records: a fixed wall clock (so two boots are identical),
/// disks read from their images, platform events and console input only as scheduled, no chaos.
public final class StandardInputs: ExternalInputs {
    /// 2026-01-01 00:00:00 UTC.
    public static let fixedWallClock = WallClock(seconds: 1_767_225_600, nanoseconds: 0)
    /// Events waiting for their instruction count, in order of it.
    private var scheduled: [(at: UInt64, request: PlatformEventRequest)] = []
    private var scheduledInput: [(at: UInt64, request: ConsoleInputRequest)] = []

    public init() {}

    /// Delivers `request` at the first round boundary once `instructions` have retired.
    public func schedule(_ request: PlatformEventRequest, atInstruction instructions: UInt64) {
        scheduled.append((instructions, request))
        scheduled.sort { $0.at < $1.at }  // stable: equal counts keep their order
    }

    /// Delivers console input at the first round boundary once `instructions` have retired.
    public func schedule(_ request: ConsoleInputRequest, atInstruction instructions: UInt64) {
        scheduledInput.append((instructions, request))
        scheduledInput.sort { $0.at < $1.at }  // stable: equal counts keep their order
    }

    public func wallClock(at point: InputPoint) -> WallClock { Self.fixedWallClock }

    public func diskRead(_ device: BlockDevice, sector: UInt64, count: Int, at point: InputPoint,
                         hostRead: () -> [UInt8]?) -> [UInt8]? {
        hostRead()
    }

    public func platformEvents(at point: InputPoint) -> [PlatformEventRequest] {
        var due: [PlatformEventRequest] = []
        while let next = scheduled.first, next.at <= point.instructions {
            scheduled.removeFirst()
            due.append(next.request)
        }
        return due
    }

    public func consoleInput(at point: InputPoint) -> [ConsoleInputRequest] {
        var due: [ConsoleInputRequest] = []
        while let next = scheduledInput.first, next.at <= point.instructions {
            scheduledInput.removeFirst()
            due.append(next.request)
        }
        return due
    }

    public func quantum(at point: InputPoint, standard: UInt64) -> UInt64 { standard }
    public func blockLatency(at point: InputPoint, standard: UInt64) -> UInt64 { standard }
}
