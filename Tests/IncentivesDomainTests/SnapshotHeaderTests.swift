@testable import IncentivesDomain
import LedgerColumns
import LedgerLog
import Testing

/// A snapshot header keeps, per log, the digest of the bytes its read verified
/// (`LogPrefixDigest`). It is read back only as a verified read could have written it: a chunk
/// count that does not fit the log's length, or more chunks than a log may have, is refused as
/// malformed; and a header never holds more than `SnapshotHeader.maximumDigestBytes` of digests,
/// the logs past that budget keeping none.
@Suite struct SnapshotHeaderTests {
    static let recordedSeconds: Int64 = 1_700_000_000

    /// A header of the three logs, each `bytes[rank]` long with a digest of as many chunks as that
    /// length needs (none for an empty log), each chunk a different value.
    static func header(bytes: [Int]) -> SnapshotHeader {
        let logs = zip(IncentiveLogs.all, bytes).map { log, length in
            LogSummary(log: log, events: length == 0 ? 0 : 1, head: SHA256Digest(bytes: [UInt8](repeating: 7, count: 32)),
                       bytes: length, lastRecorded: length == 0 ? nil : Timestamp(secondsSinceEpoch: recordedSeconds))
        }
        let digests: [LogPrefixDigest?] = bytes.enumerated().map { rank, length in
            let count = LogPrefixDigest.chunkCount(bytes: length)
            guard count > 0 else { return nil }
            let chunks = (0..<count).map { index in
                SHA256Digest(bytes: [UInt8(rank)] + withUnsafeBytes(of: UInt32(index).littleEndian, Array.init)
                    + [UInt8](repeating: 0, count: 27))
            }
            return LogPrefixDigest(bytes: length, chunks: chunks)
        }
        return SnapshotHeader(identity: SHA256Digest(bytes: [UInt8](repeating: 3, count: 32)),
                              stampsTakenAfterNanoseconds: 5, logs: logs, prefixDigests: digests)
    }

    /// Where, in `encoded`, the chunk count of the log at `rank` starts: the fields before it
    /// walked as `SnapshotHeader.encoded` writes them.
    static func chunkCountOffset(in header: SnapshotHeader, rank: Int) -> Int {
        var offset = 8 + 32 + 8 + 8
        for (index, summary) in header.logs.enumerated() {
            offset += 8 + (summary.log.rawValue.utf8.count + 7) / 8 * 8   // name: length, then its bytes padded to 8
            offset += 8 + 8 + 32 + 8                        // events, bytes, head, last recorded
            offset += 8 + 8 + 8 + 8 + 8 + 8                 // stamp: known, device, inode, bytes, seconds, nanoseconds
            if index == rank { return offset }
            let chunks = header.prefixDigests[index]?.chunks.count ?? 0
            offset += 8 + chunks * 32
        }
        preconditionFailure("no log at rank \(rank)")
    }

    static func rewriteChunkCount(_ encoded: [UInt8], at offset: Int, to count: UInt64) -> [UInt8] {
        var bytes = encoded
        withUnsafeBytes(of: count.littleEndian) { bytes.replaceSubrange(offset..<offset + 8, with: $0) }
        return bytes
    }

    @Test("digests are read back as written, and a log without one reads as none")
    func digestsRoundTrip() throws {
        let header = Self.header(bytes: [0, 3 * LogPrefixDigest.chunkBytes + 11, 1_000])
        let read = try SnapshotHeader.read(header.encoded, logs: IncentiveLogs.all)
        #expect(read.prefixDigests == header.prefixDigests)
        #expect(read.prefixDigests.map { $0?.chunks.count ?? 0 } == [0, 4, 1])
        #expect(read.logs == header.logs)
    }

    @Test("the chunk count is where the test thinks it is: rewritten to itself, the header reads the same")
    func chunkCountOffsetIsTheField() throws {
        let header = Self.header(bytes: [10, 2 * LogPrefixDigest.chunkBytes, 10])
        let offset = Self.chunkCountOffset(in: header, rank: 1)
        let encoded = header.encoded
        #expect(Array(encoded[offset..<offset + 8]) == [2, 0, 0, 0, 0, 0, 0, 0])
        let same = Self.rewriteChunkCount(encoded, at: offset, to: 2)
        #expect(try SnapshotHeader.read(same, logs: IncentiveLogs.all).prefixDigests == header.prefixDigests)
    }

