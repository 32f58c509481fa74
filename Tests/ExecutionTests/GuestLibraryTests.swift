import Foundation
import IA64Exec
import VMMCore
import XCTest

/// The guest kernel's hypervisor-independent library (Guests/kernel/lib), assembled as the
/// kernel build assembles it and run bare-metal under `bare_harness.s`, which provides
/// `console_write` over the console port. Each test supplies `lib_test_main` as a driver:
/// a list of calls whose r8 results land in `test_results`, and which exits non-zero when a
/// preserved register (r1, r4-r7, r12) did not survive the calls.
final class GuestLibraryTests: XCTestCase {
    static let link = ["-Ttext=0x100000", "-Tdata=0x200000"]
    static let library = ["print.s", "page_alloc.s", "symbols.s", "oops.s", "workloads.s"]
        .map { "Guests/kernel/lib/" + $0 } + ["Guests/kernel/lib/test/bare_harness.s"]

    enum Arg {
        case value(UInt64)
        case symbol(String)
        static func signed(_ v: Int64) -> Arg { .value(UInt64(bitPattern: v)) }
    }

    struct Call {
        var routine: String
        var args: [Arg]
        init(_ routine: String, _ args: Arg...) { self.routine = routine; self.args = args }
    }

    /// `lib_test_main`: sets r1 and r4-r7 to markers, makes the calls (storing each r8 in
    /// test_results[i]), then returns 0, or 1 if a preserved register changed.
    static func driver(_ calls: [Call], data: String = "") -> String {
        // The kernel build provides the symbol table; a test that does not gets an empty one.
        let symbols = data.contains("kallsyms_table") ? "" : """
                .align 8
                .global kallsyms_table, kallsyms_count
            kallsyms_count:
                data8 0
            kallsyms_table:

            """
        var body = ""
        for (i, call) in calls.enumerated() {
            for (j, arg) in call.args.enumerated() {
                switch arg {
                case .value(let v): body += "\tmovl out\(j) = 0x\(String(v, radix: 16))\n"
                case .symbol(let s): body += "\tmovl out\(j) = \(s)\n"
                }
            }
            body += """
                \t;;
                \tbr.call.sptk.many b0 = \(call.routine)
                \t;;
                \tmovl r14 = test_results + \(8 * i)
                \t;;
                \tst8 [r14] = r8
                \t;;

                """
        }
        return """
                .data
                .align 16
                .global test_results
            test_results:
                .skip \(8 * max(calls.count, 1))
                .align 16
            \(data)
            \(symbols)
                .text
                .global lib_test_main
                .proc lib_test_main
            lib_test_main:
                .prologue
                .save ar.pfs, r32
                alloc r32 = ar.pfs, 0, 3, 6, 0
                .save rp, r33
                mov r33 = b0
                .body
                mov r34 = r12
                movl r1 = 0x1111111111111111
                movl r4 = 0x4444444444444444
                movl r5 = 0x5555555555555555
                movl r6 = 0x6666666666666666
                movl r7 = 0x7777777777777777
                ;;
            \(body)
                mov r8 = 0
                movl r14 = 0x1111111111111111
                movl r15 = 0x4444444444444444
                movl r16 = 0x5555555555555555
                movl r17 = 0x6666666666666666
                movl r18 = 0x7777777777777777
                ;;
                cmp.ne p6, p0 = r1, r14
                cmp.ne p7, p0 = r4, r15
                cmp.ne p8, p0 = r5, r16
                cmp.ne p9, p0 = r6, r17
                cmp.ne p10, p0 = r7, r18
                cmp.ne p11, p0 = r12, r34
                ;;
            (p6) mov r8 = 1
            (p7) mov r8 = 1
            (p8) mov r8 = 1
            (p9) mov r8 = 1
            (p10) mov r8 = 1
            (p11) mov r8 = 1
                mov ar.pfs = r32
                mov b0 = r33
                ;;
                br.ret.sptk.many b0
                .endp lib_test_main
            """
    }

