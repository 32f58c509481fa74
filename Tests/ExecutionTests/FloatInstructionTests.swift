import IA64Exec
import XCTest

/// F-unit instructions and FP memory formats. Expected bits worked from IEEE-754 and the
/// register-format definitions (bias 0xFFFF, explicit integer bit).
final class FloatInstructionTests: XCTestCase {
    func testTransfersAndMemoryFormats() throws {
        let cpu = try GuestProgram.runSnippet("""
            movl r8 = 0x3ff8000000000000      // 1.5
            movl r9 = 0x3f800000              // 1.0f
            ;;
            setf.d f6 = r8
            st4 [r3] = r9
            ;;
            getf.exp r10 = f6                 // 0xffff
            getf.sig r11 = f6                 // 0xc000000000000000
            ldfs f7 = [r3]
            ;;
            stfd [r3] = f7
            ;;
            ld8 r14 = [r3]                    // 1.0 as a double
            setf.sig f8 = r8
            ;;
            getf.sig r15 = f8
            getf.exp r16 = f8                 // 0x1003e: integer format
            stf.spill [r3] = f6
            ;;
            ldf.fill f9 = [r3]
            ;;
            getf.d r17 = f9                   // round trip of 1.5
            mov r18 = 0 ;;
            ld8.s r19 = [r18] ;;              // NaT
            setf.d f10 = r19 ;;               // NaTVal
            getf.d r20 = f10                  // NaT again
            """)
        XCTAssertEqual(cpu.r(10), 0xffff)
        XCTAssertEqual(cpu.r(11), 0xc000_0000_0000_0000)
        XCTAssertEqual(cpu.r(14), 0x3ff0_0000_0000_0000)
        XCTAssertEqual(cpu.r(15), 0x3ff8_0000_0000_0000)
        XCTAssertEqual(cpu.r(16), 0x1003e)
        XCTAssertEqual(cpu.r(17), 0x3ff8_0000_0000_0000)
        XCTAssertTrue(cpu.floatingRegister(10).isNaTVal)
        XCTAssertTrue(cpu.nat(20))
    }

    func testMultiplyAddCompareAndClassify() throws {
        let cpu = try GuestProgram.runSnippet("""
            movl r8 = 0x3ff8000000000000      // 1.5
            movl r9 = 0x4000000000000000      // 2.0
            movl r10 = 0x3fd0000000000000     // 0.25
            ;;
            setf.d f6 = r8
            setf.d f7 = r9
            setf.d f8 = r10
            ;;
            fma.d f9 = f6, f7, f8             // 3.25
            fms.d f10 = f6, f7, f8            // 2.75
            fnma.d f11 = f6, f7, f8           // -2.75
            fadd.d f12 = f6, f7               // 3.5 (fma.d with f1 implied)
            fsub.d f21 = f6, f7               // -0.5 (fms.d with f1 implied)
            fmpy.d f22 = f6, f7               // 3.0 (fma.d with f0 implied)
            fnmpy.d f23 = f6, f7              // -3.0
            fmerge.ns f13 = f6, f6            // -1.5
            ;;
            getf.d r21 = f21
            getf.d r22 = f22
            getf.d r23 = f23
            getf.d r14 = f9
            getf.d r15 = f10
            getf.d r16 = f11
            getf.d r17 = f12
            getf.d r18 = f13
            fcmp.lt p6, p7 = f6, f7
            fcmp.eq p8, p9 = f6, f7
            fclass.m p10, p11 = f0, 0x007     // +zero or -zero
            fclass.m p12, p13 = f13, 0x011    // positive normal? no: it is negative
            ;;
            fcvt.fx.trunc f14 = f9            // 3
            ;;
            getf.sig r19 = f14
            fcvt.xf f15 = f14                 // 3.0
            ;;
            fnorm.d f15 = f15
            ;;
            getf.d r20 = f15
            """)
        XCTAssertEqual(cpu.r(14), 0x400a_0000_0000_0000)
        XCTAssertEqual(cpu.r(15), 0x4006_0000_0000_0000)
        XCTAssertEqual(cpu.r(16), 0xc006_0000_0000_0000)
        XCTAssertEqual(cpu.r(17), 0x400c_0000_0000_0000)
        XCTAssertEqual(cpu.r(18), 0xbff8_0000_0000_0000)
        XCTAssertEqual(cpu.r(21), 0xbfe0_0000_0000_0000)
        XCTAssertEqual(cpu.r(22), 0x4008_0000_0000_0000)
        XCTAssertEqual(cpu.r(23), 0xc008_0000_0000_0000)
        XCTAssertTrue(cpu.p(6)); XCTAssertFalse(cpu.p(7))
        XCTAssertFalse(cpu.p(8)); XCTAssertTrue(cpu.p(9))
        XCTAssertTrue(cpu.p(10)); XCTAssertFalse(cpu.p(11))
        XCTAssertFalse(cpu.p(12)); XCTAssertTrue(cpu.p(13))
        XCTAssertEqual(cpu.r(19), 3)
        XCTAssertEqual(cpu.r(20), 0x4008_0000_0000_0000)
    }

