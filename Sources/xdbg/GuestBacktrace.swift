import IA64Exec
import Symbols
import VMMCore

/// A vCPU's guest call stack, walked on its register and memory stacks by the kernel image's
/// IA-64 unwind tables and symbolized with file:line (for `xdbg replay --backtrace`).
enum GuestBacktrace {
    /// Guest virtual memory through the vCPU's own translation; stacked registers still in
    /// the register file are read from there.
    struct VCPUMemory: UnwindMemory {
        let vcpu: VirtualCPU

        func read64(at address: UInt64) -> UInt64? {
            guard let physical = vcpu.cpu.debugTranslate(address) else { return nil }
            return vcpu.domain.memory.load64(physical)
        }

        func readBackingStore(at address: UInt64) -> UInt64? {
            vcpu.cpu.debugBackingStoreWord(at: address) ?? read64(at: address)
        }
    }

    static func render(_ v: VirtualCPU, symbols: SymbolTable) -> String {
        let cpu = v.cpu
        let initial = IA64InitialFrame(
            pc: GuestPC(bundle: cpu.ip, slot: min(cpu.slot, 2)), cfm: cpu.currentFrame.bits,
            bsp: cpu.applicationRegister(17), sp: cpu.generalRegister(12)?.value ?? 0, b0: cpu.branchRegister(0),
            pfs: cpu.applicationRegister(64), readGR: { cpu.generalRegister($0)?.value }, readBR: { cpu.branchRegister($0) })
        let trace = IA64Unwinder(table: symbols.unwindTable).backtrace(from: initial, memory: VCPUMemory(vcpu: v), maxFrames: 32)
        var lines = ["Call trace (domain \(v.domain.id) vcpu \(v.id)):"]
        for (i, frame) in trace.frames.enumerated() {
            let s = symbols.symbolize(frame.lookupPC(isInnermost: i == 0))
            let ip = "0x" + String(frame.ip, radix: 16)
            lines.append(" #\(i) \(ip) slot \(frame.slot) in \(s.functionText) at \(s.locationText)  sp=0x\(String(frame.sp, radix: 16)) bsp=0x\(String(frame.bsp, radix: 16))")
        }
        lines.append(" (\(describe(trace.end)))")
        return lines.joined(separator: "\n")
    }

    static func describe(_ end: IA64Backtrace.End) -> String {
        switch end {
        case .noUnwindInfo: "a caller has no unwind information"
        case .outermost: "outermost frame"
        case .unreadable(let what): "stopped: \(what) unreadable"
        case .unsavedReturnState: "stopped: a caller's return state was not saved"
        case .noProgress: "stopped: no progress"
        case .frameLimit: "stopped: frame limit"
        }
    }
}