    struct Run {
        let machine: BareMetalMachine
        let elf: ElfFile
        let console: String
        func result(_ i: Int) -> UInt64 {
            let base = elf.symbol(named: "test_results")!.value
            return machine.bus.ram.load(base + UInt64(8 * i), size: 8) ?? 0xdead
        }
        func words(at symbol: String, count: Int) -> [UInt64] {
            let base = elf.symbol(named: symbol)!.value
            return (0..<count).map { machine.bus.ram.load(base + UInt64(8 * $0), size: 8) ?? 0xdead }
        }
        func bytes(at symbol: String, count: Int) -> [UInt8] {
            let base = elf.symbol(named: symbol)!.value
            return (0..<count).map { UInt8(machine.bus.ram.load(base + UInt64($0), size: 1) ?? 0xee) }
        }
    }

    /// Builds the library with `driver` (and any extra sources), runs it to the halt, and
    /// checks it exited 0 (every preserved register survived).
    func run(_ calls: [Call], data: String = "", extra: [GuestProgram.Source] = [],
             maxInstructions: UInt64 = 50_000_000, file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        let elf = try GuestProgram.build(
            files: Self.library,
            sources: [GuestProgram.Source(name: "driver", text: Self.driver(calls, data: data))] + extra,
            linkerArguments: Self.link)
        let machine = try BareMetalMachine(elf: elf)
        let (outcome, console) = machine.runCapturingConsole(maxInstructions: maxInstructions)
        XCTAssertEqual(outcome, .halted(code: 0), "console so far:\n\(console)", file: file, line: line)
        return Run(machine: machine, elf: elf, console: console)
    }

    static func asciz(_ label: String, _ s: String) -> String {
        "\(label):\n\t.asciz \"\(s)\"\n"
    }
}

// MARK: - print.s

extension GuestLibraryTests {
    func testPrintNumbersAndStrings() throws {
        let hexCases: [(UInt64, UInt64)] = [
            (0, 1), (0, 16), (.max, 16), (0xabc, 2), (0x1f, 5), (5, 0), (0x12, 40),
            (0x8000_0000_0000_0000, 1), (0xdead_beef, 16),
        ]
        let decCases: [UInt64] = [0, 9, 10, 1_234_567_890, 9_999_999_999_999_999_999, .max]
        let sdecCases: [Int64] = [0, -1, 1, .min, .max, -1_000_000]
        let padCases: [(String, UInt64)] = [("swapper", 20), ("abc", 2), ("", 3), ("x", 70), ("abc", 3)]
        var calls: [Call] = [Call("print_str", .symbol("s_hello")), Call("print_nl")]
        var expected = "hello, world\n"
        for (v, d) in hexCases {
            calls += [Call("print_hex", .value(v), .value(d)), Call("print_nl")]
            expected += String(format: "%0*lx\n", Int32(min(max(d, 1), 16)), v)
        }
        for v in decCases {
            calls += [Call("print_dec", .value(v)), Call("print_nl")]
            expected += String(format: "%lu\n", v)
        }
        for v in sdecCases {
            calls += [Call("print_sdec", .signed(v)), Call("print_nl")]
            expected += String(format: "%ld\n", v)
        }
        var data = Self.asciz("s_hello", "hello, world")
        for (i, (s, w)) in padCases.enumerated() {
            data += Self.asciz("s_pad\(i)", s)
            calls += [Call("print_padded", .symbol("s_pad\(i)"), .value(w)), Call("print_str", .symbol("s_bar"))]
            expected += String(repeating: " ", count: max(Int(w) - s.count, 0)) + s + "|"
        }
        data += Self.asciz("s_bar", "|")
        let run = try run(calls, data: data)
        XCTAssertEqual(run.console, expected)
        XCTAssertEqual(run.console.split(separator: "\n", omittingEmptySubsequences: false),
                       expected.split(separator: "\n", omittingEmptySubsequences: false))
    }
}

// MARK: - workloads.s

extension GuestLibraryTests {
    static func lcg(_ x: inout UInt64) -> UInt64 {
        x = x &* 6364136223846793005 &+ 1442695040888963407
        return x
    }

    static func workCompute(_ n: UInt64) -> UInt64 {
        var x: UInt64 = 0x0123_4567_89ab_cdef, isum: UInt64 = 0, acc = 0.0
        for i in 0..<n {
            _ = lcg(&x)
            isum = isum &+ (x >> 32) &* (i | 1)
            let t = Double(x >> 11) * 0x1p-53
            var p = (-2.25).addingProduct(1.5, t)
            p = 0.7.addingProduct(p, t)
            p = 3.1.addingProduct(p, t)
            acc = acc.addingProduct(p, t)
        }
        return x ^ isum ^ acc.bitPattern
    }

