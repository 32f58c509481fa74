/// Register access by logical number: stacked and rotating registers renamed through the
/// current frame.
extension Processor {
    /// Points the logical → physical map at the current frame after the frame, bof or rrb.gr
    /// changes: a precomputed map when nothing rotates, else one built here.
    @inline(__always)
    func remapRegisters() {
        if cfm.sor == 0 || cfm.rrbGR == 0 {
            grMap = frameMapsBase + (bof * 97 + cfm.sof) * 128
        } else {
            remapRotating()
        }
    }

    func remapRotating() {
        let sof = cfm.sof, sor = cfm.sor, rrb = cfm.rrbGR, base = bof
        for i in 0..<96 {
            if i < sof {
                var rotated = i
                if i < sor {
                    rotated = i + rrb
                    if rotated >= sor { rotated -= sor }
                }
                var physical = base + rotated
                if physical >= 96 { physical -= 96 }
                rotatingMap[32 + i] = UInt8(32 + physical)
            } else {
                rotatingMap[32 + i] = 0xff
            }
        }
        grMap = UnsafePointer(rotatingMap)
    }

    /// Value and NaT bit of logical register `r`, or nil outside the current frame.
    @inline(__always)
    func gr(_ r: Int64) -> (value: UInt64, nat: Bool)? {
        let p = Int(grMap[Int(r & 127)])
        if p == 0xff { return nil }
        return (grValues[p], grNaT[p])
    }

    /// Whether logical register `r` can be written (not r0, inside the frame).
    @inline(__always)
    func writable(_ r: Int64) -> Bool {
        r != 0 && grMap[Int(r & 127)] != 0xff
    }

    @inline(__always)
    func setGR(_ r: Int64, _ value: UInt64, nat: Bool) {
        let p = Int(grMap[Int(r & 127)])
        grValues[p] = value
        grNaT[p] = nat
    }

    /// Physical index of a stacked register slot (0…95) in the register arrays.
    @inline(__always)
    func stackedPhysical(_ k: Int) -> Int {
        32 + ((k % 96) + 96) % 96
    }

    @inline(__always)
    func predicate(_ p: Int) -> Bool {
        logicalPredicates >> UInt64(p & 63) & 1 != 0
    }

    @inline(__always)
    func setPredicate(_ p: Int, _ value: Bool) {
        guard p != 0 else { return }
        let bit: UInt64 = 1 << UInt64(p & 63)
        if value { logicalPredicates |= bit } else { logicalPredicates &= ~bit }
    }

    /// All 64 predicates in logical order (what mov r1 = pr reads).
    public var predicates: UInt64 { logicalPredicates }

    /// Changes rrb.pr, rotating the logical view of p16…p63 to match: logical p(16+k) is
    /// physical p(16 + (k + rrb) mod 48).
    @inline(__always)
    func setPredicateRenameBase(_ value: Int) {
        if value == cfm.rrbPR { return }
        rotatePredicateWindow(to: value)
    }

    func rotatePredicateWindow(to value: Int) {
        let delta = ((value - cfm.rrbPR) % 48 + 48) % 48
        cfm.rrbPR = value
        guard delta != 0 else { return }
        let window = logicalPredicates >> 16  // 48 bits
        // New logical k = old logical (k + delta): rotate the 48-bit window right by delta.
        let rotated = ((window >> UInt64(delta)) | (window << UInt64(48 - delta))) & 0xffff_ffff_ffff
        logicalPredicates = (logicalPredicates & 0xffff) | rotated << 16
    }

    @inline(__always)
    func physicalFloat(_ f: Int) -> Int {
        f < 32 || cfm.rrbFR == 0 ? f : 32 + (f - 32 + cfm.rrbFR) % 96
    }

    @inline(__always)
    func floatRegister(_ f: Int) -> FloatRegisterBits { fr[physicalFloat(f)] }

    /// Writes an FP register and records the write in psr.mfl (f2–f31) or psr.mfh (f32–f127).
    @inline(__always)
    func setFloatRegister(_ f: Int, _ v: FloatRegisterBits) {
        fr[physicalFloat(f)] = v
        psr |= f < 32 ? 1 << 4 : 1 << 5
    }

    /// rotate_regs: what br.ctop/cexit/wtop/wexit do to the rename bases.
    func rotateRegisters() {
        cfm.rrbGR = cfm.sor == 0 ? 0 : (cfm.rrbGR + cfm.sor - 1) % cfm.sor
        cfm.rrbFR = (cfm.rrbFR + 95) % 96
        setPredicateRenameBase((cfm.rrbPR + 47) % 48)
        remapRegisters()
    }

    // MARK: - Inspection (debuggers, state dumps, tests)

    /// Logical general register `r` (r0…r127); nil when outside the current frame.
    public func generalRegister(_ r: Int) -> (value: UInt64, nat: Bool)? { gr(Int64(r)) }

    /// Writes logical general register `r`; false when it is r0 or outside the frame.
    @discardableResult
    public func setGeneralRegister(_ r: Int, value: UInt64, nat: Bool = false) -> Bool {
        guard writable(Int64(r)) else { return false }
        setGR(Int64(r), value, nat: nat)
        return true
    }

    public func floatingRegister(_ f: Int) -> FloatRegisterBits { floatRegister(f) }

    /// Writes a floating-point register (f2…f127; f0 and f1 are constants).
    public func setFloatingRegister(_ f: Int, _ value: FloatRegisterBits) {
        guard f > 1 && f < 128 else { return }
        setFloatRegister(f, value)
    }
    public func branchRegister(_ b: Int) -> UInt64 { br[b & 7] }
    public func setBranchRegister(_ b: Int, _ value: UInt64) { br[b & 7] = value }

    public func predicate(logical p: Int) -> Bool { predicate(p) }

    /// Application register `n` as `mov r = ar` would read it.
    public func applicationRegister(_ n: Int) -> UInt64 {
        switch n {
        case 17: return bsp
        case 18: return bspstore
        case 19: return rnat
        case 44: return ar[44] &+ retired
        default: return ar[n & 127]
        }
    }

    public var currentFrame: FrameMarker { cfm }
}

extension Processor {
    /// Sets an application register directly, bypassing privilege checks: for loaders and
    /// debuggers setting up state, not for guest execution. False, changing nothing, for an
    /// ar.pfs naming an impossible frame (see `PreviousFunctionState.isValid`).
    @discardableResult
    public func setApplicationRegisterForStartup(_ n: Int, _ value: UInt64) -> Bool {
        switch n {
        case 17, 18: setBackingStore(value)
        case 19: rnat = value
        case 44: ar[44] = value &- retired
        case 64:
            guard PreviousFunctionState.isValid(value) else { return false }
            ar[64] = value
        default: ar[n & 127] = value
        }
        return true
    }
}
