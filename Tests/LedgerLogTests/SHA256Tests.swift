import LedgerLog
import Testing

/// Every digest check runs against the portable Swift compression and, when the
/// CPU has SHA extensions, against the hardware one. Hardware tests carry
/// `.enabled(if: SHA256.isHardwareAvailable)`, so on other CPUs they are
/// reported as skipped rather than silently passing.
@Suite("SHA-256")
struct SHA256Tests {
    static let hardwareOnly = ConditionTrait.enabled(
        if: SHA256.isHardwareAvailable, "this CPU has no SHA extensions"
    )

    // MARK: Known answers

    /// FIPS 180-2 appendix B examples, the empty message, and a multi-byte UTF-8 string.
    static let knownAnswers: [(message: String, digest: String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
        // Not from FIPS: checks that update(String) hashes the UTF-8 bytes.
        ("Grüße, 日本 🦊", "8df639a6dcdb01d1ce6a94e410b19f10218971cf082fa494ed3933d7afcda2ca"),
    ]

    static let millionADigest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

    static func digest(_ message: [UInt8], _ implementation: SHA256.Implementation) -> SHA256Digest {
        var hasher = SHA256(implementation: implementation)
        hasher.update(message)
        return hasher.finalize()
    }

    func checkKnownAnswers(_ implementation: SHA256.Implementation) {
        for (message, expected) in Self.knownAnswers {
            var fromString = SHA256(implementation: implementation)
            fromString.update(message)
            #expect(fromString.finalize().hex == expected, "\(implementation) on \(message.debugDescription)")
            #expect(Self.digest(Array(message.utf8), implementation).hex == expected)
        }
    }

    func checkMillionA(_ implementation: SHA256.Implementation) {
        // FIPS 180-2 B.3, fed in uneven pieces so both buffered and direct blocks run.
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 999)
        var hasher = SHA256(implementation: implementation)
        var remaining = 1_000_000
        while remaining > 0 {
            let count = min(chunk.count, remaining)
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            remaining -= count
        }
        #expect(hasher.finalize().hex == Self.millionADigest)
        let oneShot = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(Self.digest(oneShot, implementation).hex == Self.millionADigest)
    }

    @Test("FIPS 180-2 vectors and empty message, portable")
    func knownAnswersPortable() {
        checkKnownAnswers(.portable)
    }

    @Test("FIPS 180-2 vectors and empty message, hardware", hardwareOnly)
    func knownAnswersHardware() {
        checkKnownAnswers(.hardware)
    }

    @Test("One million 'a', portable")
    func millionAPortable() {
        checkMillionA(.portable)
    }

    @Test("One million 'a', hardware", hardwareOnly)
    func millionAHardware() {
        checkMillionA(.hardware)
    }

    @Test("Default implementation and one-shot helpers agree with the vectors")
    func defaultImplementation() {
        #expect(SHA256.preferredImplementation == (SHA256.isHardwareAvailable ? .hardware : .portable))
        for (message, expected) in Self.knownAnswers {
            let bytes = Array(message.utf8)
            #expect(SHA256.hash(message).hex == expected)
            #expect(SHA256.hash(bytes).hex == expected)
            #expect(bytes.withUnsafeBytes { SHA256.hash($0) }.hex == expected)
            var hasher = SHA256()
            hasher.update(message)
            #expect(hasher.finalize().hex == expected)
        }
    }

    // MARK: Streaming and lengths

