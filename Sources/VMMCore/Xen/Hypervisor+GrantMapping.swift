import IA64Exec

/// map_grant_ref / unmap_grant_ref: a domain maps a frame another domain granted it at a
/// guest-physical address of its own (Xen/ia64's create_grant_host_mapping replaces the p2m
/// entry there), so both domains see one machine frame. While mapped, the granter's entry
/// carries GTF_reading (and GTF_writing for a writable mapping). Errors are Xen 3.1's: a bad
/// ref or no host_map flag is GNTST_bad_gntref, an unknown or own domain GNTST_bad_domain,
/// an entry that does not permit access to the mapper, a writable mapping of a read-only grant
/// or a frame the granter does not have GNTST_general_error; host_addr (which Xen/ia64 did not
/// check) must be a page-aligned address inside the mapper's memory: GNTST_bad_virt_addr.
///
/// A granted frame outlives the granter's hold on it, as Xen's page references made it: a
/// frame the granter balloons away while mapped stays allocated (an orphaned frame) until the
/// last mapping of it goes.
extension Hypervisor {
    /// map_grant_ref: {u64 host_addr, u32 flags @8, u32 ref @12, u16 dom @16, out i16 status
    /// @18, out u32 handle @20, out u64 dev_bus_addr @24}
    func mapGrant(_ d: Domain, _ op: inout [UInt8]) {
        switch mapGrant(d, hostAddress: op.le(0, 8), flags: op.le(8, 4), reference: op.le(12, 4), granterID: op.le(16, 2)) {
        case .failure(let status):
            setStatus(&op, at: 18, status)
        case .success(let (handle, mfn)):
            op.setLE(20, 4, UInt64(handle))
            op.setLE(24, 8, mfn << XenABI.pageShift)  // the machine address, as Xen returned it
            setStatus(&op, at: 18, .okay)
        }
    }

    private func mapGrant(_ d: Domain, hostAddress: UInt64, flags: UInt64, reference: UInt64,
                          granterID: UInt64) -> Result<(Int, UInt64), GNTST> {
        typealias F = XenABI.GrantMapFlags
        guard flags & (F.hostMap | F.deviceMap) != 0 else { return .failure(.badGntref) }
        guard let granter = domain(Int(granterID)), granter !== d, granter.isAlive else { return .failure(.badDomain) }
        guard reference < granter.grants.entryCount else { return .failure(.badGntref) }
        // Xen/ia64 maps into the guest-physical space only.
        guard flags & (F.deviceMap | F.applicationMap | F.containsPTE) == 0 else { return .failure(.generalError) }
        let readOnly = flags & F.readOnly != 0
        // map_grant_ref answers an unusable frame with general_error, where copy says bad_page.
        let frame: UInt64
        switch grantedFrame(granter, reference: reference, grantee: d, write: !readOnly) {
        case .success(let address): frame = address >> XenABI.pageShift
        case .failure(let status): return .failure(status == .badPage ? .generalError : status)
        }
        guard let mfn = granter.memory.mfn(ofGPFN: frame) else { return .failure(.generalError) }
        // Not page 0 (the firmware stubs), and not over another foreign or hypervisor page.
        let gpfn = hostAddress >> XenABI.pageShift
        guard hostAddress & (XenABI.pageSize - 1) == 0, gpfn > 0, gpfn < d.maxPages, !d.memory.isShared(gpfn: gpfn) else {
            return .failure(.badVirtAddr)
        }
        let mapping = GrantTable.Mapping(grantingDomain: granter.id, reference: reference, hostAddress: hostAddress, readOnly: readOnly)
        guard let handle = d.grants.addMapping(mapping) else { return .failure(.noDeviceSpace) }
        guard d.memory.mapForeign(gpfn: gpfn, mfn: mfn, writable: !readOnly) else {
            d.grants.removeMapping(handle)
            if let error = d.memory.takeHeapFailure() { printk(error.description) }
            return .failure(.generalError)
        }
        refreshGrantFlags(granter, reference: reference)
        return .success((handle, mfn))
    }