    static func rotl7(_ v: UInt64) -> UInt64 { v << 7 | v >> 57 }

    /// Returns the checksum and the final buffer.
    static func workShared(bytes: Int, n: UInt64) -> (UInt64, [UInt64]) {
        let w = bytes / 16, half = w * 8
        var buf = [UInt64](repeating: 0, count: bytes / 8)
        var sum: UInt64 = 0
        for it in 0..<n {
            let b = (it + 1) & 0xff
            for i in 0..<w { buf[i] = b &* 0x0101_0101_0101_0101 }
            for i in 0..<w { buf[i] = (buf[i] &+ (UInt64(i) << 12)) ^ it }
            for i in 0..<w { buf[half / 8 + i] = buf[i] }
            for i in 0..<w { sum = rotl7(sum) &+ buf[w + i] }
        }
        return (sum, buf)
    }

    func testWorkCompute() throws {
        let ns: [UInt64] = [0, 1, 2, 1000]
        let run = try run(ns.map { Call("work_compute", .value($0)) })
        for (i, n) in ns.enumerated() {
            XCTAssertEqual(run.result(i), Self.workCompute(n), "work_compute(\(n))")
        }
    }

    func testWorkSharedAndSort() throws {
        var x: UInt64 = 42
        let keys = (0..<300).map { _ in Self.lcg(&x) ^ (x >> 29) }
        let data = """
            wbuf:
            \t.skip 4096
            \t.align 16
            keys:
            \(keys.map { "\tdata8 0x\(String($0, radix: 16))" }.joined(separator: "\n"))
            one:
            \tdata8 77
            """
        let run = try run([
            Call("work_shared", .symbol("wbuf"), .value(4096), .value(7)),
            Call("work_sort", .symbol("keys"), .value(UInt64(keys.count))),
            Call("work_sort", .symbol("one"), .value(1)),
            Call("work_sort", .symbol("one"), .value(0)),
        ], data: data)
        let (sum, buf) = Self.workShared(bytes: 4096, n: 7)
        XCTAssertEqual(run.result(0), sum)
        XCTAssertEqual(run.words(at: "wbuf", count: 512), buf)
        let sorted = keys.sorted()
        XCTAssertEqual(run.words(at: "keys", count: keys.count), sorted)
        XCTAssertEqual(run.result(1), sorted.reduce(0) { Self.rotl7($0) &+ $1 })
        XCTAssertEqual(run.result(2), 77)
        XCTAssertEqual(run.result(3), 0)
    }

    func testMemcpyMemsetStrlen() throws {
        let src = (0..<40).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
        let data = """
            src:
            \t.byte \(src.map(String.init).joined(separator: ", "))
            \t.align 16
            dst:
            \t.skip 64
            dst2:
            \t.skip 64
            \(Self.asciz("s_hello", "hello"))\(Self.asciz("s_empty", ""))
            """
        let run = try run([
            Call("strlen", .symbol("s_hello")),
            Call("strlen", .symbol("s_empty")),
            Call("memcpy", .symbol("dst+3"), .symbol("src+1"), .value(13)),  // bytes
            Call("memcpy", .symbol("dst+24"), .symbol("src+8"), .value(16)), // words
            Call("memset", .symbol("dst2+5"), .value(0x1ab), .value(11)),   // bytes; only the low byte counts
            Call("memset", .symbol("dst2+32"), .value(0xcd), .value(24)),   // words
        ], data: data)
        XCTAssertEqual(run.result(0), 5)
        XCTAssertEqual(run.result(1), 0)
        XCTAssertEqual(run.result(2), run.elf.symbol(named: "dst")!.value + 3, "memcpy returns dst")
        XCTAssertEqual(run.result(4), run.elf.symbol(named: "dst2")!.value + 5, "memset returns dst")
        var dst = [UInt8](repeating: 0, count: 64)
        dst[3..<16] = src[1..<14]
        dst[24..<40] = src[8..<24]
        XCTAssertEqual(run.bytes(at: "dst", count: 64), dst)
        var dst2 = [UInt8](repeating: 0, count: 64)
        for i in 5..<16 { dst2[i] = 0xab }
        for i in 32..<56 { dst2[i] = 0xcd }
        XCTAssertEqual(run.bytes(at: "dst2", count: 64), dst2)
    }
}

