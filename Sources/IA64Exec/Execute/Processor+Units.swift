/// Bridge to the multimedia unit: operand layouts per instruction, NaT propagation.
extension Processor {
    func multimedia(_ m: MultimediaOperation, _ o: OperandValues, immediateCount: Bool) -> SlotOutcome {
        guard writable(o.v0) else { return illegal() }
        let a: (value: UInt64, nat: Bool)
        var b: (value: UInt64, nat: Bool) = (0, false)
        var count: UInt64 = 0
        switch m {
        case .popcnt, .clz, .czx1_l, .czx1_r, .czx2_l, .czx2_r:
            guard let r = gr(o.v1) else { return illegal() }
            a = r
        case .pshladd2, .pshradd2:  // r1 = r2, count2, r3
            guard let r = gr(o.v1), let s = gr(o.v3) else { return illegal() }
            a = r
            b = s
            count = UInt64(o.v2)
        case .pmpyshr2, .pmpyshr2_u:  // r1 = r2, r3, count2
            guard let r = gr(o.v1), let s = gr(o.v2) else { return illegal() }
            a = r
            b = s
            count = UInt64(o.v3)
        case .mux1, .mux2:
            guard let r = gr(o.v1) else { return illegal() }
            a = r
            count = UInt64(bitPattern: o.v2)
        case .pshl2, .pshl4, .pshr2, .pshr2_u, .pshr4, .pshr4_u:
            guard let r = gr(o.v1) else { return illegal() }
            a = r
            if immediateCount {
                count = UInt64(bitPattern: o.v2)
            } else {
                guard let s = gr(o.v2) else { return illegal() }
                b = s
                count = s.value
            }
        default:
            guard let r = gr(o.v1), let s = gr(o.v2) else { return illegal() }
            a = r
            b = s
        }
        guard let result = MultimediaSemantics.evaluate(m, a.value, b.value, count: count) else { return illegal() }
        setGR(o.v0, result, nat: a.nat || b.nat)
        return .next
    }
}
