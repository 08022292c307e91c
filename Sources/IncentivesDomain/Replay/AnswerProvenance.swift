import LedgerLog

/// Which window an answer is for and which log heads it was computed from, so that anyone can
/// say what the answer rests on and check it later. The heads are those of each log's prefix
/// known at the window's `knownAt` (the events recorded at or before it: their count and the
/// hash of the last of them), not of the whole log: an answer for a past `knownAt` stays the
/// same, heads included, however many events are appended after it.
public struct AnswerProvenance: Sendable, Equatable {
    public struct Head: Sendable, Equatable {
        public var log: LogName
        /// Events of the log recorded at or before `knownAt`.
        public var events: Int
        /// The hash of the last of them (all zeros for none); nil only when, read without
        /// verification, the log's lines could not be matched to its events.
        public var head: SHA256Digest?

        public init(log: LogName, events: Int, head: SHA256Digest?) {
            self.log = log
            self.events = events
            self.head = head
        }
    }

    public var window: TimeWindow
    public var heads: [Head]

    public init(window: TimeWindow, heads: [Head]) {
        self.window = window
        self.heads = heads
    }

    /// The heads of `ledger`'s logs known at `window.knownAt`. A prefix shorter than the log is
    /// located in the file `store` read; with `verified`, a file that no longer holds the line it
    /// held when read (changed since) is refused rather than named wrongly.
    public init(ledger: Ledger, window: TimeWindow, store: EventStore, verified: Bool = true) throws(LedgerError) {
        self.window = window
        let logCount = ledger.logs.count
        // Within a log, `recorded` never decreases (verification checks it), so the events known
        // at K are a prefix: counted up to the first one recorded after K.
        // Known at or after every log's last event: every event (the common question, no scan;
        // verified logs only, whose recorded times never go back).
        var counts = [Int](repeating: 0, count: logCount)
        if verified, ledger.logs.allSatisfy({ ($0.lastRecorded ?? Timestamp(secondsSinceEpoch: Int64.min)) <= window.knownAt }) {
            counts = ledger.logs.map(\.events)
        } else {
            var stopped = [Bool](repeating: false, count: logCount)
            let knownAt = window.knownAt.secondsSinceEpoch
            let events = ledger.events, runs = events.logRuns
            for run in 0..<runs.runCount {
                let (indexes, logRank, _) = runs.run(run)
                let rank = Int(logRank)
                guard rank < logCount else { continue }
                guard !stopped[rank] else { continue }
                // Verified, a run's times never go back: the first one after K is found by halves
                // (a linear count was a serial 12 ms of every window at ten million events).
                var known = indexes.lowerBound
                if verified {
                    var high = indexes.upperBound
                    while known < high {
                        let middle = known + (high - known) / 2
                        if events.recorded[middle] <= knownAt { known = middle + 1 } else { high = middle }
                    }
                } else {
                    while known < indexes.upperBound, events.recorded[known] <= knownAt { known += 1 }
                }
                counts[rank] += known - indexes.lowerBound
                if known < indexes.upperBound { stopped[rank] = true }
            }
            // The events a read for a scope left out count too (`Ledger.leftOutEvents`).
            for rank in 0..<logCount { counts[rank] += ledger.leftOutEvents.knownCount(logRank: rank, knownAt: knownAt) }
        }
        var heads: [Head] = []
        for (rank, summary) in ledger.logs.enumerated() {
            let known = counts[rank]
            var head: SHA256Digest? = nil
            if known <= summary.events, let state = try store.chainState(of: summary.log, throughLine: known, of: summary) {
                head = state.head
            } else if verified {
                throw .badData("\(store.path(of: summary.log)) changed after it was read: line \(known) is no longer the event read there; ask again, and run `incentives verify` if it keeps happening")
            }
            heads.append(Head(log: summary.log, events: known, head: head))
        }
        self.heads = heads
    }

    /// `asOf`, `knownAt` (UTC) and `heads`, the members every query's JSON begins with.
    public var jsonMembers: [(String, JSONValue)] {
        [
            ("asOf", .date(window.asOf)),
            ("knownAt", .text(window.knownAt.description)),
            ("heads", .array(heads.map {
                .record([("log", .text($0.log.rawValue)), ("events", .integer($0.events)),
                         ("head", $0.head.map { .text($0.hex) } ?? .null)])
            })),
        ]
    }

    /// `tiers 1499 f2b7…, centres 19 55ad…, grants 983 2c95…`: the heads on one line, in full.
    public var headsText: String {
        heads.map { "\($0.log) \($0.events) \($0.head?.hex ?? "unknown")" }.joined(separator: ", ")
    }
}