// MARK: - page_alloc.s

extension GuestLibraryTests {
    /// The allocator's documented policy, for cross-checking: smallest order with a free
    /// block, lowest such block, split keeping the lower half; frees merge with free buddies.
    struct BuddyModel {
        let base: UInt64
        var free = [Set<UInt64>](repeating: [], count: 11)
        init(base: UInt64, pages: UInt64) {
            self.base = base
            let n = min(pages, 65536)
            var p: UInt64 = 0
            while p < n {
                var k: UInt64 = 10
                while p % (1 << k) != 0 || p + (1 << k) > n { k -= 1 }
                free[Int(k)].insert(p >> k)
                p += 1 << k
            }
        }
        var freePages: UInt64 { free.enumerated().reduce(0) { $0 + UInt64($1.element.count) << UInt64($1.offset) } }
        mutating func alloc(_ order: Int) -> UInt64 {
            guard order <= 10, var k = (order...10).first(where: { !free[$0].isEmpty }) else { return 0 }
            var idx = free[k].min()!
            free[k].remove(idx)
            while k > order {
                k -= 1
                idx *= 2
                free[k].insert(idx + 1)
            }
            return base + idx << UInt64(order + 14)
        }
        mutating func release(_ address: UInt64, _ order: Int) {
            var idx = ((address - base) >> 14) >> UInt64(order), k = order
            while k < 10 && free[k].contains(idx ^ 1) {
                free[k].remove(idx ^ 1)
                idx >>= 1
                k += 1
            }
            free[k].insert(idx)
        }
    }

    func testBuddyAllocatorBasics() throws {
        let base: UInt64 = 0x100_0000, page: UInt64 = 16384
        let calls: [Call] = [
            Call("page_alloc", .value(0)),              // 0: nothing before init
            Call("page_alloc_init", .value(base), .value(8)),
            Call("page_free_count"),                    // 2: 8
            Call("page_alloc", .value(0)),              // 3: base
            Call("page_alloc", .value(0)),              // 4: base + 1p
            Call("page_alloc", .value(1)),              // 5: base + 2p
            Call("page_alloc", .value(2)),              // 6: base + 4p
            Call("page_alloc", .value(0)),              // 7: exhausted: 0
            Call("page_free_count"),                    // 8: 0
            Call("page_free", .value(base + page), .value(0)),
            Call("page_free", .value(base), .value(0)), // merges into order 1
            Call("page_free_count"),                    // 11: 2
            Call("page_alloc", .value(1)),              // 12: base
            Call("page_free", .value(base), .value(1)),
            Call("page_free", .value(base + 4 * page), .value(2)),
            Call("page_free", .value(base + 2 * page), .value(1)),  // everything merges
            Call("page_free_count"),                    // 16: 8
            Call("page_alloc", .value(3)),              // 17: base: one order-3 block again
            Call("page_alloc", .value(0)),              // 18: 0
            Call("page_free", .value(base), .value(3)),
            Call("page_alloc", .value(11)),             // 20: no such order: 0
            Call("page_alloc", .value(4)),              // 21: larger than the region: 0
            Call("page_alloc_init", .value(base), .value(65536 + 10)),
            Call("page_free_count"),                    // 23: clamped to 65536
        ] + (0..<65).map { _ in Call("page_alloc", .value(10)) } + [  // 24...88
            Call("page_free_count"),                    // 89: 0
        ]
        let run = try run(calls)
        XCTAssertEqual(run.result(0), 0)
        XCTAssertEqual(run.result(2), 8)
        XCTAssertEqual([3, 4, 5, 6, 7].map(run.result), [base, base + page, base + 2 * page, base + 4 * page, 0])
        XCTAssertEqual(run.result(8), 0)
        XCTAssertEqual(run.result(11), 2)
        XCTAssertEqual(run.result(12), base)
        XCTAssertEqual(run.result(16), 8)
        XCTAssertEqual(run.result(17), base)
        XCTAssertEqual(run.result(18), 0)
        XCTAssertEqual(run.result(20), 0)
        XCTAssertEqual(run.result(21), 0)
        XCTAssertEqual(run.result(23), 65536)
        XCTAssertEqual((0..<64).map { run.result(24 + $0) }, (0..<64).map { base + UInt64($0) * 1024 * page })
        XCTAssertEqual(run.result(88), 0, "all 64 order-10 blocks are out")
        XCTAssertEqual(run.result(89), 0)
    }

