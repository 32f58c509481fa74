/// Assembler names of application and control registers, as binutils writes them.
enum RegisterNames {
    static func applicationRegister(_ n: Int64) -> String {
        switch n {
        case 0...7: return "ar.k\(n)"
        case 16: return "ar.rsc"
        case 17: return "ar.bsp"
        case 18: return "ar.bspstore"
        case 19: return "ar.rnat"
        case 21: return "ar.fcr"
        case 24: return "ar.eflag"
        case 25: return "ar.csd"
        case 26: return "ar.ssd"
        case 27: return "ar.cflg"
        case 28: return "ar.fsr"
        case 29: return "ar.fir"
        case 30: return "ar.fdr"
        case 32: return "ar.ccv"
        case 36: return "ar.unat"
        case 40: return "ar.fpsr"
        case 44: return "ar.itc"
        case 45: return "ar.ruc"
        case 64: return "ar.pfs"
        case 65: return "ar.lc"
        case 66: return "ar.ec"
        default: return "ar\(n)"
        }
    }

    static func controlRegister(_ n: Int64) -> String {
        switch n {
        case 0: return "cr.dcr"
        case 1: return "cr.itm"
        case 2: return "cr.iva"
        case 8: return "cr.pta"
        case 16: return "cr.ipsr"
        case 17: return "cr.isr"
        case 19: return "cr.iip"
        case 20: return "cr.ifa"
        case 21: return "cr.itir"
        case 22: return "cr.iipa"
        case 23: return "cr.ifs"
        case 24: return "cr.iim"
        case 25: return "cr.iha"
        case 26: return "cr.iib0"
        case 27: return "cr.iib1"
        case 64: return "cr.lid"
        case 65: return "cr.ivr"
        case 66: return "cr.tpr"
        case 67: return "cr.eoi"
        case 68...71: return "cr.irr\(n - 68)"
        case 72: return "cr.itv"
        case 73: return "cr.pmv"
        case 74: return "cr.cmcv"
        case 80: return "cr.lrr0"
        case 81: return "cr.lrr1"
        default: return "cr\(n)"
        }
    }
}
