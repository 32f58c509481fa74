import IA64Exec

/// The grant table's size and the mappings this domain holds (the entries themselves live in
/// guest memory).
extension GrantTable: StateCodable {
    static var placeholder: GrantTable { GrantTable() }
    mutating func code<C: StateCoder>(_ c: inout C) throws {
        try c.code(&frames)
        try c.code(&mappings)
        if c.isDecoding {
            guard (1...Self.maxFrames).contains(frames), mappings.count <= Self.maxMappings else {
                throw c.corrupt("grant table of \(frames) frames with \(mappings.count) mapping handles")
            }
        }
    }
}

extension GrantTable.Mapping: StateCodable {
    static var placeholder: GrantTable.Mapping {
        GrantTable.Mapping(grantingDomain: 0, reference: 0, hostAddress: 0, readOnly: false)
    }
    mutating func code<C: StateCoder>(_ c: inout C) throws {
        var domain = grantingDomain, reference = reference, hostAddress = hostAddress, readOnly = readOnly
        try c.code(&domain)
        try c.code(&reference)
        try c.code(&hostAddress)
        try c.code(&readOnly)
        guard reference < GrantTable.maxFrames * XenABI.pageSize / GrantTable.entrySize,
              hostAddress & (XenABI.pageSize - 1) == 0, hostAddress >> XenABI.pageShift < DomainMemory.gpfnLimit else {
            throw c.corrupt("grant mapping of ref \(reference) at 0x\(String(hostAddress, radix: 16))")
        }
        self = .init(grantingDomain: domain, reference: reference, hostAddress: hostAddress, readOnly: readOnly)
    }
}
