/// Registers that unwind descriptors name by role (the "special" registers of P3, P7, P8 and
/// the abreg encoding of X records).
public enum UnwindRegister: String, Hashable, Sendable, CaseIterable {
    case psp, rp, pfs, pr, unat, lc, rnat, bsp, bspstore, fpsr, priunat
}

/// A register as an X record's abreg names it: r4–r7, f2–f5/f16–f31, b1–b5, or a special one.
public enum UnwindABReg: Hashable, Sendable, CustomStringConvertible {
    case gr(Int), fr(Int), br(Int), special(Int)

    init(_ abreg: UInt8) {
        let n = Int(abreg & 0x1f)
        switch (abreg >> 5) & 3 {
        case 0: self = .gr(n)
        case 1: self = .fr(n)
        case 2: self = .br(n)
        default: self = .special(Int(abreg & 0xf))
        }
    }

    static let specialNames = ["pr", "psp", "@priunat", "rp", "ar.bsp", "ar.bspstore", "ar.rnat",
                               "ar.unat", "ar.fpsr", "ar.pfs", "ar.lc"]

    /// The role register, for the specials the unwinder follows.
    public var role: UnwindRegister? {
        guard case let .special(n) = self else { return nil }
        let roles: [UnwindRegister?] = [.pr, .psp, .priunat, .rp, .bsp, .bspstore, .rnat, .unat, .fpsr, .pfs, .lc]
        return n < roles.count ? roles[n] : nil
    }

    public var description: String {
        switch self {
        case let .gr(n): return "r\(n)"
        case let .fr(n): return "f\(n)"
        case let .br(n): return "b\(n)"
        case let .special(n): return n < Self.specialNames.count ? Self.specialNames[n] : "Unknown\(n)"
        }
    }
}

/// The target of an X2/X4 spill_reg record: a general, floating or branch register.
public enum UnwindTargetRegister: Hashable, Sendable, CustomStringConvertible {
    case gr(Int), fr(Int), br(Int)

    public var description: String {
        switch self {
        case let .gr(n): return "r\(n)"
        case let .fr(n): return "f\(n)"
        case let .br(n): return "b\(n)"
        }
    }
}

/// One unwind descriptor record (Itanium Software Conventions and Runtime Architecture Guide,
/// "Unwind Descriptor Records"). Offsets are kept as encoded (words of 4 bytes, sizes in
/// 16-byte units); `description` renders them as `readelf -u` does.
public enum UnwindRecord: Hashable, Sendable {
    /// R1/R3: a prologue or body region of `rlen` instruction slots.
    case region(body: Bool, rlen: UInt64)
    /// R2: a prologue that saves rp, ar.pfs, psp, pr (mask bits 8, 4, 2, 1) in consecutive
    /// general registers from `grsave`.
    case prologueGR(mask: UInt8, grsave: Int, rlen: UInt64)
    /// P1: branch registers b1–b5 (mask bit 0 = b1) spilled to memory.
    case brMem(mask: UInt8)
    /// P2: branch registers saved in consecutive general registers from `gr`.
    case brGR(mask: UInt8, gr: Int)
    /// P3: a role register saved in general register `gr`.
    case regGR(UnwindRegister, gr: Int)
    /// P3: rp saved in branch register `br`.
    case rpBR(br: Int)
    /// P4: the imask, two bits per slot of the region (`slots` of them).
    case spillMask([UInt8], slots: UInt64)
    /// P5: preserved gr/fr spilled to memory.
    case frgrMem(grmask: UInt8, frmask: UInt32)
    /// P6: preserved fr (gregs false) or gr (gregs true) spilled to memory.
    case frMem(mask: UInt8)
    case grMem(mask: UInt8)
    /// P7: fixed-size frame: sp decremented by `size`×16 at slot `t`.
    case memStackF(t: UInt64, size: UInt64)
    /// P7: variable-size frame: the previous sp saved at slot `t`.
    case memStackV(t: UInt64)
    /// P7: spill base, psp-relative.
    case spillBase(pspoff: UInt64)
    /// P7/P8: when the role register is saved.
    case regWhen(UnwindRegister, t: UInt64)
    /// P7/P8: saved at psp + 16 - 4×pspoff.
    case regPSPRel(UnwindRegister, pspoff: UInt64)
    /// P7/P8: saved at sp + 4×spoff.
    case regSPRel(UnwindRegister, spoff: UInt64)
    /// P8: priunat saved to a general register or to memory at `t`.
    case priunatWhenGR(t: UInt64)
    case priunatWhenMem(t: UInt64)
    /// P9: preserved general registers saved in consecutive general registers from `gr`.
    case grGR(mask: UInt8, gr: Int)
    /// P10: the ABI and the context of an interrupt frame.
    case unwabi(abi: UInt8, context: UInt8)
    /// B1/B4.
    case labelState(UInt64)
    case copyState(UInt64)
    /// B2/B3: sp restored `t` slots before the end of the body; `ecount` nested prologues end.
    case epilogue(t: UInt64, ecount: UInt64)
    /// X1/X3 (qp set: X3): spilled to sp + 4×off or psp + 16 - 4×off.
    case spillSPRel(t: UInt64, reg: UnwindABReg, spoff: UInt64, qp: Int?)
    case spillPSPRel(t: UInt64, reg: UnwindABReg, pspoff: UInt64, qp: Int?)
    /// X2/X4: restored to its own register, or saved to another register.
    case restore(t: UInt64, reg: UnwindABReg, qp: Int?)
    case spillReg(t: UInt64, reg: UnwindABReg, target: UnwindTargetRegister, qp: Int?)
    /// An opcode the decoder does not know (the walk of this entry stops there).
    case bad(code: UInt8)
}

