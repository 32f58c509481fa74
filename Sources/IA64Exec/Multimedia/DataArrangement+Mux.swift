/// mux1 (byte permutations named by mbtype4) and mux2 (any halfword selection by mhtype8).
extension DataArrangement {
    /// mux1's permutations, valued as the instruction's mbtype4 field; other field values
    /// are reserved.
    public enum Mux1Permutation: UInt8, Sendable {
        case broadcast = 0x0  // @brcst: byte 0 into every byte
        case mix = 0x8        // @mix
        case shuffle = 0x9    // @shuf
        case alternate = 0xa  // @alt
        case reverse = 0xb    // @rev
    }

    @inlinable public static func mux1(_ r2: UInt64, _ permutation: Mux1Permutation) -> UInt64 {
        switch permutation {
        case .broadcast: return mux1Broadcast(r2)
        case .mix: return mux1Mix(r2)
        case .shuffle: return mux1Shuffle(r2)
        case .alternate: return mux1Alternate(r2)
        case .reverse: return mux1Reverse(r2)
        }
    }

    /// @brcst: every result byte is source byte 0.
    @inlinable public static func mux1Broadcast(_ r2: UInt64) -> UInt64 { (r2 & 0xff) &* SWARLanes.replicate8 }

    /// @rev: result byte i is source byte 7 - i.
    @inlinable public static func mux1Reverse(_ r2: UInt64) -> UInt64 { r2.byteSwapped }

    /// @mix: result bytes 7…0 are source bytes 7 3 5 1 6 2 4 0 — bytes 1↔4 and 3↔6 swap.
    @inlinable public static func mux1Mix(_ r2: UInt64) -> UInt64 {
        let swapped = ((r2 &>> 24) ^ r2) & 0x0000_0000_ff00_ff00
        return r2 ^ swapped ^ (swapped &<< 24)
    }

    /// @shuf: result bytes 7…0 are source bytes 7 3 6 2 5 1 4 0 — the low and high halves
    /// interleaved, low half in the even bytes.
    @inlinable public static func mux1Shuffle(_ r2: UInt64) -> UInt64 {
        spreadBytes(r2 & 0xffff_ffff) | (spreadBytes(r2 &>> 32) &<< 8)
    }

    /// @alt: result bytes 7…0 are source bytes 7 5 3 1 6 4 2 0 — even bytes gathered into the
    /// low half, odd bytes into the high half.
    @inlinable public static func mux1Alternate(_ r2: UInt64) -> UInt64 {
        gatherEvenBytes(r2) | (gatherEvenBytes(r2 &>> 8) &<< 32)
    }

    /// mux2: result halfword i is source halfword (mhtype8 >> 2i) & 3.
    @inlinable public static func mux2(_ r2: UInt64, _ mhtype8: UInt8) -> UInt64 {
        let selector = UInt64(mhtype8)
        var result: UInt64 = 0
        for i: UInt64 in 0..<4 {
            let source = (selector &>> (2 &* i)) & 3
            result |= ((r2 &>> (source &* 16)) & 0xffff) &<< (i &* 16)
        }
        return result
    }

    /// The low four bytes of `x` moved to the even bytes (byte i to byte 2i).
    @inlinable @inline(__always)
    static func spreadBytes(_ x: UInt64) -> UInt64 {
        let halves = (x | (x &<< 16)) & 0x0000_ffff_0000_ffff
        return (halves | (halves &<< 8)) & 0x00ff_00ff_00ff_00ff
    }

    /// The low four halfwords of `x` moved to the even halfwords (halfword i to 2i).
    @inlinable @inline(__always)
    static func spreadHalfwords(_ x: UInt64) -> UInt64 {
        (x | (x &<< 16)) & 0x0000_ffff_0000_ffff
    }

    /// The even bytes of `x` (byte 2i) packed into the low four bytes (byte i); inverse of spreadBytes.
    @inlinable @inline(__always)
    static func gatherEvenBytes(_ x: UInt64) -> UInt64 {
        let bytes = x & 0x00ff_00ff_00ff_00ff
        let pairs = (bytes | (bytes &>> 8)) & 0x0000_ffff_0000_ffff
        return (pairs | (pairs &>> 16)) & 0xffff_ffff
    }
}
