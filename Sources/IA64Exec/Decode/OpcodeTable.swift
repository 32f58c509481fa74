/// The instruction set as a table of encodings, and a fast index from a slot's bits to the
/// encoding that objdump (and the hardware) would pick. Built once from `opcodeTableText`.
public struct OpcodeTable: Sendable {
    public static let shared = OpcodeTable(text: opcodeTableText)

    /// All encodings, earlier entries taking priority when several match.
    public let entries: [OpcodeEntry]
    private let groups: [LookupGroup]

    /// Candidates for one (instruction type, major opcode) pair, bucketed by a few opcode bits
    /// most of its entries fix, so that a lookup scans only a handful of entries.
    private struct LookupGroup: Sendable {
        var bitPositions: [UInt8] = []
        var bucketStarts: [Int32] = [0]
        var candidates: [UInt16] = []
    }

    init(text: String) {
        var entries: [OpcodeEntry] = []
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            precondition(f.count == 7, "malformed opcode table line: \(line)")
            let type: InstructionType
            switch f[0] {
            case "A": type = .a
            case "I": type = .i
            case "M": type = .m
            case "F": type = .f
            case "B": type = .b
            default: type = .x
            }
            let operands = f[5] == "-" ? [] : f[5].split(separator: ",").map { OperandKind(rawValue: UInt8($0)!)! }
            entries.append(OpcodeEntry(
                name: String(f[1]), type: type, outputCount: UInt8(f[2])!,
                opcode: UInt64(f[3], radix: 16)!, mask: UInt64(f[4], radix: 16)!,
                operands: operands, flags: OpcodeFlags(rawValue: UInt32(f[6], radix: 16)!)))
        }
        self.entries = entries
        var groups: [LookupGroup] = []
        for type in InstructionType.allCases {
            for major in 0..<16 {
                let members = entries.indices.filter {
                    entries[$0].type == type && (entries[$0].opcode >> 37) & 0xf == UInt64(major)
                }
                groups.append(Self.makeGroup(members: members, entries: entries))
            }
        }
        self.groups = groups
    }

    /// Picks up to 12 bits fixed by at least three quarters of the members and buckets the
    /// members by them; a member that leaves a chosen bit free goes into both buckets. Order
    /// within each bucket stays table order, so priority is preserved.
    private static func makeGroup(members: [Int], entries: [OpcodeEntry]) -> LookupGroup {
        var group = LookupGroup()
        guard !members.isEmpty else {
            group.bucketStarts = [0, 0]
            return group
        }
        var counts = [Int](repeating: 0, count: 37)
        for m in members {
            for bit in 0..<37 where entries[m].mask >> UInt64(bit) & 1 != 0 { counts[bit] += 1 }
        }
        let chosen = (0..<37)
            .filter { counts[$0] * 4 >= members.count * 3 }
            .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 > $1 }
            .prefix(12)
        group.bitPositions = chosen.map { UInt8($0) }
        var buckets = [[UInt16]](repeating: [], count: 1 << chosen.count)
        for m in members {
            let e = entries[m]
            var fixedKey = 0
            var freeKeyBits: [Int] = []
            for (i, bit) in chosen.enumerated() {
                if e.mask >> UInt64(bit) & 1 != 0 {
                    fixedKey |= Int((e.opcode >> UInt64(bit)) & 1) << i
                } else {
                    freeKeyBits.append(i)
                }
            }
            for combination in 0..<(1 << freeKeyBits.count) {
                var key = fixedKey
                for (j, i) in freeKeyBits.enumerated() where (combination >> j) & 1 != 0 { key |= 1 << i }
                buckets[key].append(UInt16(m))
            }
        }
        for bucket in buckets {
            group.candidates += bucket
            group.bucketStarts.append(Int32(group.candidates.count))
        }
        return group
    }

    /// The index of the highest-priority entry of `type` that `slot` encodes, or nil when the
    /// encoding is reserved.
    public func lookup(_ slot: UInt64, type: InstructionType) -> UInt16? {
        let major = Int((slot >> 37) & 0xf)
        let group = groups[Int(type.rawValue) * 16 + major]
        var key = 0
        for (i, bit) in group.bitPositions.enumerated() {
            key |= Int((slot >> UInt64(bit)) & 1) << i
        }
        let start = Int(group.bucketStarts[key]), end = Int(group.bucketStarts[key + 1])
        for c in start..<end {
            let index = group.candidates[c]
            if entries[Int(index)].matches(slot) { return index }
        }
        return nil
    }
}
