/// The Advanced Load Address Table: a deterministic, fully associative table of 32 entries
/// replaced first-in first-out. An entry records which register an advanced load targeted
/// and the bytes it read; stores that overlap remove it.
struct ALAT {
    struct Entry {
        var valid = false
        var floating = false
        var register: UInt8 = 0
        var address: UInt64 = 0
        var size: UInt8 = 0
    }

    static let capacity = 32
    var entries = [Entry](repeating: Entry(), count: capacity)
    var nextVictim = 0
    /// Valid entries, so the common no-advanced-loads case costs one compare per store.
    var validCount = 0

    mutating func insert(floating: Bool, register: UInt8, address: UInt64, size: Int) {
        remove(floating: floating, register: register)
        if entries[nextVictim].valid { validCount -= 1 }
        validCount += 1
        entries[nextVictim] = Entry(valid: true, floating: floating, register: register, address: address, size: UInt8(size))
        nextVictim = (nextVictim + 1) % Self.capacity
    }

    func contains(floating: Bool, register: UInt8) -> Bool {
        validCount > 0 && entries.contains { $0.valid && $0.floating == floating && $0.register == register }
    }

    mutating func remove(floating: Bool, register: UInt8) {
        guard validCount > 0 else { return }
        for i in entries.indices where entries[i].valid && entries[i].floating == floating && entries[i].register == register {
            entries[i].valid = false
            validCount -= 1
        }
    }

    /// A store to `[address, address + size)` invalidates every overlapping entry.
    /// Inlined so that the common case, an empty ALAT, costs a store no call.
    @inline(__always)
    mutating func invalidateOverlapping(address: UInt64, size: Int) {
        if validCount > 0 { invalidateEntries(overlapping: address, size: size) }
    }

    @inline(never)
    mutating func invalidateEntries(overlapping address: UInt64, size: Int) {
        for i in entries.indices where entries[i].valid {
            let e = entries[i]
            if address < e.address &+ UInt64(e.size) && e.address < address &+ UInt64(size) {
                entries[i].valid = false
                validCount -= 1
            }
        }
    }

    mutating func removeAll() {
        for i in entries.indices { entries[i].valid = false }
        validCount = 0
    }
}
