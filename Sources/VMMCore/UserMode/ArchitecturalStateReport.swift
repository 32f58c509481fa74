import IA64Exec

/// The architectural state of a CPU as JSON, in a fixed key order so equal states give equal
/// text: general registers (with NaT bits) of the current frame, floating registers as the
/// hex of their 82-bit format, predicates, branch registers, application registers, CFM, IP,
/// slot and the retired-instruction count.
public enum ArchitecturalStateReport {
    static let applicationRegisterNames: [(Int, String)] = [
        (0, "kr0"), (1, "kr1"), (2, "kr2"), (3, "kr3"), (4, "kr4"), (5, "kr5"), (6, "kr6"), (7, "kr7"),
        (16, "rsc"), (17, "bsp"), (18, "bspstore"), (19, "rnat"), (21, "fcr"), (24, "eflag"), (25, "csd"),
        (26, "ssd"), (27, "cflg"), (28, "fsr"), (29, "fir"), (30, "fdr"), (32, "ccv"), (36, "unat"),
        (40, "fpsr"), (44, "itc"), (64, "pfs"), (65, "lc"), (66, "ec"),
    ]

    static func hex(_ v: UInt64) -> String { "\"0x" + String(v, radix: 16) + "\"" }

    public static func json(_ cpu: Processor) -> String {
        var lines: [String] = []
        let frame = cpu.currentFrame
        var gr: [String] = []
        for r in 0..<(32 + frame.sof) {
            guard let (value, nat) = cpu.generalRegister(r) else { continue }
            gr.append("    {\"r\": \(r), \"value\": \(hex(value)), \"nat\": \(nat)}")
        }
        lines.append("  \"gr\": [\n" + gr.joined(separator: ",\n") + "\n  ]")
        let fr = (0..<128).map { "\"0x" + cpu.floatingRegister($0).hex + "\"" }
        lines.append("  \"fr\": [" + fr.joined(separator: ", ") + "]")
        lines.append("  \"pr\": " + hex(cpu.predicates))
        lines.append("  \"br\": [" + (0..<8).map { hex(cpu.branchRegister($0)) }.joined(separator: ", ") + "]")
        let ars = applicationRegisterNames.map { "    \"\($0.1)\": \(hex(cpu.applicationRegister($0.0)))" }
        lines.append("  \"ar\": {\n" + ars.joined(separator: ",\n") + "\n  }")
        lines.append("  \"cfm\": {\"value\": \(hex(frame.bits)), \"sof\": \(frame.sof), \"sol\": \(frame.sol), \"sor\": \(frame.sor), "
                     + "\"rrb_gr\": \(frame.rrbGR), \"rrb_fr\": \(frame.rrbFR), \"rrb_pr\": \(frame.rrbPR)}")
        let crs = controlRegisterNames
        lines.append("  \"cr\": {\n" + crs.map { "    \"\($0.0)\": \(hex(cpu.controlRegister($0.1)))" }.joined(separator: ",\n") + "\n  }")
        lines.append("  \"psr\": " + hex(cpu.psr))
        lines.append("  \"ip\": " + hex(cpu.ip))
        lines.append("  \"slot\": \(cpu.slot)")
        lines.append("  \"icount\": \(cpu.retired)")
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }

    static var hashedControlRegisters: [Processor.ControlRegister] { controlRegisterNames.map(\.1) }

    static var controlRegisterNames: [(String, Processor.ControlRegister)] {
        [
            ("dcr", .dcr), ("itm", .itm), ("iva", .iva), ("pta", .pta), ("ipsr", .ipsr), ("isr", .isr), ("iip", .iip),
            ("ifa", .ifa), ("itir", .itir), ("iipa", .iipa), ("ifs", .ifs), ("iim", .iim), ("iha", .iha), ("lid", .lid),
            ("tpr", .tpr), ("itv", .itv), ("pmv", .pmv), ("cmcv", .cmcv), ("lrr0", .lrr0), ("lrr1", .lrr1),
        ]
    }
}
