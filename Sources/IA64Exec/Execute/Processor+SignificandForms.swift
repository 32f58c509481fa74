/// Run-loop forms for F-unit work that needs no rounding of a sum: plain double products
/// (fmpy.d) and integers carried in significands (setf.sig, getf.sig, xma.l), the staples of
/// compiled integer multiply and int-to-float code.
extension Processor {
    /// fmpy.d / fnmpy.d (addend f0): a plain product under the same conditions as
    /// `multiplyAddDoubleFast`. Its rounding error is exact, and moderate operands give a
    /// normal product.
    func multiplyDoubleFast(_ x: UnsafeMutablePointer<ExecutableSlot>) -> FastResult {
        let field = Int(x.pointee.imm >> 16) & 3, variant = Int(x.pointee.imm >> 8) & 3
        let f1 = Int(x.pointee.ra)
        let fpsr = ar[40]
        let sfShift = UInt64(6 + 13 * field)
        let sf = fpsr >> sfShift
        guard f1 > 1, psr & 0xc_0000 == 0, sf & 0x33 == 0, fpsr & 0x20 != 0 || sf & 0x40 != 0,
              let a = Self.moderateNormalDouble(floatRegister(Int(x.pointee.rb))),
              let b = Self.moderateNormalDouble(floatRegister(Int(x.pointee.rc))) else { return .declined }
        let p = variant == 2 ? -a : a
        let product = p * b
        setFloatRegister(f1, FloatFormats.fromHostDouble(product))
        if sf >> 12 & 1 == 0 && (-product).addingProduct(p, b) != 0 { ar[40] = fpsr | 1 << (sfShift + 12) }
        return .handled
    }

    /// setf.sig, getf.sig and xma.l / xmpy.l: integers in significands, no FP status involved.
    func integerTransferFast(_ x: UnsafeMutablePointer<ExecutableSlot>, _ form: FloatUnitForm) -> FastResult {
        guard psr & 0xc_0000 == 0 else { return .declined }  // psr.dfl/dfh: the general path faults
        switch form {
        case .setSignificand:
            let f1 = Int(x.pointee.ra), b = Int(grMap[Int(x.pointee.rb)])
            guard f1 > 1, b < 0x80 else { return .declined }
            setFloatRegister(f1, grNaT[b] ? .natVal : FloatFormats.fromInteger(grValues[b]))
        case .getSignificand:
            let ra = Int(x.pointee.ra)
            let d = Int(grMap[ra])
            guard ra != 0, d < 0x80 else { return .declined }
            let v = floatRegister(Int(x.pointee.rb))
            let nat = v.isNaTVal
            grValues[d] = nat ? 0 : v.significand
            grNaT[d] = nat
        default:  // integerMultiplyLow
            let f1 = Int(x.pointee.ra)
            guard f1 > 1 else { return .declined }
            let a = floatRegister(Int(x.pointee.rb)), b = floatRegister(Int(x.pointee.rc))
            let c = floatRegister(Int(x.pointee.imm))
            if a.isNaTVal || b.isNaTVal || c.isNaTVal {
                setFloatRegister(f1, .natVal)
            } else {
                setFloatRegister(f1, FloatFormats.fromInteger(a.significand &* b.significand &+ c.significand))
            }
        }
        return .handled
    }
}
