/// Inline execution of the most common instruction forms. Each returns false when anything
/// unusual applies (a register outside the frame, r0 as target, a NaT, misalignment, big-endian
/// data, a memory miss): `execute` then handles the slot with full semantics.
extension Processor {
    enum FastResult { case handled, branched, declined, faulted, trapped }

    @_transparent
    func executeFast(_ x: UnsafeMutablePointer<ExecutableSlot>, _ fast: FastForm, bundleIP: UInt64) -> FastResult {
        switch fast {
        case .addRR: return fastALU(x) { $0 &+ $1 } ? .handled : .declined
        case .subRR: return fastALU(x) { $0 &- $1 } ? .handled : .declined
        case .andRR: return fastALU(x) { $0 & $1 } ? .handled : .declined
        case .orRR: return fastALU(x) { $0 | $1 } ? .handled : .declined
        case .xorRR: return fastALU(x) { $0 ^ $1 } ? .handled : .declined
        case .shiftLeftAdd:
            // Written out: a closure capturing the count was not inlined.
            let ra = Int(x.pointee.ra)
            let d = Int(grMap[ra]), a = Int(grMap[Int(x.pointee.rb)]), b = Int(grMap[Int(x.pointee.rc)])
            guard ra != 0, (d | a | b) < 0x80 else { return .declined }
            grValues[d] = (grValues[a] << UInt64(x.pointee.imm)) &+ grValues[b]
            grNaT[d] = grNaT[a] || grNaT[b]
            return .handled
        case .addIR:
            let ra = Int(x.pointee.ra)
            let d = Int(grMap[ra]), b = Int(grMap[Int(x.pointee.rc)])
            guard ra != 0, (d | b) < 0x80 else { return .declined }
            grValues[d] = UInt64(bitPattern: x.pointee.imm) &+ grValues[b]
            grNaT[d] = grNaT[b]
            return .handled
        case .move:
            let ra = Int(x.pointee.ra)
            let d = Int(grMap[ra]), a = Int(grMap[Int(x.pointee.rb)])
            guard ra != 0, (d | a) < 0x80 else { return .declined }
            grValues[d] = grValues[a]
            grNaT[d] = grNaT[a]
            return .handled
        case .moveImmediate:
            let ra = Int(x.pointee.ra)
            let d = Int(grMap[ra])
            guard ra != 0, d < 0x80 else { return .declined }
            grValues[d] = UInt64(bitPattern: x.pointee.imm)
            grNaT[d] = false
            return .handled
        case .load8, .load8Update:
            let ra = Int(x.pointee.ra), rb = Int(x.pointee.rb)
            let d = Int(grMap[ra]), b = Int(grMap[rb])
            guard ra != 0, (d | b) < 0x80, !grNaT[b], psr & 2 == 0 else { return .declined }
            let address = grValues[b]
            guard address & 7 == 0, let value = memoryLoad(address, size: 8) else { return .declined }
            if fast == .load8Update {
                guard rb != 0, rb != ra else { return .declined }
                grValues[b] = address &+ UInt64(bitPattern: x.pointee.imm)
            }
            grValues[d] = value
            grNaT[d] = false
            return .handled
        case .store8, .store8Update:
            let rb = Int(x.pointee.rb)
            let b = Int(grMap[rb]), c = Int(grMap[Int(x.pointee.rc)])
            guard (b | c) < 0x80, !grNaT[b], !grNaT[c], psr & 2 == 0 else { return .declined }
            let address = grValues[b]
            guard address & 7 == 0 else { return .declined }
            if fast == .store8Update && rb == 0 { return .declined }
            guard memoryStore(address, size: 8, value: grValues[c]) else { return .declined }
            alat.invalidateOverlapping(address: address, size: 8)
            if fast == .store8Update { grValues[b] = address &+ UInt64(bitPattern: x.pointee.imm) }
            return .handled
        case .compareEq, .compareLt, .compareLtu, .compareEqImm, .compareLtImm:
            let c = Int(grMap[Int(x.pointee.rc)])
            guard c < 0x80 else { return .declined }
            let first: UInt64
            var nat = grNaT[c]
            if fast == .compareEqImm || fast == .compareLtImm {
                first = UInt64(bitPattern: x.pointee.imm)
            } else {
                let a = Int(grMap[Int(x.pointee.imm & 127)])
                guard a < 0x80 else { return .declined }
                first = grValues[a]
                nat = nat || grNaT[a]
            }
            let second = grValues[c]
            let relation: Bool
            switch fast {
            case .compareEq, .compareEqImm: relation = first == second
            case .compareLtu: relation = first < second
            default: relation = Int64(bitPattern: first) < Int64(bitPattern: second)
            }
            setPredicate(Int(x.pointee.ra), !nat && relation)
            setPredicate(Int(x.pointee.rb), !nat && !relation)
            return .handled
        case .branch:
            branchTarget = bundleIP &+ UInt64(bitPattern: x.pointee.imm)
            return .branched
        case .countedLoop:
            if ar[65] != 0 {
                ar[65] &-= 1
                branchTarget = bundleIP &+ UInt64(bitPattern: x.pointee.imm)
                return .branched
            }
            return .handled
        case .moveFromBranch:
            let ra = Int(x.pointee.ra)
            let d = Int(grMap[ra])
            guard ra != 0, d < 0x80 else { return .declined }
            grValues[d] = br[Int(x.pointee.rb)]
            grNaT[d] = false
            return .handled
        case .moveToBranch:
            let b = Int(grMap[Int(x.pointee.rb)])
            guard b < 0x80, !grNaT[b] else { return .declined }
            br[Int(x.pointee.ra)] = grValues[b]
            return .handled
        case .moveToLoopRegister:  // mov ar.pfs / ar.lc = r2
            let b = Int(grMap[Int(x.pointee.rb)])
            guard b < 0x80, !grNaT[b] else { return .declined }
            let value = grValues[b]
            // An impossible frame in ar.pfs is a fault: the general path raises it.
            if x.pointee.imm == 64 && !PreviousFunctionState.isValid(value) { return .declined }
            ar[Int(x.pointee.imm)] = value
            return .handled
        case .call:
            return callFast(x, bundleIP: bundleIP)
        case .ret:
            return returnFast(x, bundleIP: bundleIP)
        case .loadDouble:
            return loadDoubleFast(x, bundleIP: bundleIP)
        case .storeDouble:
            return storeDoubleFast(x, bundleIP: bundleIP)
        case .floatUnit:
            return floatUnitFast(x)
        case .multiplyAddDouble:
            return multiplyAddDoubleFast(x, bundleIP: bundleIP)
        case .allocate:
            return allocateFast(x, bundleIP: bundleIP)
        case .general, .longSlot, .nop:
            return .declined
        }
    }

