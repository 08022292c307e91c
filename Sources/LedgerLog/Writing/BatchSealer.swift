/// Seals a batch's events one after another on the tails it starts from: each log's new bytes,
/// where each line lies and where each event lands. `EventWriter.seal` gives it a whole batch at
/// once, `SealingPipeline` gives it the batch in pieces on another thread: one piece of code
/// seals both ways, so they cannot give different bytes.
struct BatchSealer: Sendable {
    private let logs: [LogName]
    private var batch: EventWriter.SealedBatch
    private var memory = SealingMemory()

    /// `capacities` is the room to reserve in each log's buffer, by rank: a buffer given enough is
    /// never moved while it grows; any other value only costs copies, never changes a byte.
    init(logs: [LogName], tails: [TailState], capacities: [Int]) {
        precondition(logs.count == tails.count && logs.count == capacities.count, "one tail and one capacity per log")
        self.logs = logs
        batch = EventWriter.SealedBatch(buffers: Array(repeating: [UInt8](), count: logs.count), startTails: tails,
                                        newTails: tails, appended: [], spans: [])
        for rank in capacities.indices where capacities[rank] > 0 {
            batch.buffers[rank].reserveCapacity(min(capacities[rank], BatchSealer.maximumReservedBytes))
        }
    }

    /// More room than this is not reserved up front, whatever the estimate: the buffer grows instead.
    static let maximumReservedBytes = 1 << 30

    var count: Int { batch.appended.count }

    mutating func reserveCapacity(events count: Int) {
        batch.appended.reserveCapacity(count)
        batch.spans.reserveCapacity(count)
    }

    /// Seals `event` at the end of its log's buffer. A refusal leaves the sealer unusable: the
    /// whole batch is dropped.
    mutating func add(_ event: UnsealedEvent) throws(LedgerError) {
        guard let rank = logs.firstIndex(of: event.log) else {
            throw .usage("no log named \(event.log) in this store")
        }
        if let last = batch.newTails[rank].lastRecorded, event.recorded < last {
            throw .badData("event \(event.id): recorded \(event.recorded) is before \(last), the last recorded time in \(event.log.fileName); the ledger's transaction time never goes back, so nothing was appended")
        }
        let seq = batch.newTails[rank].seq + 1
        let start = batch.buffers[rank].count
        let hash = event.seal(seq: seq, previous: batch.newTails[rank].head, appendingTo: &batch.buffers[rank], memory: &memory)
        let length = batch.buffers[rank].count - start
        // A longer line would be refused by every reader, and the log could not be appended to again.
        guard length - 1 <= ScannedEventLine.maximumLineBytes else {
            throw .badData("event \(event.id): its line would be \(length - 1) bytes, longer than the \(ScannedEventLine.maximumLineBytes) a log line may have; nothing was appended")
        }
        batch.spans.append((rank, start..<start + length))
        batch.newTails[rank] = TailState(bytes: batch.newTails[rank].bytes + length, seq: seq,
                                         head: hash, lastRecorded: event.recorded)
        batch.appended.append(AppendedEvent(log: event.log, id: event.id, seq: seq, hash: hash, recorded: event.recorded))
    }

    /// The batch sealed so far.
    consuming func finish() -> EventWriter.SealedBatch {
        batch
    }
}
