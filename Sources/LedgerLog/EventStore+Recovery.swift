/// What the journal may and may not make a writer remove. A pending record is a claim anyone
/// with write access could make; the log's own bytes decide whether it is believed: a rollback
/// happens only to a length where the log still ends an event with the recorded seq and head,
/// never below what the record itself says was acknowledged, and never over more bytes than the
/// batch could have written. (A writer rolling back its own failed batch cuts only to the tails it
/// verified: see `EventWriter.rollBack`.)
extension EventStore {
    /// One log's part of a rollback: cut from `size` back to `acknowledged`.
    struct PlannedRollback {
        var log: LogName
        var rank: Int
        var acknowledged: AppendJournal.Point
        var size: Int
    }

    /// The logs an incomplete pending batch left bytes in, each checked; throws `.badData`
    /// (nothing removed) when any rollback would cut into acknowledged or unexplained bytes.
    /// A record of format 1 names no head to roll back to, so it is followed only when `acceptingLegacy`
    /// (`incentives repair`, asked for by an operator), and then only to a whole, intact event.
    func plannedRollback(_ journal: AppendJournal, acceptingLegacy: Bool = false) throws(LedgerError) -> [PlannedRollback] {
        precondition(journal.isPending, "only a pending batch is rolled back")
        guard journal.version >= 2 || acceptingLegacy else {
            let sizes = journal.entries.map { "\($0.log.fileName) after byte \($0.fromBytes)" }.joined(separator: ", ")
            throw .badData("\(journalPath) holds an interrupted append recorded by an earlier version (\(sizes)), which names no head to check a rollback against; nothing was changed: run `incentives verify`, then `incentives repair` to roll it back (what it removes is kept in \(Quarantine.directoryName)/)")
        }
        var plan: [PlannedRollback] = []
        for entry in journal.entries {
            // A log this store does not have: nothing of it is read or written here.
            guard let rank = logs.firstIndex(of: entry.log) else { continue }
            let size = try fileSize(entry.log)
            func refuse(_ why: String) -> LedgerError {
                .badData("\(journalPath) asks to roll \(entry.log.fileName) back to byte \(entry.fromBytes), but \(why); nothing was changed: run `incentives verify`, restore the log from a copy if it is damaged, and if it is right, move the journal aside (no append running)")
            }
            if let acknowledged = journal.committed(entry.log), acknowledged.bytes > entry.fromBytes {
                throw refuse("the same record says \(acknowledged.bytes) bytes were acknowledged")
            }
            guard size >= entry.fromBytes else {
                throw refuse("the log is only \(size) bytes long: acknowledged events are missing")
            }
            guard size <= entry.toBytes else {
                throw refuse("the log is \(size) bytes long, longer than the \(entry.toBytes) the interrupted append could have made it")
            }
            let point: AppendJournal.Point
            if entry.fromBytes == 0 {
                guard entry.fromSeq ?? 0 == 0, entry.fromHead ?? .zero == .zero else { throw refuse("an empty log has no head") }
                point = AppendJournal.Point(log: entry.log, bytes: 0, seq: 0, head: .zero)
            } else {
                guard let found = try lastLine(of: entry.log, endingAt: entry.fromBytes, checkingHash: true) else {
                    throw refuse("no whole, intact event ends there")
                }
                if let seq = entry.fromSeq, let head = entry.fromHead, found.seq != seq || found.head != head {
                    throw refuse("the event ending there is seq \(found.seq) with hash \(found.head.hex), not seq \(seq) with hash \(head.hex) as recorded")
                }
                point = AppendJournal.Point(log: entry.log, bytes: entry.fromBytes, seq: found.seq, head: found.head)
            }
            guard size > entry.fromBytes else { continue }
            plan.append(PlannedRollback(log: entry.log, rank: rank, acknowledged: point, size: size))
        }
        return plan
    }

    /// Refuses (`.badData`, nothing changed) a log that no longer holds what the journal says was
    /// acknowledged: shorter than that, or not ending an intact event with the recorded seq and
    /// head at that length. Damage there is never repaired: only restoring from a copy undoes it.
    func requireAcknowledged(_ point: AppendJournal.Point, size: Int, lastNewline: Int) throws(LedgerError) {
        func refuse(_ why: String) -> LedgerError {
            .badData("\(path(of: point.log)) \(why): acknowledged events were damaged or removed, and are not repaired; nothing was changed: run `incentives verify` and restore the log from a copy (if the log was restored on purpose, move \(journalPath) aside first, no append running)")
        }
        guard point.bytes > 0 else { return }
        guard size >= point.bytes else {
            throw refuse("is \(size) bytes long, shorter than the \(point.bytes) bytes the last append acknowledged (up to seq \(point.seq))")
        }
        guard lastNewline >= point.bytes else {
            throw refuse("has an unfinished last line from byte \(lastNewline), inside the \(point.bytes) bytes the last append acknowledged (up to seq \(point.seq))")
        }
        guard let found = try lastLine(of: point.log, endingAt: point.bytes, checkingHash: true),
              found.seq == point.seq, found.head == point.head else {
            throw refuse("no longer ends an intact event with seq \(point.seq) and the acknowledged hash \(point.head.hex) at byte \(point.bytes)")
        }
    }
}