    /// A long deterministic mix of allocations and frees over a region whose size is not a
    /// power of two, checked call by call against the model.
    func testBuddyAllocatorAgainstModel() throws {
        let base: UInt64 = 0x8000_0000_0400_0000, pages: UInt64 = 1000
        var model = BuddyModel(base: base, pages: pages)
        var calls = [Call("page_alloc_init", .value(base), .value(pages))]
        var expected: [UInt64?] = [nil]
        var live: [(UInt64, Int)] = []
        var x: UInt64 = 7
        for step in 0..<400 {
            let r = Self.lcg(&x) >> 33
            if r % 5 < 3 || live.isEmpty {
                let order = Int((r >> 8) % 7) + (r % 11 == 0 ? 4 : 0)
                let a = model.alloc(order)
                calls.append(Call("page_alloc", .value(UInt64(order))))
                expected.append(a)
                if a != 0 { live.append((a, order)) }
            } else {
                let (a, order) = live.remove(at: Int(r >> 4) % live.count)
                model.release(a, order)
                calls.append(Call("page_free", .value(a), .value(UInt64(order))))
                expected.append(nil)
            }
            if step % 10 == 9 {
                calls.append(Call("page_free_count"))
                expected.append(model.freePages)
            }
        }
        for (a, order) in live {
            model.release(a, order)
            calls.append(Call("page_free", .value(a), .value(UInt64(order))))
            expected.append(nil)
        }
        calls.append(Call("page_free_count"))
        expected.append(pages)
        XCTAssertEqual(model.freePages, pages)
        let run = try run(calls)
        for (i, e) in expected.enumerated() {
            if let e { XCTAssertEqual(run.result(i), e, "call \(i): \(calls[i].routine)") }
        }
    }
}

// MARK: - oops.s and symbols.s

extension GuestLibraryTests {
    struct Symbol { var start: UInt64; var size: UInt64; var name: String }

    static let symbols = [
        Symbol(start: 0xa000_0001_0001_2300, size: 0x200, name: "start_kernel"),
        Symbol(start: 0xa000_0001_0004_0000, size: 0x1c0, name: "ia64_do_page_fault"),
        Symbol(start: 0xa000_0001_0000_0000, size: 0x40, name: "_stext"),
    ]

    static var symbolData: String {
        var s = "\t.align 8\n\t.global kallsyms_table, kallsyms_count\nkallsyms_count:\n\tdata8 \(symbols.count)\nkallsyms_table:\n"
        for (i, sym) in symbols.enumerated() {
            s += "\tdata8 0x\(String(sym.start, radix: 16)), 0x\(String(sym.size, radix: 16)), sym_name\(i)\n"
        }
        for (i, sym) in symbols.enumerated() { s += asciz("sym_name\(i)", sym.name) }
        return s
    }

    /// Linux's print_symbol("%s"): name+%#lx/%#lx (Linux prints 0 as 0x0), or 0x%lx.
    static func symbolText(_ address: UInt64) -> String {
        guard let s = symbols.first(where: { address &- $0.start < $0.size }) else {
            return "0x" + String(address, radix: 16)
        }
        return "\(s.name)+0x\(String(address - s.start, radix: 16))/0x\(String(s.size, radix: 16))"
    }

    /// A pt_regs image in oops.s's documented layout (64 words).
    struct PtRegs {
        var words = [UInt64](repeating: 0, count: 64)
        var comm: String
        subscript(offset: Int) -> UInt64 {
            get { words[offset / 8] }
            set { words[offset / 8] = newValue }
        }
        func r(_ n: Int) -> UInt64 { self[256 + 8 * (n - 1)] }
        /// High and low words of f6...f11's spill images.
        func f(_ n: Int) -> (UInt64, UInt64) { (self[160 + 16 * (n - 6) + 8], self[160 + 16 * (n - 6)]) }

