import IA64Exec

/// grant_table_op (20): (cmd, array of ops, count). Each op carries its own GNTST status;
/// the hypercall itself fails only for a bad command or an unreadable array. map/unmap are in
/// Hypervisor+GrantMapping.swift.
extension Hypervisor {
    typealias GNTST = XenABI.GrantStatus

    func grantTableOp(_ v: VirtualCPU, cmd: UInt64, handle: UInt64, count: UInt64) -> UInt64 {
        let d = v.domain
        typealias Op = XenABI.GrantTableOp
        let sizes: [UInt64: Int] = [Op.mapGrantRef: 32, Op.unmapGrantRef: 24, Op.setupTable: 24, Op.copy: 40, Op.querySize: 16]
        guard let size = sizes[cmd] else { return Errno.enosys.result }
        guard count <= 512 else { return Errno.einval.result }
        let array = XencommHandle(raw: handle)
        guard var ops = array.read(count: size * Int(count), from: d.memory) else { return Errno.efault.result }
        for i in 0..<Int(count) {
            var op = Array(ops[(i * size)..<((i + 1) * size)])
            switch cmd {
            case Op.setupTable: setupTable(d, &op)
            case Op.querySize: querySize(d, &op)
            case Op.copy: grantCopy(d, &op)
            case Op.mapGrantRef: mapGrant(d, &op)
            default: unmapGrant(d, &op)
            }
            ops.replaceSubrange((i * size)..<((i + 1) * size), with: op)
        }
        return array.write(ops, to: d.memory) ? 0 : Errno.efault.result
    }

    func setStatus(_ op: inout [UInt8], at offset: Int, _ s: GNTST) {
        op.setLE(offset, 2, UInt64(bitPattern: s.rawValue))
    }

    /// {u16 dom, u32 nr_frames, out i16 status, handle frame_list}
    func setupTable(_ d: Domain, _ op: inout [UInt8]) {
        let dom = op.le(0, 2), frames = op.le(4, 4)
        guard dom == XenABI.domidSelf || dom == UInt64(d.id) || d.privileged,
              let target = dom == XenABI.domidSelf ? d : domain(Int(dom)) else { return setStatus(&op, at: 8, .badDomain) }
        guard frames >= 1, frames <= GrantTable.maxFrames else { return setStatus(&op, at: 8, .generalError) }
        target.grants.frames = max(target.grants.frames, frames)
        var list: [UInt8] = []
        for k in 0..<frames {
            var e = [UInt8](repeating: 0, count: 8)
            e.setLE(0, 8, (XenABI.grantTablePhysical >> XenABI.pageShift) + k)
            list += e
        }
        guard XencommHandle(raw: op.le(16, 8)).write(list, to: d.memory) else { return setStatus(&op, at: 8, .badVirtAddr) }
        setStatus(&op, at: 8, .okay)
    }

    /// {u16 dom, out u32 nr_frames, out u32 max_nr_frames, out i16 status}
    func querySize(_ d: Domain, _ op: inout [UInt8]) {
        let dom = op.le(0, 2)
        guard let target = dom == XenABI.domidSelf ? d : domain(Int(dom)), target === d || d.privileged else {
            return setStatus(&op, at: 12, .badDomain)
        }
        op.setLE(4, 4, target.grants.frames)
        op.setLE(8, 4, GrantTable.maxFrames)
        setStatus(&op, at: 12, .okay)
    }

    /// The granted frame: checks the entry in `granter`'s table allows `grantee` (and writing
    /// when asked), returning the guest-physical address of the frame in the granter.
    func grantedFrame(_ granter: Domain, reference: UInt64, grantee: Domain, write: Bool) -> Result<UInt64, GNTST> {
        grantedFrame(granter, reference: reference, granteeID: grantee.id, write: write)
    }

    /// The same for a grantee known only by its domain id (the block back end, domain 0).
    func grantedFrame(_ granter: Domain, reference: UInt64, granteeID: Int, write: Bool) -> Result<UInt64, GNTST> {
        guard reference < granter.grants.entryCount else { return .failure(.badGntref) }
        let entry = XenABI.grantTablePhysical + reference * GrantTable.entrySize
        let flags = granter.memory.u16(entry) ?? 0, domid = granter.memory.u16(entry + 2) ?? 0
        let frame = granter.memory.u32(entry + 4) ?? 0
        // Xen 3.1 answers a grant not permitted to this domain, and a write through a read-only
        // grant, with GNTST_general_error (__acquire_grant_for_copy, as map_grant_ref).
        guard flags & 3 == XenABI.GrantFlags.permitAccess, domid == UInt64(granteeID) else { return .failure(.generalError) }
        if write && flags & XenABI.GrantFlags.readOnly != 0 { return .failure(.generalError) }
        guard frame < granter.maxPages, granter.memory.isPopulated(gpfn: frame) else { return .failure(.badPage) }
        return .success(frame << XenABI.pageShift)
    }

    /// gnttab_copy: {src {u64 ref|gmfn, u16 domid, u16 offset}, dest {…} @16, u16 len @32,
    /// u16 flags @34 (1 source is a grant ref, 2 destination is), out i16 status @36}
    func grantCopy(_ d: Domain, _ op: inout [UInt8]) {
        let length = op.le(32, 2), flags = op.le(34, 2)
        func side(_ base: Int, isGrant: Bool, write: Bool) -> Result<(Domain, UInt64), GNTST> {
            let dom = op.le(base + 8, 2), offset = op.le(base + 10, 2)
            guard let other = dom == XenABI.domidSelf ? d : domain(Int(dom)), other.isAlive else { return .failure(.badDomain) }
            guard offset + length <= XenABI.pageSize else { return .failure(.badCopyArg) }
            if isGrant {
                return grantedFrame(other, reference: op.le(base, 8), grantee: d, write: write).map { (other, $0 + offset) }
            }
            // A plain frame: only the caller's own (or any, for Dom0).
            guard other === d || d.privileged else { return .failure(.permissionDenied) }
            let frame = op.le(base, 8)
            guard frame < other.maxPages, other.memory.isPopulated(gpfn: frame) else { return .failure(.badPage) }
            return .success((other, frame << XenABI.pageShift + offset))
        }
        switch (side(0, isGrant: flags & 1 != 0, write: false), side(16, isGrant: flags & 2 != 0, write: true)) {
        case (.failure(let e), _), (_, .failure(let e)):
            setStatus(&op, at: 36, e)
        case (.success(let (sd, sa)), .success(let (dd, da))):
            guard let bytes = sd.memory.bytes(at: sa, count: Int(length)), dd.memory.setBytes(at: da, bytes) else {
                return setStatus(&op, at: 36, .generalError)
            }
            setStatus(&op, at: 36, .okay)
        }
    }
}
