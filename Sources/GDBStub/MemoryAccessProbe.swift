import IA64Exec

/// The data access the instruction at the CPU's (ip, slot) is about to make, found by decoding
/// it: a watchpoint needs to know about reads, which leave no trace in memory. Loads, stores,
/// semaphores (both), with their address register's value and access size.
struct MemoryAccessProbe {
    struct Access {
        var address: UInt64
        var size: UInt64
        var reads: Bool
        var writes: Bool
    }

    static func nextAccess(of cpu: Processor) -> Access? {
        guard let (instruction, _) = cpu.currentInstruction(), !instruction.isReserved, !instruction.isLongImmediateSlot,
              Int(instruction.opcodeIndex) < OpcodeTable.shared.entries.count else { return nil }
        let entry = OpcodeTable.shared.entries[Int(instruction.opcodeIndex)]
        guard let index = entry.operands.firstIndex(of: .mr3) else { return nil }
        guard instruction.qp == 0 || cpu.predicate(logical: Int(instruction.qp)) else { return nil }
        guard let base = cpu.generalRegister(Int(instruction.operands[index])) else { return nil }
        let name = entry.name
        let mnemonic = String(entry.mnemonic)
        let semaphore = mnemonic.hasPrefix("cmpxchg") || mnemonic.hasPrefix("xchg") || mnemonic.hasPrefix("fetchadd")
        let reads = semaphore || mnemonic.hasPrefix("ld")
        let writes = semaphore || mnemonic.hasPrefix("st")
        guard reads || writes else { return nil }  // lfetch, probe…: no data access
        return Access(address: base.value, size: size(name: name, mnemonic: mnemonic), reads: reads, writes: writes)
    }

    /// Bytes accessed, from the mnemonic: ld8/st4/cmpxchg2…, ldfs/ldfd/ldfe, ldf8, fill/spill, pairs.
    static func size(name: String, mnemonic: String) -> UInt64 {
        if name.hasPrefix("ldf.fill") || name.hasPrefix("stf.spill") { return 16 }
        if mnemonic.hasPrefix("ldfp") { return mnemonic.hasSuffix("s") ? 8 : 16 }
        if mnemonic.hasPrefix("ldf") || mnemonic.hasPrefix("stf") {
            switch mnemonic.last {
            case "s": return 4
            case "e": return 10
            default: return 8
            }
        }
        let digits = mnemonic.reversed().prefix { $0.isNumber }
        return UInt64(String(digits.reversed())) ?? 8
    }
}
