/// One gdb connection's protocol state and command handling, independent of the transport:
/// it takes decoded packet payloads and says what to send back. The server owns the bytes.
public final class GDBSession {
    /// What the transport should do after a packet.
    public enum Outcome: Equatable {
        case reply(String)
        /// A binary reply (qXfer data); framed with escapes like any other.
        case replyBytes([UInt8])
        /// Reply, then close the connection (`D`).
        case replyAndClose(String)
        /// Close without a reply (`k`).
        case close
    }

    public let target: DebugTarget
    public let log: (String) -> Void
    /// Set after `QStartNoAckMode` has been answered.
    public private(set) var noAckMode = false
    /// Polled while the target runs; the server points it at the connection (Ctrl-C).
    public var interruptCheck: () -> Bool = { false }
    /// Thread for `g`/`p`/`m`… (`Hg`) and for `s`/`c`/`bs`/`bc` (`Hc`); 0 or -1 mean any.
    var generalThread = 0
    var continueThread = -1
    var lastStop: StopEvent?

    /// Names the architecture only: a tdesc cannot change ia64's register layout (§1).
    static let targetXML = """
        <?xml version="1.0"?>
        <!DOCTYPE target SYSTEM "gdb-target.dtd">
        <target><architecture>ia64</architecture></target>
        """

    public init(target: DebugTarget, log: @escaping (String) -> Void = { _ in }) {
        self.target = target
        self.log = log
    }

    /// Called once `QStartNoAckMode`'s OK is on its way.
    func enterNoAckMode() { noAckMode = true }

    var defaultThread: Int { target.threads.first?.id ?? 1 }

    func thread(_ selected: Int) -> Int {
        selected > 0 ? selected : (lastStop?.thread ?? defaultThread)
    }

    public func handle(_ payload: [UInt8]) -> Outcome {
        let text = String(decoding: payload, as: UTF8.self)
        do {
            return try dispatch(text, payload)
        } catch let error as DebugTargetError {
            log("gdb: \(text.prefix(40)): \(error)")
            switch error {
            case .unsupported: return .reply("E01")
            case .noSuchThread: return .reply("E02")
            case .badAddress: return .reply("E03")
            case .invalidValue: return .reply("E04")
            }
        } catch {
            log("gdb: \(text.prefix(40)): \(error)")
            return .reply("E05")
        }
    }

    struct Malformed: Error, CustomStringConvertible { let description: String }

