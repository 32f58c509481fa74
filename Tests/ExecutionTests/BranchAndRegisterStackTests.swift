import IA64Exec
import VMMCore
import XCTest

final class BranchAndRegisterStackTests: XCTestCase {
    /// fib(20) by recursion: 21 frame levels of 6 registers overflow the 96 physical stacked
    /// registers, so frames spill to the backing store and fill back on return.
    func testRecursiveFibonacciSpillsAndFills() throws {
        let elf = try GuestProgram.build(file: "Guests/examples/fib.s")
        let process = try LinuxUserProcess(elf: elf)
        XCTAssertEqual(process.run(), .exited(status: 0))
        XCTAssertEqual(process.cpu.r(20), 6765)
    }

    /// Ackermann(2, 3) = 9 and Ackermann(3, 3) = 61: deep, irregular recursion.
    func testAckermann() throws {
        let source = """
            .text
            .global _start
            .proc _start
        _start:
            alloc r32 = ar.pfs, 0, 4, 2, 0
            mov out0 = 2
            mov out1 = 3
            ;;
            br.call.sptk.many b0 = ack
            ;;
            mov r20 = r8
            mov out0 = 3
            mov out1 = 3
            ;;
            br.call.sptk.many b0 = ack
            ;;
            mov r21 = r8
            ;;
            .global done
        done:
            mov r15 = 1025
            mov out0 = 0
            ;;
            break.i 0x100000
            .endp _start

            .proc ack
        ack:                                  // ack(m = in0, n = in1) in r8
            alloc loc0 = ar.pfs, 2, 3, 2, 0
            mov loc1 = b0
            cmp.eq p6, p0 = 0, in0
            ;;
        (p6) adds r8 = 1, in1
        (p6) br.cond.dpnt.few .Lret
            cmp.eq p7, p0 = 0, in1
            ;;
        (p7) br.cond.dpnt.few .Lnzero
            mov out0 = in0
            adds out1 = -1, in1
            ;;
            br.call.sptk.many b0 = ack        // t = ack(m, n-1)
            ;;
            adds out0 = -1, in0
            mov out1 = r8
            ;;
            br.call.sptk.many b0 = ack        // ack(m-1, t)
            ;;
            br.cond.sptk.few .Lret
        .Lnzero:
            adds out0 = -1, in0
            mov out1 = 1
            ;;
            br.call.sptk.many b0 = ack        // ack(m-1, 1)
            ;;
        .Lret:
            mov ar.pfs = loc0
            mov b0 = loc1
            ;;
            br.ret.sptk.many b0
            .endp ack
        """
        let (process, outcome) = try GuestProgram.run(try GuestProgram.build(source))
        XCTAssertEqual(outcome, .reachedStop)
        XCTAssertEqual(process.cpu.r(20), 9)
        XCTAssertEqual(process.cpu.r(21), 61)
    }

    func testFlushrsWritesDirtyRegistersWithNaTCollections() throws {
        let cpu = try GuestProgram.runSnippet("""
            mov r14 = ar.bsp
            mov r15 = ar.bspstore
            ;;
            flushrs ;;
            mov r16 = ar.bspstore
            mov r17 = ar.bsp
            """)
        // The snippet's frame was entered fresh, so nothing is dirty: bsp == bspstore.
        XCTAssertEqual(cpu.r(14), cpu.r(15))
        XCTAssertEqual(cpu.r(16), cpu.r(17))
        XCTAssertEqual(RegisterStackMath.advance(0x1000, by: 62), 0x1000 + 62 * 8)
        XCTAssertEqual(RegisterStackMath.advance(0x1000, by: 63), 0x1000 + 64 * 8)  // skips the collection at slot 63
        XCTAssertEqual(RegisterStackMath.advance(0x1000 + 64 * 8, by: -63), 0x1000)
    }

    /// A software-pipelined loop: br.ctop rotates r32+, the predicates and counts ar.lc/ar.ec.
    func testCountedLoopsAndRotation() throws {
        let cpu = try GuestProgram.runSnippet("""
            mov r8 = 0
            mov ar.lc = 4 ;;             // five iterations
            loop1:
            adds r8 = 1, r8
            br.cloop.sptk.few loop1 ;;
            alloc r9 = ar.pfs, 0, 16, 0, 16 ;;   // 16 rotating registers
            mov ar.lc = 2
            mov ar.ec = 2
            mov pr.rot = 0x10000 ;;      // p16 = 1
            mov r10 = 0
            mov r32 = 100 ;;
            loop2:
            (p16) adds r32 = 1, r32      // stage 1
            (p17) add r10 = r10, r33 ;;  // stage 2 sees last iteration's r32 as r33
            br.ctop.sptk.few loop2 ;;
            mov r11 = ar.lc
            mov r14 = ar.ec
            clrrrb ;;
            alloc r9 = ar.pfs, 8, 8, 8, 0 ;;     // back to the snippet's frame layout
            """)
        XCTAssertEqual(cpu.r(8), 5)
        XCTAssertEqual(cpu.r(11), 0)
        XCTAssertEqual(cpu.r(14), 0)
        // Worked by hand: stage 2 adds 101, then 1, then 1 as the registers rotate under it.
        XCTAssertEqual(cpu.r(10), 103)
    }
}

extension BranchAndRegisterStackTests {
    /// Backing-store arithmetic against a walk one register slot at a time.
    func testBackingStoreAdvanceMatchesASlotWalk() {
        func walk(_ address: UInt64, _ count: Int) -> UInt64 {
            var a = address
            for _ in 0..<abs(count) {
                if count > 0 {
                    a += 8
                    if RegisterStackMath.isCollection(a) { a += 8 }
                } else {
                    a -= 8
                    if RegisterStackMath.isCollection(a) { a -= 8 }
                }
            }
            return a
        }
        for slot in 0..<63 {
            let address = 0x10_0000 + UInt64(slot) * 8
            for count in [-200, -126, -64, -63, -62, -30, -1, 0, 1, 5, 62, 63, 64, 125, 200] {
                XCTAssertEqual(RegisterStackMath.advance(address, by: count), walk(address, count), "slot \(slot) by \(count)")
            }
        }
    }
}
