import LedgerLog

extension LedgerSnapshot {
    /// The snapshot file's bytes for `ledger`, or nil when the ledger is not one a full verified
    /// read of `logs` produces (events in log order, seq = line number, one id each, heads known):
    /// only such a ledger may stand in for the logs.
    static func encode(_ ledger: Ledger, logs: [LogName]) -> SnapshotBuffer? {
        precondition(MemoryLayout<Int>.size == 8, "interner offsets are stored as 64-bit integers")
        guard isReadFromLogs(ledger, logs: logs) else { return nil }
        let header = SnapshotHeader(logs: ledger.logs, bodyOffset: 0)
        let fingerprints = SnapshotIdentifierIndex.fingerprints(of: ledger.eventIds)
        var counter = SnapshotByteWriter()
        write(ledger, fingerprints: fingerprints, header: header, into: &counter, fileLength: 0)
        let buffer = SnapshotBuffer(count: counter.position)
        var writer = SnapshotByteWriter(into: buffer.mutableBytes)
        write(ledger, fingerprints: fingerprints, header: header, into: &writer, fileLength: counter.position)
        precondition(writer.position == buffer.count, "the snapshot fills exactly the space it measured")
        let checksum = SnapshotChecksum(of: UnsafeRawBufferPointer(rebasing: buffer.bytes[checksummedFrom...]))
        buffer.mutableBytes.storeBytes(of: checksum.high.littleEndian, toByteOffset: 16, as: UInt64.self)
        buffer.mutableBytes.storeBytes(of: checksum.low.littleEndian, toByteOffset: 24, as: UInt64.self)
        return buffer
    }

    private static func write(_ ledger: Ledger, fingerprints: [UInt64], header: SnapshotHeader,
                              into writer: inout SnapshotByteWriter, fileLength: Int) {
        header.write(into: &writer, checksum: SnapshotChecksum(high: 0, low: 0), fileLength: fileLength)
        writer.put(UInt64(ledger.events.count))
        writer.reserve(ledger.events.count * SnapshotEventRecord.size) { records in
            ledger.events.withUnsafeBufferPointer { events in
                for index in events.indices {
                    SnapshotEventRecord.write(events[index], to: records.baseAddress! + index * SnapshotEventRecord.size)
                }
            }
        }
        writer.putArray(ledger.eventIds.ends)
        writer.putArray(ledger.eventIds.arena)
        writer.putArray(fingerprints)
        writer.putArray(ledger.replayOrder)
        for interner in [ledger.programmes, ledger.grants, ledger.enterprises, ledger.centres, ledger.texts] {
            writer.putArray(interner.arena)
            writer.putArray(interner.offsets)
            writer.putArray(interner.slots)
        }
    }

    /// Whether `ledger` has the shape a full verified read of `logs` gives it.
    static func isReadFromLogs(_ ledger: Ledger, logs: [LogName]) -> Bool {
        guard ledger.logs.map(\.log) == logs,
              ledger.logs.reduce(0, { $0 + $1.events }) == ledger.events.count,
              ledger.eventIds.count == ledger.events.count, ledger.retractedAt.count == ledger.events.count,
              ledger.replayOrder.count == ledger.events.count, ledger.events.count < Int(Int32.max) else { return false }
        var index = 0
        for (rank, summary) in ledger.logs.enumerated() {
            guard summary.events <= ledger.events.count - index else { return false }
            for position in 0..<summary.events {
                let event = ledger.events[index + position]
                guard Int(event.logRank) == rank, Int(event.seq) == position + 1 else { return false }
            }
            index += summary.events
        }
        return true
    }
}
