// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "xdbg",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "xdbg", targets: ["xdbg"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The CPU: decoder, disassembler, interpreter. Pure and deterministic.
        // Dynamic exclusivity checks on the CPU's class state cost more than the instructions
        // themselves; the interpreter is single-threaded and never overlaps accesses.
        .target(name: "IA64Exec", swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // The hypervisor: memory, domains, vCPUs, devices, ELF loading.
        .target(name: "VMMCore", dependencies: ["IA64Exec"]),
        // Record/replay: the one door for nondeterminism.
        .target(name: "Replay", dependencies: ["VMMCore"]),
        // GDB Remote Serial Protocol server.
        .target(name: "GDBStub", dependencies: ["Replay", "VMMCore", "IA64Exec"]),
        // C shims over elfutils' libdw/libdwfl/libelf and libunwind (local unwinding).
        .systemLibrary(name: "CLibdw", pkgConfig: "libdw", providers: [.apt(["libdw-dev"])]),
        .systemLibrary(name: "CLibunwind", pkgConfig: "libunwind", providers: [.apt(["libunwind-dev"])]),
        // Symbols: guest ELF symbols and lines, the IA-64 unwinder, host backtraces.
        .target(name: "Symbols", dependencies: ["CLibdw", "CLibunwind"]),
        // The command line.
        .executableTarget(
            name: "xdbg",
            dependencies: [
                "IA64Exec", "VMMCore", "Replay", "GDBStub", "Symbols",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "xdbg-bench",
            dependencies: ["IA64Exec", "VMMCore", "Replay"],
            path: "Benchmarks/Sources/xdbg-bench"
        ),
        .testTarget(name: "IA64ExecTests", dependencies: ["IA64Exec"]),
        .testTarget(name: "ExecutionTests", dependencies: ["IA64Exec", "VMMCore"], exclude: ["Data"]),
        .testTarget(name: "xdbgTests", dependencies: ["IA64Exec", "VMMCore"]),
        .testTarget(name: "VMMCoreTests", dependencies: ["IA64Exec", "VMMCore"]),
        .testTarget(name: "ReplayTests", dependencies: ["Replay", "VMMCore", "IA64Exec"]),
        .testTarget(name: "GDBStubTests", dependencies: ["GDBStub", "IA64Exec", "VMMCore", "Replay"]),
        .testTarget(name: "SymbolsTests", dependencies: ["Symbols", "IA64Exec", "VMMCore"], exclude: ["Data"]),
    ]
)
