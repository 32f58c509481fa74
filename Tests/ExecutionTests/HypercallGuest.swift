import Foundation
import IA64Exec
@testable import VMMCore
import XCTest

/// A tiny hypercall test guest, generated as IA-64 assembly and linked at physical addresses
/// (code at 0x100000). It runs in metaphysical mode, so every address below is guest-physical.
/// Each hypercall's r8 (and each recorded load) is stored in the results array at
/// `HypercallGuest.results`, 8 bytes a slot; the test reads it back from the domain's memory.
/// Every program ends by storing `doneMarker` and shutting down with
/// sched_op_compat(SCHEDOP_shutdown, SHUTDOWN_poweroff) unless told otherwise.
final class HypercallGuest {
    static let results: UInt64 = 0x380000
    static let doneMarker: UInt64 = 0x600d_600d
    static let inline: UInt64 = 1 << 63
    static func h(_ address: UInt64) -> UInt64 { address | inline }

    struct Expectation { var slot: Int; var value: UInt64; var mask: UInt64; var what: String; var line: UInt }

    private var lines: [String] = []
    private var tail: [String] = []
    private(set) var slots = 0
    private(set) var expectations: [Expectation] = []
    private var labels = 0

    private func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
    private func emit(_ s: String) { lines.append("\t" + s + "\n\t;;") }
    func label() -> String { labels += 1; return "L\(labels)" }

    func set(_ register: String, _ value: UInt64) { emit("movl \(register) = \(hex(value))") }
    func set(_ register: String, symbol: String) { emit("movl \(register) = \(symbol)") }

    /// Stores `register` (r8 by default) in the next result slot.
    @discardableResult
    func record(_ register: String = "r8", expect value: UInt64? = nil, mask: UInt64 = ~0, _ what: String = "", line: UInt = #line) -> Int {
        emit("st8 [r4] = \(register), 8")
        slots += 1
        if let value { expectations.append(.init(slot: slots - 1, value: value, mask: mask, what: what, line: line)) }
        return slots - 1
    }

    /// A hypercall (or firmware call when `number` >= 0x100): arguments in r32.., r2 = number.
    @discardableResult
    func call(_ number: UInt64, _ args: UInt64..., r28: UInt64? = nil, expect value: UInt64? = nil, _ what: String = "", line: UInt = #line) -> Int {
        for (k, a) in args.enumerated() { set("r\(32 + k)", a) }
        if let r28 { set("r28", r28) }
        set("r2", number)
        emit("break.m 0x1000")
        return record(expect: value, what.isEmpty ? "hypercall \(number) \(args)" : what, line: line)
    }

    /// Records the value at `address` (size 1, 2, 4 or 8 bytes, zero-extended).
    @discardableResult
    func load(_ address: UInt64, size: Int = 8, expect value: UInt64? = nil, mask: UInt64 = ~0, _ what: String = "", line: UInt = #line) -> Int {
        set("r9", address)
        emit("ld\(size) r8 = [r9]")
        return record(expect: value, mask: mask, what.isEmpty ? "load 0x\(String(address, radix: 16))" : what, line: line)
    }

    func store(_ address: UInt64, _ value: UInt64, size: Int = 8) {
        set("r9", address)
        set("r10", value)
        emit("st\(size) [r9] = r10")
    }

    /// Stores raw bytes (8 at a time, the tail byte by byte).
    func store(_ address: UInt64, bytes: [UInt8]) {
        var i = 0
        while i + 8 <= bytes.count { store(address + UInt64(i), Self.le(bytes[i..<i + 8]), size: 8); i += 8 }
        while i < bytes.count { store(address + UInt64(i), UInt64(bytes[i]), size: 1); i += 1 }
    }

    func store(_ address: UInt64, string: String) { store(address, bytes: Array(string.utf8)) }

