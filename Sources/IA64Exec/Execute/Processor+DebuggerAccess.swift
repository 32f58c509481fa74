/// What a debugger stub needs beyond the inspection accessors: translation without side
/// effects, the stacked registers that still sit in the register file seen at their backing
/// store addresses (gdb reads r32+ as memory in [bof, bsp)), and writes to the predicate
/// register and frame marker. Nothing here runs guest code or changes the TLB.
extension Processor {
    /// The physical address of virtual `address` as a data access would see it now, or nil.
    /// Looks in the data then instruction TLB, then the VHPT without inserting anything.
    public func debugTranslate(_ address: UInt64) -> UInt64? {
        if psr & ProcessorStatus.dt == 0 { return address }
        let rid = regionRID(address)
        if let e = tlb.lookup(instruction: false, rid: rid, address: address) ?? tlb.lookup(instruction: true, rid: rid, address: address) {
            return e.present ? e.physical(address) : nil
        }
        let walkerOn = cr[ControlRegister.pta.rawValue] & 1 != 0 && regions[Int(address >> 61)] & 1 != 0
        guard walkerOn else { return nil }
        let hash = hashAddress(address)
        guard let tableEntry = tlb.lookup(instruction: false, rid: regionRID(hash), address: hash), tableEntry.present,
              let pte = bus.load(tableEntry.physical(hash), size: 8), pte & 1 != 0 else { return nil }
        let entry = TranslationBuffer.Entry(rid: rid, address: address, pageShift: regionPageShift(address), pte: pte, key: rid)
        return entry.physical(address)
    }

    /// ar.bspstore and the end of the current frame (ar.bsp advanced by cfm.sof): the backing
    /// store range whose registers are still in the register file.
    public var debugRegisterFileRange: (start: UInt64, end: UInt64) {
        (bspstore, RegisterStackMath.advance(bsp, by: cfm.sof))
    }

    /// Physical register index of the register slot at backing store `address`, if it lies in
    /// `debugRegisterFileRange` and is not a NaT collection.
    func registerFileIndex(at address: UInt64) -> Int? {
        let (start, end) = debugRegisterFileRange
        guard address & 7 == 0, address >= start, address < end, !RegisterStackMath.isCollection(address) else { return nil }
        var k = 0
        var a = start
        while a < address {
            if !RegisterStackMath.isCollection(a) { k += 1 }
            a &+= 8
        }
        guard k < dirty + cfm.sof else { return nil }
        return stackedPhysical(bof - dirty + k)
    }

    /// The doubleword a flushrs would write at backing store `address` (a register, or the NaT
    /// collection for registers in the register file); nil outside `debugRegisterFileRange`.
    public func debugBackingStoreWord(at address: UInt64) -> UInt64? {
        let (start, end) = debugRegisterFileRange
        guard address & 7 == 0, address >= start, address < end else { return nil }
        if let p = registerFileIndex(at: address) { return grValues[p] }
        // A collection: bits of slots already spilled come from ar.rnat, the rest from the file.
        var bits: UInt64 = 0
        var a = address & ~0x1ff
        while a < address {
            let bit: UInt64 = 1 << ((a >> 3) & 0x3f)
            if a < start {
                bits |= rnat & bit
            } else if let p = registerFileIndex(at: a), grNaT[p] {
                bits |= bit
            }
            a &+= 8
        }
        return bits
    }

    /// Writes the register at backing store `address` (value, NaT cleared); false outside the
    /// register file range. Writes to a collection slot set the NaT bits it covers.
    @discardableResult
    public func debugSetBackingStoreWord(at address: UInt64, value: UInt64) -> Bool {
        let (start, end) = debugRegisterFileRange
        guard address & 7 == 0, address >= start, address < end else { return false }
        if let p = registerFileIndex(at: address) {
            grValues[p] = value
            grNaT[p] = false
            return true
        }
        var a = address & ~0x1ff
        while a < address {
            let bit: UInt64 = 1 << ((a >> 3) & 0x3f)
            if a < start {
                rnat = (rnat & ~bit) | (value & bit)
            } else if let p = registerFileIndex(at: a) {
                grNaT[p] = value & bit != 0
            }
            a &+= 8
        }
        return true
    }

    /// Replaces all 64 predicates (logical order; p0 stays 1).
    public func debugSetPredicates(_ value: UInt64) { logicalPredicates = value | 1 }

    /// Replaces the current frame marker; false when the frame does not fit beside the dirty
    /// registers. ar.bsp (the frame's start) does not move.
    @discardableResult
    public func debugSetFrameMarker(_ bits: UInt64) -> Bool {
        let new = FrameMarker(bits: bits)
        guard FrameMarker.isValid(bits & 0x3f_ffff_ffff), dirty + new.sof <= Self.stackedRegisterCount else { return false }
        rotatePredicateWindow(to: new.rrbPR)
        cfm = new
        remapRegisters()
        return true
    }
}