    @inline(never)
    func loadDoubleFast(_ x: UnsafeMutablePointer<ExecutableSlot>, bundleIP: UInt64) -> FastResult {
        let f = Int(x.pointee.ra), b = Int(grMap[Int(x.pointee.rb)])
        guard f > 1, b < 0x80, !grNaT[b], psr & 0xc_0002 == 0 else { return .declined }
        let address = grValues[b]
        guard address & 7 == 0, let bits = memoryLoad(address, size: 8) else { return .declined }
        let e = (bits >> 52) & 0x7ff
        guard e != 0 && e != 0x7ff else { return .declined }  // zeros, denormals, inf, NaN: general path
        setFloatRegister(f, FloatRegisterBits(significand: 1 << 63 | (bits & 0xf_ffff_ffff_ffff) << 11,
                                              signExponent: UInt32(bits >> 63) << 17 | UInt32(e + 0xffff - 1023)))
        return .handled
    }

    @inline(never)
    func storeDoubleFast(_ x: UnsafeMutablePointer<ExecutableSlot>, bundleIP: UInt64) -> FastResult {
        let b = Int(grMap[Int(x.pointee.rb)]), f = Int(x.pointee.rc)
        guard b < 0x80, !grNaT[b], psr & 0xc_0002 == 0 else { return .declined }
        let value = floatRegister(f)
        let exponent = value.signExponent & 0x1ffff
        guard value.significand >> 63 == 1, value.significand & 0x7ff == 0,
              exponent > 0xffff - 1023, exponent < 0xffff + 1024 else { return .declined }
        let address = grValues[b]
        let bits = UInt64(value.signExponent >> 17) << 63 | UInt64(exponent + 1023 - 0xffff) << 52
            | (value.significand >> 11) & 0xf_ffff_ffff_ffff
        guard address & 7 == 0, memoryStore(address, size: 8, value: bits) else { return .declined }
        alat.invalidateOverlapping(address: address, size: 8)
        return .handled
    }

    @inline(never)
    func floatUnitFast(_ x: UnsafeMutablePointer<ExecutableSlot>) -> FastResult {
        switch x.pointee.floatForm {
        case .arithmetic: return floatArithmeticFast(x)
        case .multiplyDouble: return multiplyDoubleFast(x)
        case .setSignificand, .getSignificand, .integerMultiplyLow: return integerTransferFast(x, x.pointee.floatForm)
        }
    }

    func floatArithmeticFast(_ x: UnsafeMutablePointer<ExecutableSlot>) -> FastResult {
        guard psr & 0xc_0000 == 0, case .floating(.arithmetic(let form)) = x.pointee.operation else { return .declined }
        switch floatArithmetic(form, x.pointee.operands, qualified: true) {
        case .next: return .handled
        case .fault: return .faulted
        case .trap: return .trapped  // completed; details are in `pending`
        case .branch: return .declined  // not produced by arithmetic
        }
    }

