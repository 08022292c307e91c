import Testing
@testable import LedgerLog

#if canImport(Glibc)
import Glibc
#endif

/// A verified prefix's digest (`LogPrefixDigest`): the SHA-256 of each chunk of its bytes, made
/// only while the read's stamp proves the bytes are those it verified, and proving a prefix again
/// by hashing it when an append changed the log's stamp.
@Suite struct LogPrefixDigestTests {
    static let chunk = LogPrefixDigest.chunkBytes
    /// A moment after any stamp these tests take: every stamp counts as settled by then.
    static var later: Int64 { LogStamp.nowNanoseconds() + 5_000_000_000 }

    /// `count` bytes that differ from chunk to chunk (a byte moved from one chunk to another changes two digests).
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    static func expectedChunks(_ bytes: [UInt8], prefix: Int) -> [SHA256Digest] {
        stride(from: 0, to: prefix, by: chunk).map { SHA256.hash(Array(bytes[$0..<min($0 + chunk, prefix)])) }
    }

    @Test("a digest has one chunk a started 4 MiB, at least one, at most the limit")
    func chunks() {
        #expect(LogPrefixDigest.chunkCount(bytes: 0) == 0 && LogPrefixDigest.chunkCount(bytes: 1) == 1)
        #expect(LogPrefixDigest.chunkCount(bytes: Self.chunk) == 1 && LogPrefixDigest.chunkCount(bytes: Self.chunk + 1) == 2)
        let one = SHA256.hash([UInt8]())
        #expect(LogPrefixDigest(bytes: 10, chunks: [one]) != nil)
        #expect(LogPrefixDigest(bytes: 0, chunks: []) == nil)
        #expect(LogPrefixDigest(bytes: 10, chunks: [one, one]) == nil)
        #expect(LogPrefixDigest(bytes: Self.chunk + 1, chunks: [one]) == nil)
        let most = LogPrefixDigest.maximumChunks * Self.chunk
        #expect(LogPrefixDigest(bytes: most, chunks: Array(repeating: one, count: LogPrefixDigest.maximumChunks)) != nil)
        #expect(LogPrefixDigest(bytes: most + 1, chunks: Array(repeating: one, count: LogPrefixDigest.maximumChunks + 1)) == nil)
    }

