import ArgumentParser
import Foundation
import Replay

/// `xdbg info TRACE`: what a trace holds and where its bytes go.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a trace's header, domains, duration, events by kind, size split and crash record.")

    @Argument(help: "The trace file.")
    var trace: String

    func run() throws {
        try reportingFailures {
            let t: Trace
            do { t = try Trace.read(path: trace) } catch let e as TraceError { throw CommandFailure("\(trace): \(e.description)") }
            let h = t.header
            print("trace: \(trace) (format version \(TraceFormat.version), \(t.fileSize) bytes)")
            print("recorded from: \(h.source)")
            print("machine: \(h.machine.physicalCPUs) CPUs, \(h.machine.memoryMiB) MiB, xenheap \(h.machine.xenheapMiB) MiB, quantum \(h.machine.quantum)")
            print("chaos: " + (h.chaosSeed.map { "seed \($0)" } ?? "off") + "; state check every \(h.checkInterval) instructions")
            for (i, d) in h.domains.enumerated() {
                print("domain \(i): \(d.name), \(d.memoryMiB) MiB, \(d.vcpus) vCPU(s), kernel sha256 \(SHA256.hex(d.kernelHash).prefix(16))…, cmdline \"\(d.commandLine)\"")
                for k in d.disks {
                    print("  disk \(k.virtualDevice): \(k.sectors) sectors \(k.writable ? "rw" : "ro"), \(k.path), sha256 \(SHA256.hex(k.contentHash).prefix(16))…")
                }
            }
            if let e = t.end {
                print("duration: \(e.instructions) instructions, virtual time \(e.virtualTime) ticks; ended: \(e.outcome)")
                print("final state hash: \(e.stateHash)")
            } else {
                print("duration: \(t.instructions) instructions (recording cut short: readable up to offset \(t.truncatedAt ?? t.fileSize))")
            }
            print("events:")
            for kind in TraceEvent.Kind.allCases {
                let n = t.events.filter { $0.kind == kind }.count
                guard n > 0 else { continue }
                print("  \(kind.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(n).leftPad(7)) events \(String(t.eventBytesByKind[kind] ?? 0).leftPad(9)) bytes")
            }
            print("size split: header \(t.headerBytes), events \(t.eventBytesByKind.values.reduce(0, +)), framing \(t.framingBytes), end record and index \(t.endAndIndexBytes) bytes")
            if t.instructions > 0 {
                print(String(format: "trace bytes per 1000 instructions: %.4f", Double(t.fileSize) * 1000 / Double(t.instructions)))
            }
            let blobs = BlobStore.beside(trace: trace)
            let hashes = t.blobHashes
            print("blobs: \(hashes.count) (guest images and disk blocks) in \(blobs.directory), \(blobs.size(of: hashes)) bytes")
            if let e = t.end {
                if e.crashes.isEmpty { print("crashes: none") }
                for c in e.crashes {
                    let ip = c.vcpu >= 0 ? " vcpu \(c.vcpu) ip 0x\(String(c.ip & ~3, radix: 16)) slot \(c.ip & 3)" : ""
                    print("crash: domain \(c.domain) (\(c.name)) at instruction \(c.instructions)\(ip): \(c.reason)")
                }
            }
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
