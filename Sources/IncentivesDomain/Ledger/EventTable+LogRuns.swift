import LedgerLog

extension EventTable {
    /// Each event's log rank and seq, kept as runs instead of two columns (5 bytes an event, 50 MB
    /// at ten million): a run is a stretch of events of one log with consecutive seqs. A read of
    /// the logs appends them log by log, so it gives one run per log; a tail read after a snapshot
    /// adds one per log it touches (the tail stays behind every log's prefix). Any sequence is
    /// held exactly: a line read without verification may carry any seq, and the drafts an append
    /// session adds (each with the seq sealing gives it) start a new run wherever their logs
    /// interleave; past `maximumRuns` runs the events are kept one by one, as the columns kept them.
    struct LogRuns: Sendable, Equatable {
        /// The index of each run's first event, ascending from 0.
        private(set) var starts: [Int] = []
        private(set) var ranks: [UInt8] = []
        private(set) var firstSeqs: [Int32] = []
        /// Where the events begin whose rank and seq are kept one by one (`explicitRanks`,
        /// `explicitSeqs`): once the runs reach `maximumRuns`, so that a sequence of short runs
        /// (an append session's events of interleaved logs; lines read without verification)
        /// costs no more than the two columns did, and a lookup stays a short search.
        private(set) var explicitStart: Int? = nil
        private(set) var explicitRanks: [UInt8] = []
        private(set) var explicitSeqs: [Int32] = []
        /// How many events there are.
        private(set) var count = 0

        /// Past this many runs, further events are kept one by one.
        static let maximumRuns = 256

        init() {}

        /// The runs of a ledger read from `logs` in full: each log's events in order, seq the line number.
        init(logs: [LogSummary]) {
            precondition(logs.count <= LogRuns.maximumRuns, "a log rank fits in a byte, a run per log")
            for (rank, summary) in logs.enumerated() where summary.events > 0 {
                precondition(summary.events <= Int(Int32.max), "a seq fits in 32 bits")
                starts.append(count)
                ranks.append(UInt8(rank))
                firstSeqs.append(1)
                count += summary.events
            }
        }

        /// At most this many runs are stored in a snapshot (`storedRuns(logs:)`): a ledger opened
        /// from its snapshot and the tail after it keeps the tail behind every log's prefix (a run
        /// more for each log appended to), and is saved as it stands until it holds more; a
        /// lookup of an event's place stays a short search.
        static let maximumStored = 64

        /// The runs as a snapshot stores them, two values each (log rank, event count) in index
        /// order; nil unless they are what a verified read of `logs` and of tails after it gives:
        /// at most `maximumStored` runs, none kept one by one, each log's runs together holding
        /// its events with seqs 1, 2, ... in order (`init(stored:logs:)` gives them back).
        func storedRuns(logs: [LogSummary]) -> [UInt32]? {
            guard explicitStart == nil, starts.count <= LogRuns.maximumStored else { return nil }
            let stored = runPairs
            guard let rebuilt = LogRuns(stored: stored, logs: logs), rebuilt == self else { return nil }
            return stored
        }

        /// Every run as a (log rank, event count) pair, in index order, checked against nothing
        /// (each event kept one by one a run of its own): what `storedRuns(logs:)` gives when
        /// they check out.
        var runPairs: [UInt32] {
            var pairs: [UInt32] = []
            pairs.reserveCapacity(2 * runCount)
            for run in 0..<runCount {
                let (indexes, logRank, _) = self.run(run)
                pairs.append(UInt32(logRank))
                pairs.append(UInt32(truncatingIfNeeded: indexes.count))
            }
            return pairs
        }

        /// The runs a snapshot stored (`storedRuns(logs:)`) for logs `logs`, or nil when they are not
        /// runs a verified read gives: an odd count, more than `maximumStored`, a rank outside
        /// `logs`, an empty run, two runs of one log side by side, or a log's runs not holding
        /// exactly its events. Each run's first seq follows from the runs of its log before it.
        init?<Values: RandomAccessCollection<UInt32>>(stored: Values, logs: [LogSummary]) where Values.Index == Int {
            guard stored.count % 2 == 0, stored.count / 2 <= LogRuns.maximumStored, logs.count <= LogRuns.maximumRuns else { return nil }
            var seen = [Int](repeating: 0, count: logs.count)
            var previousRank: Int? = nil
            var pair = stored.startIndex
            while pair < stored.endIndex {
                let rank = Int(stored[pair]), events = Int(stored[pair + 1])
                guard rank < logs.count, logs[rank].events <= Int(Int32.max), events > 0, rank != previousRank,
                      events <= logs[rank].events - seen[rank] else { return nil }
                starts.append(count)
                ranks.append(UInt8(rank))
                firstSeqs.append(Int32(seen[rank] + 1))
                seen[rank] += events
                count += events
                previousRank = rank
                pair += 2
            }
            guard zip(seen, logs).allSatisfy({ $0 == $1.events }) else { return nil }
        }

        /// Whether each log's events are together and the logs in rank order: at most one run a
        /// log, in rank order, none kept one by one (what a full read gives).
        var isInLogOrder: Bool {
            explicitStart == nil && zip(ranks, ranks.dropFirst()).allSatisfy { $0 < $1 }
        }