    @Test("a digest whose chunk count does not fit its log's length is refused as malformed")
    func chunkCountNotFittingLengthRefused() throws {
        let header = Self.header(bytes: [10, 2 * LogPrefixDigest.chunkBytes, 10])
        let offset = Self.chunkCountOffset(in: header, rank: 1)
        // One chunk more at the last log (its 32 bytes added), and one fewer at the middle one
        // (its second chunk's bytes removed): each header is otherwise well formed.
        let lastOffset = Self.chunkCountOffset(in: header, rank: 2)
        var lastShort = Self.rewriteChunkCount(header.encoded, at: lastOffset, to: 2)
        lastShort += [UInt8](repeating: 9, count: 32)
        #expect(throws: SnapshotRejection.malformed("the digest of \(IncentiveLogs.all[2].fileName) does not fit its length")) {
            try SnapshotHeader.read(lastShort, logs: IncentiveLogs.all)
        }
        var fewer = Self.rewriteChunkCount(header.encoded, at: offset, to: 1)
        fewer.removeSubrange(offset + 8 + 32..<offset + 8 + 64)
        #expect(throws: SnapshotRejection.malformed("the digest of \(IncentiveLogs.all[1].fileName) does not fit its length")) {
            try SnapshotHeader.read(fewer, logs: IncentiveLogs.all)
        }
    }

    @Test("a chunk count past the most a log may have is refused before any chunk is read")
    func tooManyChunksRefused() throws {
        let header = Self.header(bytes: [10, 10, 10])
        let offset = Self.chunkCountOffset(in: header, rank: 0)
        for count in [UInt64(LogPrefixDigest.maximumChunks + 1), UInt64.max] {
            let crafted = Self.rewriteChunkCount(header.encoded, at: offset, to: count)
            #expect(throws: SnapshotRejection.malformed("the digest of \(IncentiveLogs.all[0].fileName) is too long")) {
                try SnapshotHeader.read(crafted, logs: IncentiveLogs.all)
            }
        }
    }

    @Test("a header keeps at most maximumDigestBytes of digests: the logs past the budget keep none")
    func digestBudgetLeavesLaterLogsWithout() throws {
        let full = LogPrefixDigest.maximumChunks * LogPrefixDigest.chunkBytes
        #expect(2 * LogPrefixDigest.maximumChunks * 32 <= SnapshotHeader.maximumDigestBytes,
                "two logs' longest digests fit the budget")
        #expect(3 * LogPrefixDigest.maximumChunks * 32 > SnapshotHeader.maximumDigestBytes,
                "three do not")
        let header = Self.header(bytes: [full, full, full])
        #expect(header.prefixDigests.allSatisfy { $0?.chunks.count == LogPrefixDigest.maximumChunks })
        let read = try SnapshotHeader.read(header.encoded, logs: IncentiveLogs.all)
        #expect(read.prefixDigests[0] == header.prefixDigests[0])
        #expect(read.prefixDigests[1] == header.prefixDigests[1])
        #expect(read.prefixDigests[2]?.chunks.count == nil, "the third log is past the budget")
        #expect(read.logs == header.logs, "the logs themselves are kept whole")

        let small = Self.header(bytes: [full, 10, full])
        let readSmall = try SnapshotHeader.read(small.encoded, logs: IncentiveLogs.all)
        #expect(readSmall.prefixDigests[1] == small.prefixDigests[1], "a log within the budget keeps its digest")
        #expect(readSmall.prefixDigests[2]?.chunks.count == nil, "the budget is counted over every log before")
    }

    @Test("a digest of other bytes than its log's is not written")
    func digestOfAnotherLengthNotWritten() throws {
        var header = Self.header(bytes: [10, 20, 30])
        header.prefixDigests[1] = LogPrefixDigest(bytes: 19, chunks: [SHA256Digest(bytes: [UInt8](repeating: 1, count: 32))])
        let read = try SnapshotHeader.read(header.encoded, logs: IncentiveLogs.all)
        #expect(read.prefixDigests[1] == nil)
        #expect(read.prefixDigests[0] == header.prefixDigests[0] && read.prefixDigests[2] == header.prefixDigests[2])
    }
}
