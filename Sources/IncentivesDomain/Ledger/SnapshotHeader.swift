import LedgerLog

/// What a snapshot's header says: the logs it covers and where its body starts.
struct SnapshotHeader {
    var logs: [LogSummary]
    var bodyOffset: Int

    var points: [TailState] { LedgerSnapshot.points(of: logs) }

    func write(into writer: inout SnapshotByteWriter, checksum: SnapshotChecksum, fileLength: Int) {
        LedgerSnapshot.magic.withUnsafeBytes { writer.put($0) }
        writer.put(LedgerSnapshot.formatVersion)
        writer.put(UInt32(0))
        writer.put(checksum.high)
        writer.put(checksum.low)
        writer.put(UInt64(fileLength))
        writer.put(LedgerSnapshot.nameHashProbe)
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

    /// Reads and checks a header against the store's logs; does not look at the body.
    static func read(_ bytes: UnsafeRawBufferPointer, logs expected: [LogName]) throws(SnapshotRejection) -> SnapshotHeader {
        var reader = SnapshotByteReader(bytes)
        guard reader.remaining >= LedgerSnapshot.checksummedFrom,
              try reader.readBytes(8).elementsEqual(LedgerSnapshot.magic) else { throw .notASnapshot }
        let version = try reader.read(UInt32.self)
        guard version == LedgerSnapshot.formatVersion else { throw .otherFormat(version: version) }
        _ = try reader.read(UInt32.self)
        _ = try reader.readBytes(16)
        guard try reader.read(UInt64.self) == UInt64(bytes.count) else { throw .malformed("its length is not the one it states (truncated?)") }
        guard try reader.read(UInt64.self) == LedgerSnapshot.nameHashProbe else { throw .otherBuild }
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
            guard stampKnown <= 1, stampBytes <= UInt64(Int.max) else { throw .malformed("the stamp of \(log.fileName) is inconsistent") }
            guard events <= UInt64(Int32.max), length <= UInt64(Int.max),
                  (events == 0) == (length == 0), (events == 0) == (lastRecorded == Int64.min) else {
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
        return SnapshotHeader(logs: logs, bodyOffset: reader.position)
    }

    /// Whether the checksum stored in the header is the checksum of the rest of the file.
    static func checksumMatches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= LedgerSnapshot.checksummedFrom else { return false }
        var reader = SnapshotByteReader(bytes, at: 16)
        guard let high = try? reader.read(UInt64.self), let low = try? reader.read(UInt64.self) else { return false }
        let computed = SnapshotChecksum(of: UnsafeRawBufferPointer(rebasing: bytes[LedgerSnapshot.checksummedFrom...]))
        return computed == SnapshotChecksum(high: high, low: low)
    }
}
