/// A deliberately plain model of the manual's lane pseudo-code: split into an array of lanes,
/// compute each with ordinary Int arithmetic and explicit if/else saturation, join again.
/// Written independently of the SWAR implementation so the two can check each other.
enum MultimediaLaneReference {
    static func lanes(_ x: UInt64, width: Int) -> [Int] {
        (0..<(64 / width)).map { i in Int((x >> UInt64(i * width)) & ((1 << UInt64(width)) - 1)) }
    }

    static func signedLanes(_ x: UInt64, width: Int) -> [Int] {
        lanes(x, width: width).map { $0 >= 1 << (width - 1) ? $0 - (1 << width) : $0 }
    }

    static func join(_ values: [Int], width: Int) -> UInt64 {
        var result: UInt64 = 0
        for (i, v) in values.enumerated() {
            let wrapped = ((v % (1 << width)) + (1 << width)) % (1 << width)
            result |= UInt64(wrapped) << UInt64(i * width)
        }
        return result
    }

    static func saturate(_ v: Int, min lo: Int, max hi: Int) -> Int {
        if v < lo { return lo }
        if v > hi { return hi }
        return v
    }

    static func signedRange(_ width: Int) -> (Int, Int) { (-(1 << (width - 1)), (1 << (width - 1)) - 1) }
    static func unsignedRange(_ width: Int) -> (Int, Int) { (0, (1 << width) - 1) }

    enum Kind { case modulo, sss, uus, uuu }

    static func padd(_ a: UInt64, _ b: UInt64, width: Int, _ kind: Kind, subtract: Bool = false) -> UInt64 {
        let ua = lanes(a, width: width), ub = lanes(b, width: width)
        let sa = signedLanes(a, width: width), sb = signedLanes(b, width: width)
        let values = (0..<ua.count).map { i -> Int in
            let op: (Int, Int) -> Int = subtract ? { $0 - $1 } : { $0 + $1 }
            switch kind {
            case .modulo: return op(ua[i], ub[i])
            case .sss: let r = signedRange(width); return saturate(op(sa[i], sb[i]), min: r.0, max: r.1)
            case .uus: let r = unsignedRange(width); return saturate(op(ua[i], sb[i]), min: r.0, max: r.1)
            case .uuu: let r = unsignedRange(width); return saturate(op(ua[i], ub[i]), min: r.0, max: r.1)
            }
        }
        return join(values, width: width)
    }

    static func pavg(_ a: UInt64, _ b: UInt64, width: Int, raz: Bool) -> UInt64 {
        let ua = lanes(a, width: width), ub = lanes(b, width: width)
        return join((0..<ua.count).map { i in
            let sum = ua[i] + ub[i]
            return raz ? (sum + 1) / 2 : (sum / 2) | (sum % 2)
        }, width: width)
    }

    static func pavgsub(_ a: UInt64, _ b: UInt64, width: Int) -> UInt64 {
        let ua = lanes(a, width: width), ub = lanes(b, width: width)
        return join((0..<ua.count).map { i in
            let d = ua[i] - ub[i]  // -(2^w - 1) … 2^w - 1
            let halved = d >= 0 ? d / 2 : -((-d + 1) / 2)  // floor(d / 2)
            return halved | (d & 1)
        }, width: width)
    }

    static func pcmp(_ a: UInt64, _ b: UInt64, width: Int, greater: Bool) -> UInt64 {
        let sa = signedLanes(a, width: width), sb = signedLanes(b, width: width)
        return join((0..<sa.count).map { i in (greater ? sa[i] > sb[i] : sa[i] == sb[i]) ? -1 : 0 }, width: width)
    }

    static func pshladd2(_ a: UInt64, _ count: Int, _ b: UInt64) -> UInt64 {
        let sa = signedLanes(a, width: 16), sb = signedLanes(b, width: 16)
        return join((0..<4).map { i in
            let shifted = sa[i] * (1 << count)
            if shifted > 0x7fff { return 0x7fff }
            if shifted < -0x8000 { return -0x8000 }
            return saturate(shifted + sb[i], min: -0x8000, max: 0x7fff)
        }, width: 16)
    }

    static func pshradd2(_ a: UInt64, _ count: Int, _ b: UInt64) -> UInt64 {
        let sa = signedLanes(a, width: 16), sb = signedLanes(b, width: 16)
        return join((0..<4).map { i in
            let shifted = Int((Double(sa[i]) / Double(1 << count)).rounded(.down))
            return saturate(shifted + sb[i], min: -0x8000, max: 0x7fff)
        }, width: 16)
    }

    static func pmpyshr2(_ a: UInt64, _ b: UInt64, _ count: Int, unsigned: Bool) -> UInt64 {
        let x = unsigned ? lanes(a, width: 16) : signedLanes(a, width: 16)
        let y = unsigned ? lanes(b, width: 16) : signedLanes(b, width: 16)
        return join((0..<4).map { i in Int((Double(x[i] * y[i]) / Double(1 << count)).rounded(.down)) }, width: 16)
    }

    static func pshift(_ a: UInt64, _ count: UInt64, width: Int, left: Bool, signed: Bool) -> UInt64 {
        let values = signed ? signedLanes(a, width: width) : lanes(a, width: width)
        return join(values.map { v in
            if left { return count >= UInt64(width) ? 0 : v << Int(count) }
            if count >= UInt64(width) { return signed && v < 0 ? -1 : 0 }
            return v >> Int(count)  // Int >> is arithmetic; unsigned lanes are non-negative
        }, width: width)
    }

    static func minMax(_ a: UInt64, _ b: UInt64, width: Int, signed: Bool, maximum: Bool) -> UInt64 {
        let x = signed ? signedLanes(a, width: width) : lanes(a, width: width)
        let y = signed ? signedLanes(b, width: width) : lanes(b, width: width)
        return join((0..<x.count).map { i in maximum ? Swift.max(x[i], y[i]) : Swift.min(x[i], y[i]) }, width: width)
    }

    static func psad1(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let x = lanes(a, width: 8), y = lanes(b, width: 8)
        return UInt64((0..<8).reduce(0) { $0 + abs(x[$1] - y[$1]) })
    }

    /// Bit-by-bit models of the field instructions.
    static func bit(_ x: UInt64, _ i: Int) -> UInt64 { (x >> UInt64(i)) & 1 }

    static func extr(_ x: UInt64, pos: Int, len: Int, signed: Bool) -> UInt64 {
        var result: UInt64 = 0
        let length = Swift.min(len, 64 - pos)
        for i in 0..<64 {
            let b: UInt64 = i < length ? bit(x, pos + i) : (signed ? bit(x, pos + length - 1) : 0)
            result |= b << UInt64(i)
        }
        return result
    }

    static func dep(_ source: UInt64, _ target: UInt64, pos: Int, len: Int) -> UInt64 {
        var result = target
        for i in 0..<len where pos + i < 64 {
            result = (result & ~(1 << UInt64(pos + i))) | (bit(source, i) << UInt64(pos + i))
        }
        return result
    }
}
