/// Frames replies for gdb. Kept apart from the decoder: the two directions share nothing but
/// the checksum.
public struct PacketEncoder {
    public init() {}

    public func encode(_ payload: String) -> [UInt8] { RSPPacket.frame(Array(payload.utf8)) }
    public func encode(bytes payload: [UInt8]) -> [UInt8] { RSPPacket.frame(payload) }
    /// The `O` console output packet.
    public func consoleOutput(_ text: String) -> [UInt8] { encode("O" + Hex.encode(text.utf8)) }
}
