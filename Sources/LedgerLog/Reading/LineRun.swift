import CMemoryHints

/// What the parallel phase of a read found for one line of a chunk, read in place by the
/// sequential step and by the consumer's loop (`LineRun`).
@usableFromInline
struct LineOutcome {
    /// Where the line lies in its chunk's buffer, without its newline.
    @usableFromInline var start = 0
    @usableFromInline var length = 0
    @usableFromInline var scanned: ScannedEventLine? = nil
    /// Whether `scanned` is set, and so whether the line's preparation is initialized: read
    /// where only that matters, without copying it.
    @usableFromInline var didScan = false
    var failure: ScanFailure? = nil
    @usableFromInline var hash = SHA256Digest.zero
    var hashMatches = true
    /// `IdentifierRegistry.fingerprint(of:)` of the id, computed off the sequential path.
    var idFingerprint: UInt64 = 0
    /// Whether `prev` is the stated hash of the line before, when a worker saw both lines
    /// scan; nil leaves the check to the sequential loop (a chunk's or a piece's first line).
    var linksToPrevious: Bool? = nil
    /// Set by the chain check: whether the line is handed to the consumer.
    @usableFromInline var isConsumed = false
    /// Where the line's id was seen before, when the read's id table took the chunk's ids off
    /// the sequential step (`LogReader.insertIdentifiers`); nil for a first sight.
    var duplicateOf: IdentifierRegistry.Location? = nil

    init(start: Int, length: Int) {
        self.start = start
        self.length = length
    }
}

/// Lines of one chunk whose chain the read has checked, in order, handed to a consumer at once
/// with what `prepare` made of each (`LogLineConsumer.consume(_:)`). Valid only during that call.
///
/// A run rather than a call per line: its loop is inlined into the consumer's own module and
/// specialised for its preparation, which the generic read would otherwise copy, line by line,
/// through the type's value witnesses. Not copyable: borrowed, it is never copied through its
/// own value witnesses either.
///
/// Safe to use though it holds pointers: only the read makes one (its initializer is internal),
/// it lends it to one call (`borrowing`, not copyable: it cannot be kept), and every index is
/// checked. `prepared(_:)` hands out a pointer, for callers that take that on themselves.
public struct LineRun<Preparation>: ~Copyable {
    @usableFromInline let outcomes: UnsafePointer<LineOutcome>
    @usableFromInline let preparations: UnsafePointer<Preparation>
    /// The chunk's bytes and lines: `prepared(_:)` looks ahead past the run, up to the chunk's end.
    @usableFromInline let buffer: UnsafeRawPointer
    @usableFromInline let lineCount: Int
    @usableFromInline let fileOffset: Int
    /// The line number of the chunk's line before its first.
    @usableFromInline let lineNumberBefore: Int
    public let log: LogName
    public let logRank: Int
    /// The chunk's lines in this run; `line(_:)` says which of them are handed over.
    public let indices: Range<Int>

    init(outcomes: UnsafePointer<LineOutcome>, preparations: UnsafePointer<Preparation>, buffer: UnsafeRawPointer,
         lineCount: Int, fileOffset: Int, lineNumberBefore: Int, log: LogName, logRank: Int, indices: Range<Int>) {
        precondition(indices.lowerBound >= 0 && indices.upperBound <= lineCount, "a run lies within its chunk")
        self.outcomes = outcomes
        self.preparations = preparations
        self.buffer = buffer
        self.lineCount = lineCount
        self.fileOffset = fileOffset
        self.lineNumberBefore = lineNumberBefore
        self.log = log
        self.logRank = logRank
        self.indices = indices
    }

    /// How far ahead of the line being consumed a consumer is told of a line (`anticipate`):
    /// far enough for a miss to be served (a line takes a few hundred nanoseconds), near enough
    /// to stay in the cache.
    @inlinable
    public static var lookaheadLines: Int { 8 }

