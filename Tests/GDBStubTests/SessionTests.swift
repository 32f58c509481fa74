import Foundation
@testable import GDBStub
import IA64Exec
import VMMCore
import XCTest

/// The protocol over a socketpair, byte for byte, against the reference target.
final class SessionTests: XCTestCase {
    static let program = """
            .text
            .global _start
        _start:
            mov r8 = 1
            ;;
        spin:
            adds r8 = 1, r8
            br.sptk.few spin
            ;;
        """

    var served: ServedTarget!

    override func setUpWithError() throws {
        let (elf, path) = try GDBHarness.build(Self.program)
        try? FileManager.default.removeItem(at: path.deletingLastPathComponent())
        served = try ServedTarget(try BareMetalDebugTarget(elf: elf))
    }

    override func tearDown() { served?.stop() }

    func exchange(_ client: RawClient, _ packet: String) -> String {
        client.write(String(decoding: PacketEncoder().encode(packet), as: UTF8.self))
        return client.read { $0.contains("#") && $0.split(separator: "#").last.map { $0.count >= 2 } == true }
    }

    /// gdb cannot install an impossible register frame through ar.pfs: the write is refused
    /// with an error and the register keeps its value; a possible frame is written.
    func testImpossibleFrameInPFSIsRefused() throws {
        let (elf, path) = try GDBHarness.build(Self.program)
        try? FileManager.default.removeItem(at: path.deletingLastPathComponent())
        let target = try BareMetalDebugTarget(elf: elf)
        var registers = try target.readRegisters(thread: 1)
        let before = registers.ar[64]
        registers.ar[64] = 0x80  // sol 1 > sof 0
        XCTAssertThrowsError(try target.writeRegisters(registers, thread: 1)) { error in
            guard case DebugTargetError.invalidValue(let what) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(what.contains("ar.pfs"), what)
        }
        XCTAssertEqual(try target.readRegisters(thread: 1).ar[64], before)
        registers.ar[64] = 0x287  // sof 7, sol 5
        try target.writeRegisters(registers, thread: 1)
        XCTAssertEqual(try target.readRegisters(thread: 1).ar[64], 0x287)
    }

    func testAcksNoAckModeAndReplies() throws {
        let c = try RawClient(port: served.port)
        defer { c.close() }
        let supported = exchange(c, "qSupported:multiprocess+;swbreak+")
        XCTAssertTrue(supported.hasPrefix("+$PacketSize=4e20;QStartNoAckMode+;"), supported)
        XCTAssertTrue(supported.contains("ReverseStep+;ReverseContinue+"), supported)
        XCTAssertEqual(exchange(c, "QStartNoAckMode"), "+$OK#9a")
        // No more acks from here.
        XCTAssertEqual(exchange(c, "vMustReplyEmpty"), "$#00")
        let stop = exchange(c, "?")
        XCTAssertTrue(stop.hasPrefix("$T05thread:1;14b:0000100000000000;14c:"), stop)
        XCTAssertTrue(stop.contains(";15f:"), stop)
        let g = exchange(c, "g")
        XCTAssertEqual(g.count, 1 + 9440 + 3, "the g reply is 4720 bytes")
        XCTAssertEqual(exchange(c, "p14b"), "$0000100000000000#" + Hex.encode([RSPPacket.checksum(Array("0000100000000000".utf8))]))
        XCTAssertTrue(exchange(c, "qXfer:features:read:target.xml:0,fff").contains("<architecture>ia64</architecture>"))
        XCTAssertTrue(exchange(c, "qfThreadInfo").hasPrefix("$m1#"))
        let extra = exchange(c, "qThreadExtraInfo,1")
        XCTAssertTrue(extra.contains(Hex.encode("vcpu0 \"baremetal\"".utf8)), extra)
        XCTAssertTrue(exchange(c, "m0,4").hasPrefix("$"), "RAM at 0 reads")
        XCTAssertTrue(exchange(c, "m7fffffffffff0000,4").hasPrefix("$E03"), "unmapped memory is an error")
        XCTAssertTrue(exchange(c, "Z0,100003,0").hasPrefix("$E22"), "slot 3 does not exist")
        XCTAssertEqual(exchange(c, "bogus"), "$#00")
    }

    func testBadChecksumGetsANakAndALogLine() throws {
        let c = try RawClient(port: served.port)
        defer { c.close() }
        c.write("$OK#00")
        XCTAssertEqual(c.read { $0.contains("-") }, "-")
        XCTAssertTrue(served.log.contains { $0.contains("bad checksum") }, "\(served.log)")
        XCTAssertTrue(exchange(c, "qC").hasPrefix("+$QC1#"))
    }

    func testOversizedPacketGetsAnError() throws {
        let c = try RawClient(port: served.port)
        defer { c.close() }
        let reply = exchange(c, "M0,20000:" + String(repeating: "00", count: 0x20000))
        XCTAssertTrue(reply.contains("$E01"), reply)
        XCTAssertTrue(served.log.contains { $0.contains("refused") }, "\(served.log)")
        XCTAssertTrue(exchange(c, "qC").contains("$QC1#"), "the connection still works")
    }

    func testBinaryWriteAndInterruptWhileRunning() throws {
        let c = try RawClient(port: served.port)
        defer { c.close() }
        // X with escaped bytes: } # $ * land in memory as themselves.
        let data: [UInt8] = [0x7d, 0x23, 0x24, 0x2a]
        let frame = RSPPacket.frame(Array("X1000,4:".utf8) + data)
        c.write(String(decoding: frame, as: UTF8.self))
        XCTAssertTrue(c.read { $0.contains("#") }.contains("$OK"))
        XCTAssertTrue(exchange(c, "m1000,4").contains("$7d23242a#"))
        // Run forever, then Ctrl-C.
        c.write(String(decoding: PacketEncoder().encode("vCont;c"), as: UTF8.self))
        usleep(200_000)
        c.write("\u{03}")
        let stop = c.read { $0.contains("#") && $0.hasSuffix("#") == false && $0.contains("T02") }
        XCTAssertTrue(stop.contains("$T02thread:1;"), stop)
        XCTAssertGreaterThan(served.target.position, 1000, "it really ran")
    }

    func testStandardIOStyleDescriptors() throws {
        var toServer: [Int32] = [0, 0], fromServer: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&toServer), 0)
        XCTAssertEqual(pipe(&fromServer), 0)
        let target = served.target
        let server = UncheckedBox(GDBServer(target: target, log: { _ in }))
        let fds = (toServer[0], fromServer[1])
        let done = UncheckedBox(NSCondition())
        let thread = Thread {
            server.value.serve(readFD: fds.0, writeFD: fds.1)
            done.value.signal()
        }
        thread.start()
        let request = PacketEncoder().encode("p14b") + PacketEncoder().encode("D")
        _ = request.withUnsafeBytes { write(toServer[1], $0.baseAddress, $0.count) }
        var got: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline && !String(decoding: got, as: UTF8.self).contains("$OK#9a") {
            let n = buffer.withUnsafeMutableBytes { read(fromServer[0], $0.baseAddress, $0.count) }
            if n <= 0 { break }
            got += buffer[0..<n]
        }
        XCTAssertEqual(String(decoding: got, as: UTF8.self), "+$0000100000000000#01+$OK#9a")
        for fd in toServer + fromServer { close(fd) }
    }
}
