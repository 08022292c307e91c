import Dispatch

/// Seals a batch on a second thread while its caller makes the next events: the pieces are
/// sealed one after another in the order given, by the same `BatchSealer` that `EventWriter.seal`
/// uses, so the lines, hashes and tails are exactly those of sealing the whole batch at once.
/// The hash chain itself stays sequential; what runs alongside is the caller's own work (an
/// append validates the next drafts). Nothing is written: `finish` gives the sealed batch to
/// `EventWriter.write`, whose durability protocol is the same for both ways of sealing.
public final class SealingPipeline {
    private let queue = DispatchQueue(label: "ledger.sealing")
    private let state: SealingState
    private var given = 0
    private var finished = false

    init(sealer: BatchSealer) {
        state = SealingState(sealer: sealer)
    }

    /// Hands `events` to the sealing thread, after every piece given before. Returns at once.
    public func add(_ events: [UnsealedEvent]) {
        precondition(!finished, "a finished pipeline takes no more events")
        guard !events.isEmpty else { return }
        given += events.count
        // Beyond the bound nothing more is sealed; `finish` refuses the batch, as `seal` does.
        guard given <= EventWriter.maximumBatchEvents else { return }
        let state = self.state
        queue.async {
            state.seal(events)
        }
    }

    /// Runs `work` on the sealing thread after every piece given before and before any given
    /// after: the caller's own preparation of later events may share the thread (an append
    /// decodes the next drafts there while it validates). Returns at once.
    public func perform(_ work: @escaping @Sendable () -> Void) {
        precondition(!finished, "a finished pipeline runs no more work")
        queue.async(execute: work)
    }

    /// Waits for every piece to be sealed and returns the batch, or the first refusal of the
    /// sealing (an event recorded before its log's last, a line too long) in batch order.
    public func finish() throws(LedgerError) -> EventWriter.SealedBatch {
        precondition(!finished, "a pipeline finishes once")
        finished = true
        guard given <= EventWriter.maximumBatchEvents else {
            cancel()
            throw .usage("a batch of \(given) events is larger than \(EventWriter.maximumBatchEvents); split it")
        }
        queue.sync {}
        return try state.take()
    }

    /// Drops the batch: what is queued is not sealed, and this returns once the sealing thread
    /// has stopped touching it (a refused draft drops the pipeline this way).
    public func cancel() {
        finished = true
        state.cancel()
        queue.sync {}
    }

    deinit {
        // A pipeline dropped unfinished (its batch refused) stops its thread before it goes.
        if !finished { cancel() }
    }
}

/// What the sealing thread works on, behind a lock: taken by that thread for each piece, and by
/// the caller only once the queue is empty, to take the result or to cancel. The lock is a serial
/// queue, not `Mutex`: a contended `Mutex` on Linux is handed over in the kernel (a priority-
/// inheriting futex), where the thread sanitizer cannot see that it orders the two threads' accesses.
private final class SealingState: @unchecked Sendable {
    private struct Contents: ~Copyable {
        var sealer: BatchSealer?
        var failure: LedgerError?
        var cancelled = false
    }

    /// Every access to `contents` is made on it, one at a time.
    private let lock = DispatchQueue(label: "ledger.sealing.state")
    private var contents: Contents

    init(sealer: BatchSealer) {
        contents = Contents(sealer: sealer)
    }

    func seal(_ events: [UnsealedEvent]) {
        lock.sync {
            guard !contents.cancelled, contents.failure == nil, var sealer = contents.sealer.take() else { return }
            defer { contents.sealer = sealer }
            for index in events.indices {
                do throws(LedgerError) {
                    try sealer.add(events[index])
                } catch {
                    contents.failure = error
                    return
                }
            }
        }
    }

    func cancel() {
        lock.sync {
            contents.cancelled = true
            contents.sealer = nil
        }
    }

    func take() throws(LedgerError) -> EventWriter.SealedBatch {
        let result: Result<EventWriter.SealedBatch, LedgerError> = lock.sync {
            if let failure = contents.failure { return .failure(failure) }
            guard !contents.cancelled, let sealer = contents.sealer.take() else {
                preconditionFailure("a pipeline's batch is taken once, and not after a cancel")
            }
            return .success(sealer.finish())
        }
        return try result.get()
    }
}
