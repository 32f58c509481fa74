/// MLX bundles and the architectural slot number. The architecture numbers an MLX bundle's
/// L+X instruction (movl, brl) as slot 1 and makes resuming it at slot 2 an Illegal Operation;
/// xdbg's decoded bundles keep that instruction in slot 2 (slot 1 holds a placeholder), so the
/// CPU rests at slot 2 before it. These translate where the slot becomes architectural state:
/// IPSR.ri and ISR.ei on an interruption, and ri on rfi.
extension Processor {
    /// Whether the bundle at `address` is MLX, read from memory (through the instruction TLB's
    /// entries when psr.it is set, without filling it): the same answer in a run restored from a
    /// snapshot, whatever the code cache holds.
    func isLongBundle(at address: UInt64) -> Bool {
        var physical = address
        if psr & ProcessorStatus.it != 0 {
            guard let entry = tlb.lookup(instruction: true, rid: regionRID(address), address: address),
                  entry.present else { return false }
            physical = entry.physical(address)
        }
        guard let low = bus.load(physical & ~0xf, size: 8) else { return false }
        let template = low & 0x1f
        return template == 0x04 || template == 0x05
    }

    /// `slot` of the bundle at `address` as IPSR.ri and ISR.ei report it.
    public func architecturalSlot(_ slot: Int, at address: UInt64) -> Int {
        slot == 2 && isLongBundle(at: address) ? 1 : slot
    }

    /// The slot of the instruction `interruption` is about, as ISR.ei reports it.
    public func architecturalSlot(of interruption: Interruption) -> Int {
        interruption.slotIsArchitectural ? interruption.slot : architecturalSlot(interruption.slot, at: interruption.iip)
    }

    /// `interruption`'s ISR with ei numbered as the architecture does.
    public func withArchitecturalSlot(_ interruption: Interruption) -> UInt64 {
        interruption.isr & ~(3 << 41) | UInt64(architecturalSlot(of: interruption)) << 41
    }
}