    func dispatch(_ text: String, _ payload: [UInt8]) throws -> Outcome {
        guard let first = text.first else { return .reply("") }
        let rest = text.dropFirst()
        switch first {
        case "q", "Q": return try query(text)
        case "v": return try vPacket(text)
        case "?":
            let stop = lastStop ?? target.currentStop
            lastStop = stop
            return .reply(try stopReply(stop))
        case "H":
            guard let op = rest.first, let id = Self.threadID(rest.dropFirst()) else { throw Malformed(description: "bad H packet") }
            if id > 0 && !target.threads.contains(where: { $0.id == id }) { throw DebugTargetError.noSuchThread(id) }
            if op == "g" { generalThread = id } else { continueThread = id }
            return .reply("OK")
        case "T":
            guard let id = Self.threadID(rest) else { throw Malformed(description: "bad T packet") }
            return .reply(target.threads.contains { $0.id == id } ? "OK" : "E01")
        case "g":
            return .reply(Hex.encode(try target.readRegisters(thread: thread(generalThread)).encoded()))
        case "G":
            guard let bytes = Hex.decode(rest), let file = IA64RegisterFile(encoded: bytes) else {
                throw Malformed(description: "G packet of \(rest.count) hex digits, expected \(2 * IA64RegisterLayout.packetSize)")
            }
            try target.writeRegisters(file, thread: thread(generalThread))
            return .reply("OK")
        case "p":
            guard let n = Hex.number(rest), let bytes = try target.readRegisters(thread: thread(generalThread)).bytes(of: Int(n)) else {
                throw Malformed(description: "bad register number")
            }
            return .reply(Hex.encode(bytes))
        case "P":
            let parts = rest.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let n = Hex.number(parts[0]), let bytes = Hex.decode(parts[1]) else {
                throw Malformed(description: "bad P packet")
            }
            var file = try target.readRegisters(thread: thread(generalThread))
            guard file.set(Int(n), bytes: bytes) else { throw Malformed(description: "bad register \(n) or size") }
            try target.writeRegisters(file, thread: thread(generalThread))
            return .reply("OK")
        case "m":
            let (address, length) = try Self.addressLength(rest)
            let bytes = try target.readMemory(thread: thread(generalThread), address: address,
                                              count: min(Int(length), RSPPacket.maximumPayload / 2))
            return .reply(Hex.encode(bytes))
        case "M":
            let parts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let (address, length) = try Self.addressLength(parts[0])
            guard parts.count == 2, let bytes = Hex.decode(parts[1]), bytes.count == length else { throw Malformed(description: "bad M packet") }
            try target.writeMemory(thread: thread(generalThread), address: address, bytes: bytes)
            return .reply("OK")
        case "X":
            // Binary data: split the raw payload at the first colon.
            guard let colon = payload.firstIndex(of: 0x3a) else { throw Malformed(description: "bad X packet") }
            let (address, length) = try Self.addressLength(String(decoding: payload[1..<colon], as: UTF8.self).dropFirst(0))
            let data = Array(payload[(colon + 1)...])
            guard data.count == length else { throw Malformed(description: "X packet length \(length) but \(data.count) bytes") }
            if length > 0 { try target.writeMemory(thread: thread(generalThread), address: address, bytes: data) }
            return .reply("OK")
        case "Z", "z":
            return try breakpointPacket(insert: first == "Z", rest)
        case "c", "s":
            return try resume(first == "s" ? .step(.forward) : .continue(.forward),
                              thread: continueThread > 0 ? continueThread : nil)
        case "b":
            guard rest == "s" || rest == "c" else { return .reply("") }
            guard target.supportsReverse else { return .reply("E01") }
            return try resume(rest == "s" ? .step(.backward) : .continue(.backward),
                              thread: continueThread > 0 ? continueThread : nil)
        case "D": return .replyAndClose("OK")
        case "k": return .close
        default: return .reply("")
        }
    }

    func query(_ text: String) throws -> Outcome {
        if text.hasPrefix("qSupported") {
            var features = ["PacketSize=\(String(RSPPacket.maximumPayload, radix: 16))", "QStartNoAckMode+", "swbreak+", "hwbreak+",
                            "qXfer:features:read+", "vContSupported+"]
            if target.supportsReverse { features += ["ReverseStep+", "ReverseContinue+"] }
            return .reply(features.joined(separator: ";"))
        }
        if text == "QStartNoAckMode" { return .reply("OK") }
        if text.hasPrefix("qXfer:features:read:") {
            // qXfer:features:read:ANNEX:OFFSET,LENGTH
            let fields = text.split(separator: ":")
            guard fields.count == 5 else { throw Malformed(description: "bad qXfer") }
            guard fields[3] == "target.xml" else { return .reply("E00") }
            let (offset, length) = try Self.addressLength(fields[4])
            let xml = Array(Self.targetXML.utf8)
            let start = min(Int(offset), xml.count), end = min(xml.count, start + Int(min(length, 0x4000)))
            return .replyBytes([end == xml.count ? UInt8(ascii: "l") : UInt8(ascii: "m")] + xml[start..<end])
        }
        switch text {
        case "qfThreadInfo": return .reply("m" + target.threads.map { String($0.id, radix: 16) }.joined(separator: ","))
        case "qsThreadInfo": return .reply("l")
        case "qAttached": return .reply("1")
        case "qC": return .reply("QC" + String(thread(generalThread), radix: 16))
        case "qSymbol::": return .reply("OK")
        default: break
        }
        if text.hasPrefix("qThreadExtraInfo,") {
            guard let id = Self.threadID(text.dropFirst("qThreadExtraInfo,".count)),
                  let t = target.threads.first(where: { $0.id == id }) else { throw DebugTargetError.noSuchThread(-1) }
            return .reply(Hex.encode(t.name.utf8))
        }
        if text.hasPrefix("qRcmd,") {
            guard let bytes = Hex.decode(text.dropFirst(6)) else { throw Malformed(description: "bad qRcmd") }
            let output = target.monitor(String(decoding: bytes, as: UTF8.self))
            return .reply(output.isEmpty ? "OK" : Hex.encode(output.utf8))
        }
        return .reply("")
    }

