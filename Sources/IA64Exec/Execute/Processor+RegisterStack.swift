/// The register stack engine: frames on call, return and alloc, and the mandatory spills and
/// fills to the backing store when the 96 physical stacked registers run out.
extension Processor {
    /// Spills the oldest dirty register to ar.bspstore. False if the store fails.
    func spillOne() -> Bool {
        let p = stackedPhysical(bof - dirty)
        guard memoryStore(bspstore, size: 8, value: grValues[p]) else { return false }
        let bit: UInt64 = 1 << ((bspstore >> 3) & 0x3f)
        if grNaT[p] { rnat |= bit } else { rnat &= ~bit }
        bspstore &+= 8
        if RegisterStackMath.isCollection(bspstore) {
            guard memoryStore(bspstore, size: 8, value: rnat) else { return false }
            bspstore &+= 8
        }
        dirty -= 1
        return true
    }

    /// Fills the register just below the dirty partition from the backing store.
    func fillOne(intoPhysical p: Int) -> Bool {
        bspstore &-= 8
        if RegisterStackMath.isCollection(bspstore) {
            guard let collection = memoryLoad(bspstore, size: 8) else { return false }
            rnat = collection
            bspstore &-= 8
        }
        guard let value = memoryLoad(bspstore, size: 8) else { return false }
        grValues[p] = value
        grNaT[p] = rnat >> ((bspstore >> 3) & 0x3f) & 1 != 0
        return true
    }

    /// Makes room for a frame of `size` registers: spills until dirty + size fits.
    func ensureRoom(for size: Int) -> Bool {
        while dirty + size > Self.stackedRegisterCount {
            guard spillOne() else { return false }
        }
        return true
    }

    /// br.call from the bundle at `bundleIP`: the return link in b`link`, the caller's frame in
    /// ar.pfs, and the caller's outputs as the callee's frame.
    @inline(__always)
    func enterCall(link: Int, bundleIP: UInt64) {
        br[link & 7] = bundleIP &+ 16
        ar[64] = PreviousFunctionState(frame: cfm, epilogCount: ar[66], privilegeLevel: privilegeLevel).bits
        preserveFrame()
    }

    /// br.call: the caller's locals become dirty; the callee's frame is the caller's outputs.
    func preserveFrame() {
        let sol = cfm.sol
        let outputs = cfm.sof - sol
        bof += sol
        if bof >= 96 { bof -= 96 }
        dirty += sol
        bsp = RegisterStackMath.advance(bsp, by: sol)
        setPredicateRenameBase(0)
        cfm = FrameMarker(bits: UInt64(outputs))
        remapRegisters()
    }

    /// br.ret: restores the caller's frame `previous`, filling its registers if they were spilled.
    func restoreFrame(_ previous: FrameMarker) -> Bool {
        popFrame(previous, below: previous.sol)
    }

    /// Makes `previous` current again: its first `count` registers sit just below the current
    /// frame (sol after a call, sof after a cover); any of them already spilled are filled back.
    func popFrame(_ previous: FrameMarker, below count: Int) -> Bool {
        if dirty < count {
            guard fillBelowDirty(to: count) else { return false }
        } else {
            dirty -= count
        }
        bof -= count
        if bof < 0 { bof += 96 }
        bsp = RegisterStackMath.advance(bsp, by: -count)
        setPredicateRenameBase(previous.rrbPR)
        cfm = previous
        remapRegisters()
        return true
    }

    /// Fills the registers between the dirty partition and `count` below the current frame
    /// back from the backing store; afterwards none is dirty.
    @inline(never)
    func fillBelowDirty(to count: Int) -> Bool {
        for k in stride(from: bof - dirty - 1, through: bof - count, by: -1) {
            guard fillOne(intoPhysical: stackedPhysical(k)) else { return false }
        }
        dirty = 0
        return true
    }

    /// alloc: resizes the current frame (checks done by the caller).
    func resizeFrame(sof: Int, sol: Int, sor: Int) -> Bool {
        guard ensureRoom(for: sof) else { return false }
        cfm.sof = sof
        cfm.sol = sol
        cfm.sor = sor
        remapRegisters()
        return true
    }

    /// flushrs: writes every dirty register to the backing store.
    func flushDirty() -> Bool {
        while dirty > 0 {
            guard spillOne() else { return false }
        }
        return true
    }

    /// cover: the current frame becomes dirty and an empty frame begins.
    func coverFrame() {
        let sof = cfm.sof
        bof = (bof + sof) % Self.stackedRegisterCount
        dirty += sof
        bsp = RegisterStackMath.advance(bsp, by: sof)
        cfm.sof = 0
        cfm.sol = 0
        cfm.sor = 0
        cfm.rrbGR = 0
        cfm.rrbFR = 0
        setPredicateRenameBase(0)
        remapRegisters()
    }

    /// loadrs: makes exactly ar.rsc.loadrs bytes below ar.bsp dirty, filling from or discarding
    /// to the backing store.
    func loadRegisters(bytes: UInt64) -> Bool {
        var guardCount = 0
        while bsp &- bspstore < bytes && guardCount < 200 {
            guard dirty + cfm.sof < Self.stackedRegisterCount,
                  fillOne(intoPhysical: stackedPhysical(bof - dirty - 1)) else { return false }
            dirty += 1
            guardCount += 1
        }
        while bsp &- bspstore > bytes && dirty > 0 {
            // Discard the oldest dirty register without storing it.
            bspstore &+= 8
            if RegisterStackMath.isCollection(bspstore) { bspstore &+= 8 }
            dirty -= 1
        }
        return true
    }

    /// mov ar.bspstore = value: the dirty registers now belong above the new address.
    func writeBackingStorePointer(_ value: UInt64) {
        bspstore = value & ~7
        bsp = RegisterStackMath.advance(bspstore, by: dirty)
    }
}

extension Processor {
    /// What br.ret through b`b` does, for a platform that services a procedure call itself
    /// (firmware): restores the caller's frame from ar.pfs and continues at b`b`.
    public func returnFromProcedure(through b: Int) {
        let pfs = PreviousFunctionState(bits: ar[64])
        _ = restoreFrame(pfs.frame)
        ar[66] = pfs.epilogCount
        ip = br[b & 7] & ~0xf
        slot = 0
    }
}
