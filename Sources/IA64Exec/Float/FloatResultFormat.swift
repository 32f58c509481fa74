/// The precision and exponent range a result is rounded to (SDM Vol. 1 Table 5-6).
struct FloatResultFormat {
    /// Significand bits: 24, 53 or 64.
    var precision: Int
    /// Unbiased exponent range of normal results.
    var minimumExponent: Int
    var maximumExponent: Int
    /// Denormal results with the double-extended range are written with exponent 0.
    var denormalsAtZeroExponent: Bool
    /// Parallel halves wrap trap results to an 8-bit exponent instead of 17 bits.
    var isParallel: Bool

    init(precision: Int, exponentBits: Int, isParallel: Bool = false) {
        self.precision = precision
        let bias = (1 << (exponentBits - 1)) - 1
        minimumExponent = 1 - bias
        maximumExponent = bias
        denormalsAtZeroExponent = exponentBits == 15
        self.isParallel = isParallel
    }

    /// .s: 24 bits; .d: 53 bits; none: pc. Exponent: 8/11 bits for .s/.d, 15 bits for pc,
    /// 17 bits for all when wre is set.
    init(_ precision: FloatPrecision, _ controls: FloatControls) {
        let wre = controls.widestRange
        switch precision {
        case .single: self.init(precision: 24, exponentBits: wre ? 17 : 8)
        case .double: self.init(precision: 53, exponentBits: wre ? 17 : 11)
        case .dynamic:
            let bits: Int
            switch controls.precision {
            case .single: bits = 24
            case .double: bits = 53
            case .doubleExtended, .reserved: bits = 64
            }
            self.init(precision: bits, exponentBits: wre ? 17 : 15)
        }
    }

    /// Parallel single: 24-bit significand, 8-bit exponent whatever wre says.
    static let parallelSingle = FloatResultFormat(precision: 24, exponentBits: 8, isParallel: true)
}
