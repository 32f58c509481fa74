/// The processor's local interrupt model: pending vectors in cr.irr0–3, acknowledge through
/// cr.ivr, masking by cr.tpr and psr.i, end of interrupt through cr.eoi, and the interval timer
/// (ar.itc reaching cr.itm pends cr.itv's vector). Vector priority: NMI (2) highest, then
/// ExtINT (0), then 255 down to 16; a vector is deliverable when it is above every vector in
/// service and not masked (tpr.mmi masks all but NMI; tpr.mic masks classes vector{7:4} <= mic).
extension Processor {
    static let nmiVector = 2, extIntVector = 0

    /// Marks `vector` pending (what a device or another processor does).
    public func assertExternalInterrupt(vector: Int) {
        guard vector == 0 || vector == 2 || (16...255).contains(vector) else { return }
        cr[ControlRegister.irr0.rawValue + vector / 64] |= 1 << UInt64(vector % 64)
    }

    public func isPending(vector: Int) -> Bool {
        cr[ControlRegister.irr0.rawValue + vector / 64] >> UInt64(vector % 64) & 1 != 0
    }

    func inServiceBit(_ vector: Int) -> Bool {
        let word: UInt64
        switch vector / 64 {
        case 0: word = inService.0
        case 1: word = inService.1
        case 2: word = inService.2
        default: word = inService.3
        }
        return word >> UInt64(vector % 64) & 1 != 0
    }

    func setInService(_ vector: Int, _ on: Bool) {
        let bit: UInt64 = 1 << UInt64(vector % 64)
        func update(_ w: inout UInt64) { if on { w |= bit } else { w &= ~bit } }
        switch vector / 64 {
        case 0: update(&inService.0)
        case 1: update(&inService.1)
        case 2: update(&inService.2)
        default: update(&inService.3)
        }
    }

    /// Priority rank: higher delivers first.
    static func rank(_ vector: Int) -> Int {
        switch vector {
        case nmiVector: return 1000
        case extIntVector: return 999
        default: return vector
        }
    }

    /// Vectors from highest to lowest priority.
    static let priorityOrder: [Int] = [nmiVector, extIntVector] + Array((16...255).reversed())

    func highestInService() -> Int? {
        Self.priorityOrder.first { inServiceBit($0) }
    }

    /// The highest pending vector that may be acknowledged now, if any.
    func highestDeliverable() -> Int? {
        let tpr = cr[ControlRegister.tpr.rawValue]
        let maskAll = tpr & (1 << 16) != 0
        let mic = Int((tpr >> 4) & 0xf)
        let floor = highestInService().map(Self.rank) ?? -1
        for v in Self.priorityOrder where isPending(vector: v) {
            if Self.rank(v) <= floor { return nil }
            if v == Self.nmiVector { return v }
            if maskAll { continue }
            if v >= 16 && (v >> 4) <= mic { continue }
            return v
        }
        return nil
    }

    /// cr.ivr read: acknowledges the highest deliverable vector (15 when there is none).
    func acknowledgeInterrupt() -> UInt64 {
        guard let v = highestDeliverable() else { return 15 }
        cr[ControlRegister.irr0.rawValue + v / 64] &= ~(1 << UInt64(v % 64))
        setInService(v, true)
        return UInt64(v)
    }

    /// cr.eoi write: the highest vector in service is done.
    func endOfInterrupt() {
        if let v = highestInService() { setInService(v, false) }
        interruptStateChanged = true
    }

    /// An External Interrupt interruption, when psr.i allows one and a vector is deliverable.
    func pendingExternalInterruption() -> Interruption? {
        guard psr & ProcessorStatus.i != 0, highestDeliverable() != nil else { return nil }
        return Interruption(kind: .externalInterrupt, iip: ip, slot: slot)
    }

    // MARK: - Interval timer

    /// The retired-instruction count at which ar.itc reaches cr.itm, when the timer is armed
    /// (itv not masked) and that is still ahead.
    func timerDeadline() -> UInt64? {
        let itv = cr[ControlRegister.itv.rawValue]
        guard itv & (1 << 16) == 0, itv & 0xff >= 16 || itv & 0xff == 0 || itv & 0xff == 2 else { return nil }
        let deadline = cr[ControlRegister.itm.rawValue] &- ar[44]
        let itc = ar[44] &+ retired
        // Ahead when itm - itc is less than half the counter range (wrap-around compare).
        guard cr[ControlRegister.itm.rawValue] &- itc < 1 << 63, deadline > retired else { return nil }
        return deadline
    }

    func timerFired() {
        let itv = cr[ControlRegister.itv.rawValue]
        // One interrupt per match: once itc has passed itm the deadline is behind until itm
        // is written again.
        assertExternalInterrupt(vector: Int(itv & 0xff))
    }

    /// The platform raised a machine check while psr.mc masks it: `run` reports it once the
    /// guest clears psr.mc.
    public func holdMachineCheck() { machineCheckPending = true }
}
