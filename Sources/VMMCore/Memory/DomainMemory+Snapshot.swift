import IA64Exec

/// A domain's p2m, reservation, heap charges and the own pages foreign mappings cover. The frames it maps are machine memory,
/// saved with the machine. Not saved: the one-entry lookaside (emptied on restore), and
/// `machine`/`heap`, which are the restored hypervisor's own.
extension DomainMemory {
    func code<C: StateCoder>(_ c: inout C) throws {
        try c.code(&maxPages)
        try c.code(&reservation)
        try c.code(&p2mCharge)
        try c.code(&prechargedLeaves)
        try c.code(&extraLeafCharges)
        var generation = codeGeneration
        try c.code(&generation)
        codeGeneration = generation
        var keys = leaves.keys.sorted()
        try c.code(&keys)
        for key in keys {
            if c.isDecoding {
                guard key < Self.gpfnLimit >> Self.leafShift, leaves[key] == nil else {
                    throw c.corrupt("p2m leaf \(key) out of range or repeated")
                }
                leaves[key] = Leaf()
            }
            let entries = leaves[key]!.entries
            try c.packedWords(entries, count: Self.leafEntries)
            if c.isDecoding {
                for i in 0..<Self.leafEntries where entries[i] & Self.present != 0 && entries[i] >> Self.mfnShift >= machine.totalFrames {
                    throw c.corrupt("p2m entry for gpfn \(key << Self.leafShift | UInt64(i)) names machine frame beyond memory")
                }
            }
        }
        try c.code(&displaced)
        if c.isDecoding {
            for (gpfn, entry) in displaced.sorted(by: { $0.key < $1.key }) {
                guard entry & (Self.present | Self.shared) == Self.present, entry >> Self.mfnShift < machine.totalFrames,
                      let leaf = leaves[gpfn >> Self.leafShift],
                      leaf.entries[Int(gpfn & UInt64(Self.leafEntries - 1))] & Self.shared != 0 else {
                    throw c.corrupt("page set aside at gpfn \(gpfn) is not covered by a foreign mapping")
                }
            }
            invalidateLookaside()
        }
    }
}