    /// The line at `index` of the chunk when the read hands it over; nil when it is not (its
    /// problems are reported and the read does not consume lines with problems).
    /// The line lives no longer than the run lent for the call.
    @inlinable @_lifetime(borrow self)
    public func line(_ index: Int) -> LogLine? {
        precondition(indices.contains(index), "a line of the run")
        let outcome = outcomes + index
        guard outcome.pointee.isConsumed, let scanned = outcome.pointee.scanned else { return nil }
        let start = outcome.pointee.start
        let line = LogLine(log: log, logRank: logRank, lineNumber: lineNumberBefore + index + 1,
                           bytes: UnsafeRawBufferPointer(start: buffer + start, count: outcome.pointee.length),
                           scanned: scanned, hash: outcome.pointee.hash, fileOffset: fileOffset + start)
        return _overrideLifetime(line, borrowing: self)
    }

    /// Whether the read hands over the line at `index` of the run: whether `line(_:)` makes
    /// one. For a consumer that needs, of some lines, only what `prepare` made of them: making a
    /// line copies its scan, from memory another core has just written.
    @inlinable @inline(__always)
    public func handsOver(_ index: Int) -> Bool {
        precondition(indices.contains(index), "a line of the run")
        return outcomes[index].isConsumed && outcomes[index].didScan
    }

    /// Parts of a line a consumer can have as a span without the line (`span(ofLine:_:)`).
    public enum LinePart: Sendable {
        case whole, id, data
    }

    /// A part of the line at `index` of the run, handed over (`handsOver`), as a span that lives
    /// no longer than the run: for a consumer that needs a line's bytes but not the line, whose
    /// making copies its scan (168 bytes, several times) and retains its log's name.
    @inlinable @_lifetime(borrow self)
    public func span(ofLine index: Int, _ part: LinePart) -> Span<UInt8> {
        precondition(handsOver(index), "a line the read hands over")
        let outcome = outcomes + index
        let range: Range<Int>
        switch part {
        case .whole: range = 0..<outcome.pointee.length
        case .id: range = outcome.pointee.scanned.unsafelyUnwrapped.id
        case .data: range = outcome.pointee.scanned.unsafelyUnwrapped.data
        }
        precondition(range.lowerBound >= 0 && range.upperBound <= outcome.pointee.length, "a part within its line")
        let span = Span<UInt8>(_unsafeBytes: UnsafeRawBufferPointer(start: buffer + outcome.pointee.start + range.lowerBound,
                                                                    count: range.count))
        return _overrideLifetime(span, borrowing: self)
    }

    /// Starts loading byte `offset` of the line at `index` of the chunk (a line of the run or
    /// one after it): for a consumer that will read that part of a line a few lines on. A
    /// line past the chunk's end, one that did not scan, or an offset past its end asks for nothing.
    @inlinable @inline(__always)
    public func prefetchBytes(ofLine index: Int, at offset: Int) {
        guard index >= indices.lowerBound, index < lineCount, outcomes[index].didScan,
              offset >= 0, offset < outcomes[index].length else { return }
        memory_hints_prefetch(buffer + outcomes[index].start + offset)
    }

    /// Whether the line at `index` of the chunk (a line of the run or one after it) was
    /// prepared: false past the chunk's end or for a line that did not scan.
    @inlinable @inline(__always)
    public func isPrepared(_ index: Int) -> Bool {
        index >= indices.lowerBound && index < lineCount && outcomes[index].didScan
    }

    /// What `prepare` made of the line at `index` of the chunk, read in place (its fields are
    /// read where they lie, the whole not copied); the line must be prepared (`isPrepared`).
    @inlinable
    public subscript(preparedAt index: Int) -> Preparation {
        unsafeAddress {
            precondition(isPrepared(index), "a prepared line of the chunk")
            return preparations + index
        }
    }

    /// What `prepare` made of the line at `index` of the chunk, read in place: for a line of
    /// the run or one after it in the chunk; nil past the chunk's end or for a line that did
    /// not scan (it was not prepared).
    @inlinable
    public func prepared(_ index: Int) -> UnsafePointer<Preparation>? {
        guard isPrepared(index) else { return nil }
        return preparations + index
    }
}
