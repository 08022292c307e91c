import CSHA256

/// Streaming SHA-256 (FIPS 180-4) with a hardware path (x86 SHA extensions)
/// and a portable Swift path that must produce identical digests.
///
/// A value type with all storage inline: `update` and `finalize` never touch
/// the heap. Copying a hasher forks the stream, e.g. to finalize a prefix.
public struct SHA256: Sendable {
    /// Which compression function runs the blocks.
    public enum Implementation: Sendable {
        /// x86-64 SHA extensions through the C target; needs `isHardwareAvailable`.
        case hardware
        /// Pure Swift; runs everywhere and is the reference for cross-checks.
        case portable
    }

    /// The eight working words H0...H7.
    typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// 64 bytes of not yet compressed input, as words so the tuple is 8-byte aligned.
    typealias BlockBuffer = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    static let blockSize = 64

    /// FIPS 180-4 section 5.3.3.
    static let initialState: State = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
        0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )

    /// Asked once: the CPU does not change under a running process.
    private static let hardwareAvailable: Bool = csha256_hardware_available() != 0

    /// True when this CPU has the SHA extensions (and SSE4.1, SSSE3) the hardware path uses.
    public static var isHardwareAvailable: Bool { hardwareAvailable }

    /// `.hardware` when the CPU supports it, else `.portable`; decided once per process.
    public static var preferredImplementation: Implementation {
        hardwareAvailable ? .hardware : .portable
    }

    private var state: State = SHA256.initialState
    private var buffer: BlockBuffer = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Bytes waiting in `buffer`, always below 64 between calls.
    private var bufferedCount: Int = 0
    /// Total message length so far, in bytes; the padding records it in bits.
    private var totalByteCount: UInt64 = 0
    private var isFinalized = false
    let implementation: Implementation

    /// A hasher using `preferredImplementation`.
    public init() {
        self.implementation = SHA256.preferredImplementation
    }

    /// Precondition: `.hardware` only when `isHardwareAvailable`.
    public init(implementation: Implementation) {
        precondition(
            implementation == .portable || SHA256.isHardwareAvailable,
            "SHA256: hardware implementation requested but this CPU lacks SHA extensions"
        )
        self.implementation = implementation
    }

    /// Feeds `bytes` into the hash. Only the tail that does not fill a whole
    /// block is copied; whole blocks are compressed straight from `bytes`.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!isFinalized, "SHA256: update after finalize")
        guard var input = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        totalByteCount &+= UInt64(remaining)
        let implementation = self.implementation

        if bufferedCount > 0 {
            let taken = min(SHA256.blockSize - bufferedCount, remaining)
            let filled = bufferedCount
            withUnsafeMutableBytes(of: &buffer) { block in
                block.baseAddress!.advanced(by: filled).copyMemory(from: input, byteCount: taken)
            }
            bufferedCount += taken
            input += taken
            remaining -= taken
            guard bufferedCount == SHA256.blockSize else { return }
            compressBuffer()
            bufferedCount = 0
        }

        let wholeBlocks = remaining / SHA256.blockSize
        if wholeBlocks > 0 {
            SHA256.compress(&state, blocks: input, count: wholeBlocks, implementation: implementation)
            input += wholeBlocks * SHA256.blockSize
            remaining -= wholeBlocks * SHA256.blockSize
        }

        if remaining > 0 {
            withUnsafeMutableBytes(of: &buffer) { block in
                block.baseAddress!.copyMemory(from: input, byteCount: remaining)
            }
            bufferedCount = remaining
        }
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds the string's UTF-8 encoding.
    public mutating func update(_ string: String) {
        var string = string
        // withUTF8 copies only strings not stored as contiguous UTF-8 (e.g. bridged ones); small strings go through the stack.
        string.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Pads the message and returns its digest.
    ///
    /// Ends the stream: calling `update` or `finalize` again on this value
    /// traps. Start a new `SHA256()` for the next message (or finalize a copy
    /// made before, to get a digest of a prefix and keep going).
    public mutating func finalize() -> SHA256Digest {
        precondition(!isFinalized, "SHA256: finalize called twice")
        isFinalized = true
        let bitLength = totalByteCount &<< 3
        let used = bufferedCount
        withUnsafeMutableBytes(of: &buffer) { block in
            block[used] = 0x80
            if used + 1 < SHA256.blockSize {
                (block.baseAddress! + used + 1).initializeMemory(
                    as: UInt8.self, repeating: 0, count: SHA256.blockSize - used - 1)
            }
        }
        // The 8-byte length must fit after the 0x80 marker, else it goes in one more block.
        if used + 1 > SHA256.blockSize - 8 {
            compressBuffer()
            buffer = (0, 0, 0, 0, 0, 0, 0, 0)
        }
        buffer.7 = bitLength.bigEndian
        compressBuffer()
        bufferedCount = 0
        return SHA256Digest(stateWords: state)
    }

    /// One-shot digest of `bytes` with `preferredImplementation`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    public static func hash(_ bytes: [UInt8]) -> SHA256Digest {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// Digest of the string's UTF-8 encoding.
    public static func hash(_ string: String) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(string)
        return hasher.finalize()
    }

    /// Compresses the full 64-byte `buffer`.
    private mutating func compressBuffer() {
        let implementation = self.implementation
        // A copy keeps the buffer and state accesses apart; 64 bytes on the stack is cheap.
        var block = buffer
        withUnsafeBytes(of: &block) { raw in
            SHA256.compress(&state, blocks: raw.baseAddress!, count: 1, implementation: implementation)
        }
    }

    @inline(__always)
    private static func compress(
        _ state: inout State, blocks: UnsafeRawPointer, count: Int, implementation: Implementation
    ) {
        switch implementation {
        case .hardware:
            withUnsafeMutablePointer(to: &state) { tuple in
                // A homogeneous tuple is laid out like the C array uint32_t[8].
                tuple.withMemoryRebound(to: UInt32.self, capacity: 8) { words in
                    csha256_compress_hardware(words, blocks.assumingMemoryBound(to: UInt8.self), count)
                }
            }
        case .portable:
            compressPortable(&state, blocks: blocks, count: count)
        }
    }
}