        init(seed: UInt64, comm: String, pid: UInt64, cpu: UInt64, psr: UInt64, iip: UInt64) {
            self.comm = comm
            var x = seed
            for i in 0..<64 { words[i] = GuestLibraryTests.lcg(&x) }
            self[0] = psr
            self[8] = 0x8000_0000_0000_0308
            self[16] = iip
            self[40] = 3
            self[144] = pid
            self[152] = cpu
            // Spill images: 17 bits of sign and exponent over a 64-bit significand.
            let f: [(UInt64, UInt64)] = [(0x1003e, 0xa0), (0x0ffff, 1 << 63), (0, 0),
                                         (0x2ffff, 0xc000_0000_0000_0000), (0x1003e, .max), (0x100, 1)]
            for (i, (hi, lo)) in f.enumerated() {
                self[160 + 16 * i] = lo
                self[160 + 16 * i + 8] = hi
            }
            self[256 + 8 * 11] = 0xa000_0001_0075_fd90  // r12: a kernel stack
        }

        /// The data8 lines; the comm word refers to `commLabel`.
        func data(label: String, commLabel: String) -> String {
            "\(label):\n" + words.enumerated().map { i, w in
                i == 136 / 8 ? "\tdata8 \(commLabel)" : "\tdata8 0x\(String(w, radix: 16))"
            }.joined(separator: "\n") + "\n"
        }

        /// Linux 2.6.18's die() and show_regs() output for these registers.
        func expectedOops(str: String, err: Int64, counter: Int) -> String {
            let pid = Int64(bitPattern: self[144]), cpu = Int64(bitPattern: self[152])
            let psr = self[0], ip = self[16] + (psr >> 41 & 3)
            let padded = String(repeating: " ", count: max(20 - comm.utf8.count, 0)) + comm
            var s = "\(comm)[\(pid)]: \(str) \(err) [\(counter)]\n"
            s += "Modules linked in:\n"
            s += "\nPid: \(pid), CPU \(cpu), comm: \(padded)\n"
            s += String(format: "psr : %016lx ifs : %016lx ip  : [<%016lx>]    ", psr, self[8], ip) + "Not tainted\n"
            s += "ip is at " + GuestLibraryTests.symbolText(ip) + "\n"
            s += String(format: "unat: %016lx pfs : %016lx rsc : %016lx\n", self[24], self[32], self[40])
            s += String(format: "rnat: %016lx bsps: %016lx pr  : %016lx\n", self[48], self[56], self[64])
            s += String(format: "ldrs: %016lx ccv : %016lx fpsr: %016lx\n", self[72], self[80], self[88])
            s += String(format: "csd : %016lx ssd : %016lx\n", self[96], self[104])
            s += String(format: "b0  : %016lx b6  : %016lx b7  : %016lx\n", self[112], self[120], self[128])
            for n in stride(from: 6, through: 10, by: 2) {
                let a = f(n), b = f(n + 1)
                s += String(format: "f%-3d: %05lx%016lx f%-3d: %05lx%016lx\n", n, a.0, a.1, n + 1, b.0, b.1)
            }
            s += String(format: "r1  : %016lx r2  : %016lx r3  : %016lx\n", r(1), r(2), r(3))
            for n in stride(from: 8, through: 29, by: 3) {
                s += String(format: "r%-3d: %016lx r%-3d: %016lx r%-3d: %016lx\n", n, r(n), n + 1, r(n + 1), n + 2, r(n + 2))
            }
            return s
        }
    }

