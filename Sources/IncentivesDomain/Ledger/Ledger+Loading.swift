import LedgerLog

extension Ledger {
    /// Reads and decodes every log. With `verify`, a log with any problem is refused: no query
    /// answers silently from a ledger that does not verify.
    public static func load(store: EventStore, verify: Bool = true, workerCount: Int? = nil,
                            eventLimits: [LogName: Int] = [:]) throws(LedgerError) -> Ledger {
        var options = ReadOptions()
        options.eventLimits = eventLimits
        options.verifyHashes = verify
        options.consumeLinesWithProblems = !verify
        if let workerCount { options.workerCount = workerCount }
        var loader = LedgerLoader()
        loader.defersRetractionTimes = true
        let report = try store.read(options: options, consumer: &loader)
        if verify, let first = report.problems.first {
            throw .badData("the logs in \(store.directory) do not verify (\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s"), the first: \(first)); run `incentives verify` for the full list, or pass --no-verify to answer from them anyway")
        }
        var ledger = loader.finish()
        ledger.logs = report.logs
        ledger.buildReplayOrder()
        return ledger
    }

    /// Decodes lines a writer read under its lock (the append path).
    static func load(writer: EventWriter) throws(LedgerError) -> Ledger {
        var loader = LedgerLoader()
        loader.defersRetractionTimes = true
        let report = try writer.read(consumer: &loader)
        if let first = report.problems.first {
            throw .badData("cannot append: the logs do not verify (\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s"), the first: \(first)); run `incentives verify` and restore the damaged log from a copy")
        }
        var ledger = loader.finish()
        ledger.logs = report.logs
        ledger.buildReplayOrder()
        return ledger
    }

    /// `add(_:id:)` for a read that sets the retraction times once it is done
    /// (`LedgerLoader.defersRetractionTimes`): every event but those of the read has one.
    mutating func addWithoutRetractionTime(_ event: DomainEvent, id: UnsafeRawBufferPointer) {
        unsafe append(event, id: id)
        if case .eventRetracted(let target?, _) = event.payload {
            // A line's retraction names its target by id, resolved after the read; never by index.
            preconditionFailure("a retraction read from a log has no target yet (event \(target.offset))")
        }
        precondition(events.count == eventIds.count, "one id per event")
    }

    /// Gives every event added by `addWithoutRetractionTime(_:id:)` its retraction time: never,
    /// until `resolveRetractions(_:)` points the retractions at their targets.
    mutating func fillRetractionTimes() {
        precondition(retractedAt.count <= events.count, "retraction times only for events")
        retractedAt.reserveCapacity(events.count)
        retractedAt.append(contentsOf: repeatElement(.never, count: events.count - retractedAt.count))
    }
}
