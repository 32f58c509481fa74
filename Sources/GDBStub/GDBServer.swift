#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves a `DebugTarget` to gdb: over a loopback TCP port (one client at a time, listening
/// again after each one leaves, however it leaves) or over stdin/stdout. Bad input from a client
/// is logged and answered; it never ends the server.
public final class GDBServer {
    public let target: DebugTarget

    /// The default log: one line on stderr (stdout may be the gdb pipe).
    public static func logToStandardError(_ line: String) {
        let bytes = Array("xdbg-gdb: \(line)\n".utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
    /// One line per notable event (connections, bad packets); defaults to stderr.
    public let log: (String) -> Void
    /// Log every packet in both directions.
    public var tracePackets = false
    var listener: TCPListener?
    var stopping = false

    public init(target: DebugTarget, log: @escaping (String) -> Void = GDBServer.logToStandardError) {
        self.target = target
        self.log = log
    }

    /// Starts listening on 127.0.0.1:`port` (0: any free port) and returns the port.
    public func listen(port: UInt16) throws -> UInt16 {
        let l = try TCPListener(port: port)
        listener = l
        log("listening on 127.0.0.1:\(l.port)")
        return l.port
    }

    /// Accepts clients until `stop()`; each is served to the end before the next.
    public func serveForever() {
        guard let listener else { return }
        while !stopping {
            guard listener.pending(timeoutMilliseconds: 200) else { continue }
            guard let connection = listener.accept() else { continue }
            log("client connected")
            serve(connection)
            log("client gone; listening again")
        }
        listener.close()
    }

    /// Ends `serveForever` within a fraction of a second (from another thread).
    public func stop() { stopping = true }

    /// Serves gdb over stdin/stdout until it detaches or closes the pipe.
    public func serveStandardIO() {
        serve(RSPConnection(readFD: 0, writeFD: 1, ownsDescriptors: false))
    }

    /// Serves one client over an already open pair of descriptors (a pipe, a socketpair),
    /// which stay open afterwards.
    public func serve(readFD: Int32, writeFD: Int32) {
        serve(RSPConnection(readFD: readFD, writeFD: writeFD, ownsDescriptors: false))
    }

    /// One client, to its end.
    func serve(_ connection: RSPConnection) {
        let session = GDBSession(target: target, log: log)
        var decoder = PacketDecoder()
        var deferred: [RSPInput] = []
        var lastReply: [UInt8] = []
        var spoke = false
        let encoder = PacketEncoder()

        // While the target runs: read what arrived, stop on Ctrl-C, keep anything else.
        var polls = 0
        session.interruptCheck = {
            polls += 1
            guard connection.readable(timeoutMilliseconds: 0) else { return false }
            guard let bytes = connection.read() else { return true }  // gone: stop running
            var interrupted = false
            for e in decoder.feed(bytes) {
                if e == .interrupt { interrupted = true } else { deferred.append(e) }
            }
            return interrupted
        }

        func send(_ bytes: [UInt8]) -> Bool {
            if tracePackets { log("-> \(String(decoding: bytes.prefix(200), as: UTF8.self))") }
            return connection.write(bytes)
        }

        while !stopping {
            var events = deferred
            deferred.removeAll()
            if events.isEmpty {
                // Wait for input; a new client knocking while this one never spoke takes over.
                if !connection.readable(timeoutMilliseconds: 200) {
                    if !spoke, let listener, listener.pending(timeoutMilliseconds: 0) {
                        log("dropping a client that never sent a packet: another is waiting")
                        connection.close()
                        return
                    }
                    continue
                }
                guard let bytes = connection.read() else {
                    if decoder.isInsidePacket { log("client left in the middle of a packet") }
                    connection.close()
                    return
                }
                events = decoder.feed(bytes)
            }
            for event in events {
                switch event {
                case .ack, .garbage: break
                case .nak:
                    if !lastReply.isEmpty { _ = send(lastReply) }
                case .interrupt:
                    // Not running: report where we are.
                    lastReply = encoder.encode((try? session.stopReply(session.lastStop ?? target.currentStop)) ?? "E01")
                    _ = send(lastReply)
                case .badChecksum(let received, let computed):
                    log("bad checksum (got \(String(received, radix: 16)), expected \(String(computed, radix: 16))); asking again")
                    if !session.noAckMode { _ = send([RSPPacket.nak]) }
                case .oversized(let length):
                    log("packet of \(length) bytes refused (limit \(RSPPacket.maximumPayload))")
                    if !session.noAckMode { _ = send([RSPPacket.ack]) }
                    lastReply = encoder.encode("E01")
                    _ = send(lastReply)
                case .packet(let payload):
                    spoke = true
                    if tracePackets { log("<- \(String(decoding: payload.prefix(200), as: UTF8.self))") }
                    if !session.noAckMode { _ = send([RSPPacket.ack]) }
                    let outcome = session.handle(payload)
                    switch outcome {
                    case .reply(let text): lastReply = encoder.encode(text)
                    case .replyBytes(let bytes): lastReply = encoder.encode(bytes: bytes)
                    case .replyAndClose(let text): lastReply = encoder.encode(text)
                    case .close: lastReply = []
                    }
                    if !lastReply.isEmpty && !send(lastReply) {
                        connection.close()
                        return
                    }
                    if payload == Array("QStartNoAckMode".utf8) { session.enterNoAckMode() }
                    if case .replyAndClose = outcome { connection.close(); return }
                    if case .close = outcome { connection.close(); return }
                }
            }
        }
        connection.close()
    }
}
