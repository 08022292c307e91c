/// Byte tests on the eight bytes of a word at once (a lane per byte, the first byte lowest when
/// the word is loaded little-endian), after "Bit Twiddling Hacks": a byte equal to c is a zero
/// byte of x ^ c. Each test gives the high bit of every lane it marks; a result is exact up to
/// its first marked lane, while lanes after it may be marked falsely (a subtraction's borrow),
/// so only "none" (zero) or the lowest mark may be relied on.
public enum ByteLanes {
    @inlinable public static var ones: UInt64 { 0x0101_0101_0101_0101 }
    @inlinable public static var highs: UInt64 { 0x8080_8080_8080_8080 }

    /// The lanes equal to `byte`.
    @inlinable @inline(__always)
    public static func equal(_ word: UInt64, to byte: UInt8) -> UInt64 {
        let difference = word ^ (ones &* UInt64(byte))
        return (difference &- ones) & ~difference & highs
    }

    /// The lanes below `bound`, for a bound of at most 0x80.
    @inlinable @inline(__always)
    public static func below(_ word: UInt64, _ bound: UInt8) -> UInt64 {
        assert(bound <= 0x80, "the test holds for bounds up to 0x80")
        return (word &- ones &* UInt64(bound)) & ~word & highs
    }
}
