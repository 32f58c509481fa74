/// The numbers of the Xen 3.1 ia64 guest ABI (xen/include/public of the 3.1.0 branch point and
/// xen/include/asm-ia64): hypercalls, sub-operations, error codes, the XSI layout, VIRQs.
public enum XenABI {
    /// `break 0x1000` at kernel CPL is a hypercall.
    public static let hypercallBreak: UInt64 = 0x1000
    /// The guest kernel's privilege level up to Xen 3.1 (ring compression).
    public static let kernelCPL: UInt64 = 2
    public static let pageShift: UInt64 = 14
    public static let pageSize: UInt64 = 1 << pageShift
    public static let interfaceVersion: UInt64 = 0x0003_0205
    public static let maxVirtualCPUs = 64
    public static let domidSelf: UInt64 = 0x7ff0

    public enum Hypercall: UInt64 {
        case schedOpCompat = 6, memoryOp = 12, multicall = 13, xenVersion = 17, consoleIO = 18
        case grantTableOp = 20, vcpuOp = 24, schedOp = 29, callbackOp = 30, eventChannelOp = 32
        case sysctl = 35, domctl = 36
    }

    /// Firmware hypercalls (r2 >= 0x100).
    public enum Firmware {
        public static let ipi: UInt64 = 0x400
        public static let setSharedInfoVA: UInt64 = 0x600
        public static let pal: UInt64 = 0x1000
        public static let sal: UInt64 = 0x1100
        public static let salReturn: UInt64 = 0x1200
        /// Stub i lives at guest-physical 16 × i.
        public static let palStubIndex: UInt64 = 0x80
        public static let salStubIndex: UInt64 = 0x82
        public static let salReturnStubIndex: UInt64 = 0x84
        /// IPI vector that boots or wakes a secondary vCPU (XEN_SAL_BOOT_RENDEZ_VEC).
        public static let bootRendezvousVector: UInt64 = 0xf3
    }

    public enum PAL {
        public static let haltLight: UInt64 = 29
        public static let freqRatios: UInt64 = 14
        public static let vmSummary: UInt64 = 8
    }

    public enum SAL {
        public static let setVectors: UInt64 = 0x0100_0000
        public static let getStateInfo: UInt64 = 0x0100_0001
        public static let getStateInfoSize: UInt64 = 0x0100_0002
        public static let clearStateInfo: UInt64 = 0x0100_0003
        public static let freqBase: UInt64 = 0x0100_0012
        /// SAL_SET_VECTORS type 2 registers the rendezvous (secondary CPU boot) entry.
        public static let bootRendezvousVectorType: UInt64 = 2
    }

    /// Errors are negative errno values in r8.
    public enum Errno: Int64 {
        case eperm = 1, enoent = 2, esrch = 3, e2big = 7, enomem = 12, efault = 14, ebusy = 16, eexist = 17
        case einval = 22, enospc = 28, enosys = 38, etime = 62
        public var result: UInt64 { UInt64(bitPattern: -rawValue) }
    }

    public enum ConsoleIO { public static let write: UInt64 = 0, read: UInt64 = 1 }

    public enum SchedOp {
        public static let yield: UInt64 = 0, block: UInt64 = 1, shutdown: UInt64 = 2, poll: UInt64 = 3
        public static let remoteShutdown: UInt64 = 4
    }

    public enum ShutdownReason: UInt64, Sendable, CustomStringConvertible {
        case poweroff = 0, reboot = 1, suspend = 2, crash = 3
        public var description: String {
            switch self {
            case .poweroff: return "poweroff"
            case .reboot: return "reboot"
            case .suspend: return "suspend"
            case .crash: return "crash"
            }
        }
    }

    public enum EventChannelOp {
        public static let bindInterdomain: UInt64 = 0, bindVIRQ: UInt64 = 1, bindPIRQ: UInt64 = 2
        public static let close: UInt64 = 3, send: UInt64 = 4, status: UInt64 = 5, allocUnbound: UInt64 = 6
        public static let bindIPI: UInt64 = 7, bindVCPU: UInt64 = 8, unmask: UInt64 = 9, reset: UInt64 = 10
        public static let portCount = 4096
    }

    public enum VIRQ {
        public static let timer: UInt64 = 0, debug: UInt64 = 1, console: UInt64 = 2, domainException: UInt64 = 3
        public static let itc: UInt64 = 16, mcaCMC: UInt64 = 17, mcaCPE: UInt64 = 18
        public static let count: UInt64 = 24
    }

