import IA64Exec

/// The firmware entry stubs Xen writes into guest-physical page 0 (dom_fw.c
/// build_hypercall_bundle): at 16 × index, one MIB bundle `mov r2 = number; break.i 0x1000;
/// br.ret.sptk.many b0` (PAL's static convention returns with `br.sptk.many b0` instead).
enum FirmwareStubs {
    static func bundle(number: UInt64, returnWithBranch: Bool) -> InstructionBundle {
        // M: adds r2 = imm14, r0 (A4: opcode 8, x2a 2).
        let imm = number & 0x3fff
        let m: UInt64 = 8 << 37 | ((imm >> 13) & 1) << 36 | 2 << 34 | ((imm >> 7) & 0x3f) << 27 | (imm & 0x7f) << 13 | 2 << 6
        // I: break.i imm21 (I19: opcode 0, x3 0, x6 0).
        let brk = XenABI.hypercallBreak
        let i: UInt64 = ((brk >> 20) & 1) << 36 | (brk & 0xf_ffff) << 6
        // B: br.ret.sptk.many b0 (B4 x6 0x21, btype 4) or br.sptk.many b0 (x6 0x20, btype 0).
        let b: UInt64 = (returnWithBranch ? 0x20 : 0x21) << 27 | 1 << 12 | (returnWithBranch ? 0 : 4) << 6
        let template: UInt64 = 0x11  // MIB with a stop at the end
        let low = template | m << 5 | (i & 0x3_ffff) << 46
        let high = i >> 18 | b << 23
        return InstructionBundle(low: low, high: high)
    }

    /// Writes the PAL, SAL and SAL-return stubs.
    static func install(in memory: GuestMemory) {
        let stubs: [(UInt64, UInt64, Bool)] = [
            (XenABI.Firmware.palStubIndex, XenABI.Firmware.pal, true),
            (XenABI.Firmware.salStubIndex, XenABI.Firmware.sal, false),
            (XenABI.Firmware.salReturnStubIndex, XenABI.Firmware.salReturn, false),
        ]
        for (index, number, branch) in stubs {
            let b = bundle(number: number, returnWithBranch: branch)
            memory.setU64(16 * index, b.low)
            memory.setU64(16 * index + 8, b.high)
        }
    }
}
