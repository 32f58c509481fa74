/// Inline execution of the most common instruction forms. Each returns false when anything
/// unusual applies (a register outside the frame, r0 as target, a NaT, misalignment, big-endian
/// data, a memory miss): `execute` then handles the slot with full semantics.
extension Processor {
    @inline(__always)
    func executeFast(_ x: UnsafeMutablePointer<ExecutableSlot>, _ fast: FastForm, bundleIP: UInt64,
                     outcome: inout SlotOutcome) -> Bool {
        switch fast {
        case .addRR: return fastALU(x) { $0 &+ $1 }
        case .subRR: return fastALU(x) { $0 &- $1 }
        case .andRR: return fastALU(x) { $0 & $1 }
        case .orRR: return fastALU(x) { $0 | $1 }
        case .xorRR: return fastALU(x) { $0 ^ $1 }
        case .addIR:
            let ra = Int(x.pointee.ra)
            let d = Int(grMap[ra]), b = Int(grMap[Int(x.pointee.rc)])
            guard ra != 0, (d | b) < 0x80 else { return false }
            grValues[d] = UInt64(bitPattern: x.pointee.imm) &+ grValues[b]
            grNaT[d] = grNaT[b]
            return true
        case .move:
            let ra = Int(x.pointee.ra)
            let d = Int(grMap[ra]), a = Int(grMap[Int(x.pointee.rb)])
            guard ra != 0, (d | a) < 0x80 else { return false }
            grValues[d] = grValues[a]
            grNaT[d] = grNaT[a]
            return true
        case .moveImmediate:
            let ra = Int(x.pointee.ra)
            let d = Int(grMap[ra])
            guard ra != 0, d < 0x80 else { return false }
            grValues[d] = UInt64(bitPattern: x.pointee.imm)
            grNaT[d] = false
            return true
        case .load8, .load8Update:
            let ra = Int(x.pointee.ra), rb = Int(x.pointee.rb)
            let d = Int(grMap[ra]), b = Int(grMap[rb])
            guard ra != 0, (d | b) < 0x80, !grNaT[b], psr & 2 == 0 else { return false }
            let address = grValues[b]
            guard address & 7 == 0, let value = memoryLoad(address, size: 8) else { return false }
            if fast == .load8Update {
                guard rb != 0, rb != ra else { return false }
                grValues[b] = address &+ UInt64(bitPattern: x.pointee.imm)
            }
            grValues[d] = value
            grNaT[d] = false
            return true
        case .store8, .store8Update:
            let rb = Int(x.pointee.rb)
            let b = Int(grMap[rb]), c = Int(grMap[Int(x.pointee.rc)])
            guard (b | c) < 0x80, !grNaT[b], !grNaT[c], psr & 2 == 0 else { return false }
            let address = grValues[b]
            guard address & 7 == 0 else { return false }
            if fast == .store8Update && rb == 0 { return false }
            guard memoryStore(address, size: 8, value: grValues[c]) else { return false }
            alat.invalidateOverlapping(address: address, size: 8)
            if fast == .store8Update { grValues[b] = address &+ UInt64(bitPattern: x.pointee.imm) }
            return true
        case .compareEq, .compareLt, .compareLtu, .compareEqImm, .compareLtImm:
            let c = Int(grMap[Int(x.pointee.rc)])
            guard c < 0x80 else { return false }
            let first: UInt64
            var nat = grNaT[c]
            if fast == .compareEqImm || fast == .compareLtImm {
                first = UInt64(bitPattern: x.pointee.imm)
            } else {
                let a = Int(grMap[Int(x.pointee.imm & 127)])
                guard a < 0x80 else { return false }
                first = grValues[a]
                nat = nat || grNaT[a]
            }
            let second = grValues[c]
            let relation: Bool
            switch fast {
            case .compareEq, .compareEqImm: relation = first == second
            case .compareLtu: relation = first < second
            default: relation = Int64(bitPattern: first) < Int64(bitPattern: second)
            }
            setPredicate(Int(x.pointee.ra), !nat && relation)
            setPredicate(Int(x.pointee.rb), !nat && !relation)
            return true
        case .branch:
            outcome = .branch(bundleIP &+ UInt64(bitPattern: x.pointee.imm))
            return true
        case .countedLoop:
            if ar[65] != 0 {
                ar[65] &-= 1
                outcome = .branch(bundleIP &+ UInt64(bitPattern: x.pointee.imm))
            }
            return true
        case .general, .longSlot, .nop:
            return false
        }
    }

    @inline(__always)
    func fastALU(_ x: UnsafeMutablePointer<ExecutableSlot>, _ f: (UInt64, UInt64) -> UInt64) -> Bool {
        let ra = Int(x.pointee.ra)
        let d = Int(grMap[ra]), a = Int(grMap[Int(x.pointee.rb)]), b = Int(grMap[Int(x.pointee.rc)])
        guard ra != 0, (d | a | b) < 0x80 else { return false }
        grValues[d] = f(grValues[a], grValues[b])
        grNaT[d] = grNaT[a] || grNaT[b]
        return true
    }
}
