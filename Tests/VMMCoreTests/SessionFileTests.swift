import VMMCore
import XCTest

final class SessionFileTests: XCTestCase {
    func loadError(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try SessionFile.load(path: path)
            XCTFail("expected a ConfigError", file: file, line: line)
            return ""
        } catch {
            return error.description
        }
    }

    func commandLineError(_ text: String) -> String {
        do {
            _ = try MachineDescription.parse(commandLine: text)
            XCTFail("expected a ConfigError for \(text)")
            return ""
        } catch {
            return error.description
        }
    }

    func testXenCommandLine() throws {
        let m = try MachineDescription.parse(commandLine: "dom0_mem=1G dom0_max_vcpus=2 dom0_vcpus_pin xenheap_megabytes=16 console=com1")
        XCTAssertEqual(m.dom0MemMiB, 1024)
        XCTAssertEqual(m.dom0MaxVCPUs, 2)
        XCTAssertTrue(m.dom0VCPUsPinned)
        XCTAssertEqual(m.xenheapMiB, 16)
        XCTAssertEqual(m.physicalCPUs, 8)
        XCTAssertEqual(m.memoryMiB, 8192)
        XCTAssertEqual(m.warnings, ["unknown Xen option 'console' ignored"])
        let defaults = try MachineDescription.parse(commandLine: "")
        XCTAssertNil(defaults.dom0MemMiB)
        XCTAssertNil(defaults.dom0MaxVCPUs)
        XCTAssertFalse(defaults.dom0VCPUsPinned)
        XCTAssertEqual(defaults.xenheapMiB, 32)
        XCTAssertFalse(try MachineDescription.parse(commandLine: "dom0_vcpus_pin dom0_vcpus_pin=off").dom0VCPUsPinned)
    }

    func testXenSizes() {
        XCTAssertEqual(XenSize.parseBytes("512M"), 512 << 20)
        XCTAssertEqual(XenSize.parseBytes("1g"), 1 << 30)
        XCTAssertEqual(XenSize.parseBytes("524288"), 512 << 20)  // plain numbers are KiB
        XCTAssertEqual(XenSize.parseBytes("4096B"), 4096)
        XCTAssertEqual(XenSize.parseBytes("0x10M"), 16 << 20)
        XCTAssertEqual(XenSize.parseBytes("0x1B"), 0x1b << 10)
        XCTAssertEqual(XenSize.parseBytes("010K"), 8 << 10)
        for bad in ["", "M", "12Q", "1MM", "-1M", "99999999999T"] { XCTAssertNil(XenSize.parseBytes(bad), bad) }
    }

    func testXenCommandLineErrors() {
        XCTAssertEqual(commandLineError("dom0_mem=lots"), "dom0_mem needs a size such as 512M or 1G, not 'lots'")
        XCTAssertEqual(commandLineError("dom0_mem=1536K"), "dom0_mem=1536K is not a whole number of MiB")
        XCTAssertEqual(commandLineError("dom0_max_vcpus=two"), "dom0_max_vcpus needs an integer, not 'two'")
        XCTAssertEqual(commandLineError("dom0_max_vcpus=0"), "dom0_max_vcpus must be between 1 and 64, not 0")
        XCTAssertEqual(commandLineError("dom0_vcpus_pin=maybe"), "dom0_vcpus_pin takes no value or a boolean, not 'maybe'")
        XCTAssertEqual(commandLineError("xenheap_megabytes"), "xenheap_megabytes needs an integer, not ''")
        XCTAssertEqual(commandLineError("xenheap_megabytes=8192"), "xenheap (8192 MiB) does not fit in machine memory (8192 MiB)")
    }

    func writeDomains(_ dir: TemporaryDirectory) throws {
        try dir.write("cfg/dom0.cfg", "name = 'Domain-0'\nkernel = 'xen-vmlinuz'\nmemory = 512\nvcpus = 4\n")
        try dir.write("cfg/domu1.cfg", "name = 'domu1'\nkernel = '/boot/vmlinuz'\nmemory = 1024\ncpus = '2-3'\n")
        try dir.write("cfg/guests/domu2.cfg", "name = 'domu2'\nkernel = 'k'\nmemory = 1024\nmaxmem = 2048\n")
    }

    func testSessionLoadsDomainsRelativeToItself() throws {
        let dir = try TemporaryDirectory()
        try writeDomains(dir)
        let path = try dir.write("cfg/session", """
            # default session
            cpus = 8
            memory = 4096          # MiB of machine memory
            xen = "dom0_mem=1024M dom0_max_vcpus=2 dom0_vcpus_pin"
            dom0 = "dom0.cfg"
            domains = [ "domu1.cfg",
                        "guests/domu2.cfg", ]
            colour = 'blue'
            """)
        let session = try SessionFile.load(path: path)
        XCTAssertEqual(session.machine.physicalCPUs, 8)
        XCTAssertEqual(session.machine.memoryMiB, 4096)
        XCTAssertTrue(session.machine.dom0VCPUsPinned)
        XCTAssertEqual(session.dom0.name, "Domain-0")
        XCTAssertEqual(session.dom0.kernel, dir.path + "/cfg/xen-vmlinuz")
        XCTAssertEqual(session.dom0.memoryMiB, 1024, "dom0_mem overrides the config")
        XCTAssertEqual(session.dom0.vcpus, 2, "dom0_max_vcpus overrides the config")
        XCTAssertEqual(session.domUs.map(\.name), ["domu1", "domu2"])
        XCTAssertEqual(session.domUs[1].kernel, dir.path + "/cfg/guests/k")
        XCTAssertEqual(session.domUs[0].cpus, [2, 3])
        XCTAssertEqual(session.warnings, [
            "\(path):8: unknown key 'colour' ignored",
            "\(path):4: dom0_mem=1024M overrides dom0's memory = 512",
            "\(path):4: dom0_max_vcpus=2 overrides dom0's vcpus = 4",
        ])
    }

    func testSessionDefaults() throws {
        let dir = try TemporaryDirectory()
        try writeDomains(dir)
        let session = try SessionFile.load(path: try dir.write("cfg/s", "dom0 = 'dom0.cfg'\n"))
        XCTAssertEqual(session.machine, MachineDescription())
        XCTAssertEqual(session.dom0.memoryMiB, 512)
        XCTAssertEqual(session.dom0.vcpus, 4)
        XCTAssertEqual(session.domUs, [])
    }

    func testSessionErrors() throws {
        let dir = try TemporaryDirectory()
        try writeDomains(dir)
        let s = dir.path + "/cfg/s"
        func check(_ text: String, _ expected: String, line: UInt = #line) throws {
            try dir.write("cfg/s", text)
            XCTAssertEqual(loadError(s), expected, line: line)
        }
        try check("memory = 4096\n", "\(s): missing required key 'dom0'")
        try check("dom0 = 'nope.cfg'\n", "\(s):1: cannot read domain config '\(dir.path)/cfg/nope.cfg'")
        try check("memory = 2048\ndom0 = 'dom0.cfg'\ndomains = [\n 'domu1.cfg',\n 'guests/domu2.cfg' ]\n",
                  "\(s):5: not enough memory: the domains need 2560 MiB plus 32 MiB of Xen heap, the machine has 2048 MiB")
        try check("cpus = 2\ndom0 = 'dom0.cfg'\ndomains = [ 'domu1.cfg' ]\n",
                  "\(dir.path)/cfg/domu1.cfg:4: domain 'domu1': cpus names CPU 2 but the machine has CPUs 0-1")
        try check("cpus = 2\nxen = 'dom0_vcpus_pin'\ndom0 = 'dom0.cfg'\n",
                  "\(s):2: dom0_vcpus_pin: dom0 has 4 vCPUs but the machine only 2 physical CPUs")
        try check("xen = 'dom0_mem=9G'\ndom0 = 'dom0.cfg'\n",
                  "\(s):2: not enough memory: the domains need 9216 MiB plus 32 MiB of Xen heap, the machine has 8192 MiB")
        try check("xen = 'dom0_mem=1X'\ndom0 = 'dom0.cfg'\n", "\(s):1: dom0_mem needs a size such as 512M or 1G, not '1X'")
        try check("cpus = 65\ndom0 = 'dom0.cfg'\n", "\(s):1: 'cpus' must be between 1 and 64, not 65")
        try check("dom0 = 'dom0.cfg'\ndomains = [ 'domu1.cfg', 'domu1.cfg' ]\n",
                  "\(s):2: domain name 'domu1' is used by both \(dir.path)/cfg/domu1.cfg and \(dir.path)/cfg/domu1.cfg")
        try dir.write("cfg/broken.cfg", "name = 'b'\nkernel = 'k'\nmemory = [ 1,\n")
        try check("dom0 = 'dom0.cfg'\ndomains = [ 'broken.cfg' ]\n", "\(dir.path)/cfg/broken.cfg:3: unterminated list")
    }

    func testProgrammaticSessionIsValidated() throws {
        let dom0 = DomainConfig(name: "Domain-0", kernel: "/k", memoryMiB: 256)
        let big = DomainConfig(name: "big", kernel: "/k", memoryMiB: 900, vcpus: 70)
        XCTAssertThrowsError(try Session(machine: MachineDescription(memoryMiB: 1024), dom0: dom0, domUs: [big])) {
            XCTAssertEqual(($0 as? ConfigError)?.message, "domain 'big': vcpus must be between 1 and 64, not 70")
        }
        let session = try Session(machine: MachineDescription(memoryMiB: 2048, dom0MaxVCPUs: 3), dom0: dom0, domUs: [])
        XCTAssertEqual(session.dom0.vcpus, 3)
    }
}
