@testable import GDBStub
import IA64Exec
import XCTest

final class PacketTests: XCTestCase {
    func testFramingAndChecksum() {
        XCTAssertEqual(String(decoding: PacketEncoder().encode("OK"), as: UTF8.self), "$OK#9a")
        XCTAssertEqual(String(decoding: PacketEncoder().encode(""), as: UTF8.self), "$#00")
        XCTAssertEqual(RSPPacket.checksum(Array("qSupported".utf8)), 0x37)
    }

    func testEscapesRoundTrip() {
        let payload: [UInt8] = [0x58, 0x23, 0x24, 0x7d, 0x2a, 0x00, 0xff]
        let escaped = RSPPacket.escaped(payload)
        XCTAssertEqual(escaped, [0x58, 0x7d, 0x03, 0x7d, 0x04, 0x7d, 0x5d, 0x7d, 0x0a, 0x00, 0xff])
        XCTAssertEqual(RSPPacket.unescaped(escaped), payload)
        XCTAssertNil(RSPPacket.unescaped([0x41, 0x7d]), "a lone escape at the end")
        var d = PacketDecoder()
        XCTAssertEqual(d.feed(RSPPacket.frame(payload)), [.packet(payload)])
    }

    func testDecoderHandlesSplitInputAcksAndInterrupt() {
        var d = PacketDecoder()
        let good = PacketEncoder().encode("m100000,10")
        XCTAssertEqual(d.feed(good.prefix(5)), [])
        XCTAssertTrue(d.isInsidePacket)
        XCTAssertEqual(d.feed(good.dropFirst(5)), [.packet(Array("m100000,10".utf8))])
        XCTAssertFalse(d.isInsidePacket)
        XCTAssertEqual(d.feed([0x2b, 0x2d, 0x03, 0x41]), [.ack, .nak, .interrupt, .garbage(0x41)])
    }

    func testBadChecksumIsReported() {
        var d = PacketDecoder()
        XCTAssertEqual(d.feed(Array("$OK#00".utf8)), [.badChecksum(received: 0, computed: 0x9a)])
        // A non-hex checksum ends the packet at once; the rest is noise.
        XCTAssertEqual(d.feed(Array("$OK#zz".utf8)), [.badChecksum(received: UInt8(ascii: "z"), computed: 0x9a), .garbage(UInt8(ascii: "z"))])
        // The decoder recovers for the next packet.
        XCTAssertEqual(d.feed(Array("$OK#9a".utf8)), [.packet(Array("OK".utf8))])
    }

    func testOversizedPacketIsRefusedWithoutBuffering() {
        var d = PacketDecoder(maximumPayload: 100)
        let big = RSPPacket.frame([UInt8](repeating: 0x61, count: 500))
        XCTAssertEqual(d.feed(big), [.oversized(length: 500)])
        XCTAssertLessThan(d.body.count, 200)
        XCTAssertEqual(d.feed(Array("$OK#9a".utf8)), [.packet(Array("OK".utf8))])
        // The default limit takes a full G packet.
        var big2 = PacketDecoder()
        let g = Array("G".utf8) + [UInt8](repeating: 0x30, count: 9440)
        XCTAssertEqual(big2.feed(RSPPacket.frame(g)), [.packet(g)])
    }

    func testHexHelpers() {
        XCTAssertEqual(Hex.decode("00ff10"), [0, 255, 16])
        XCTAssertNil(Hex.decode("0"))
        XCTAssertNil(Hex.decode("zz"))
        XCTAssertEqual(Hex.number("40000000000000a1"), 0x4000_0000_0000_00a1)
        XCTAssertNil(Hex.number("12345678901234567"))
        XCTAssertEqual(Hex.littleEndian(0x1234), "3412000000000000")
    }
}

final class RegisterLayoutTests: XCTestCase {
    func testOffsetsAndSizeMatchGDB() {
        typealias L = IA64RegisterLayout
        XCTAssertEqual(L.offset(of: 32), 256)
        XCTAssertEqual(L.offset(of: 128), 1024)
        XCTAssertEqual(L.offset(of: 256), 3072)
        XCTAssertEqual(L.offset(of: L.br0), 3584)
        XCTAssertEqual(L.offset(of: L.pr), 3664)
        XCTAssertEqual(L.offset(of: L.ip), 3672)
        XCTAssertEqual(L.offset(of: L.psr), 3680)
        XCTAssertEqual(L.offset(of: L.cfm), 3688)
        XCTAssertEqual(L.offset(of: L.ar0), 3696)
        XCTAssertEqual(L.offset(of: 461), 4712)
        XCTAssertEqual(L.bsp, 0x15f)
        XCTAssertEqual(L.pfs, 0x18e)
        XCTAssertEqual(IA64RegisterFile().encoded().count, 4720)
    }

    func testFloatingPointWireFormat() {
        var f = IA64RegisterFile()
        XCTAssertEqual(Hex.encode(f.bytes(of: 129)!), "0000000000000080ffff000000000000", "f1 = 1.0")
        XCTAssertEqual(Hex.encode(f.bytes(of: 128)!), "00000000000000000000000000000000")
        XCTAssertTrue(f.set(130, bytes: Hex.decode("00000000000000c00000030000000000")!))
        XCTAssertEqual(f.fr[2], FloatRegisterBits(significand: 0xc000_0000_0000_0000, signExponent: 0x30000), "-3.0")
    }

    func testRoundTripOfEveryRegister() {
        var f = IA64RegisterFile()
        for r in 0..<128 { f.gr[r] = 0x1111_0000_0000_0000 &* UInt64(r + 1) &+ UInt64(r) }
        for r in 0..<128 { f.fr[r] = FloatRegisterBits(significand: UInt64(r) << 56 | 0x1234, signExponent: UInt32(0x20000 | r)) }
        f.pr = 0xdead_beef_0000_ffff
        for b in 0..<8 { f.br[b] = 0x4000_0000_0000_0000 | UInt64(b) << 4 }
        f.ip = 0x4000_0000_0000_00a0
        f.psr = 0x0000_1213_0802_6010 | 1 << 41
        f.cfm = 0x204
        for n in 0..<128 { f.ar[n] = UInt64(n) * 0x0101_0101 }
        let bytes = f.encoded()
        XCTAssertEqual(bytes.count, 4720)
        XCTAssertEqual(IA64RegisterFile(encoded: bytes), f)
        XCTAssertEqual(f.pc, 0x4000_0000_0000_00a1)
        XCTAssertEqual(Array(bytes[3672..<3680]), [0xa0, 0, 0, 0, 0, 0, 0, 0x40])
        // Individual predicate slots mirror pr.
        XCTAssertEqual(f.bytes(of: 256)!, [1, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(f.bytes(of: 256 + 16)!, [0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertNil(IA64RegisterFile(encoded: Array(bytes.dropLast())))
        var g = f
        g.pc = 0x4000_0000_0000_00b2
        XCTAssertEqual(g.ip, 0x4000_0000_0000_00b0)
        XCTAssertEqual(g.slot, 2)
    }
}