/// A decoded descriptor with the format that encoded it ("R1", "P7", …).
public struct UnwindDescriptor: Hashable, Sendable, CustomStringConvertible {
    public let format: String
    public let record: UnwindRecord

    public init(format: String, record: UnwindRecord) {
        self.format = format
        self.record = record
    }

    public var isRegionHeader: Bool {
        switch record {
        case .region, .prologueGR: return true
        default: return false
        }
    }

    /// As `readelf -u` prints it, without indentation: `P7:pfs_when(t=0)`.
    public var description: String {
        let f = format
        func h(_ v: UInt64) -> String { hex(v) }
        switch record {
        case let .region(body, rlen): return "\(f):\(body ? "body" : "prologue")(rlen=\(rlen))"
        case let .prologueGR(mask, grsave, rlen):
            var parts: [String] = []
            if mask & 8 != 0 { parts.append("rp") }
            if mask & 4 != 0 { parts.append("ar.pfs") }
            if mask & 2 != 0 { parts.append("psp") }
            if mask & 1 != 0 { parts.append("pr") }
            return "\(f):prologue_gr(mask=[\(parts.joined(separator: ","))],grsave=r\(grsave),rlen=\(rlen))"
        case let .brMem(mask): return "\(f):br_mem(brmask=[\(Self.brmask(mask))])"
        case let .brGR(mask, gr): return "\(f):br_gr(brmask=[\(Self.brmask(mask))],gr=r\(gr))"
        case let .regGR(reg, gr): return "\(f):\(reg.rawValue)_gr(reg=r\(gr))"
        case let .rpBR(br): return "\(f):rp_br(reg=b\(br))"
        case let .spillMask(bytes, slots):
            var text = ""
            for i in 0..<Int(slots) where i / 4 < bytes.count {
                if i > 0 && i % 3 == 0 { text += "," }
                let kind = Int(bytes[i / 4] >> (2 * (3 - (i & 3)))) & 3
                text += ["-", "f", "r", "b"][kind]
            }
            return "\(f):spill_mask(imask=[\(text)])"
        case let .frgrMem(grmask, frmask):
            return "\(f):frgr_mem(grmask=[\(Self.grmask(grmask))],frmask=[\(Self.frmask(frmask))])"
        case let .frMem(mask): return "\(f):fr_mem(frmask=[\(Self.frmask(UInt32(mask)))])"
        case let .grMem(mask): return "\(f):gr_mem(grmask=[\(Self.grmask(mask))])"
        case let .memStackF(t, size): return "\(f):mem_stack_f(t=\(t),size=\(16 * size))"
        case let .memStackV(t): return "\(f):mem_stack_v(t=\(t))"
        case let .spillBase(off): return "\(f):spill_base(pspoff=0x10-\(h(4 * off)))"
        case let .regWhen(reg, t): return "\(f):\(reg.rawValue)_when(t=\(t))"
        case let .regPSPRel(reg, off): return "\(f):\(reg.rawValue)_psprel(pspoff=0x10-\(h(4 * off)))"
        case let .regSPRel(reg, off): return "\(f):\(reg.rawValue)_sprel(spoff=\(h(4 * off)))"
        case let .priunatWhenGR(t): return "\(f):priunat_when_gr(t=\(t))"
        case let .priunatWhenMem(t): return "\(f):priunat_when_mem(t=\(t))"
        case let .grGR(mask, gr): return "\(f):gr_gr(grmask=[\(Self.grmask(mask))],r\(gr))"
        case let .unwabi(abi, context):
            let names = ["@svr4", "@hpux", "@nt"]
            let a = abi < 3 ? names[Int(abi)] : h(UInt64(abi))
            return "\(f):unwabi(abi=\(a),context=0x\(String(format2: context)))"
        case let .labelState(l): return "\(f):label_state(label=\(l))"
        case let .copyState(l): return "\(f):copy_state(label=\(l))"
        case let .epilogue(t, ecount): return "\(f):epilogue(t=\(t),ecount=\(ecount))"
        case let .spillSPRel(t, reg, off, qp):
            if let qp { return "\(f):spill_sprel_p(qp=p\(qp),t=\(t),reg=\(reg),spoff=\(h(4 * off)))" }
            return "\(f):spill_sprel(reg=\(reg),t=\(t),spoff=\(h(4 * off)))"
        case let .spillPSPRel(t, reg, off, qp):
            if let qp { return "\(f):spill_psprel_p(qp=p\(qp),t=\(t),reg=\(reg),pspoff=0x10-\(h(4 * off)))" }
            return "\(f):spill_psprel(reg=\(reg),t=\(t),pspoff=0x10-\(h(4 * off)))"
        case let .restore(t, reg, qp):
            if let qp { return "\(f):restore_p(qp=p\(qp),t=\(t),reg=\(reg))" }
            return "\(f):restore(t=\(t),reg=\(reg))"
        case let .spillReg(t, reg, target, qp):
            if let qp { return "\(f):spill_reg_p(qp=p\(qp),t=\(t),reg=\(reg),treg=\(target))" }
            return "\(f):spill_reg(t=\(t),reg=\(reg),treg=\(target))"
        case let .bad(code): return "Unknown code 0x\(String(format2: code))"
        }
    }