    public enum VCPUOp {
        public static let initialise: UInt64 = 0, up: UInt64 = 1, down: UInt64 = 2, isUp: UInt64 = 3
        public static let setPeriodicTimer: UInt64 = 6, stopPeriodicTimer: UInt64 = 7
        public static let setSingleshotTimer: UInt64 = 8, stopSingleshotTimer: UInt64 = 9
        /// vcpu_set_singleshot_timer.flags: fail with -ETIME if the deadline has passed.
        public static let singleshotFuture: UInt64 = 1
    }

    public enum MemoryOp {
        public static let increaseReservation: UInt64 = 0, decreaseReservation: UInt64 = 1
        public static let maximumRAMPage: UInt64 = 2, currentReservation: UInt64 = 3
        public static let maximumReservation: UInt64 = 4, populatePhysmap: UInt64 = 6
    }

    public enum GrantTableOp {
        public static let mapGrantRef: UInt64 = 0, unmapGrantRef: UInt64 = 1, setupTable: UInt64 = 2
        public static let copy: UInt64 = 5, querySize: UInt64 = 6
    }

    public enum CallbackOp {
        public static let register: UInt64 = 0, unregister: UInt64 = 1
        public static let typeEvent: UInt64 = 0, typeFailsafe: UInt64 = 1
    }

    public enum XenVersionOp {
        public static let version: UInt64 = 0, extraVersion: UInt64 = 1, capabilities: UInt64 = 3
        public static let pageSize: UInt64 = 7
    }

    public enum HyperPrivop: UInt64 {
        case rfi = 1, rsmDT, ssmDT, cover, itcD, itcI, ssmI, getIVR, getTPR, setTPR, eoi, setITM
        case thash, ptcGA, itrD, getRR, setRR, setKR, fc, getCPUID, getPMD, getEFlag, setEFlag, rsmBE, getPSR
    }

    /// xencomm: an inline handle is a guest-physical address with the top bit set.
    public static let xencommInlineFlag: UInt64 = 0x8000_0000_0000_0000
    public static let xencommMagic: UInt32 = 0x5843_4f4d

    /// Guest-physical addresses of the hypervisor-owned pages shared into every domain.
    public static let sharedInfoPhysical: UInt64 = 1 << 40
    public static func mappedRegsPhysical(vcpu: Int) -> UInt64 { sharedInfoPhysical + pageSize * UInt64(1 + vcpu) }
    public static let defaultXSIBase: UInt64 = 0xf100_0000_0000_0000
}

/// Offsets in the XSI area: shared_info at XSI_BASE, the current vCPU's mapped_regs at
/// XSI_BASE + 0x4000 (offsets below are within mapped_regs).
public enum XSI {
    public static let mappedRegsOffset: UInt64 = 0x4000
    public static let bank1Registers: UInt64 = 0x400
    public static let bank0Registers: UInt64 = 0x480
    public static let bank1NaTs: UInt64 = 0x500
    public static let bank0NaTs: UInt64 = 0x508
    public static let dcr: UInt64 = 0x800, itm: UInt64 = 0x808, pta: UInt64 = 0x840
    public static let ipsr: UInt64 = 0x880, isr: UInt64 = 0x888, iip: UInt64 = 0x898, ifa: UInt64 = 0x8a0
    public static let itir: UInt64 = 0x8a8, iipa: UInt64 = 0x8b0, ifs: UInt64 = 0x8b8, iim: UInt64 = 0x8c0
    public static let iha: UInt64 = 0x8c8
    public static let tpr: UInt64 = 0xa10, itv: UInt64 = 0xa40
    public static let precoverIFS: UInt64 = 0xc00
    public static let interruptCollection: UInt64 = 0xc10
    public static let interruptMaskAddress: UInt64 = 0xc18
    public static let pendingInterruption: UInt64 = 0xc20
    public static let metaphysicalMode: UInt64 = 0xc48
    public static let bankNumber: UInt64 = 0xc4c
    public static let regionRegisters: UInt64 = 0xc50
    public static let kernelRegisters: UInt64 = 0xc90

    // shared_info
    public static let vcpuInfoSize: UInt64 = 48
    public static func upcallPending(vcpu: Int) -> UInt64 { UInt64(vcpu) * vcpuInfoSize }
    public static func upcallMask(vcpu: Int) -> UInt64 { UInt64(vcpu) * vcpuInfoSize + 1 }
    public static func pendingSelector(vcpu: Int) -> UInt64 { UInt64(vcpu) * vcpuInfoSize + 8 }
    public static let eventPending: UInt64 = 0xc00
    public static let eventMask: UInt64 = 0xe00
    public static let startInfoPFN: UInt64 = 0x1010
}
