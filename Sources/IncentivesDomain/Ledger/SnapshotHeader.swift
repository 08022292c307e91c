import LedgerLog

/// What a snapshot's header says: which ledger it is of, the logs it covers, when their stamps
/// were taken, and where its body starts.
struct SnapshotHeader {
    /// The ledger's identity (see `SnapshotCache.identity`): a snapshot is used only for its own.
    var identity: SHA256Digest
    /// A moment on this machine's clock (nanoseconds since the epoch) no later than when the
    /// stamps were taken: a stamp whose change time is not older by the file system's time
    /// granularity does not prove its file unchanged (see `LogStamp.isSettled`).
    var stampsTakenAfterNanoseconds: Int64
    var logs: [LogSummary]
    var bodyOffset: Int

    var points: [TailState] { LedgerSnapshot.points(of: logs) }

    func write(into writer: inout SnapshotByteWriter, fileLength: Int) {
        LedgerSnapshot.magic.withUnsafeBytes { writer.put($0) }
        writer.put(LedgerSnapshot.formatVersion)
        writer.put(UInt32(0))
        // The MAC, written last by the sink (`SnapshotSink.finish`).
        [UInt8](repeating: 0, count: LedgerSnapshot.macBytes).withUnsafeBytes { writer.put($0) }
        writer.put(UInt64(fileLength))
        writer.put(LedgerSnapshot.nameHashProbe)
        identity.bytes.withUnsafeBytes { writer.put($0) }
        writer.put(stampsTakenAfterNanoseconds)
        writer.put(UInt64(logs.count))
        for summary in logs {
            var name = summary.log.rawValue
            writer.put(UInt64(name.utf8.count))
            name.withUTF8 { writer.put(UnsafeRawBufferPointer($0)) }
            writer.align()
            writer.put(UInt64(summary.events))
            writer.put(UInt64(summary.bytes))
            summary.head.bytes.withUnsafeBytes { writer.put($0) }
            writer.put(summary.lastRecorded?.secondsSinceEpoch ?? Int64.min)
            let stamp = summary.stamp ?? .absent
            writer.put(UInt64(summary.stamp == nil ? 0 : 1))
            writer.put(stamp.device)
            writer.put(stamp.inode)
            writer.put(UInt64(stamp.bytes))
            writer.put(stamp.changedSeconds)
            writer.put(stamp.changedNanoseconds)
        }
    }

    /// Reads and checks a header against the store's logs; does not look at the body. Every
    /// value is checked to be one a verified read can give (lengths, counts, times in range).
    static func read(_ bytes: UnsafeRawBufferPointer, logs expected: [LogName]) throws(SnapshotRejection) -> SnapshotHeader {
        var reader = SnapshotByteReader(bytes)
        guard reader.remaining >= LedgerSnapshot.authenticatedAgainFrom,
              try reader.readBytes(8).elementsEqual(LedgerSnapshot.magic) else { throw .notASnapshot }
        let version = try reader.read(UInt32.self)
        guard version == LedgerSnapshot.formatVersion else { throw .otherFormat(version: version) }
        _ = try reader.read(UInt32.self)
        _ = try reader.readBytes(LedgerSnapshot.macBytes)
        guard try reader.read(UInt64.self) == UInt64(bytes.count) else { throw .malformed("its length is not the one it states (truncated?)") }
        guard try reader.read(UInt64.self) == LedgerSnapshot.nameHashProbe else { throw .otherBuild }
        let identity = SHA256Digest(bytes: try reader.readBytes(32))
        let takenAfter = try reader.read(Int64.self)
        guard takenAfter >= 0 else {
            throw .malformed("the time of its stamps is out of range")
        }
        let count = try reader.read(UInt64.self)
        guard count == UInt64(expected.count), count <= UInt64(LedgerSnapshot.maximumLogs) else { throw .otherLogs }
        var logs: [LogSummary] = []
        for log in expected {
            let nameLength = try reader.read(UInt64.self)
            guard nameLength <= UInt64(LedgerSnapshot.maximumLogNameBytes) else { throw .malformed("a log name is too long") }
            let name = try reader.readBytes(Int(nameLength))
            try reader.align()
            guard name.elementsEqual(log.rawValue.utf8) else { throw .otherLogs }
            let events = try reader.read(UInt64.self), length = try reader.read(UInt64.self)
            let head = SHA256Digest(bytes: try reader.readBytes(32))
            let lastRecorded = try reader.read(Int64.self)
            let stampKnown = try reader.read(UInt64.self)
            let device = try reader.read(UInt64.self), inode = try reader.read(UInt64.self)
            let stampBytes = try reader.read(UInt64.self)
            let changedSeconds = try reader.read(Int64.self), changedNanoseconds = try reader.read(Int64.self)
            guard stampKnown <= 1, stampBytes <= UInt64(Int.max), changedNanoseconds >= 0, changedNanoseconds < 1_000_000_000 else {
                throw .malformed("the stamp of \(log.fileName) is inconsistent")
            }
            guard events <= UInt64(Int32.max), length <= UInt64(Int.max), events <= length,
                  (events == 0) == (length == 0), (events == 0) == (lastRecorded == Int64.min),
                  events == 0 || LedgerSnapshot.isPlausibleRecorded(lastRecorded) else {
                throw .malformed("the state of \(log.fileName) is inconsistent")
            }
            var summary = LogSummary(log: log, events: Int(events), head: head, bytes: Int(length),
                                     lastRecorded: lastRecorded == Int64.min ? nil : Timestamp(secondsSinceEpoch: lastRecorded))
            if stampKnown == 1 {
                summary.stamp = LogStamp(device: device, inode: inode, bytes: Int(stampBytes),
                                         changedSeconds: changedSeconds, changedNanoseconds: changedNanoseconds)
            }
            logs.append(summary)
        }
        return SnapshotHeader(identity: identity, stampsTakenAfterNanoseconds: takenAfter, logs: logs,
                              bodyOffset: reader.position)
    }

    /// Whether the MAC stored in the header is the HMAC-SHA256 under `key` of everything else:
    /// the bytes before the MAC field and all after it.
    static func macMatches(_ bytes: UnsafeRawBufferPointer, key: [UInt8]) -> Bool {
        guard bytes.count >= LedgerSnapshot.authenticatedAgainFrom else { return false }
        let stored = SHA256Digest(bytes: UnsafeRawBufferPointer(rebasing: bytes[LedgerSnapshot.macOffset..<LedgerSnapshot.authenticatedAgainFrom]))
        var mac = HMACSHA256(key: key)
        mac.update(UnsafeRawBufferPointer(rebasing: bytes[..<LedgerSnapshot.macOffset]))
        mac.update(UnsafeRawBufferPointer(rebasing: bytes[LedgerSnapshot.authenticatedAgainFrom...]))
        return mac.finalize().equalsInConstantTime(stored)
    }
}
