import Dispatch
import LedgerLog

extension LedgerSnapshot {
    /// Saves a snapshot of `ledger` at `path` (replacing any) with a MAC under `key`, or says why
    /// not: the ledger must be one a full verified read of `logs` produces (events in log order,
    /// seq = line number, one id each, heads known), as only such a ledger may stand in for the
    /// logs. `stampsTakenAfter` is a moment no later than when the read took the logs' stamps.
    static func save(_ ledger: Ledger, logs: [LogName], to path: String, key: [UInt8], identity: SHA256Digest,
                     stampsTakenAfterNanoseconds: Int64) -> String? {
        precondition(MemoryLayout<Int>.size == 8, "interner offsets are stored as 64-bit integers")
        guard isReadFromLogs(ledger, logs: logs) else { return "the ledger is not in the shape a verified read gives it" }
        let header = SnapshotHeader(identity: identity, stampsTakenAfterNanoseconds: max(0, stampsTakenAfterNanoseconds),
                                    logs: ledger.logs, bodyOffset: 0)
        // The ids' fingerprints are hashed and sorted on another core while the events are written.
        let fingerprints = FingerprintJob(ledger.eventIds)
        let pending = DispatchGroup()
        pending.enter()
        DispatchQueue.global().async {
            fingerprints.run()
            pending.leave()
        }
        defer { pending.wait() }
        var counter = SnapshotByteWriter()
        write(ledger, fingerprints: { preconditionFailure("a counting writer needs no fingerprints") }, header: header,
              into: &counter, fileLength: 0)
        let length = counter.position
        return SnapshotFile.replace(path, key: key) { sink in
            var writer = SnapshotByteWriter(to: sink)
            write(ledger, fingerprints: {
                pending.wait()
                return fingerprints.sorted
            }, header: header, into: &writer, fileLength: length)
            precondition(writer.position == length, "the snapshot is as long as it measured")
        }
    }

    /// `fingerprints` is asked for only when its turn comes.
    private static func write(_ ledger: Ledger, fingerprints: () -> [UInt64], header: SnapshotHeader,
                              into writer: inout SnapshotByteWriter, fileLength: Int) {
        header.write(into: &writer, fileLength: fileLength)
        writer.put(UInt64(ledger.events.count))
        if writer.isCounting {
            writer.skip(ledger.events.count * SnapshotEventRecord.size)
        } else {
            for event in ledger.events {
                writer.withSpace(SnapshotEventRecord.size) { SnapshotEventRecord.write(event, to: $0) }
            }
        }
        writer.putArray(ledger.eventIds.ends)
        writer.putArray(ledger.eventIds.arena)
        if writer.isCounting {
            writer.skipArray(of: UInt64.self, count: ledger.eventIds.count)
        } else {
            writer.putArray(fingerprints())
        }
        writer.putArray(ledger.replayOrder)
        func put<Index>(_ interner: Interner<Index>) {
            writer.putArray(interner.arena)
            writer.putArray(interner.offsets)
            writer.putArray(interner.slots)
        }
        put(ledger.programmes)
        put(ledger.grants)
        put(ledger.enterprises)
        put(ledger.centres)
        put(ledger.texts)
    }

    /// The sorted fingerprints of a ledger's ids, computed by one thread and read after it finished.
    private final class FingerprintJob: @unchecked Sendable {
        let identifiers: EventIdentifiers
        var sorted: [UInt64] = []

        init(_ identifiers: EventIdentifiers) { self.identifiers = identifiers }

        func run() { sorted = SnapshotIdentifierIndex.fingerprints(of: identifiers) }
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
