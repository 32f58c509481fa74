import IA64Exec

extension StateCoder {
    /// A list of objects: the count, then `element` for each, which codes an existing object
    /// (encoding) or, given nil, decodes and builds one (decoding).
    mutating func objects<T: AnyObject>(_ list: inout [T], _ element: (inout Self, inout T?) throws -> Void) throws {
        var n = list.count
        try count(&n)
        if isDecoding {
            var built: [T] = []
            for _ in 0..<n {
                var object: T?
                try element(&self, &object)
                guard let object else { throw corrupt("object was not built") }
                built.append(object)
            }
            list = built
        } else {
            for object in list {
                var o: T? = object
                try element(&self, &o)
            }
        }
    }

    /// A raw-value enumeration.
    mutating func rawEnum<E: RawRepresentable>(_ value: inout E, _ what: String) throws where E.RawValue: StateCodable {
        var raw = value.rawValue
        try raw.code(&self)
        guard let v = E(rawValue: raw) else { throw corrupt("unknown \(what) \(raw)") }
        value = v
    }
}
