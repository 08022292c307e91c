/// A SHA-256 digest: 32 bytes, shown as 64 lowercase hex characters.
///
/// Stored as four big-endian 64-bit words so equality and hashing are a
/// handful of integer operations, with no heap allocation.
public struct SHA256Digest: Hashable, Sendable, CustomStringConvertible {
    /// Bytes 0...7, 8...15, 16...23, 24...31, each read big-endian.
    private var word0: UInt64
    private var word1: UInt64
    private var word2: UInt64
    private var word3: UInt64

    /// 32 zero bytes; the conventional "no previous event" link.
    public static let zero = SHA256Digest(word0: 0, word1: 0, word2: 0, word3: 0)

    init(word0: UInt64, word1: UInt64, word2: UInt64, word3: UInt64) {
        self.word0 = word0
        self.word1 = word1
        self.word2 = word2
        self.word3 = word3
    }

    /// Builds a digest from the eight SHA-256 state words H0...H7.
    init(stateWords words: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)) {
        self.init(
            word0: UInt64(words.0) << 32 | UInt64(words.1),
            word1: UInt64(words.2) << 32 | UInt64(words.3),
            word2: UInt64(words.4) << 32 | UInt64(words.5),
            word3: UInt64(words.6) << 32 | UInt64(words.7)
        )
    }

    /// Precondition: `bytes` holds exactly 32 bytes.
    public init(bytes: some Sequence<UInt8>) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var count = 0
        for byte in bytes {
            precondition(count < 32, "SHA256Digest needs exactly 32 bytes, got more")
            let value = UInt64(byte)
            switch count >> 3 {
            case 0: words.0 = words.0 << 8 | value
            case 1: words.1 = words.1 << 8 | value
            case 2: words.2 = words.2 << 8 | value
            default: words.3 = words.3 << 8 | value
            }
            count += 1
        }
        precondition(count == 32, "SHA256Digest needs exactly 32 bytes, got \(count)")
        self.init(word0: words.0, word1: words.1, word2: words.2, word3: words.3)
    }

    /// Parses exactly 64 lowercase ASCII hex bytes; anything else gives nil.
    ///
    /// Uppercase is rejected so that every digest has one spelling, and a
    /// stored hex string can be compared byte for byte.
    public init?(hex: some Collection<UInt8>) {
        guard hex.count == 64 else { return nil }
        let parsed = hex.withContiguousStorageIfAvailable { buffer in
            SHA256Digest(validatedHexAt: UnsafeRawPointer(buffer.baseAddress!))
        }
        if let parsed {
            guard let digest = parsed else { return nil }
            self = digest
            return
        }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var index = 0
        for character in hex {
            guard let nibble = SHA256Digest.nibble(ofLowercaseHex: character) else { return nil }
            let value = UInt64(nibble)
            switch index >> 4 {
            case 0: words.0 = words.0 << 4 | value
            case 1: words.1 = words.1 << 4 | value
            case 2: words.2 = words.2 << 4 | value
            default: words.3 = words.3 << 4 | value
            }
            index += 1
        }
        self.init(word0: words.0, word1: words.1, word2: words.2, word3: words.3)
    }

    /// Parses exactly 64 lowercase hex characters; anything else gives nil.
    public init?(hex: String) {
        self.init(hex: hex.utf8)
    }

    /// Reads 64 bytes at `pointer`, nil unless all are lowercase hex.
    private init?(validatedHexAt pointer: UnsafeRawPointer) {
        var valid = true
        let word0 = SHA256Digest.parseHexWord(pointer, valid: &valid)
        let word1 = SHA256Digest.parseHexWord(pointer + 16, valid: &valid)
        let word2 = SHA256Digest.parseHexWord(pointer + 32, valid: &valid)
        let word3 = SHA256Digest.parseHexWord(pointer + 48, valid: &valid)
        guard valid else { return nil }
        self.init(word0: word0, word1: word1, word2: word2, word3: word3)
    }

    @inline(__always)
    private static func parseHexWord(_ pointer: UnsafeRawPointer, valid: inout Bool) -> UInt64 {
        let high = parseEightHexCharacters(pointer, valid: &valid)
        let low = parseEightHexCharacters(pointer + 8, valid: &valid)
        return UInt64(high) << 32 | UInt64(low)
    }

    /// Eight lowercase hex characters to their value, all at once (SWAR);
    /// clears `valid` if any byte is not 0-9 or a-f. Digests are parsed on
    /// every line a verifier reads, so this avoids a branch per character.
    @inline(__always)
    private static func parseEightHexCharacters(_ pointer: UnsafeRawPointer, valid: inout Bool) -> UInt32 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        // Byte k holds character k whatever the host's byte order.
        let characters = UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self))
        let (isHex, isLetter) = lowercaseHexLanes(characters)
        valid = valid && isHex == highBits
        // '0'...'9' end in their value; 'a'...'f' end in 1...6, so add 9.
        let nibbles = (characters & (ones &* 0x0F)) &+ ((isLetter & highBits) >> 7) &* 9
        // Put the first character in the most significant place, then
        // squeeze the nibbles together: 8 bytes -> 4 -> 2 -> 1 lanes.
        var packed = nibbles.byteSwapped
        packed = (packed | packed >> 4) & 0x00FF_00FF_00FF_00FF
        packed = (packed | packed >> 8) & 0x0000_FFFF_0000_FFFF
        packed = (packed | packed >> 16) & 0x0000_0000_FFFF_FFFF
        return UInt32(truncatingIfNeeded: packed)
    }

    /// The high bit of each byte of `characters` that is a lowercase hex digit, and of each that
    /// is one of a-f. For bytes below 0x80, adding 0x80 - bound sets the byte's top bit exactly
    /// when the byte is >= bound, and cannot carry into the next byte; a byte of 0x80 or more is
    /// never marked a digit (a carry out of it may mark the next byte wrongly, but the word as a
    /// whole is then refused all the same).
    @inline(__always)
    static func lowercaseHexLanes(_ characters: UInt64) -> (isHex: UInt64, isLetter: UInt64) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let atLeastZero = characters &+ ones &* (0x80 - 0x30)
        let aboveNine = characters &+ ones &* (0x80 - 0x3A)
        let atLeastA = characters &+ ones &* (0x80 - 0x61)
        let aboveF = characters &+ ones &* (0x80 - 0x67)
        let isLetter = atLeastA & ~aboveF
        return ((atLeastZero & ~aboveNine | isLetter) & ~characters & highBits, isLetter)
    }

    @inline(__always)
    private static func nibble(ofLowercaseHex character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character &- (UInt8(ascii: "a") &- 10)
        default: return nil
        }
    }

    /// 64 lowercase hex characters.
    public var hex: String {
        String(unsafeUninitializedCapacity: 64) { buffer in
            writeHex(to: UnsafeMutableRawPointer(buffer.baseAddress!))
            return 64
        }
    }

    /// The 32 digest bytes.
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, initializedCount in
            let raw = UnsafeMutableRawPointer(buffer.baseAddress!)
            raw.storeBytes(of: word0.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: word1.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: word2.bigEndian, toByteOffset: 16, as: UInt64.self)
            raw.storeBytes(of: word3.bigEndian, toByteOffset: 24, as: UInt64.self)
            initializedCount = 32
        }
    }

    /// Fast compare against 64 lowercase ASCII hex bytes at `pointer` (no allocation).
    ///
    /// Lets a verifier check a stored hex digest in place, eight bytes at a
    /// time, without parsing it. Uppercase hex never matches.
    public func matchesHex(_ pointer: UnsafeRawPointer) -> Bool {
        var difference: UInt64 = 0
        difference |= SHA256Digest.hexASCII(upperHalfOf: word0) ^ pointer.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        difference |= SHA256Digest.hexASCII(lowerHalfOf: word0) ^ pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        difference |= SHA256Digest.hexASCII(upperHalfOf: word1) ^ pointer.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        difference |= SHA256Digest.hexASCII(lowerHalfOf: word1) ^ pointer.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        difference |= SHA256Digest.hexASCII(upperHalfOf: word2) ^ pointer.loadUnaligned(fromByteOffset: 32, as: UInt64.self)
        difference |= SHA256Digest.hexASCII(lowerHalfOf: word2) ^ pointer.loadUnaligned(fromByteOffset: 40, as: UInt64.self)
        difference |= SHA256Digest.hexASCII(upperHalfOf: word3) ^ pointer.loadUnaligned(fromByteOffset: 48, as: UInt64.self)
        difference |= SHA256Digest.hexASCII(lowerHalfOf: word3) ^ pointer.loadUnaligned(fromByteOffset: 56, as: UInt64.self)
        return difference == 0
    }

    /// Write 64 lowercase hex ASCII bytes at `pointer` (no allocation).
    public func writeHex(to pointer: UnsafeMutableRawPointer) {
        pointer.storeBytes(of: SHA256Digest.hexASCII(upperHalfOf: word0), toByteOffset: 0, as: UInt64.self)
        pointer.storeBytes(of: SHA256Digest.hexASCII(lowerHalfOf: word0), toByteOffset: 8, as: UInt64.self)
        pointer.storeBytes(of: SHA256Digest.hexASCII(upperHalfOf: word1), toByteOffset: 16, as: UInt64.self)
        pointer.storeBytes(of: SHA256Digest.hexASCII(lowerHalfOf: word1), toByteOffset: 24, as: UInt64.self)
        pointer.storeBytes(of: SHA256Digest.hexASCII(upperHalfOf: word2), toByteOffset: 32, as: UInt64.self)
        pointer.storeBytes(of: SHA256Digest.hexASCII(lowerHalfOf: word2), toByteOffset: 40, as: UInt64.self)
        pointer.storeBytes(of: SHA256Digest.hexASCII(upperHalfOf: word3), toByteOffset: 48, as: UInt64.self)
        pointer.storeBytes(of: SHA256Digest.hexASCII(lowerHalfOf: word3), toByteOffset: 56, as: UInt64.self)
    }

    public var description: String { hex }

    @inline(__always)
    private static func hexASCII(upperHalfOf word: UInt64) -> UInt64 {
        hexASCII(UInt32(truncatingIfNeeded: word >> 32))
    }

    @inline(__always)
    private static func hexASCII(lowerHalfOf word: UInt64) -> UInt64 {
        hexASCII(UInt32(truncatingIfNeeded: word))
    }

    /// The eight hex characters of `value`, most significant nibble first,
    /// packed so that storing the result writes them in reading order.
    ///
    /// Branch-free (SWAR): spread the nibbles one per byte, then add '0', plus
    /// the gap from '9' to 'a' in bytes holding 10...15.
    @inline(__always)
    private static func hexASCII(_ value: UInt32) -> UInt64 {
        var spread = UInt64(value)
        spread = (spread | spread << 16) & 0x0000_FFFF_0000_FFFF
        spread = (spread | spread << 8) & 0x00FF_00FF_00FF_00FF
        spread = (spread | spread << 4) & 0x0F0F_0F0F_0F0F_0F0F
        // Byte k now holds nibble k (least significant first); reading order
        // wants the most significant nibble at the lowest address.
        let nibbles = spread.bigEndian
        // A byte gets bit 4 from adding 6 exactly when it holds 10...15.
        let isLetter = ((nibbles &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
        let letterGap = UInt64(UInt8(ascii: "a") - UInt8(ascii: "9") - 1)
        return nibbles &+ 0x3030_3030_3030_3030 &+ isLetter &* letterGap
    }
}
