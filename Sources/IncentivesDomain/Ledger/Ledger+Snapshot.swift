import LedgerLog

extension Ledger {
    /// A snapshot is saved again once the events read after it reach this fraction of the
    /// ledger (1/100): rewriting costs about as much as reading that many events from the logs
    /// once, so a query pays at most about twice the best cost (the ski-rental rule).
    static let snapshotRefreshDivisor = 100

    /// The ledger for a query. With `verify` and `useSnapshot`, a snapshot beside the logs is
    /// used when its checksum matches and every log still passes through the head it remembers:
    /// then only the events appended since are read, hashed and chain-checked (their ids proved
    /// new). Otherwise, or if anything after it does not read cleanly, the logs are read in full
    /// as by `load`, which reports any problem exactly as it would without a snapshot. A fresh
    /// snapshot is saved after a full read and when the events after it reach 1% of the ledger;
    /// failing to save one changes nothing but speed. Without `verify` no snapshot is read or saved.
    public static func open(store: EventStore, verify: Bool = true, useSnapshot: Bool = true) throws(LedgerError) -> LedgerOpening {
        guard verify, useSnapshot else {
            return LedgerOpening(ledger: try load(store: store, verify: verify), source: .logs(snapshotRejected: nil),
                                 saving: .notAttempted)
        }
        return try open(
            snapshotOf: store,
            resume: { points, stamps, loader throws(LedgerError) in
                try store.read(resumingAt: points, stamps: stamps, consumer: &loader)
            },
            readAll: { () throws(LedgerError) in try load(store: store, verify: true) })
    }

    /// The append path's ledger, read under the writer's exclusive lock, the same way.
    static func open(writer: EventWriter, useSnapshot: Bool) throws(LedgerError) -> LedgerOpening {
        guard useSnapshot else {
            return LedgerOpening(ledger: try load(writer: writer), source: .logs(snapshotRejected: nil), saving: .notAttempted)
        }
        return try open(
            snapshotOf: writer.store,
            resume: { points, stamps, loader throws(LedgerError) in
                try writer.read(resumingAt: points, stamps: stamps, consumer: &loader)
            },
            readAll: { () throws(LedgerError) in try load(writer: writer) })
    }

    private static func open(
        snapshotOf store: EventStore,
        resume: ([TailState], [LogStamp?], inout LedgerLoader) throws(LedgerError) -> ReadReport?,
        readAll: () throws(LedgerError) -> Ledger
    ) throws(LedgerError) -> LedgerOpening {
        let rejection: SnapshotRejection
        do throws(SnapshotRejection) {
            return try openFromSnapshot(store: store, resume: resume)
        } catch {
            rejection = error
        }
        let ledger = try readAll()
        return LedgerOpening(ledger: ledger, source: .logs(snapshotRejected: rejection),
                             saving: ledger.count > 0 ? saveSnapshot(of: ledger, store: store) : .notAttempted)
    }

    private static func openFromSnapshot(
        store: EventStore, resume: ([TailState], [LogStamp?], inout LedgerLoader) throws(LedgerError) -> ReadReport?
    ) throws(SnapshotRejection) -> LedgerOpening {
        var snapshot = try LedgerSnapshot.read(path: LedgerSnapshot.path(in: store), logs: store.logs) { points throws(SnapshotRejection) in
            let bytesAfter: Int?
            do throws(LedgerError) { bytesAfter = try store.bytesAfter(points) } catch { throw .unreadable(error.message) }
            guard let bytesAfter else { throw .stale }
            return bytesAfter
        }
        let points = snapshot.points, stamps = snapshot.stamps
        // The loader must hold the only reference to the arrays it appends to, or each would be copied.
        var loader = LedgerLoader()
        swap(&loader.ledger, &snapshot.ledger)
        let report: ReadReport?
        do throws(LedgerError) { report = try resume(points, stamps, &loader) } catch { throw .tailProblem }
        guard let report else { throw .stale }
        guard report.problems.isEmpty else { throw .tailProblem }
        var ledger = Ledger()
        swap(&ledger, &loader.ledger)
        let identifiers = snapshot.identifiers
        guard ledger.absorbTail(prefixCounts: points.map { $0.seq }, pendingRetractions: loader.pendingRetractions,
                                mayBeInPrefix: identifiers.mayContain).isEmpty else {
            throw .tailProblem
        }
        ledger.logs = report.logs
        let after = ledger.count - points.reduce(0) { $0 + $1.seq }
        let refresh = after > 0 && after * snapshotRefreshDivisor >= ledger.count
        return LedgerOpening(ledger: ledger, source: .snapshot(eventsAfter: after),
                             saving: refresh ? saveSnapshot(of: ledger, store: store) : .notAttempted)
    }

    /// Writes a snapshot of a ledger read from `store` in full or from a snapshot and its tail.
    static func saveSnapshot(of ledger: Ledger, store: EventStore) -> LedgerOpening.Saving {
        if let failure = LedgerSnapshot.save(ledger, logs: store.logs, to: LedgerSnapshot.path(in: store)) {
            return .failed(failure)
        }
        return .saved
    }
}
