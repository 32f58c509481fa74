/// An IA-64 code address: a 16-byte bundle address and a slot (0…2) within the bundle.
///
/// Debuggers and the DWARF line tables `gas` emits for IA-64 write such a "PC" as one number,
/// the bundle address with the slot in the low bits (`ip|slot`): `0x100402` is slot 2 of the
/// bundle at `0x100400`.
public struct GuestPC: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The bundle address (16-byte aligned).
    public let bundle: UInt64
    /// The instruction slot, 0…2.
    public let slot: Int

    public init(bundle: UInt64, slot: Int = 0) {
        self.bundle = bundle & ~0xf
        self.slot = max(0, min(2, slot))
    }

    /// From the `ip|slot` form; nil when the low four bits are not a slot number (3…15).
    public init?(encoded value: UInt64) {
        guard value & 0xf <= 2 else { return nil }
        self.init(bundle: value & ~0xf, slot: Int(value & 0xf))
    }

    /// The `ip|slot` form.
    public var encoded: UInt64 { bundle | UInt64(slot) }

    /// `0x100402`: the `ip|slot` form in hex.
    public var description: String { "0x" + String(encoded, radix: 16) }

    public static func < (a: GuestPC, b: GuestPC) -> Bool { a.encoded < b.encoded }

    /// Parses `0x100400`, `100400` (hex), `0x100402` (ip|slot) or `0x100400+2` (bundle+slot).
    public static func parse(_ text: String) throws -> GuestPC {
        let trimmed = text.trimmingSpaces
        var number = Substring(trimmed)
        var slot: Int?
        if let plus = number.lastIndex(of: "+") {
            guard let s = Int(number[number.index(after: plus)...]), (0...2).contains(s) else {
                throw SymbolError.badAddress(text)
            }
            slot = s
            number = number[..<plus]
        }
        if number.hasPrefix("0x") || number.hasPrefix("0X") { number = number.dropFirst(2) }
        guard !number.isEmpty, let value = UInt64(number, radix: 16) else { throw SymbolError.badAddress(text) }
        if let slot {
            guard value & 0xf == 0 else { throw SymbolError.badAddress(text) }
            return GuestPC(bundle: value, slot: slot)
        }
        guard let pc = GuestPC(encoded: value) else { throw SymbolError.badAddress(text) }
        return pc
    }
}

/// Failures of the symbol and unwind readers; `description` is one line for the user.
public enum SymbolError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case notELF(path: String)
    case notIA64(path: String, machine: Int)
    case badAddress(String)
    case noSymbol(String)
    case noLine(file: String, line: Int)
    case libdw(String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open \(path): \(reason)"
        case let .notELF(path): return "\(path) is not an ELF file"
        case let .notIA64(path, machine): return "\(path) is not an IA-64 ELF image (e_machine \(machine))"
        case let .badAddress(text):
            return "bad address '\(text)' (expected hex: a bundle address, ip|slot, or bundle+slot with slot 0-2)"
        case let .noSymbol(name): return "no symbol '\(name)'"
        case let .noLine(file, line): return "no code for \(file):\(line)"
        case let .libdw(message): return "libdw: \(message)"
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" { s = s.dropLast() }
        return String(s)
    }
}

/// `0x…` in lower-case hex.
func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
