import Foundation
import IA64Exec

/// A whole machine at one instant, cheap to keep many of: the hypervisor's state (CPUs,
/// domains, devices, p2m tables, allocators, logs) as a compact encoded blob, and the machine
/// frames as immutable reference-counted 16 KiB buffers. A snapshot taken with
/// `Hypervisor.snapshot(reusingFramesOf: previous)` shares every buffer whose bytes did not
/// change since `previous`, so its own cost is the state blob plus the frames written since.
/// All-zero frames share one buffer.
///
/// `encoded()` / `init(decoding:)` turn it into a file (see the format below).
public struct MachineSnapshot: @unchecked Sendable {
    public static let formatVersion: UInt32 = 3
    static let magic = Array("XDBGSNAP".utf8)
    static let frameSize = Int(MachineMemory.frameSize)

    public let options: Hypervisor.Options
    /// Instructions retired and virtual time when it was taken.
    public let retiredInstructions: UInt64
    public let now: UInt64
    /// The hypervisor's state (`Hypervisor.codeState`), and where it sat in the file it was
    /// decoded from (so errors name file offsets).
    let state: [UInt8]
    let stateOffset: Int
    /// Touched machine frames, ascending, and their contents.
    let frameNumbers: [UInt64]
    let frames: [FrameBuffer]
    /// Frames this snapshot copied itself (not shared with the snapshot it was taken against,
    /// nor the zero frame).
    public let newFrameCount: Int

    /// Frames with host memory behind them in the snapshotted machine.
    public var frameCount: Int { frames.count }
    public var stateByteCount: Int { state.count }

    /// Memory this snapshot references if kept alone: state, frame table and every frame.
    public var byteCount: Int {
        var distinct = Set<ObjectIdentifier>()
        for f in frames { distinct.insert(ObjectIdentifier(f)) }
        return state.count + frameNumbers.count * 16 + distinct.count * Self.frameSize
    }

    /// What keeping this snapshot costs on top of the one it reused frames from: state,
    /// frame table and the frames it copied.
    public var newByteCount: Int { state.count + frameNumbers.count * 16 + newFrameCount * Self.frameSize }

    /// Memory held by a set of snapshots together, each shared frame counted once.
    public static func byteCount(of snapshots: some Sequence<MachineSnapshot>) -> Int {
        var distinct = Set<ObjectIdentifier>()
        var total = 0
        for s in snapshots {
            total += s.state.count + s.frameNumbers.count * 16
            for f in s.frames where distinct.insert(ObjectIdentifier(f)).inserted { total += Self.frameSize }
        }
        return total
    }

    /// Whether this snapshot and `other` hold the same buffer for frame `mfn` (tests).
    public func sharesFrame(_ mfn: UInt64, with other: MachineSnapshot) -> Bool {
        guard let a = frameIndex(mfn), let b = other.frameIndex(mfn) else { return false }
        return frames[a] === other.frames[b]
    }

    public var touchedFrameNumbers: [UInt64] { frameNumbers }

    func frameIndex(_ mfn: UInt64) -> Int? {
        var lo = 0, hi = frameNumbers.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if frameNumbers[mid] < mfn { lo = mid + 1 } else { hi = mid }
        }
        return lo < frameNumbers.count && frameNumbers[lo] == mfn ? lo : nil
    }

    /// Captures the frames of `memory`, sharing buffers with `previous` where bytes are equal.
    init(options: Hypervisor.Options, retiredInstructions: UInt64, now: UInt64, state: [UInt8],
         memory: MachineMemory, previous: MachineSnapshot?) {
        self.options = options
        self.retiredInstructions = retiredInstructions
        self.now = now
        self.state = state
        stateOffset = 0
        var numbers: [UInt64] = []
        var buffers: [FrameBuffer] = []
        numbers.reserveCapacity(Int(memory.touchedFrames))
        buffers.reserveCapacity(Int(memory.touchedFrames))
        var copied = 0
        var p = 0  // merge position in previous's (ascending) frames
        let size = Self.frameSize
        memory.forEachTouchedFrame { mfn, bytes in
            numbers.append(mfn)
            if let previous {
                while p < previous.frameNumbers.count && previous.frameNumbers[p] < mfn { p += 1 }
                if p < previous.frameNumbers.count && previous.frameNumbers[p] == mfn,
                   memcmp(previous.frames[p].bytes, bytes, size) == 0 {
                    buffers.append(previous.frames[p])
                    return
                }
            }
            if memcmp(FrameBuffer.zero.bytes, bytes, size) == 0 {
                buffers.append(FrameBuffer.zero)
                return
            }
            buffers.append(FrameBuffer(copying: UnsafeRawPointer(bytes)))
            copied += 1
        }
        frameNumbers = numbers
        frames = buffers
        newFrameCount = copied
    }

    init(options: Hypervisor.Options, retiredInstructions: UInt64, now: UInt64, state: [UInt8], stateOffset: Int,
         frameNumbers: [UInt64], frames: [FrameBuffer], newFrameCount: Int) {
        self.options = options
        self.retiredInstructions = retiredInstructions
        self.now = now
        self.state = state
        self.stateOffset = stateOffset
        self.frameNumbers = frameNumbers
        self.frames = frames
        self.newFrameCount = newFrameCount
    }

    /// Gives a freshly restored machine its frame contents (its allocator already restored).
    func installFrames(into memory: MachineMemory) throws {
        for (mfn, frame) in zip(frameNumbers, frames) {
            guard memory.installFrame(mfn, bytes: UnsafeRawPointer(frame.bytes)) else {
                throw SnapshotFormatError(offset: stateOffset + state.count,
                                          message: "machine frame \(mfn) has contents but is not allocated (or is listed twice)")
            }
        }
    }
}

/// One frame's bytes, immutable once made, shared by every snapshot in which it is unchanged.
final class FrameBuffer: @unchecked Sendable {
    let bytes: UnsafeMutableRawPointer

    init(copying source: UnsafeRawPointer) {
        bytes = .allocate(byteCount: MachineSnapshot.frameSize, alignment: 16)
        bytes.copyMemory(from: source, byteCount: MachineSnapshot.frameSize)
    }

    private init(zeroed: ()) {
        bytes = .allocate(byteCount: MachineSnapshot.frameSize, alignment: 16)
        bytes.initializeMemory(as: UInt8.self, repeating: 0, count: MachineSnapshot.frameSize)
    }

    static let zero = FrameBuffer(zeroed: ())

    deinit { bytes.deallocate() }
}

/// A snapshot that is well formed but cannot be brought back here (a disk image is missing
/// or changed size).
public struct SnapshotRestoreError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