    func vPacket(_ text: String) throws -> Outcome {
        if text == "vCont?" { return .reply("vCont;c;C;s;S") }
        if text.hasPrefix("vCont;") {
            // The first action that names a thread for a step wins; otherwise continue.
            var stepThread: Int?
            var stepAny = false
            for action in text.dropFirst(6).split(separator: ";") {
                let parts = action.split(separator: ":", maxSplits: 1)
                guard let kind = parts.first?.first else { continue }
                let id = parts.count == 2 ? Self.threadID(parts[1]) : nil
                if kind == "s" || kind == "S" {
                    if let id, id > 0 { stepThread = stepThread ?? id } else { stepAny = true }
                }
            }
            if let stepThread { return try resume(.step(.forward), thread: stepThread) }
            if stepAny { return try resume(.step(.forward), thread: nil) }
            return try resume(.continue(.forward), thread: nil)
        }
        if text == "vMustReplyEmpty" { return .reply("") }
        if text.hasPrefix("vKill") { return .replyAndClose("OK") }
        return .reply("")
    }

    func breakpointPacket(insert: Bool, _ rest: Substring) throws -> Outcome {
        let fields = rest.split(separator: ",")
        guard fields.count >= 3, let type = Int(fields[0]), let address = Hex.number(fields[1]), let length = Hex.number(fields[2]) else {
            throw Malformed(description: "bad Z packet")
        }
        switch type {
        case 0, 1:
            let slot = Int(address & 0xf)
            guard slot <= 2 else { return .reply("E22") }
            let bp = SlotBreakpoint(bundle: address, slot: slot, hardware: type == 1)
            if insert { try target.insertBreakpoint(bp) } else { try target.removeBreakpoint(bp) }
        case 2, 3, 4:
            let kind: WatchKind = type == 2 ? .write : (type == 3 ? .read : .access)
            let w = Watchpoint(address: address, length: max(length, 1), kind: kind)
            if insert { try target.insertWatchpoint(w) } else { try target.removeWatchpoint(w) }
        default:
            return .reply("")
        }
        return .reply("OK")
    }

    func resume(_ action: ResumeAction, thread: Int?) throws -> Outcome {
        let stop = try target.resume(action, thread: thread, shouldStop: interruptCheck)
        lastStop = stop
        return .reply(try stopReply(stop))
    }

    /// `T` (with thread and expedited registers), `W` or `X` for a stop.
    public func stopReply(_ stop: StopEvent) throws -> String {
        var signal: UInt8 = 5
        var info = ""
        switch stop.reason {
        case .breakpoint(let bp): info = bp.hardware ? "hwbreak:;" : "swbreak:;"
        case .watchpoint(let w, let address): info = "\(w.kind.rawValue):\(String(address, radix: 16));"
        case .stepped: break
        case .historyBoundary(let begin): info = "replaylog:\(begin ? "begin" : "end");"
        case .exited(let code): return "W" + Hex.encode([code])
        case .crashed(let s, _): signal = s
        case .interrupted: signal = 2
        }
        // A stop for this thread makes it gdb's current one.
        generalThread = stop.thread
        var reply = "T" + Hex.encode([signal]) + info + "thread:\(String(stop.thread, radix: 16));"
        let registers = try target.readRegisters(thread: stop.thread)
        for r in IA64RegisterLayout.expedited {
            reply += String(r, radix: 16) + ":" + Hex.encode(registers.bytes(of: r)!) + ";"
        }
        return reply
    }

    static func threadID<S: StringProtocol>(_ text: S) -> Int? {
        if text == "-1" { return -1 }
        // Multiprocess form pPID.TID: take the thread.
        var t = Substring(text)
        if t.hasPrefix("p"), let dot = t.firstIndex(of: ".") { t = t[t.index(after: dot)...] }
        guard let v = Hex.number(t), v < UInt64(Int.max) else { return nil }
        return Int(v)
    }

    static func addressLength<S: StringProtocol>(_ text: S) throws -> (UInt64, UInt64) {
        let parts = text.split(separator: ",")
        guard parts.count == 2, let a = Hex.number(parts[0]), let l = Hex.number(parts[1]) else {
            throw Malformed(description: "bad address,length")
        }
        return (a, l)
    }
}
