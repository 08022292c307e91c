/// A fast, deterministic 64-bit hash for hash tables of identifiers (not for security: the
/// chain uses SHA-256). Eight bytes a step, so a 20-byte id costs three multiplies.
public enum FastHash {
    @inline(__always)
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: bytes.count)
        var offset = 0
        let count = bytes.count
        guard let base = bytes.baseAddress else { return mix(state) }
        while offset + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            state = mix(state ^ word) &+ 0x2545_F491_4F6C_DD1D
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            if count >= 8 {
                // The last eight bytes, shifted down past those already hashed: the same value as
                // the bytes after `offset` gathered one at a time, in one load.
                tail = base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) >> UInt64(8 * (8 - (count - offset)))
            } else {
                var shift: UInt64 = 0
                while offset < count {
                    tail |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) << shift
                    shift += 8
                    offset += 1
                }
            }
            state = mix(state ^ tail)
        }
        return mix(state)
    }

    /// The finaliser of SplitMix64: every input bit reaches every output bit.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension FastHash {
    /// The hash of a span's bytes, read in place: for the domain, which holds no pointers.
    @inline(__always)
    public static func hash(_ bytes: Span<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }
}
