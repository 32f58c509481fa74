import VMMCore
import XCTest

final class XMConfigParserTests: XCTestCase {
    /// The description of the ConfigError `body` throws, or a failure if it does not throw one.
    func configError(_ body: () throws(ConfigError) -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try body()
            XCTFail("expected a ConfigError", file: file, line: line)
            return ""
        } catch {
            return error.description
        }
    }

    func parseError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        configError({ () throws(ConfigError) in _ = try XMConfigParser.parse(text: text, file: "/etc/xen/d.cfg") },
                    file: file, line: line)
    }

    func testEveryKey() throws {
        let text = """
            # a full domain
            name = "guest1"
            kernel = 'vmlinuz-2.6.18-xen'    # relative to the config
            ramdisk = "/boot/initrd.img"
            extra = "console=hvc0 \\"quoted\\""
            root = '/dev/xvda1 ro'
            memory = 512
            maxmem = 0x400
            vcpus = 4
            cpus = "0-3,^1"
            on_poweroff = 'destroy'
            on_reboot = 'preserve'
            on_crash = "coredump-restart"
            disk = [ 'file:images/root.img,xvda,w',
                     'phy:sda7,hda,r',   # a comment inside a list
                     "tap:aio:/srv/data.img,xvdb,w!",
                     'file:/iso/cd.iso,hdc:cdrom,r',
                   ]
            vif = [ 'bridge=xenbr0' ]
            """
        let config = try XMConfigParser.parse(text: text, file: "/etc/xen/guest1.cfg")
        XCTAssertEqual(config.name, "guest1")
        XCTAssertEqual(config.kernel, "/etc/xen/vmlinuz-2.6.18-xen")
        XCTAssertEqual(config.ramdisk, "/boot/initrd.img")
        XCTAssertEqual(config.extra, "console=hvc0 \"quoted\"")
        XCTAssertEqual(config.root, "/dev/xvda1 ro")
        XCTAssertEqual(config.memoryMiB, 512)
        XCTAssertEqual(config.maxmemMiB, 1024)
        XCTAssertEqual(config.vcpus, 4)
        XCTAssertEqual(config.cpus, [0, 2, 3])
        XCTAssertEqual(config.onPoweroff, .destroy)
        XCTAssertEqual(config.onReboot, .preserve)
        XCTAssertEqual(config.onCrash, .coredumpRestart)
        XCTAssertEqual(config.disks, [
            DiskSpec(backendKind: .file, path: "/etc/xen/images/root.img", virtualDevice: "xvda", writable: true),
            DiskSpec(backendKind: .phy, path: "/dev/sda7", virtualDevice: "hda", writable: false),
            DiskSpec(backendKind: .tap(driver: "aio"), path: "/srv/data.img", virtualDevice: "xvdb", writable: true,
                     sharedWritable: true),
            DiskSpec(backendKind: .file, path: "/iso/cd.iso", virtualDevice: "hdc", isCDROM: true, writable: false),
        ])
        XCTAssertEqual(config.warnings, ["/etc/xen/guest1.cfg:19: unknown key 'vif' ignored"])
        XCTAssertEqual(config.line(ofKey: "cpus"), 10)
    }

    func testDefaults() throws {
        let config = try XMConfigParser.parse(text: "name='a'\nkernel='/k'\nmemory=64\n", file: "a.cfg")
        XCTAssertEqual(config.maxmemMiB, 64)
        XCTAssertEqual(config.vcpus, 1)
        XCTAssertNil(config.cpus)
        XCTAssertNil(config.ramdisk)
        XCTAssertEqual(config.onCrash, .destroy)
        XCTAssertEqual(config.onReboot, .restart)
        XCTAssertEqual(config.disks, [])
        XCTAssertEqual(config.warnings, [])
    }

    func testDocumentSyntax() throws {
        let doc = try XMConfigParser.parseDocument(text: """
            a = [ 1, -2,
              [ 'x' ] , True ]
            b = 3
            b = 4
            """, file: "f")
        XCTAssertEqual(doc.settings.map(\.key), ["a", "b", "b"])
        XCTAssertEqual(doc["b"]?.value, XMValue(.integer(4), line: 4))
        XCTAssertEqual(doc["a"]?.value.kind, .list([
            XMValue(.integer(1), line: 1), XMValue(.integer(-2), line: 1),
            XMValue(.list([XMValue(.string("x"), line: 2)]), line: 2), XMValue(.integer(1), line: 2),
        ]))
    }

    func testDuplicateKeyWarns() throws {
        let config = try XMConfigParser.parse(text: "name='a'\nkernel='/k'\nmemory=64\nmemory=128\n", file: "a.cfg")
        XCTAssertEqual(config.memoryMiB, 128)
        XCTAssertEqual(config.warnings, ["a.cfg:4: 'memory' set again; the last value wins"])
    }

    func testSyntaxErrorsNameTheLine() {
        let head = "name = 'a'\nkernel = '/k'\n"
        XCTAssertEqual(parseError(head + "memory = 64\nextra = 'never closed\n"), "/etc/xen/d.cfg:4: unterminated string")
        XCTAssertEqual(parseError(head + "memory = 64\ndisk = [ 'file:/a,xvda,w',\n\n"), "/etc/xen/d.cfg:4: unterminated list")
        XCTAssertEqual(parseError(head + "memory = 12x\n"), "/etc/xen/d.cfg:3: bad number '12x'")
        XCTAssertEqual(parseError(head + "memory = 99999999999999999999\n"), "/etc/xen/d.cfg:3: bad number '99999999999999999999'")
        XCTAssertEqual(parseError(head + "memory 64\n"), "/etc/xen/d.cfg:3: expected '=' after 'memory', found '6'")
        XCTAssertEqual(parseError(head + "memory =\n"), "/etc/xen/d.cfg:3: missing value")
        XCTAssertEqual(parseError(head + "memory = 64 64\n"), "/etc/xen/d.cfg:3: unexpected '6' after the value of 'memory'")
        XCTAssertEqual(parseError(head + "\n\nvcpus = None\n"), "/etc/xen/d.cfg:5: unsupported value 'None' (expected a string, an integer or a list)")
        XCTAssertEqual(parseError(head + "disk = [ 'a' 'b' ]\n"), "/etc/xen/d.cfg:3: expected ',' or ']' in list, found '''")
        XCTAssertEqual(parseError("= 3\n"), "/etc/xen/d.cfg:1: expected a 'key = value' assignment, found '='")
    }

    func testSemanticErrorsNameTheLine() {
        let head = "name = 'a'\nkernel = '/k'\n"
        XCTAssertEqual(parseError("kernel = '/k'\nmemory = 64\n"), "/etc/xen/d.cfg: missing required key 'name'")
        XCTAssertEqual(parseError("name = 'a'\nmemory = 64\n"), "/etc/xen/d.cfg: missing required key 'kernel'")
        XCTAssertEqual(parseError(head), "/etc/xen/d.cfg: missing required key 'memory'")
        XCTAssertEqual(parseError(head + "memory = '64'\n"), "/etc/xen/d.cfg:3: 'memory' must be an integer, not a string")
        XCTAssertEqual(parseError("name = 5\nkernel = '/k'\nmemory = 64\n"), "/etc/xen/d.cfg:1: 'name' must be a string, not an integer")
        XCTAssertEqual(parseError(head + "memory = 0\n"), "/etc/xen/d.cfg:3: 'memory' must be positive, not 0")
        XCTAssertEqual(parseError(head + "memory = 64\nmaxmem = 32\n"), "/etc/xen/d.cfg:4: 'maxmem' (32 MiB) is less than 'memory' (64 MiB)")
        XCTAssertEqual(parseError(head + "memory = 64\nvcpus = 65\n"), "/etc/xen/d.cfg:4: 'vcpus' must be between 1 and 64, not 65")
        XCTAssertEqual(parseError(head + "memory = 64\nvcpus = 0\n"), "/etc/xen/d.cfg:4: 'vcpus' must be between 1 and 64, not 0")
        XCTAssertEqual(parseError(head + "memory = 64\non_crash = 'explode'\n"),
                       "/etc/xen/d.cfg:4: bad 'on_crash' action 'explode' (expected one of destroy, restart, preserve, rename-restart, coredump-destroy, coredump-restart)")
        XCTAssertEqual(parseError(head + "memory = 64\ndisk = [\n 'file:/a,xvda,w',\n 'floppy:/b,fda,w' ]\n"),
                       "/etc/xen/d.cfg:6: bad disk 'floppy:/b,fda,w': unknown backend 'floppy'")
        XCTAssertEqual(parseError(head + "memory = 64\ndisk = [ 'file:/a,xvda,x' ]\n"),
                       "/etc/xen/d.cfg:4: bad disk 'file:/a,xvda,x': bad mode 'x' (expected r, w or w!)")
        XCTAssertEqual(parseError(head + "memory = 64\ndisk = 3\n"), "/etc/xen/d.cfg:4: 'disk' must be a list of strings, not an integer")
        XCTAssertEqual(parseError(head + "memory = 64\ncpus = '0-x'\n"), "/etc/xen/d.cfg:4: bad CPU list '0-x': '0-x' is not N, N-M or ^N")
        XCTAssertEqual(parseError(head + "memory = 64\ncpus = '0,^0'\n"), "/etc/xen/d.cfg:4: 'cpus' selects no CPU")
    }

    func testCPUListSyntax() throws {
        XCTAssertEqual(try CPUList.parse("0-3", physicalCPUs: 8).get(), [0, 1, 2, 3])
        XCTAssertEqual(try CPUList.parse("0,2,5-6", physicalCPUs: 8).get(), [0, 2, 5, 6])
        XCTAssertEqual(try CPUList.parse("^1", physicalCPUs: 4).get(), [0, 2, 3])
        XCTAssertEqual(try CPUList.parse("0-3,^1,^2", physicalCPUs: 8).get(), [0, 3])
        XCTAssertEqual(try CPUList.parse(" 3 , 1 ", physicalCPUs: 8).get(), [1, 3])
        for bad in ["", "a", "3-1", "1,", "^", "-1", "1-2-3"] {
            XCTAssertThrowsError(try CPUList.parse(bad, physicalCPUs: 8).get(), bad)
        }
        let listed = try XMConfigParser.parse(text: "name='a'\nkernel='/k'\nmemory=64\ncpus = [ 1, '4-5', 1 ]\n", file: "a")
        XCTAssertEqual(listed.cpus, [1, 4, 5])
        let excluded = try XMConfigParser.parse(text: "name='a'\nkernel='/k'\nmemory=64\ncpus = '^0'\n", file: "a",
                                                physicalCPUs: 3)
        XCTAssertEqual(excluded.cpus, [1, 2])
    }

    func testDiskSpecs() throws {
        XCTAssertEqual(try DiskSpec.parse("tap:qcow:disk.qcow,xvdc,r", relativeTo: "/vm").get(),
                       DiskSpec(backendKind: .tap(driver: "qcow"), path: "/vm/disk.qcow", virtualDevice: "xvdc", writable: false))
        XCTAssertEqual(try DiskSpec.parse("phy:/dev/vg/lv,xvda,w", relativeTo: "/vm").get().path, "/dev/vg/lv")
        XCTAssertEqual(try DiskSpec.parse("file:a.img, hda, rw", relativeTo: "/vm").get(),
                       DiskSpec(backendKind: .file, path: "/vm/a.img", virtualDevice: "hda", writable: true))
        let failures: [(String, String)] = [
            ("/img,xvda,w", "missing backend (file:, phy:, tap:DRIVER:)"),
            ("file:/img,xvda", "expected 'backend:path,device,mode'"),
            ("tap:/img,xvda,w", "tap needs a driver, as in tap:aio:/path"),
            ("file:,xvda,w", "empty path"),
            ("file:/img,xv da,w", "bad virtual device 'xv da'"),
        ]
        for (entry, reason) in failures {
            XCTAssertEqual(DiskSpec.parse(entry, relativeTo: "/").failure, DiskSpecError(entry: entry, reason: reason))
        }
    }

    func testLoadReadsFilesAndReportsMissingOnes() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("sub/g.cfg", "name='g'\nkernel='k/vmlinux'\nmemory=128\n")
        let config = try XMConfigParser.load(path: path)
        XCTAssertEqual(config.kernel, dir.path + "/sub/k/vmlinux")
        XCTAssertEqual(config.file, path)
        let missing = dir.path + "/none.cfg"
        XCTAssertEqual(configError({ () throws(ConfigError) in _ = try XMConfigParser.load(path: missing) }),
                       "\(missing): cannot read file")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
