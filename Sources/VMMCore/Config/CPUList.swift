import Foundation

/// The xm syntax for sets of physical CPUs (the `cpus` key): comma-separated numbers and
/// ranges, "0-3", "0,2,5-6", with "^N" removing a CPU. Items apply left to right, as in xm;
/// a spec that starts with an exclusion starts from all physical CPUs ("^1" = all but 1).
public enum CPUList {
    /// The sorted, duplicate-free CPU numbers `spec` names, or a message saying what is wrong.
    public static func parse(_ spec: String, physicalCPUs: Int) -> Result<[Int], CPUListError> {
        var selected = Set<Int>()
        let items = spec.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        for (position, item) in items.enumerated() {
            if item.hasPrefix("^") {
                guard let cpu = number(item.dropFirst()) else { return .failure(CPUListError(spec: spec, item: item)) }
                if position == 0 { selected = Set(0..<max(physicalCPUs, 0)) }
                selected.remove(cpu)
            } else if let dash = item.firstIndex(of: "-") {
                guard let low = number(item[..<dash]), let high = number(item[item.index(after: dash)...]), low <= high else {
                    return .failure(CPUListError(spec: spec, item: item))
                }
                selected.formUnion(low...high)
            } else {
                guard let cpu = number(Substring(item)) else { return .failure(CPUListError(spec: spec, item: item)) }
                selected.insert(cpu)
            }
        }
        return .success(selected.sorted())
    }

    /// A non-negative CPU number small enough that ranges of it stay cheap.
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(text), n < 1 << 16 else { return nil }
        return n
    }
}

/// A `cpus` spec with an item that is not a CPU number, range or exclusion.
public struct CPUListError: Error, Equatable, CustomStringConvertible {
    public var spec: String
    public var item: String

    public init(spec: String, item: String) {
        self.spec = spec
        self.item = item
    }

    public var description: String { "bad CPU list '\(spec)': '\(item)' is not N, N-M or ^N" }
}