        /// How many runs there are (events kept one by one are a run each).
        var runCount: Int { starts.count + explicitRanks.count }

        /// The events of run `run`, with their log rank and the first one's seq.
        func run(_ run: Int) -> (indexes: Range<Int>, logRank: UInt8, firstSeq: Int32) {
            if run >= starts.count, let explicitStart {
                let offset = run - starts.count
                return (explicitStart + offset..<explicitStart + offset + 1, explicitRanks[offset], explicitSeqs[offset])
            }
            let end = run + 1 < starts.count ? starts[run + 1] : (explicitStart ?? count)
            return (starts[run]..<end, ranks[run], firstSeqs[run])
        }

        /// The run holding event `index`, below `explicitStart`: scanned when there are few (a
        /// read of the logs has one per log), else a binary search.
        @inline(__always)
        private func run(holding index: Int) -> Int {
            if starts.count <= LogRuns.scannedRuns {
                var run = 0
                while run + 1 < starts.count, starts[run + 1] <= index { run += 1 }
                return run
            }
            var low = 0, high = starts.count
            while low < high {
                let middle = low + (high - low) / 2
                if starts[middle] <= index { low = middle + 1 } else { high = middle }
            }
            return low - 1
        }

        /// Up to this many runs, an event's run is found by a scan; past it, by a binary search.
        static let scannedRuns = 4

        /// Each event's log rank, a byte an event, filled run by run: for a pass over every event
        /// in another order (the replay order's check), where a search per event would cost more.
        func ranksByEvent() -> [UInt8] {
            var ranks: [UInt8] = []
            ranks.reserveCapacity(count)
            // The runs are in index order (those kept one by one too, an event each).
            for run in 0..<runCount {
                let (indexes, logRank, _) = self.run(run)
                ranks.append(contentsOf: repeatElement(logRank, count: indexes.count))
            }
            assert(ranks.count == count, "the runs cover every event once")
            return ranks
        }

        /// The log rank and seq of event `index`.
        @inline(__always)
        func place(of index: Int) -> (logRank: UInt8, seq: Int32) {
            precondition(index >= 0 && index < count, "an event of the table")
            if let explicitStart, index >= explicitStart {
                return (explicitRanks[index - explicitStart], explicitSeqs[index - explicitStart])
            }
            let run = run(holding: index)
            // Within a run each seq is one more than the one before, and each was an Int32.
            return (ranks[run], firstSeqs[run] + Int32(truncatingIfNeeded: index - starts[run]))
        }

        @inline(__always)
        func logRank(at index: Int) -> UInt8 { place(of: index).logRank }

        @inline(__always)
        func seq(at index: Int) -> Int32 { place(of: index).seq }

        /// Room for `count` events kept one by one (pages reserved but never filled cost address
        /// space only): for a read whose runs break often (`LedgerLoader.leavesOutUnreplayedEvents`).
        mutating func reserveCapacity(_ count: Int) {
            explicitRanks.reserveCapacity(count)
            explicitSeqs.reserveCapacity(count)
        }

        /// One more event, of log `logRank` with `seq`: it extends the last run when it follows it.
        mutating func append(logRank: UInt8, seq: Int32) {
            defer { count += 1 }
            if explicitStart != nil {
                explicitRanks.append(logRank)
                explicitSeqs.append(seq)
                return
            }
            if let last = starts.indices.last, ranks[last] == logRank,
               Int(firstSeqs[last]) + (count - starts[last]) == Int(seq) {
                return
            }
            if starts.count == LogRuns.maximumRuns {
                explicitStart = count
                explicitRanks.append(logRank)
                explicitSeqs.append(seq)
                return
            }
            starts.append(count)
            ranks.append(logRank)
            firstSeqs.append(seq)
        }

        /// The runs of the events at `ranges`, in that order.
        func reordered(_ ranges: [Range<Int>]) -> LogRuns {
            var result = LogRuns()
            for range in ranges {
                var index = range.lowerBound
                while index < range.upperBound {
                    if let explicitStart, index >= explicitStart {
                        let (logRank, seq) = place(of: index)
                        result.append(logRank: logRank, seq: seq)
                        index += 1
                        continue
                    }
                    let run = run(holding: index)
                    let runEnd = run + 1 < starts.count ? starts[run + 1] : (explicitStart ?? count)
                    let end = Swift.min(range.upperBound, runEnd)
                    result.appendRun(logRank: ranks[run], firstSeq: firstSeqs[run] + Int32(truncatingIfNeeded: index - starts[run]),
                                     count: end - index)
                    index = end
                }
            }
            return result
        }

        /// `count` events of log `logRank` with consecutive seqs from `firstSeq`.
        private mutating func appendRun(logRank: UInt8, firstSeq: Int32, count events: Int) {
            guard events > 0 else { return }
            append(logRank: logRank, seq: firstSeq)
            guard explicitStart == nil else {
                for offset in 1..<events { append(logRank: logRank, seq: firstSeq + Int32(truncatingIfNeeded: offset)) }
                return
            }
            // The first extended the last run or started one: the rest follow it.
            count += events - 1
        }
    }
}
