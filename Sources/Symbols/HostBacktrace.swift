import CLibdw
import CLibunwind
#if canImport(Glibc)
import Glibc
#endif

/// One frame of the host's own stack.
public struct HostFrame: Hashable, Sendable, CustomStringConvertible {
    public let pc: UInt64
    public let sp: UInt64
    /// The symbol as the binary names it (mangled), and its demangled form.
    public let symbol: String?
    public let demangled: String?
    /// Bytes from the symbol's start to `pc`.
    public let offset: UInt64
    /// The module (executable or shared object) holding `pc`.
    public let module: String?
    public let file: String?
    public let line: Int?

    /// `#3 0x00005555… in SymbolsTests.testX() +0x1c at /path/File.swift:12 [module]`.
    public var description: String {
        var s = "0x" + String(pc, radix: 16)
        s += " in " + (demangled ?? symbol ?? "??")
        if symbol != nil { s += " +" + hex(offset) }
        if let file { s += " at \(file):\(line ?? 0)" }
        if let module { s += " [\(module.split(separator: "/").last.map(String.init) ?? module)]" }
        return s
    }
}

/// The host's stack, captured with libunwind (local unwinding) and symbolized with libdwfl
/// over the running process's modules; Swift names demangled by the runtime.
public struct HostBacktrace: Sendable, CustomStringConvertible {
    public let frames: [HostFrame]

    public init(frames: [HostFrame]) {
        self.frames = frames
    }

    /// The calling thread's stack, innermost first, without `capture`'s own frames and the
    /// `skip` innermost frames of the caller.
    @inline(never)
    public static func capture(skip: Int = 0, maxFrames: Int = 128) -> HostBacktrace {
        let limit = max(1, maxFrames) + 8
        let pcs = UnsafeMutablePointer<UInt64>.allocate(capacity: limit)
        let sps = UnsafeMutablePointer<UInt64>.allocate(capacity: limit)
        defer {
            pcs.deallocate()
            sps.deallocate()
        }
        let n = Int(xdbg_unw_capture(pcs, sps, Int32(limit), 0))
        guard n > 0 else { return HostBacktrace(frames: []) }
        var frames = symbolize(pcs: Array(UnsafeBufferPointer(start: pcs, count: n)),
                               sps: Array(UnsafeBufferPointer(start: sps, count: n))).frames
        // Drop the capture machinery (the C helper, wherever it was inlined, and this function).
        if let own = frames.lastIndex(where: { $0.symbol == "xdbg_unw_capture" || ($0.demangled ?? "").contains("HostBacktrace.capture(") }) {
            frames.removeFirst(own + 1)
        }
        frames.removeFirst(min(max(0, skip), frames.count))
        return HostBacktrace(frames: Array(frames.prefix(maxFrames)))
    }

    /// Symbolizes return addresses of this process (frame 0 exact, callers at pc - 1).
    public static func symbolize(pcs: [UInt64], sps: [UInt64]? = nil) -> HostBacktrace {
        let dwfl = xdbg_dwfl_begin_self()
        defer { if let dwfl { dwfl_end(dwfl) } }
        var frames: [HostFrame] = []
        for (i, pc) in pcs.enumerated() {
            let sp = sps.flatMap { i < $0.count ? $0[i] : nil } ?? 0
            let lookup = i == 0 || pc == 0 ? pc : pc - 1
            var symbol: String?, offset: UInt64 = 0, module: String?, file: String?, line: Int?
            if let dwfl, let mod = dwfl_addrmodule(dwfl, Dwarf_Addr(lookup)) {
                module = xdbg_dwfl_module_name(mod).map { String(cString: $0) }
                var off: GElf_Off = 0
                var sym = GElf_Sym()
                if let name = dwfl_module_addrinfo(mod, Dwarf_Addr(lookup), &off, &sym, nil, nil, nil) {
                    symbol = String(cString: name)
                    offset = UInt64(off) + (pc - lookup)
                }
                if let src = dwfl_module_getsrc(mod, Dwarf_Addr(lookup)) {
                    var lineno: Int32 = 0
                    if let f = dwfl_lineinfo(src, nil, &lineno, nil, nil, nil) {
                        file = String(cString: f)
                        line = Int(lineno)
                    }
                }
            }
            frames.append(HostFrame(pc: pc, sp: sp, symbol: symbol, demangled: symbol.flatMap(Demangler.demangle),
                                    offset: offset, module: module, file: file, line: line))
        }
        return HostBacktrace(frames: frames)
    }

    /// One numbered line per frame.
    public var description: String {
        frames.enumerated().map { "#\($0.offset) \($0.element)" }.joined(separator: "\n")
    }
}

@_silgen_name("swift_demangle")
private func _swiftDemangle(_ mangled: UnsafePointer<CChar>?, _ length: Int, _ output: UnsafeMutablePointer<CChar>?,
                            _ outputSize: UnsafeMutablePointer<Int>?, _ flags: UInt32) -> UnsafeMutablePointer<CChar>?

/// Symbol demangling: Swift names through the runtime's `swift_demangle`, C++ names through
/// `__cxa_demangle` when the process has it.
public enum Demangler {
    /// The demangled name, or nil when `name` is not a mangled Swift or C++ name.
    public static func demangle(_ name: String) -> String? {
        if isSwiftMangled(name) {
            return name.withCString { p -> String? in
                guard let out = _swiftDemangle(p, strlen(p), nil, nil, 0) else { return nil }
                defer { free(out) }
                return String(cString: out)
            }
        }
        if name.hasPrefix("_Z") { return demangleCxx(name) }
        return nil
    }

    static func isSwiftMangled(_ name: String) -> Bool {
        ["$s", "$S", "_$s", "_$S", "$e", "_T0"].contains { name.hasPrefix($0) }
    }

    private typealias CxaDemangle = @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<CChar>?,
                                                    UnsafeMutablePointer<Int>?, UnsafeMutablePointer<Int32>?) -> UnsafeMutablePointer<CChar>?

    private static func demangleCxx(_ name: String) -> String? {
        guard let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, "__cxa_demangle") else { return nil }
        let f = unsafeBitCast(sym, to: CxaDemangle.self)
        var status: Int32 = 0
        return name.withCString { p -> String? in
            guard let out = f(p, nil, nil, &status), status == 0 else { return nil }
            defer { free(out) }
            return String(cString: out)
        }
    }
}