    static func brmask(_ mask: UInt8) -> String {
        (0..<5).filter { mask >> $0 & 1 != 0 }.map { "b\($0 + 1)" }.joined(separator: ",")
    }

    static func grmask(_ mask: UInt8) -> String {
        (0..<4).filter { mask >> $0 & 1 != 0 }.map { "r\($0 + 4)" }.joined(separator: ",")
    }

    static func frmask(_ mask: UInt32) -> String {
        (0..<20).filter { mask >> $0 & 1 != 0 }.map { "f\($0 < 4 ? $0 + 2 : $0 + 12)" }.joined(separator: ",")
    }
}

extension String {
    /// Two lower-case hex digits.
    init(format2 byte: UInt8) {
        let s = String(byte, radix: 16)
        self = s.count < 2 ? "0" + s : s
    }
}

/// Decodes the descriptor area of one unwind info block.
struct UnwindDecoder {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(bytes: [UInt8], start: Int, end: Int) {
        self.bytes = bytes
        self.position = start
        self.end = min(end, bytes.count)
    }

    mutating func byte() -> UInt8? {
        guard position < end else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uleb() -> UInt64? {
        var result: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard let b = byte() else { return nil }
            if shift < 64 { result |= UInt64(b & 0x7f) << shift }
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// All descriptors; a truncated record or an unknown opcode ends the list.
    mutating func decodeAll() -> [UnwindDescriptor] {
        var result: [UnwindDescriptor] = []
        var inBody = false
        var rlen: UInt64 = 0
        while position < end {
            guard let d = decode(inBody: inBody, rlen: rlen) else { break }
            result.append(d)
            switch d.record {
            case let .region(body, len): inBody = body; rlen = len
            case let .prologueGR(_, _, len): inBody = false; rlen = len
            case .bad: return result
            default: break
            }
        }
        return result
    }

    static let p3Registers: [UnwindRegister?] = [.psp, .rp, .pfs, .pr, .unat, .lc, nil, .rnat, .bsp, .bspstore, .fpsr, .priunat]
    static let p7Registers: [(UnwindRegister, Bool)] = [ // (register, when: true / psprel: false) for r = 4…15
        (.rp, true), (.rp, false), (.pfs, true), (.pfs, false), (.pr, true), (.pr, false),
        (.lc, true), (.lc, false), (.unat, true), (.unat, false), (.fpsr, true), (.fpsr, false),
    ]

    mutating func decode(inBody: Bool, rlen: UInt64) -> UnwindDescriptor? {
        guard let code = byte() else { return nil }
        func d(_ format: String, _ record: UnwindRecord) -> UnwindDescriptor { UnwindDescriptor(format: format, record: record) }
        switch code >> 5 {
        case 0, 1: // R1
            return d("R1", .region(body: code & 0x20 != 0, rlen: UInt64(code & 0x1f)))
        case 2: // R2
            guard let b1 = byte(), let len = uleb() else { return nil }
            return d("R2", .prologueGR(mask: ((code & 7) << 1) | (b1 >> 7), grsave: Int(b1 & 0x7f), rlen: len))
        case 3: // R3
            guard let len = uleb() else { return nil }
            return d("R3", .region(body: code & 3 == 1, rlen: len))
        default: break
        }
        if inBody {
            switch code >> 5 {
            case 4, 5: // B1
                let label = UInt64(code & 0x1f)
                return d("B1", code & 0x20 != 0 ? .copyState(label) : .labelState(label))
            case 6: // B2
                guard let t = uleb() else { return nil }
                return d("B2", .epilogue(t: t, ecount: UInt64(code & 0x1f)))
            default: // 7: B3, B4, X1–X4
                if code & 0x10 == 0 {
                    guard let t = uleb(), let ecount = uleb() else { return nil }
                    return d("B3", .epilogue(t: t, ecount: ecount))
                }
                if code & 7 == 0 {
                    guard let label = uleb() else { return nil }
                    return d("B4", code & 8 != 0 ? .copyState(label) : .labelState(label))
                }
                return decodeX(code & 7, code: code)
            }
        }
        switch code >> 5 {
        case 4: // P1
            return d("P1", .brMem(mask: code & 0x1f))
        case 5:
            if code & 0x10 == 0 { // P2
                guard let b1 = byte() else { return nil }
                return d("P2", .brGR(mask: ((code & 0xf) << 1) | (b1 >> 7), gr: Int(b1 & 0x7f)))
            }
            if code & 8 == 0 { // P3
                guard let b1 = byte() else { return nil }
                let r = Int(((code & 7) << 1) | (b1 >> 7)), dst = Int(b1 & 0x7f)
                if r == 6 { return d("P3", .rpBR(br: dst)) }
                guard r < Self.p3Registers.count, let reg = Self.p3Registers[r] else { return d("P3", .bad(code: code)) }
                return d("P3", .regGR(reg, gr: dst))
            }
            if code & 7 == 0 { // P4: two bits per slot
                let count = Int((rlen * 2 + 7) / 8)
                var mask: [UInt8] = []
                for _ in 0..<count { guard let b = byte() else { return nil }; mask.append(b) }
                return d("P4", .spillMask(mask, slots: rlen))
            }
            if code & 7 == 1 { // P5
                guard let b1 = byte(), let b2 = byte(), let b3 = byte() else { return nil }
                return d("P5", .frgrMem(grmask: b1 >> 4, frmask: UInt32(b1 & 0xf) << 16 | UInt32(b2) << 8 | UInt32(b3)))
            }
            return d("P5", .bad(code: code))
        case 6: // P6
            return d("P6", code & 0x10 != 0 ? .grMem(mask: code & 0xf) : .frMem(mask: code & 0xf))
        default: // 7: P7–P10, X1–X4
            if code & 0x10 == 0 { // P7
                let r = Int(code & 0xf)
                guard let t = uleb() else { return nil }
                switch r {
                case 0:
                    guard let size = uleb() else { return nil }
                    return d("P7", .memStackF(t: t, size: size))
                case 1: return d("P7", .memStackV(t: t))
                case 2: return d("P7", .spillBase(pspoff: t))
                case 3: return d("P7", .regSPRel(.psp, spoff: t))
                default:
                    let (reg, isWhen) = Self.p7Registers[r - 4]
                    return d("P7", isWhen ? .regWhen(reg, t: t) : .regPSPRel(reg, pspoff: t))
                }
            }
            switch code & 0xf {
            case 0: // P8
                guard let r = byte(), let t = uleb() else { return nil }
                let record: UnwindRecord
                switch r {
                case 1: record = .regSPRel(.rp, spoff: t)
                case 2: record = .regSPRel(.pfs, spoff: t)
                case 3: record = .regSPRel(.pr, spoff: t)
                case 4: record = .regSPRel(.lc, spoff: t)
                case 5: record = .regSPRel(.unat, spoff: t)
                case 6: record = .regSPRel(.fpsr, spoff: t)
                case 7: record = .regWhen(.bsp, t: t)
                case 8: record = .regPSPRel(.bsp, pspoff: t)
                case 9: record = .regSPRel(.bsp, spoff: t)
                case 10: record = .regWhen(.bspstore, t: t)
                case 11: record = .regPSPRel(.bspstore, pspoff: t)
                case 12: record = .regSPRel(.bspstore, spoff: t)
                case 13: record = .regWhen(.rnat, t: t)
                case 14: record = .regPSPRel(.rnat, pspoff: t)
                case 15: record = .regSPRel(.rnat, spoff: t)
                case 16: record = .priunatWhenGR(t: t)
                case 17: record = .regPSPRel(.priunat, pspoff: t)
                case 18: record = .regSPRel(.priunat, spoff: t)
                case 19: record = .priunatWhenMem(t: t)
                default: record = .bad(code: r)
                }
                return d("P8", record)
            case 1: // P9
                guard let b1 = byte(), let b2 = byte() else { return nil }
                return d("P9", .grGR(mask: b1 & 0xf, gr: Int(b2 & 0x7f)))
            case 0xf: // P10
                guard let b1 = byte(), let b2 = byte() else { return nil }
                return d("P10", .unwabi(abi: b1, context: b2))
            case 9, 0xa, 0xb, 0xc:
                return decodeX((code & 0xf) - 8, code: code)
            default:
                return d("P8", .bad(code: code))
            }
        }
    }

    /// X1–X4 (`which` 1…4).
    mutating func decodeX(_ which: UInt8, code: UInt8) -> UnwindDescriptor? {
        func d(_ record: UnwindRecord) -> UnwindDescriptor { UnwindDescriptor(format: "X\(which)", record: record) }
        func target(_ x: UInt8, _ ytreg: UInt8) -> UnwindTargetRegister {
            switch (x << 1) | (ytreg >> 7) {
            case 0: return .gr(Int(ytreg & 0x7f))
            case 1: return .fr(Int(ytreg & 0x7f))
            default: return .br(Int(ytreg & 0x1f))
            }
        }
        switch which {
        case 1:
            guard let b1 = byte(), let t = uleb(), let off = uleb() else { return nil }
            let reg = UnwindABReg(b1 & 0x7f)
            return d(b1 & 0x80 != 0 ? .spillSPRel(t: t, reg: reg, spoff: off, qp: nil)
                                    : .spillPSPRel(t: t, reg: reg, pspoff: off, qp: nil))
        case 2:
            guard let b1 = byte(), let b2 = byte(), let t = uleb() else { return nil }
            let reg = UnwindABReg(b1 & 0x7f), x = b1 >> 7
            if x == 0 && b2 == 0 { return d(.restore(t: t, reg: reg, qp: nil)) }
            return d(.spillReg(t: t, reg: reg, target: target(x, b2), qp: nil))
        case 3:
            guard let b1 = byte(), let b2 = byte(), let t = uleb(), let off = uleb() else { return nil }
            let qp = Int(b1 & 0x3f), reg = UnwindABReg(b2 & 0x7f)
            return d(b1 & 0x80 != 0 ? .spillSPRel(t: t, reg: reg, spoff: off, qp: qp)
                                    : .spillPSPRel(t: t, reg: reg, pspoff: off, qp: qp))
        case 4:
            guard let b1 = byte(), let b2 = byte(), let b3 = byte(), let t = uleb() else { return nil }
            let qp = Int(b1 & 0x3f), reg = UnwindABReg(b2 & 0x7f), x = b2 >> 7
            if x == 0 && b3 == 0 { return d(.restore(t: t, reg: reg, qp: qp)) }
            return d(.spillReg(t: t, reg: reg, target: target(x, b3), qp: qp))
        default:
            return UnwindDescriptor(format: "X", record: .bad(code: code))
        }
    }
}
