import XCTest
@testable import IA64Exec

final class DecoderTests: XCTestCase {
    let decoder = Decoder()
    let table = OpcodeTable.shared

    func testTemplatesReservedExactlyWhereTheArchitectureSays() {
        let reserved: Set<UInt8> = [0x06, 0x07, 0x14, 0x15, 0x1a, 0x1b, 0x1e, 0x1f]
        for code in UInt8(0)..<32 {
            let t = BundleTemplate(code: code)
            XCTAssertEqual(t.isReserved, reserved.contains(code), "template \(code)")
            XCTAssertEqual(t.stopAtEnd, code & 1 == 1)
        }
        XCTAssertEqual(BundleTemplate(code: 0x02).midBundleStopAfterSlot, 1)  // MI;I
        XCTAssertEqual(BundleTemplate(code: 0x0a).midBundleStopAfterSlot, 0)  // M;MI
        XCTAssertEqual(BundleTemplate(code: 0x04).name, "MLX")
        XCTAssertTrue(BundleTemplate(code: 0x04).units! == (.m, .l, .x))
    }

    func testSlotsRoundTripThroughBundleLayout() {
        var state: UInt64 = 12345
        for _ in 0..<1000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let a = state & InstructionBundle.slotMask, b = (state >> 7) & InstructionBundle.slotMask, c = (state >> 13) & InstructionBundle.slotMask
            let bundle = InstructionBundle(template: UInt8(state >> 59), slots: a, b, c)
            XCTAssertEqual([bundle.slot0, bundle.slot1, bundle.slot2], [a, b, c])
            XCTAssertEqual(InstructionBundle(bytes: bundle.bytes, offset: 0), bundle)
        }
    }

    /// `add r1=r2,r3` as gas assembles it (bytes from ia64-linux-gnu-as): [MII] add; nop.i; nop.i
    func testDecodesAddWithOperands() {
        let bytes: [UInt8] = [0x00, 0x08, 0x08, 0x06, 0x00, 0x20, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00]
        let d = decoder.decode(InstructionBundle(bytes: bytes, offset: 0))
        XCTAssertEqual(d.template.name, "MII")
        XCTAssertEqual(d.slot0.entry?.name, "add")
        XCTAssertEqual(d.slot0.qp, 0)
        XCTAssertEqual([d.slot0.operands[0], d.slot0.operands[1], d.slot0.operands[2]], [1, 2, 3])
        XCTAssertEqual(d.slot1.entry?.name, "nop.i")
        XCTAssertEqual(d.slot2.entry?.name, "nop.i")
    }

    /// `(p06) ld8.acq r4=[r5],8; movl r8=0x123456789abcdef0;;` (bytes from ia64-linux-gnu-as):
    /// the 64-bit immediate is assembled from the L and X slots.
    func testDecodesMovlImmediateAcrossSlots() {
        let bytes: [UInt8] = [0xc5, 0x20, 0x20, 0x0a, 0xb8, 0x94, 0x9a, 0x78, 0x56, 0x34, 0x12, 0x00, 0x01, 0x97, 0xf7, 0x66]
        let d = decoder.decode(InstructionBundle(bytes: bytes, offset: 0))
        XCTAssertEqual(d.template.name, "MLX")
        XCTAssertTrue(d.template.stopAtEnd)
        XCTAssertEqual(d.slot0.entry?.name, "ld8.acq")
        XCTAssertEqual(d.slot0.qp, 6)
        XCTAssertEqual([d.slot0.operands[0], d.slot0.operands[1], d.slot0.operands[2]], [4, 5, 8])
        XCTAssertTrue(d.slot1.isLongImmediateSlot)
        XCTAssertEqual(d.slot2.entry?.name, "movl")
        XCTAssertEqual(d.slot2.operands[0], 8)
        XCTAssertEqual(UInt64(bitPattern: d.slot2.operands[1]), 0x1234_5678_9abc_def0)
    }

    func testReservedTemplateAndUnassignedEncodingAreExplicit() {
        let d = decoder.decode(InstructionBundle(template: 0x06, slots: 0, 0, 0))
        XCTAssertEqual(d.slot0.reservedReason, .reservedTemplate)
        XCTAssertEqual(d.slot2.reservedReason, .reservedTemplate)
        // B-unit major opcode 3 is unassigned in the architecture.
        let b = decoder.decodeSlot(3 << 37, unit: .b)
        XCTAssertEqual(b.reservedReason, .unassignedEncoding)
        XCTAssertEqual(b.unit, .b)
        XCTAssertNil(b.entry)
    }

    /// The bucketed index must pick exactly what a scan of the whole table in priority order
    /// picks, for any bits.
    func testIndexAgreesWithLinearScanOnRandomSlots() {
        var state: UInt64 = 0x5eed
        for n in 0..<4_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var slot = (state >> 11) & InstructionBundle.slotMask
            if n % 2 == 0 {
                // Start from a real encoding so that matches are common, then disturb it.
                let e = table.entries[Int(state % UInt64(table.entries.count))]
                slot = e.opcode | (slot & ~e.mask & InstructionBundle.slotMask)
            }
            for type in InstructionType.allCases {
                let expected = table.entries.firstIndex { $0.type == type && $0.matches(slot) }.map { UInt16($0) }
                XCTAssertEqual(table.lookup(slot, type: type), expected, "slot \(String(slot, radix: 16)) type \(type)")
            }
        }
    }

    func testEveryEntryDecodesToItselfOrAHigherPriorityEntry() {
        for (i, e) in table.entries.enumerated() {
            // Entries whose extra constraint the bare opcode breaks (len6 == 64 - count) are
            // covered by the random test.
            guard e.matches(e.opcode) else {
                XCTAssertTrue(e.flags.contains(.lengthIs64MinusCount), e.name)
                continue
            }
            guard let found = table.lookup(e.opcode, type: e.type) else {
                XCTFail("\(e.name) does not decode")
                continue
            }
            XCTAssertLessThanOrEqual(Int(found), i, e.name)
        }
    }
}