    func testOopsOutput() throws {
        let regs1 = PtRegs(seed: 1, comm: "swapper", pid: 0, cpu: 0,
                           psr: 0x0000_1010_0802_6018 | 1 << 41, iip: 0xa000_0001_0001_2340)
        let regs2 = PtRegs(seed: 2, comm: "a_comm_longer_than_20", pid: 4242, cpu: 3,
                           psr: 0x0000_1210_0802_6018 | 2 << 41, iip: 0xa000_0001_0090_0000)
        let frames: [(UInt64, UInt64, UInt64)] = [
            (0xa000_0001_0004_0000, 0xa000_0001_0075_fd90, 0xa000_0001_0075_1038),  // offset 0
            (0xa000_0001_0004_01b2, 0xa000_0001_0075_fdc0, 0xa000_0001_0075_1000),  // last byte's slot
            (0xa000_0001_0000_0040, 0, 0xffff_ffff_ffff_ffff),                       // just past _stext
        ]
        var data = regs1.data(label: "regs1", commLabel: "s_comm1") + regs2.data(label: "regs2", commLabel: "s_comm2")
        data += Self.asciz("s_comm1", regs1.comm) + Self.asciz("s_comm2", regs2.comm)
        data += Self.asciz("s_oops", "Oops") + Self.asciz("s_bug", "Kernel BUG") + Self.symbolData
        var calls = [
            Call("oops_print", .symbol("regs1"), .symbol("s_oops"), .value(8_804_682_956_800), .value(1)),
            Call("oops_print", .symbol("regs2"), .symbol("s_bug"), .signed(-22), .value(2)),
            Call("oops_call_trace_header"),
        ]
        calls += frames.map { Call("oops_backtrace_frame", .value($0.0), .value($0.1), .value($0.2)) }
        calls += [
            Call("symbolize", .value(0xa000_0001_0004_0000)),
            Call("symbolize", .value(0xa000_0001_0004_01c0)),
            Call("symbolize", .value(0xa000_0001_0000_003f)),
        ]
        let run = try run(calls, data: data)
        var expected = regs1.expectedOops(str: "Oops", err: 8_804_682_956_800, counter: 1)
        expected += regs2.expectedOops(str: "Kernel BUG", err: -22, counter: 2)
        expected += "\nCall Trace:\n"
        for (ip, sp, bsp) in frames {
            expected += String(format: " [<%016lx>] ", ip) + Self.symbolText(ip) + "\n"
            expected += String(repeating: " ", count: 32) + String(format: "sp=%016lx bsp=%016lx\n", sp, bsp)
        }
        let got = run.console.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(got.count, want.count) {
            XCTAssertEqual(i < got.count ? String(got[i]) : "<missing>", i < want.count ? String(want[i]) : "<extra>", "line \(i + 1)")
        }
        XCTAssertEqual(run.console, expected)
        // The first lines, spelled out as in a real 2.6.18 oops.
        XCTAssertTrue(run.console.hasPrefix("""
            swapper[0]: Oops 8804682956800 [1]
            Modules linked in:

            Pid: 0, CPU 0, comm:              swapper
            psr : 0000121008026018 ifs : 8000000000000308 ip  : [<a000000100012341>]    Not tainted
            ip is at start_kernel+0x41/0x200
            """), run.console)
        XCTAssertTrue(run.console.contains("f6  : 1003e00000000000000a0 f7  : 0ffff8000000000000000\n"))
        let names = (0..<Self.symbols.count).map { run.elf.symbol(named: "sym_name\($0)")!.value }
        XCTAssertEqual(run.result(6), names[1])
        XCTAssertEqual(run.result(7), 0, "one past the end of ia64_do_page_fault")
        XCTAssertEqual(run.result(8), names[2])
    }
}

// MARK: - Debug information

extension GuestLibraryTests {
    /// Every routine can be unwound (an unwind table entry whose prologue saves ar.pfs) and
    /// every library source has line information, so a debugger can walk and show guest code.
    func testUnwindAndLineInformation() throws {
        let elf = try GuestProgram.build(
            files: Self.library,
            sources: [GuestProgram.Source(name: "driver", text: Self.driver([]))],
            linkerArguments: Self.link)
        let unwind = try GuestProgram.toolOutput("ia64-linux-gnu-readelf", ["-u"], image: elf)
        let routines = ["print_str", "print_hex", "print_dec", "print_sdec", "print_nl", "print_padded",
                        "page_alloc_init", "page_alloc", "page_free", "page_free_count", "symbolize",
                        "oops_print", "oops_call_trace_header", "oops_backtrace_frame", "print_symbol",
                        "strlen", "memcpy", "memset", "work_compute", "work_shared", "work_sort",
                        "console_write", "lib_test_main"]
        for name in routines {
            let entry = unwind.components(separatedBy: "<\(name)>: ").dropFirst().first
            XCTAssertNotNil(entry, "\(name) has no unwind entry")
            guard let entry, let end = entry.range(of: "\n\n") else { continue }
            XCTAssertTrue(entry[..<end.lowerBound].contains("pfs_gr"), "\(name): ar.pfs save not described")
        }
        XCTAssertTrue(unwind.contains("<_start>"), "_start ends the unwind chain")
        let lines = try GuestProgram.toolOutput("ia64-linux-gnu-objdump", ["--dwarf=decodedline"], image: elf)
        for file in ["print.s", "page_alloc.s", "symbols.s", "oops.s", "workloads.s", "bare_harness.s"] {
            XCTAssertTrue(lines.contains(file + ":"), "no line information for \(file)")
        }
    }
}
