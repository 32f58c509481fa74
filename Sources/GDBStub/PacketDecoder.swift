/// What arrives from gdb, one event at a time.
public enum RSPInput: Equatable, Sendable {
    /// A packet with a good checksum, unescaped.
    case packet([UInt8])
    case ack
    case nak
    /// The raw Ctrl-C byte outside a packet.
    case interrupt
    /// A packet whose checksum did not match (send `-`, unless in no-ack mode).
    case badChecksum(received: UInt8, computed: UInt8)
    /// A packet longer than the limit; its content was dropped.
    case oversized(length: Int)
    /// Bytes outside any packet that mean nothing.
    case garbage(UInt8)
}

/// Turns the byte stream from gdb into `RSPInput` events. Bytes may arrive split anywhere; a
/// partial packet waits for more. Packets beyond `maximumPayload` are not buffered.
public struct PacketDecoder {
    enum State { case idle, body, checksum1, checksum2(UInt8) }

    public let maximumPayload: Int
    var state = State.idle
    var body: [UInt8] = []
    var length = 0
    var overflow = false

    public init(maximumPayload: Int = RSPPacket.maximumPayload) {
        self.maximumPayload = maximumPayload
    }

    /// Whether a packet has started and not ended (a client gone now left it half sent).
    public var isInsidePacket: Bool {
        if case .idle = state { return false }
        return true
    }

    public mutating func feed<C: Sequence>(_ bytes: C) -> [RSPInput] where C.Element == UInt8 {
        var events: [RSPInput] = []
        for b in bytes {
            if let e = feed(byte: b) { events.append(e) }
        }
        return events
    }

    public mutating func feed(byte b: UInt8) -> RSPInput? {
        switch state {
        case .idle:
            switch b {
            case RSPPacket.start:
                state = .body
                body.removeAll(keepingCapacity: true)
                length = 0
                overflow = false
                return nil
            case RSPPacket.ack: return .ack
            case RSPPacket.nak: return .nak
            case RSPPacket.interrupt: return .interrupt
            default: return .garbage(b)
            }
        case .body:
            if b == RSPPacket.end {
                state = .checksum1
            } else {
                length += 1
                if length > maximumPayload + 64 { overflow = true }  // escapes may add a little
                if !overflow { body.append(b) }
            }
            return nil
        case .checksum1:
            guard let h = Hex.nibble(b) else { return abandon(b) }
            state = .checksum2(h)
            return nil
        case .checksum2(let h):
            guard let l = Hex.nibble(b) else { return abandon(b) }
            state = .idle
            if overflow { return .oversized(length: length) }
            let received = h << 4 | l
            let computed = RSPPacket.checksum(body)
            guard received == computed else { return .badChecksum(received: received, computed: computed) }
            guard let payload = RSPPacket.unescaped(body) else { return .badChecksum(received: received, computed: computed) }
            if payload.count > maximumPayload { return .oversized(length: payload.count) }
            return .packet(payload)
        }
    }

    /// A malformed checksum: treat it as a corrupt packet.
    mutating func abandon(_ b: UInt8) -> RSPInput {
        state = .idle
        if overflow { return .oversized(length: length) }
        return .badChecksum(received: b, computed: RSPPacket.checksum(body))
    }

    /// Forgets any partial packet (a new client starts clean).
    public mutating func reset() {
        state = .idle
        body.removeAll()
        length = 0
        overflow = false
    }
}
