import Foundation
import Symbols
import XCTest

final class SymbolTableTests: XCTestCase {
    func testSymbolizeSmallProgramMatchesAddr2line() throws {
        let image = try Fixtures.calls.get()
        let table = try SymbolTable(path: image)
        // Every line-table address and every bundle of every function, slot 0…2.
        var addresses = Set(try Fixtures.decodedLines(image).map(\.address))
        for s in table.symbols where s.isFunction {
            var a = s.address
            while a < s.address + s.size { for slot in 0...2 { addresses.insert(a | UInt64(slot)) }; a += 16 }
        }
        let sorted = addresses.sorted()
        let oracle = try Fixtures.addr2line(image, sorted)
        for (a, expected) in zip(sorted, oracle) {
            let ours = table.symbolize(GuestPC(encoded: a)!)
            XCTAssertEqual(ours.function?.name, expected.function, "function at \(String(a, radix: 16))")
            XCTAssertEqual(ours.locationText, expected.location, "line at \(String(a, radix: 16))")
        }
        XCTAssertEqual(table.symbolize(try GuestPC.parse("0x4000000000000140+1")).description,
                       "0x4000000000000141 inner+0x20 " + (image as NSString).deletingLastPathComponent + "/calls.s:50")
    }

    func testKernelSymbolsMatchNmAndAddr2line() throws {
        let image = try Fixtures.kernel.get()
        let table = try SymbolTable(path: image)
        let nm = try Fixtures.run("ia64-linux-gnu-nm", ["-n", "-S", "--defined-only", image]).stdout
        var functions: [(name: String, address: UInt64, size: UInt64)] = []
        for line in nm.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count == 4, f[2] == "T" || f[2] == "t",
                  let a = UInt64(f[0], radix: 16), let s = UInt64(f[1], radix: 16) else { continue }
            functions.append((String(f[3]), a, s))
        }
        XCTAssertGreaterThan(functions.count, 50)
        var addresses: [UInt64] = []
        for f in functions {
            if table.symbol(named: f.name)?.isGlobal == true || functions.filter({ $0.name == f.name }).count == 1 {
                XCTAssertEqual(table.address(ofSymbol: f.name), f.address, f.name)
            }
            let symbol = table.function(containing: f.address)
            XCTAssertEqual(symbol?.symbol.address, f.address, f.name)
            XCTAssertEqual(symbol?.symbol.size, f.size, f.name)
            addresses += [f.address, f.address + (f.size / 32) * 16 + 1, f.address + f.size - 16 + 2]
        }
        let oracle = try Fixtures.addr2line(image, addresses)
        for (a, expected) in zip(addresses, oracle) {
            let ours = table.symbolize(GuestPC(encoded: a)!)
            XCTAssertEqual(ours.function?.name, expected.function, "function at \(String(a, radix: 16))")
            XCTAssertEqual(ours.locationText, expected.location, "line at \(String(a, radix: 16))")
        }
    }

    func testLineToAddressIsTheLowestAddressOfTheLine() throws {
        for image in [try Fixtures.calls.get(), try Fixtures.kernel.get()] {
            let table = try SymbolTable(path: image)
            var lowest: [String: UInt64] = [:]
            for row in try Fixtures.decodedLines(image) {
                let key = "\(row.file):\(row.line)"
                lowest[key] = min(lowest[key] ?? .max, row.address)
            }
            XCTAssertFalse(lowest.isEmpty)
            for (key, address) in lowest {
                let colon = key.lastIndex(of: ":")!
                let pcs = table.addresses(file: String(key[..<colon]), line: Int(key[key.index(after: colon)...])!)
                XCTAssertEqual(pcs.first?.encoded, address, key)
            }
        }
        let table = try SymbolTable(path: try Fixtures.calls.get())
        XCTAssertEqual(table.addresses(file: "calls.s", line: 51), [GuestPC(bundle: 0x4000_0000_0000_0140, slot: 2)])
        XCTAssertEqual(table.addresses(file: "calls.s", line: 2), [])
        XCTAssertEqual(table.address(ofSymbol: "stop"), 0x4000_0000_0000_0140)
        XCTAssertNil(table.address(ofSymbol: "nope"))
    }

    func testGuestPCForms() throws {
        XCTAssertEqual(try GuestPC.parse("0x100402"), GuestPC(bundle: 0x100400, slot: 2))
        XCTAssertEqual(try GuestPC.parse("100400+1"), GuestPC(bundle: 0x100400, slot: 1))
        XCTAssertEqual(try GuestPC.parse("0x100400").encoded, 0x100400)
        for bad in ["", "0x", "zz", "0x100403", "0x100408", "0x100401+1", "0x100400+3", "0x100400+", "0x1ffffffffffffffff"] {
            XCTAssertThrowsError(try GuestPC.parse(bad), bad)
        }
    }

    func testBadImages() throws {
        XCTAssertThrowsError(try SymbolTable(path: "/nonexistent/image")) {
            guard case .cannotOpen = $0 as? SymbolError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try SymbolTable(path: "/etc/passwd")) { XCTAssertEqual($0 as? SymbolError, .notELF(path: "/etc/passwd")) }
        XCTAssertThrowsError(try SymbolTable(path: "/bin/sh")) {
            guard case .notIA64 = $0 as? SymbolError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try SymbolTable(path: "/tmp")) {
            guard case .cannotOpen = $0 as? SymbolError else { return XCTFail("\($0)") }
        }
    }
}
