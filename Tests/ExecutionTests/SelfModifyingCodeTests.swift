import IA64Exec
import VMMCore
import XCTest

/// The decoded-bundle cache never serves a stale bundle: code rewritten in place runs anew.
final class SelfModifyingCodeTests: XCTestCase {
    func testRewrittenBundleRuns() throws {
        // `patch` runs once (r20 = 1), is overwritten with the bundle at `replacement`
        // (r20 = 2) by ordinary stores, flushed with fc/sync.i/srlz.i, and runs again.
        let source = """
            .text
            .global _start
            .proc _start
        _start:
            alloc r32 = ar.pfs, 0, 4, 0, 0
            mov r21 = 0
            ;;
        again:
            br.call.sptk.many b0 = patch
            ;;
            cmp.eq p6, p0 = 1, r21
            ;;
        (p6) br.cond.dpnt.few finish
            movl r8 = replacement
            movl r9 = patch
            ;;
            ld8 r10 = [r8], 8
            ;;
            ld8 r11 = [r8]
            st8 [r9] = r10, 8
            ;;
            st8 [r9] = r11
            adds r9 = -8, r9
            ;;
            fc r9
            ;;
            sync.i
            ;;
            srlz.i
            mov r22 = r20
            mov r21 = 1
            br.cond.sptk.few again
            ;;
        finish:
            nop.m 0
            ;;
            .global done
        done:
            mov r15 = 1025
            ;;
            break.i 0x100000
            .endp _start

            .align 16
            .proc patch
        patch:
        { .mib
            nop.m 0
            mov r20 = 1
            br.ret.sptk.many b0
        }
            .endp patch
            .align 16
        replacement:
        { .mib
            nop.m 0
            mov r20 = 2
            br.ret.sptk.many b0
        }
        """
        // The program stores into its own text, so give it a writable text segment.
        let elf = try GuestProgram.build(source)
        let (process, outcome) = try GuestProgram.run(elf)
        XCTAssertEqual(outcome, .reachedStop)
        XCTAssertEqual(process.cpu.r(22), 1, "first run of the original code")
        XCTAssertEqual(process.cpu.r(20), 2, "the rewritten bundle ran, not the cached one")
    }
}