    @inline(never)
    func multiplyAddDoubleFast(_ x: UnsafeMutablePointer<ExecutableSlot>, bundleIP: UInt64) -> FastResult {
        // Round to nearest, double range, inexact trap off, moderate normal operands and a
        // normal or zero result: the host's fma (see hostMultiplyAdd).
        let field = Int(x.pointee.imm >> 16) & 3, variant = Int(x.pointee.imm >> 8) & 3
        let f1 = Int(x.pointee.ra), f2 = Int(x.pointee.imm & 127)
        let fpsr = ar[40]
        let sfShift = UInt64(6 + 13 * field)
        let sf = fpsr >> sfShift
        // controls: ftz 0, wre 0, rc 00; traps: id (fpsr bit 5) or td (control bit 6).
        guard f1 > 1, f2 != 0, psr & 0xc_0000 == 0, sf & 0x33 == 0, fpsr & 0x20 != 0 || sf & 0x40 != 0,
              let a = Self.moderateNormalDouble(floatRegister(Int(x.pointee.rb))),
              let b = Self.moderateNormalDouble(floatRegister(Int(x.pointee.rc))),
              let c = Self.moderateNormalDouble(floatRegister(f2)) else { return .declined }
        let inexactKnown = sf >> 12 & 1 != 0
        guard let r = Self.hostMultiplyAdd(variant == 2 ? -a : a, b, variant == 1 ? -c : c,
                                           needInexact: !inexactKnown) else { return .declined }
        setFloatRegister(f1, FloatFormats.fromHostDouble(r.value))
        if r.inexact { ar[40] = fpsr | 1 << (sfShift + 12) }
        return .handled
    }

    @inline(__always)
    func allocateFast(_ x: UnsafeMutablePointer<ExecutableSlot>, bundleIP: UInt64) -> FastResult {
        // The common alloc: no rotating region change, the frame fits without spilling.
        let sof = Int(x.pointee.ra), sol = Int(x.pointee.rb), sor = Int(x.pointee.rc)
        let destination = Int(x.pointee.imm)
        guard sor == cfm.sor, sol <= sof, sor <= sof, sof <= 96, dirty + sof <= 96,
              destination != 0, destination < 32 + sof else { return .declined }
        let pfs = ar[64]
        cfm.sof = sof
        cfm.sol = sol
        remapRegisters()
        let d = Int(grMap[destination])
        grValues[d] = pfs
        grNaT[d] = false
        return .handled
    }

    /// br.call: the return link, ar.pfs, and the caller's outputs become the new frame.
    @inline(__always)
    func callFast(_ x: UnsafeMutablePointer<ExecutableSlot>, bundleIP: UInt64) -> FastResult {
        let target = x.pointee.rc != 0 ? br[Int(x.pointee.rb)] & ~0xf : bundleIP &+ UInt64(bitPattern: x.pointee.imm)
        enterCall(link: Int(x.pointee.ra), bundleIP: bundleIP)
        branchTarget = target
        return .branched
    }

    /// br.ret whose caller frame is still in the register file and which keeps the privilege
    /// level: no memory traffic, no psr change. Anything else takes the general path.
    @inline(__always)
    func returnFast(_ x: UnsafeMutablePointer<ExecutableSlot>, bundleIP: UInt64) -> FastResult {
        let pfs = ar[64]
        let frame = FrameMarker(bits: pfs)
        let sol = frame.sol
        // Fills, a privilege change and psr.lp's possible trap take the general path, which
        // also lets the run loop see the interrupt-state change.
        guard dirty >= sol, pfs >> 62 <= privilegeLevel, psr & ProcessorStatus.lp == 0 else { return .declined }
        _ = popFrame(frame, below: sol)  // nothing to fill: cannot fail
        ar[66] = (pfs >> 52) & 0x3f
        branchTarget = br[Int(x.pointee.ra)] & ~0xf
        return .branched
    }

    /// A normal double of moderate magnitude (unbiased exponent within ±400) held in a
    /// register, by bit manipulation (nil for anything else, zeros included).
    @inline(__always)
    static func moderateNormalDouble(_ f: FloatRegisterBits) -> Double? {
        let exponent = f.signExponent & 0x1ffff, significand = f.significand
        guard significand >> 63 == 1, significand & 0x7ff == 0,
              exponent >= 0xffff - 400, exponent <= 0xffff + 400 else { return nil }
        return Double(bitPattern: UInt64(f.signExponent >> 17) << 63 | UInt64(exponent + 1023 - 0xffff) << 52
                      | (significand >> 11) & 0xf_ffff_ffff_ffff)
    }

    @_transparent
    func fastALU(_ x: UnsafeMutablePointer<ExecutableSlot>, _ f: (UInt64, UInt64) -> UInt64) -> Bool {
        let ra = Int(x.pointee.ra)
        let d = Int(grMap[ra]), a = Int(grMap[Int(x.pointee.rb)]), b = Int(grMap[Int(x.pointee.rc)])
        guard ra != 0, (d | a | b) < 0x80 else { return false }
        grValues[d] = f(grValues[a], grValues[b])
        grNaT[d] = grNaT[a] || grNaT[b]
        return true
    }
}