    static func le<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var v: UInt64 = 0
        for (i, b) in bytes.prefix(8).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return v
    }

    static func le(_ s: String) -> UInt64 { le(Array(s.utf8)) }

    /// Copies `size` bytes from one address to another (an output port into an input struct).
    func copy(from: UInt64, to: UInt64, size: Int = 4) {
        set("r9", from)
        emit("ld\(size) r10 = [r9]")
        set("r9", to)
        emit("st\(size) [r9] = r10")
    }

    /// Spins for about 2 × `iterations` instructions.
    func delay(_ iterations: UInt64) {
        let l = label()
        set("r9", iterations)
        emit("mov ar.lc = r9")
        lines.append("\(l):\n\tnop.i 0\n\tbr.cloop.sptk.few \(l)\n\t;;")
    }

    /// Waits until the 8-byte word at `address` is non-zero.
    func waitNonZero(_ address: UInt64) {
        let l = label()
        lines.append("\(l):")
        set("r9", address)
        emit("ld8 r10 = [r9]")
        emit("cmp.eq p6, p0 = 0, r10")
        emit("(p6) br.cond.sptk.few \(l)")
    }

    /// Waits until the `size`-byte value at `address` equals `value`.
    func waitEqual(_ address: UInt64, _ value: UInt64, size: Int = 8) {
        let l = label()
        lines.append("\(l):")
        set("r9", address)
        set("r11", value)
        emit("ld\(size) r10 = [r9]")
        emit("cmp.ne p6, p0 = r10, r11")
        emit("(p6) br.cond.sptk.few \(l)")
    }

    func raw(_ text: String) { lines.append(text) }

    /// Code placed after the main program (for example a secondary vCPU's entry).
    func routine(_ name: String, _ text: String) {
        tail.append("\t.global \(name)\n\t.proc \(name)\n\(name):\n\(text)\n\t.endp \(name)")
    }

    /// A vCPU that never stops (until something from outside ends its domain).
    func spinForever() {
        let l = label()
        lines.append("\(l):\n\tbr.cond.sptk.few \(l)\n\t;;")
    }

    func shutdownPoweroff() {
        store(Self.results + 0x3ff8, Self.doneMarker)
        set("r32", 2)
        set("r33", 0)
        set("r2", 6)
        emit("break.m 0x1000")
    }

    func source(end: Bool = true) -> String {
        var body = lines
        if end {
            let saved = lines
            shutdownPoweroff()
            body = lines
            lines = saved
        }
        return """
            \t.text
            \t.global _start
            \t.proc _start
            _start:
            \talloc r14 = ar.pfs, 0, 0, 6, 0
            \tmovl r4 = \(hex(Self.results))
            \t;;
            \(body.joined(separator: "\n"))
            Lhang:
            \tbr.cond.sptk.few Lhang
            \t;;
            \t.endp _start
            \(tail.joined(separator: "\n"))

            """
    }

    func build(end: Bool = true) throws -> ElfFile {
        try GuestProgram.build(source(end: end), linkerArguments: ["-Ttext=0x100000"])
    }

    /// The recorded slots of `domain`.
    func results(in domain: Domain) -> [UInt64] {
        (0..<slots).map { domain.memory.u64(Self.results + 8 * UInt64($0)) ?? 0xdead }
    }

    func reachedEnd(_ domain: Domain) -> Bool { domain.memory.u64(Self.results + 0x3ff8) == Self.doneMarker }

    /// Asserts every expectation against what the guest recorded.
    func check(_ domain: Domain, file: StaticString = #filePath) {
        let r = results(in: domain)
        for e in expectations {
            XCTAssertEqual(r[e.slot] & e.mask, e.value & e.mask,
                           "domain \(domain.id) slot \(e.slot) (\(e.what)): got 0x\(String(r[e.slot], radix: 16)), want 0x\(String(e.value, radix: 16))",
                           file: file, line: e.line)
        }
    }
}

/// Xen errno and grant status values as the guest sees them.
func xerr(_ e: XenABI.Errno) -> UInt64 { e.result }
func gnt(_ s: XenABI.GrantStatus) -> UInt64 { UInt64(UInt16(bitPattern: Int16(s.rawValue))) }

extension Hypervisor {
    /// Builds one domain per guest (16 MiB unless told otherwise), in order: the first is Dom0.
    @discardableResult
    func boot(_ guest: HypercallGuest, name: String, memoryMiB: UInt64 = 16, maxMemoryMiB: UInt64? = nil, vcpus: Int = 1,
              onCrash: Domain.OnCrashAction = .destroy, end: Bool = true) throws -> Domain {
        try createDomain(DomainSetup(name: name, kernel: try guest.build(end: end), memoryMiB: memoryMiB,
                                     maxMemoryMiB: maxMemoryMiB, vcpus: vcpus, onCrash: onCrash))
    }
}