    @Test("the digest of a prefix is each chunk's SHA-256, a shorter one extended gives the same, and it matches only those bytes")
    func digestsOfAFile() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        let content = Self.bytes(2 * Self.chunk + 12_345, seed: 7)
        directory.write(LogFixtures.alpha.fileName, content)
        let stamp = try LogStamp.of(store.path(of: LogFixtures.alpha))
        func digest(_ prefix: Int, extending earlier: LogPrefixDigest? = nil) throws -> LogPrefixDigest? {
            try store.prefixDigest(of: LogFixtures.alpha, bytes: prefix, readWith: stamp, takenAfter: Self.later, extending: earlier)
        }
        for prefix in [1, 4_096, Self.chunk, Self.chunk + 1, content.count] {
            let made = try #require(try digest(prefix), "a prefix of \(prefix) bytes")
            #expect(made.bytes == prefix && made.chunks == Self.expectedChunks(content, prefix: prefix), "\(prefix) bytes")
            #expect(try store.prefixMatches(LogFixtures.alpha, made))
        }
        // Extended from a shorter prefix's digest: its whole chunks kept, the rest hashed.
        let short = try #require(try digest(Self.chunk + 100))
        #expect(try digest(content.count, extending: short) == digest(content.count))
        // A changed byte in any chunk, or a file cut short, no longer matches.
        let whole = try #require(try digest(content.count))
        for offset in [0, Self.chunk - 1, Self.chunk, content.count - 1] {
            var changed = content
            changed[offset] ^= 0x01
            directory.write(LogFixtures.alpha.fileName, changed)
            #expect(try !store.prefixMatches(LogFixtures.alpha, whole), "a byte changed at \(offset)")
        }
        directory.write(LogFixtures.alpha.fileName, Array(content.dropLast()))
        #expect(try !store.prefixMatches(LogFixtures.alpha, whole))
        directory.write(LogFixtures.alpha.fileName, content)
        #expect(try store.prefixMatches(LogFixtures.alpha, whole))
    }

    @Test("no digest unless the read's stamp was settled, is still the file's, and covers the prefix")
    func digestsOnlyOfProvedBytes() throws {
        let directory = LogScratchDirectory()
        let store = LogFixtures.store(directory)
        directory.write(LogFixtures.alpha.fileName, Self.bytes(10_000, seed: 3))
        let stamp = try LogStamp.of(store.path(of: LogFixtures.alpha))
        func digest(_ stamp: LogStamp?, bytes: Int = 10_000, takenAfter: Int64 = Self.later) throws -> LogPrefixDigest? {
            try store.prefixDigest(of: LogFixtures.alpha, bytes: bytes, readWith: stamp, takenAfter: takenAfter, extending: nil)
        }
        #expect(try digest(stamp) != nil)
        // Taken within a clock tick of the file's last change: an edit then would not show.
        #expect(try digest(stamp, takenAfter: stamp.changedAtNanoseconds) == nil)
        // Another file's stamp, or the file changed since: the bytes may not be those the read verified.
        var other = stamp
        other.inode &+= 1
        #expect(try digest(other) == nil)
        #expect(try digest(nil) == nil)
        LogStampTrustTests.waitForTheNextClockTick()
        directory.write(LogFixtures.alpha.fileName, Self.bytes(10_000, seed: 3))
        #expect(try digest(stamp) == nil)
        // A prefix longer than the read saw, or none at all.
        let now = try LogStamp.of(store.path(of: LogFixtures.alpha))
        #expect(try digest(now, bytes: 10_001) == nil && digest(now, bytes: 0) == nil)
    }

    @Test("a prefix an append left behind a changed stamp is proved by its digest; edited, it is refused")
    func resumedReadProvesByDigest() throws {
        let directory = LogScratchDirectory()
        let store = try LogFixtures.populated(directory)
        // Past the clock tick of the last write: alpha's stamp, unchanged, proves its prefix itself.
        usleep(60_000)
        let remembered = try LogStampTrustTests.rememberedRead(store)
        let digests = try zip(store.logs, remembered.points).map { log, point in
            try store.prefixDigest(of: log, bytes: point.bytes, readWith: try LogStamp.of(store.path(of: log)),
                                   takenAfter: Self.later, extending: nil)
        }
        #expect(digests.allSatisfy { $0 != nil })
        try LogFixtures.append([LogFixtures.event(LogFixtures.beta, "late.d", minute: 4200)], to: store)
        var collector = StoredEventCollector()
        let report = try #require(try store.read(resumingAt: remembered.points, stamps: remembered.stamps, digests: digests,
                                                 stampsTakenAfter: LogStamp.nowNanoseconds(), consumer: &collector))
        #expect(collector.events.map(\.id) == ["late.d"] && report.isValid)
        #expect(report.prefixesProvedByDigest == [LogFixtures.beta])
        // Without digests the same prefix is read again line by line, as before.
        var again = StoredEventCollector()
        let plain = try #require(try store.read(resumingAt: remembered.points, stamps: remembered.stamps,
                                                stampsTakenAfter: LogStamp.nowNanoseconds(), consumer: &again))
        #expect(plain.prefixesProvedByDigest.isEmpty && again.events.map(\.id) == ["late.d"])
        // An edit of the prefix at the same length: its bytes no longer hash to the digest.
        var beta = directory.read(LogFixtures.beta.fileName)
        let rank = try #require(store.logs.firstIndex(of: LogFixtures.beta))
        let digit = try #require(beta[..<remembered.points[rank].bytes].firstIndex(of: UInt8(ascii: "1")))
        beta[digit] = UInt8(ascii: "2")
        directory.write(LogFixtures.beta.fileName, beta)
        var refused = StoredEventCollector()
        #expect(try store.read(resumingAt: remembered.points, stamps: remembered.stamps, digests: digests,
                               stampsTakenAfter: LogStamp.nowNanoseconds(), consumer: &refused) == nil)
        #expect(refused.events.isEmpty)
    }
}
