import VMMCore

/// One logged input or check, in the order the machine asked for it.
public enum TraceEvent: Equatable, Sendable {
    case wallClock(InputPoint, WallClock)
    /// The sectors' contents by content hash (in the blob store); nil hash: the read failed.
    case diskRead(InputPoint, device: Int, sector: UInt64, count: Int, contentHash: [UInt8]?)
    case platformEvent(InputPoint, PlatformEventRequest)
    case quantum(InputPoint, UInt64)
    case blockLatency(InputPoint, UInt64)
    case stateCheck(StateCheck)
    /// Console input delivered at a round boundary (kind 7: traces without any read as before).
    case consoleInput(InputPoint, ConsoleInputRequest)

    public enum Kind: UInt8, CaseIterable, Sendable {
        case wallClock = 1, diskRead, platformEvent, quantum, blockLatency, stateCheck, consoleInput

        public var name: String {
            switch self {
            case .wallClock: "wall clock"
            case .diskRead: "disk read"
            case .platformEvent: "MCA/INIT"
            case .quantum: "chaos quantum"
            case .blockLatency: "chaos I/O latency"
            case .stateCheck: "state check"
            case .consoleInput: "console input"
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .wallClock: .wallClock
        case .diskRead: .diskRead
        case .platformEvent: .platformEvent
        case .quantum: .quantum
        case .blockLatency: .blockLatency
        case .stateCheck: .stateCheck
        case .consoleInput: .consoleInput
        }
    }

    public var instructions: UInt64 {
        switch self {
        case .wallClock(let p, _), .diskRead(let p, _, _, _, _), .platformEvent(let p, _), .quantum(let p, _),
             .blockLatency(let p, _), .consoleInput(let p, _):
            p.instructions
        case .stateCheck(let c): c.instructions
        }
    }

    /// Positions are deltas from the previous event's (`base`), so most take a byte or two.
    func encode(into w: inout ByteWriter, base: UInt64) {
        w.u8(kind.rawValue)
        w.varint(instructions - base)
        func point(_ p: InputPoint) {
            w.zigzag(Int64(p.domain))
            w.zigzag(Int64(p.vcpu))
        }
        switch self {
        case .wallClock(let p, let c):
            point(p)
            w.varint(c.seconds)
            w.varint(UInt64(c.nanoseconds))
        case .diskRead(let p, let device, let sector, let count, let hash):
            point(p)
            w.varint(UInt64(device))
            w.varint(sector)
            w.varint(UInt64(count))
            w.bool(hash != nil)
            if let hash { w.raw(hash) }
        case .platformEvent(let p, let r):
            point(p)
            w.u8(r.event == .machineCheck ? 0 : 1)
            w.varint(UInt64(r.domain))
            w.varint(UInt64(r.vcpu))
        case .quantum(let p, let q), .blockLatency(let p, let q):
            point(p)
            w.varint(q)
        case .stateCheck(let c):
            c.encode(into: &w)
        case .consoleInput(let p, let r):
            point(p)
            w.varint(UInt64(r.domain))
            w.varint(UInt64(r.bytes.count))
            w.raw(r.bytes)
        }
    }

    static func decode(from r: inout ByteReader, base: UInt64) throws -> TraceEvent {
        let at = r.fileOffset
        guard let kind = Kind(rawValue: try r.u8()) else { throw TraceError.damaged(offset: at, "unknown event kind") }
        let (instructions, overflow) = base.addingReportingOverflow(try r.varint())
        guard !overflow else { throw r.fail("event position overflows") }
        func point() throws -> InputPoint {
            InputPoint(instructions: instructions, domain: Int(try r.zigzag()), vcpu: Int(try r.zigzag()))
        }
        switch kind {
        case .wallClock:
            let p = try point()
            let s = try r.varint(), ns = try r.varint()
            guard ns < 1_000_000_000 else { throw r.fail("bad wall clock") }
            return .wallClock(p, WallClock(seconds: s, nanoseconds: UInt32(ns)))
        case .diskRead:
            let p = try point()
            let device = try r.count(limit: 255), sector = try r.varint(), count = try r.count(limit: 1 << 20)
            let hash: [UInt8]? = try r.bool() ? try r.raw(32) : nil
            return .diskRead(p, device: device, sector: sector, count: count, contentHash: hash)
        case .platformEvent:
            let p = try point()
            let e = try r.u8()
            guard e <= 1 else { throw r.fail("bad platform event") }
            return .platformEvent(p, PlatformEventRequest(event: e == 0 ? .machineCheck : .initSignal,
                                                          domain: try r.count(limit: 255), vcpu: try r.count(limit: 63)))
        case .quantum:
            return .quantum(try point(), try r.varint())
        case .blockLatency:
            return .blockLatency(try point(), try r.varint())
        case .stateCheck:
            return .stateCheck(try StateCheck.decode(from: &r, instructions: instructions))
        case .consoleInput:
            let p = try point()
            let domain = try r.count(limit: 0x7fef)
            let count = try r.count(limit: 1 << 20)
            return .consoleInput(p, ConsoleInputRequest(domain: domain, bytes: try r.raw(count)))
        }
    }
}
