/// The translation lookaside buffers: 8 translation registers and a 64-entry translation
/// cache for each of instructions and data. The caches replace first-in first-out, so
/// everything about them is deterministic.
struct TranslationBuffer {
    struct Entry: Equatable {
        var valid = false
        var rid: UInt64 = 0
        /// Virtual address bits 60..ps of the page (region bits excluded: the RID names it).
        var vpn: UInt64 = 0
        var pageShift: UInt64 = 12
        /// The translation as inserted: p, ma, a, d, pl, ar, ppn, ed.
        var pte: UInt64 = 0
        var key: UInt64 = 0

        var present: Bool { pte & 1 != 0 }
        var accessed: Bool { pte >> 5 & 1 != 0 }
        var dirty: Bool { pte >> 6 & 1 != 0 }
        var privilegeLevel: UInt64 { pte >> 7 & 3 }
        var accessRights: UInt64 { pte >> 9 & 7 }
        var memoryAttribute: UInt64 { pte >> 2 & 7 }
        /// Exception deferral (pte.ed, bit 52): a code page's bit is what ISR.ed reports for
        /// data faults of its instructions.
        var exceptionDeferral: Bool { pte >> 52 & 1 != 0 }

        func covers(rid: UInt64, address: UInt64) -> Bool {
            valid && self.rid == rid && (address & Self.offsetMask) >> pageShift == vpn
        }

        /// The physical address of `address` within this page.
        func physical(_ address: UInt64) -> UInt64 {
            let pageMask: UInt64 = (1 << pageShift) - 1
            return ((pte & 0x3_ffff_ffff_f000) & ~pageMask) | (address & pageMask)
        }

        static let offsetMask: UInt64 = (1 << 61) - 1

        init() {}

        init(rid: UInt64, address: UInt64, pageShift: UInt64, pte: UInt64, key: UInt64) {
            valid = true
            self.rid = rid
            self.pageShift = pageShift
            vpn = (address & Self.offsetMask) >> pageShift
            self.pte = pte
            self.key = key
        }

        /// Whether this entry overlaps the page of size 2^shift at `address` in region `rid`.
        func overlaps(rid: UInt64, address: UInt64, shift: UInt64) -> Bool {
            guard valid, self.rid == rid else { return false }
            let s = max(shift, pageShift)
            return (address & Self.offsetMask) >> s == ((vpn << pageShift) >> s)
        }
    }

    static let registerCount = 8
    static let cacheCount = 64

    var dataRegisters = [Entry](repeating: Entry(), count: registerCount)
    var instructionRegisters = [Entry](repeating: Entry(), count: registerCount)
    var dataCache = [Entry](repeating: Entry(), count: cacheCount)
    var instructionCache = [Entry](repeating: Entry(), count: cacheCount)
    var nextData = 0
    var nextInstruction = 0

    func lookup(instruction: Bool, rid: UInt64, address: UInt64) -> Entry? {
        let registers = instruction ? instructionRegisters : dataRegisters
        if let e = registers.first(where: { $0.covers(rid: rid, address: address) }) { return e }
        let cache = instruction ? instructionCache : dataCache
        return cache.first { $0.covers(rid: rid, address: address) }
    }

    mutating func insertCache(instruction: Bool, _ entry: Entry) {
        purgeCache(instruction: instruction, rid: entry.rid, address: entry.vpn << entry.pageShift, shift: entry.pageShift)
        if instruction {
            instructionCache[nextInstruction] = entry
            nextInstruction = (nextInstruction + 1) % Self.cacheCount
        } else {
            dataCache[nextData] = entry
            nextData = (nextData + 1) % Self.cacheCount
        }
    }

    mutating func insertRegister(instruction: Bool, slot: Int, _ entry: Entry) {
        if instruction { instructionRegisters[slot % Self.registerCount] = entry }
        else { dataRegisters[slot % Self.registerCount] = entry }
    }

    mutating func purgeCache(instruction: Bool, rid: UInt64, address: UInt64, shift: UInt64) {
        if instruction {
            for i in instructionCache.indices where instructionCache[i].overlaps(rid: rid, address: address, shift: shift) {
                instructionCache[i].valid = false
            }
        } else {
            for i in dataCache.indices where dataCache[i].overlaps(rid: rid, address: address, shift: shift) {
                dataCache[i].valid = false
            }
        }
    }

    mutating func purgeRegisters(instruction: Bool, rid: UInt64, address: UInt64, shift: UInt64) {
        if instruction {
            for i in instructionRegisters.indices where instructionRegisters[i].overlaps(rid: rid, address: address, shift: shift) {
                instructionRegisters[i].valid = false
            }
        } else {
            for i in dataRegisters.indices where dataRegisters[i].overlaps(rid: rid, address: address, shift: shift) {
                dataRegisters[i].valid = false
            }
        }
    }

    mutating func purgeAllCaches() {
        for i in 0..<Self.cacheCount {
            dataCache[i].valid = false
            instructionCache[i].valid = false
        }
    }
}