    /// unmap_grant_ref: {u64 host_addr, u64 dev_bus_addr @8, u32 handle @16, out i16 status
    /// @20}. As in Xen, host_addr 0 removes no host mapping (the handle stays in use), and a
    /// non-zero dev_bus_addr must name the mapped frame.
    func unmapGrant(_ d: Domain, _ op: inout [UInt8]) {
        let hostAddress = op.le(0, 8), busAddress = op.le(8, 8), handle = op.le(16, 4)
        guard let m = d.grants.mapping(handle), let mfn = d.memory.mfn(ofGPFN: m.hostAddress >> XenABI.pageShift) else {
            return setStatus(&op, at: 20, .badHandle)
        }
        guard busAddress == 0 || busAddress == mfn << XenABI.pageShift else { return setStatus(&op, at: 20, .generalError) }
        guard hostAddress != 0 else { return setStatus(&op, at: 20, .okay) }
        guard hostAddress == m.hostAddress else { return setStatus(&op, at: 20, .generalError) }
        removeGrantMapping(d, handle: Int(handle))
        setStatus(&op, at: 20, .okay)
    }

    /// Takes mapping `handle` of `d` away: the page it covered comes back, the granter's entry
    /// loses GTF_reading/GTF_writing once nothing maps it, and an orphaned frame is freed.
    func removeGrantMapping(_ d: Domain, handle: Int) {
        guard let m = d.grants.mappings[handle] else { return }
        let mfn = d.memory.unmapForeign(gpfn: m.hostAddress >> XenABI.pageShift)
        d.grants.removeMapping(handle)
        if let granter = domain(m.grantingDomain) { refreshGrantFlags(granter, reference: m.reference) }
        if let mfn, let i = orphanedFrames.firstIndex(of: mfn), !isForeignMapped(mfn) {
            orphanedFrames.remove(at: i)
            machineMemory.free(mfn: mfn)
        }
    }

    /// A dying domain gives up every frame it maps (Xen's gnttab_release_mappings).
    func releaseGrantMappings(of d: Domain) {
        while let handle = d.grants.mappings.lastIndex(where: { $0 != nil }) { removeGrantMapping(d, handle: handle) }
    }

    /// Sets the entry's GTF_reading while any domain maps it and GTF_writing while any maps it
    /// writable (Xen's pin counts); the guest's other flag bits are kept.
    func refreshGrantFlags(_ granter: Domain, reference: UInt64) {
        var reading = false, writing = false
        for other in domains {
            for case let m? in other.grants.mappings where m.grantingDomain == granter.id && m.reference == reference {
                reading = true
                if !m.readOnly { writing = true }
            }
        }
        let entry = XenABI.grantTablePhysical + reference * GrantTable.entrySize
        guard let flags = granter.memory.u16(entry) else { return }
        typealias G = XenABI.GrantFlags
        granter.memory.setU16(entry, flags & ~(G.reading | G.writing) | (reading ? G.reading : 0) | (writing ? G.writing : 0))
    }

    /// Whether any domain maps machine frame `mfn` through a grant.
    func isForeignMapped(_ mfn: UInt64) -> Bool {
        domains.contains { d in
            d.grants.mappings.contains { m in m.map { d.memory.mfn(ofGPFN: $0.hostAddress >> XenABI.pageShift) == mfn } ?? false }
        }
    }

    /// Ballooning a page out of `d`: the frame goes back to the machine unless another domain
    /// maps it, which keeps it (orphaned) until it unmaps. False if `d` does not own the page.
    @discardableResult
    func releasePage(_ d: Domain, gpfn: UInt64) -> Bool {
        guard let mfn = d.memory.mfn(ofGPFN: gpfn), d.memory.isPopulated(gpfn: gpfn) else { return false }
        let mapped = isForeignMapped(mfn)
        guard d.memory.release(gpfn: gpfn, keepingFrame: mapped) else { return false }
        if mapped { orphanedFrames.append(mfn) }
        return true
    }
}