    func testFusedMultiplyAddRoundsOnce() throws {
        // (1 + 2^-52) * (1 - 2^-52) - 1 = -2^-104 exactly when fused; 0 if rounded twice.
        let cpu = try GuestProgram.runSnippet("""
            movl r8 = 0x3ff0000000000001
            movl r9 = 0x3fefffffffffffff
            movl r10 = 0xbff0000000000000
            ;;
            setf.d f6 = r8
            setf.d f7 = r9
            setf.d f8 = r10
            ;;
            fma.d f9 = f6, f7, f8
            ;;
            getf.d r14 = f9
            """)
        // 1 - 2^-52 is 0x3fefffffffffffff only as (1 - 2^-53)*... : compute the exact product.
        let a = Double(bitPattern: 0x3ff0_0000_0000_0001), b = Double(bitPattern: 0x3fef_ffff_ffff_ffff)
        let expected = (-1.0).addingProduct(a, b)
        XCTAssertNotEqual(expected, 0)
        XCTAssertEqual(cpu.r(14), expected.bitPattern)
    }

    func testIntegerMultiplyOnSignificands() throws {
        let cpu = try GuestProgram.runSnippet("""
            mov r8 = 7
            mov r9 = 6
            mov r10 = 5
            mov r11 = -1
            mov r14 = 2
            ;;
            setf.sig f6 = r8
            setf.sig f7 = r9
            setf.sig f8 = r10
            setf.sig f9 = r11
            setf.sig f10 = r14
            ;;
            xma.l f11 = f6, f7, f8            // 47
            xma.hu f12 = f9, f10, f0          // high of (2^64 - 1) * 2 = 1
            xma.h f13 = f9, f10, f0           // high of (-1) * 2 = -1
            ;;
            getf.sig r15 = f11
            getf.sig r16 = f12
            getf.sig r17 = f13
            """)
        XCTAssertEqual(cpu.r(15), 47)
        XCTAssertEqual(cpu.r(16), 1)
        XCTAssertEqual(cpu.r(17), ~0)
    }

    /// The low product wraps at 64 bits, xmpy.l adds f0, and a NaT or NaTVal anywhere gives
    /// NaTVal and then a NaT (the run loop's own forms for setf.sig, getf.sig and xma.l).
    func testLowProductsAndNaTThroughSignificands() throws {
        let cpu = try GuestProgram.runSnippet("""
            mov r8 = -1
            mov r9 = 3
            mov r18 = 0
            ;;
            ld8.s r19 = [r18]                 // NaT
            setf.sig f6 = r8
            setf.sig f7 = r9
            ;;
            xmpy.l f8 = f6, f7                // (2^64 - 1) * 3 mod 2^64 = 2^64 - 3
            xma.l f9 = f7, f7, f6             // 9 + (2^64 - 1) mod 2^64 = 8
            setf.sig f10 = r19                // NaTVal
            ;;
            xma.l f11 = f7, f10, f7           // NaTVal
            getf.sig r14 = f8
            getf.sig r15 = f9
            ;;
            getf.sig r16 = f11                // NaT
            getf.exp r17 = f8                 // integer format
            """)
        XCTAssertEqual(cpu.r(14), 0xffff_ffff_ffff_fffd)
        XCTAssertEqual(cpu.r(15), 8)
        XCTAssertTrue(cpu.floatingRegister(10).isNaTVal)
        XCTAssertTrue(cpu.floatingRegister(11).isNaTVal)
        XCTAssertTrue(cpu.nat(16))
        XCTAssertFalse(cpu.nat(14))
        XCTAssertEqual(cpu.r(17), 0x1003e)
    }
}

extension FloatInstructionTests {
    /// sf0's inexact flag (ar.fpsr bit 18) is raised by an inexact fma.d and not by an exact one.
    func testInexactFlagIsSticky() throws {
        let exact = try GuestProgram.runSnippet("""
            movl r8 = 0x3ff8000000000000 ;;   // 1.5
            setf.d f6 = r8 ;;
            fma.d f7 = f6, f6, f0 ;;          // 2.25 exactly
            mov r9 = ar.fpsr
            """)
        XCTAssertEqual(exact.r(9) >> 18 & 1, 0)
        let inexact = try GuestProgram.runSnippet("""
            movl r8 = 0x3fb999999999999a ;;   // 0.1
            setf.d f6 = r8 ;;
            fma.d f7 = f6, f6, f6 ;;          // 0.11 is not a double
            mov r9 = ar.fpsr
            """)
        XCTAssertEqual(inexact.r(9) >> 18 & 1, 1)
        // The value agrees with the host's fused multiply-add.
        let x = Double(bitPattern: 0x3fb9_9999_9999_999a)
        XCTAssertEqual(inexact.floatingRegister(7), FloatFormats.fromDouble(x.addingProduct(x, x).bitPattern))
        // The same for a plain product (addend f0), which has its own form in the run loop.
        let product = try GuestProgram.runSnippet("""
            movl r8 = 0x3fb999999999999a ;;   // 0.1
            setf.d f6 = r8 ;;
            fmpy.d f7 = f6, f6 ;;             // 0.01 is not a double
            mov r9 = ar.fpsr
            """)
        XCTAssertEqual(product.r(9) >> 18 & 1, 1)
        XCTAssertEqual(product.floatingRegister(7), FloatFormats.fromDouble((x * x).bitPattern))
    }
}