    /// Byte i is (167 i + 13) mod 256: no runs, so misplaced bytes show.
    static func patternMessage(length: Int) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 167 &+ 13) }
    }

    /// SHA-256 of the 200-byte pattern message, from an independent implementation.
    static let pattern200Digest = "db057a75ef112511a720d3e712bc7299cc1a3037fc53cd8fe11197fc6df0c6dc"

    func checkStreaming(_ implementation: SHA256.Implementation) {
        let message = Self.patternMessage(length: 200)
        let oneShot = Self.digest(message, implementation)
        #expect(oneShot.hex == Self.pattern200Digest)
        message.withUnsafeBytes { all in
            for split in 0...200 {
                var hasher = SHA256(implementation: implementation)
                hasher.update(UnsafeRawBufferPointer(rebasing: all[0..<split]))
                hasher.update(UnsafeRawBufferPointer(rebasing: all[split...]))
                #expect(hasher.finalize() == oneShot, "split at \(split)")
            }
            var byteByByte = SHA256(implementation: implementation)
            for index in all.indices {
                byteByByte.update(UnsafeRawBufferPointer(rebasing: all[index..<(index + 1)]))
            }
            #expect(byteByByte.finalize() == oneShot)
        }
    }

    @Test("Two updates split at every offset equal one shot, portable")
    func streamingPortable() {
        checkStreaming(.portable)
    }

    @Test("Two updates split at every offset equal one shot, hardware", hardwareOnly)
    func streamingHardware() {
        checkStreaming(.hardware)
    }

    /// SHA-256 over the concatenated digests of the pattern messages of lengths
    /// 0...300, from an independent implementation: pins every padding case.
    static let lengths0To300DigestOfDigests = "27fec5f2f3539e1e99cce5b9021123c85bcdca277bdf34c13ec2f84920d17eff"

    @Test("Lengths 0...300 match an independent reference, portable")
    func lengthsPortableAgainstReference() {
        var digestOfDigests = SHA256(implementation: .portable)
        for length in 0...300 {
            digestOfDigests.update(Self.digest(Self.patternMessage(length: length), .portable).bytes)
        }
        #expect(digestOfDigests.finalize().hex == Self.lengths0To300DigestOfDigests)
    }

    @Test("Lengths 0...300 agree between portable and hardware", hardwareOnly)
    func lengthsPortableAgainstHardware() {
        for length in 0...300 {
            let message = Self.patternMessage(length: length)
            #expect(Self.digest(message, .portable) == Self.digest(message, .hardware), "length \(length)")
        }
    }

    @Test("Finalizing a copy gives the prefix digest and leaves the original going")
    func copyForksTheStream() {
        var hasher = SHA256()
        hasher.update("abc")
        var prefix = hasher
        #expect(prefix.finalize().hex == Self.knownAnswers[1].digest)
        hasher.update("")
        hasher.update([UInt8]())
        #expect(hasher.finalize().hex == Self.knownAnswers[1].digest)
    }

    // MARK: Digest value

    @Test("Zero digest")
    func zeroDigest() {
        #expect(SHA256Digest.zero.hex == String(repeating: "0", count: 64))
        #expect(SHA256Digest.zero.bytes == [UInt8](repeating: 0, count: 32))
        #expect(SHA256Digest(bytes: [UInt8](repeating: 0, count: 32)) == .zero)
        #expect(SHA256Digest(hex: String(repeating: "0", count: 64)) == .zero)
    }

    @Test("Hex and bytes round trip")
    func roundTrip() throws {
        for length in [0, 1, 55, 56, 64, 200] {
            let digest = SHA256.hash(Self.patternMessage(length: length))
            let hex = digest.hex
            #expect(hex.utf8.count == 64)
            #expect(hex.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
            #expect(digest.description == hex)
            #expect(try #require(SHA256Digest(hex: hex)) == digest)
            #expect(try #require(SHA256Digest(hex: Array(hex.utf8))) == digest)
            // A collection without contiguous storage takes the generic path.
            #expect(try #require(SHA256Digest(hex: hex.utf8.lazy.map { $0 })) == digest)
            #expect(SHA256Digest(bytes: digest.bytes) == digest)
            #expect(SHA256Digest(bytes: digest.bytes.lazy.map { $0 }) == digest)
            var written = [UInt8](repeating: 0, count: 64)
            written.withUnsafeMutableBytes { digest.writeHex(to: $0.baseAddress!) }
            #expect(written == Array(hex.utf8))
        }
        let bytes = (0..<32).map { UInt8($0 * 8 + 1) }
        #expect(SHA256Digest(bytes: bytes).bytes == bytes)
        #expect(SHA256Digest(bytes: bytes).hex == "0109111921293139414951596169717981899199a1a9b1b9c1c9d1d9e1e9f1f9")
    }

    @Test("Equal digests hash equally")
    func hashable() {
        let first = SHA256.hash("abc")
        let second = SHA256.hash(Array("abc".utf8))
        #expect(first == second)
        #expect(Set([first, second, SHA256Digest.zero]).count == 2)
        #expect(first != SHA256.hash("abd"))
    }

    @Test("matchesHex accepts exactly the lowercase hex, at any alignment")
    func matchesHex() {
        let digest = SHA256.hash("abc")
        let hex = Array(digest.hex.utf8)
        // One spare byte in front so the hex can also sit at an odd address.
        for offset in 0...1 {
            var storage = [UInt8](repeating: UInt8(ascii: "x"), count: 65)
            storage.replaceSubrange(offset..<(offset + 64), with: hex)
            storage.withUnsafeBytes { raw in
                #expect(digest.matchesHex(raw.baseAddress! + offset))
                #expect(!SHA256Digest.zero.matchesHex(raw.baseAddress! + offset))
            }
        }
        for position in 0..<64 {
            var changed = hex
            changed[position] = changed[position] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            #expect(!changed.withUnsafeBytes { digest.matchesHex($0.baseAddress!) }, "changed at \(position)")
        }
        let uppercase = Array(digest.hex.uppercased().utf8)
        #expect(uppercase != hex)
        #expect(!uppercase.withUnsafeBytes { digest.matchesHex($0.baseAddress!) })
        let zeros = Array(String(repeating: "0", count: 64).utf8)
        #expect(zeros.withUnsafeBytes { SHA256Digest.zero.matchesHex($0.baseAddress!) })
    }

    @Test("init?(hex:) accepts exactly 0-9 and a-f, for every byte value at several positions")
    func hexEveryByteValue() throws {
        let digest = SHA256.hash("abc")
        let hex = Array(digest.hex.utf8)
        // Both ends and the middle of the eight-byte groups the parser reads at once.
        for position in [0, 3, 7, 8, 31, 32, 56, 63] {
            for value in 0...255 {
                var text = hex
                text[position] = UInt8(value)
                let isLowercaseHex = (0x30...0x39).contains(value) || (0x61...0x66).contains(value)
                let contiguous = SHA256Digest(hex: text)
                let generic = SHA256Digest(hex: text.lazy.map { $0 })
                #expect((contiguous != nil) == isLowercaseHex, "byte \(value) at \(position)")
                #expect(contiguous == generic, "byte \(value) at \(position)")
                if let contiguous {
                    #expect(contiguous.hex.utf8.elementsEqual(text))
                }
            }
        }
        // Pairs with at least one invalid byte, including bytes >= 0x80 whose
        // additions in the parser carry into the neighbouring byte.
        for pair in [(0xFF, 0x30), (0x80, 0x66), (0x2F, 0x67), (0xC3, 0xA9)] {
            var text = hex
            text[10] = UInt8(pair.0)
            text[11] = UInt8(pair.1)
            #expect(SHA256Digest(hex: text) == nil)
        }
    }

    @Test("init?(hex:) rejects uppercase, wrong length and non-hex")
    func hexRejects() {
        let hex = SHA256.hash("abc").hex
        // Typed piece by piece: one literal mixing String and Substring sums is slow to type-check.
        let withoutFirst = String(hex.dropFirst()), withoutLast = String(hex.dropLast())
        var rejected: [String] = [hex.uppercased(), "BA7816BF" + String(hex.dropFirst(8)), withoutLast, hex + "0", ""]
        rejected.append(String(repeating: "0", count: 63))
        rejected.append(String(repeating: "0", count: 128))
        rejected.append("g" + withoutFirst)
        rejected.append(withoutLast + " ")
        rejected.append("0x" + String(hex.dropFirst(2)))
        rejected.append(String(hex.dropLast(2)) + "é")  // 64 UTF-8 bytes, 63 characters
        // Each byte just outside the accepted ranges, at the first and last position.
        for outside in ["/", ":", "`", "g", "@", "G", "F", "A", "\0"] {
            rejected.append(outside + withoutFirst)
            rejected.append(withoutLast + outside)
        }
        for text in rejected {
            #expect(SHA256Digest(hex: text) == nil, "\(text.debugDescription)")
            #expect(SHA256Digest(hex: Array(text.utf8)) == nil, "\(text.debugDescription)")
            #expect(SHA256Digest(hex: text.utf8.lazy.map { $0 }) == nil, "\(text.debugDescription)")
        }
    }
}
