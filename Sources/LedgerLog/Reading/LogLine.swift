/// One verified event line, handed to a consumer during a read. Its buffers are valid only during
/// the call: copy what must outlive it (`materialize()` copies everything). Not escapable: the
/// compiler keeps a line, and the spans made from it, from outliving what the read lent it from.
public struct LogLine: ~Escapable {
    public let log: LogName
    /// The log's position in the store's rank order (replay ties break on it).
    public let logRank: Int
    /// 1-based line number in the file.
    public let lineNumber: Int
    /// The line's bytes, without its newline.
    public let bytes: UnsafeRawBufferPointer
    public let scanned: ScannedEventLine
    public let hash: SHA256Digest
    /// Byte offset of the line in its file.
    public let fileOffset: Int

    /// A line over `bytes`, which the caller keeps valid as long as the line: the read makes lines
    /// only inside the call it lends them to (`LineRun.line(_:)` ties them to the run).
    @usableFromInline @_lifetime(immortal)
    init(log: LogName, logRank: Int, lineNumber: Int, bytes: UnsafeRawBufferPointer, scanned: ScannedEventLine,
         hash: SHA256Digest, fileOffset: Int) {
        self.log = log
        self.logRank = logRank
        self.lineNumber = lineNumber
        self.bytes = bytes
        self.scanned = scanned
        self.hash = hash
        self.fileOffset = fileOffset
    }

    public var seq: Int { scanned.seq }
    public var version: Int { scanned.version }
    public var recorded: Timestamp { scanned.recorded }
    public var effective: CalendarDate { scanned.effective }
    public var idBytes: UnsafeRawBufferPointer { slice(scanned.id) }
    public var typeBytes: UnsafeRawBufferPointer { slice(scanned.type) }
    public var dataBytes: UnsafeRawBufferPointer { slice(scanned.data) }

    @inline(__always)
    public func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// The line's bytes as a span, for code that holds no pointers (the domain, compiled under
    /// strict memory-safety checking): the compiler keeps it from outliving this value. The
    /// value itself is lent for one call of a consumer, as its `bytes` are valid only then: the
    /// log layer's promise, the one a span cannot check.
    public var span: Span<UInt8> {
        @_lifetime(copy self)
        @inline(__always) get {
            let span = unsafe Span<UInt8>(_unsafeBytes: bytes)
            return unsafe _overrideLifetime(span, copying: self)
        }
    }

    /// The bytes of `range` of the line, as a span (see `span`).
    @_lifetime(copy self)
    @inline(__always)
    public func span(of range: Range<Int>) -> Span<UInt8> {
        let span = unsafe Span<UInt8>(_unsafeBytes: slice(range))
        return unsafe _overrideLifetime(span, copying: self)
    }

    public var idSpan: Span<UInt8> {
        @_lifetime(copy self) @inline(__always) get {
            let span = unsafe Span<UInt8>(_unsafeBytes: idBytes)
            return unsafe _overrideLifetime(span, copying: self)
        }
    }

    public var typeSpan: Span<UInt8> {
        @_lifetime(copy self) @inline(__always) get {
            let span = unsafe Span<UInt8>(_unsafeBytes: typeBytes)
            return unsafe _overrideLifetime(span, copying: self)
        }
    }

    public var dataSpan: Span<UInt8> {
        @_lifetime(copy self) @inline(__always) get {
            let span = unsafe Span<UInt8>(_unsafeBytes: dataBytes)
            return unsafe _overrideLifetime(span, copying: self)
        }
    }

    public var id: String { String(decoding: idBytes, as: UTF8.self) }
    public var type: String { String(decoding: typeBytes, as: UTF8.self) }
    public var actor: String { CanonicalString.decode(slice(scanned.actor)) }
    public var source: String { CanonicalString.decode(slice(scanned.source)) }
    public var previousHash: SHA256Digest {
        SHA256Digest(hex: slice(scanned.previousHashOffset..<(scanned.previousHashOffset + 64)))!
    }

    /// Whether the type equals `name`, without allocating.
    @inline(__always)
    public func hasType(_ name: StaticString) -> Bool {
        bytesEqual(typeBytes, name)
    }

    public func materialize() -> StoredEvent {
        StoredEvent(
            log: log, lineNumber: lineNumber, seq: seq, id: id, type: type, version: version,
            recorded: recorded, effective: effective, actor: actor, source: source,
            data: Array(dataBytes), previousHash: previousHash, hash: hash)
    }
}

/// A whole event copied out of a log, for the few places that keep events (history, diffs).
public struct StoredEvent: Sendable, Equatable {
    public var log: LogName
    public var lineNumber: Int
    public var seq: Int
    public var id: String
    public var type: String
    public var version: Int
    public var recorded: Timestamp
    public var effective: CalendarDate
    public var actor: String
    public var source: String
    /// The canonical bytes of the `data` object.
    public var data: [UInt8]
    public var previousHash: SHA256Digest
    public var hash: SHA256Digest

    public var dataObject: CanonicalObject {
        CanonicalObject(bytes: data)
    }
}

@inline(__always)
public func bytesEqual(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
    let count = literal.utf8CodeUnitCount
    guard bytes.count == count else { return false }
    let pointer = literal.utf8Start
    for index in 0..<count where bytes[index] != pointer[index] { return false }
    return true
}

/// Consumes verified lines in log order. Its type is used on the reading threads (`prepare`).
public protocol LogLineConsumer: SendableMetatype {
    /// What `prepare` makes of one line. The chain check and `consume` run in order on one
    /// thread; whatever a line needs that depends on no earlier line can be done beforehand on
    /// the threads that scan and hash, and handed to `consume` as this.
    associatedtype Preparation: Sendable = Void

    /// What this read tells every line's `prepare`, the same for each line (which of its names
    /// the consumer will keep, say): taken once, before the read starts, to the reading threads.
    associatedtype PreparationContext: Sendable = Void

    /// Work on one line that reads no state, told the read's `preparationContext`: runs on any
    /// thread, for every line that scans, before the line's chain is checked. The line's number
    /// is not known yet and reads 0.
    static func prepare(_ line: LogLine, context: PreparationContext) -> Preparation

    /// This read's context for `prepare`, taken once before the read.
    var preparationContext: PreparationContext { get }

    /// Told, before the logs are read, how many bytes of them in all are to be read: room for
    /// what the consumer keeps can be reserved at once rather than grown step by step (and
    /// copied again at each log).
    mutating func willRead(bytes: Int)

    /// Told what was prepared from a line a few lines before it is consumed: memory that
    /// `consume` will read at random can be asked for now, while earlier lines are consumed.
    mutating func anticipate(_ prepared: Preparation)

    mutating func consume(_ line: LogLine) throws(LedgerError)

    /// Consumes a line with what `prepare` returned for it.
    mutating func consume(_ line: LogLine, prepared: Preparation) throws(LedgerError)

    /// Consumes the lines of a run in order. The default tells `anticipate` of each line
    /// `LineRun.lookaheadLines` ahead and calls `consume(_:prepared:)` for each line handed over;
    /// being inlinable, it is specialised for each consumer in the consumer's own module.
    mutating func consume(_ run: borrowing LineRun<Preparation>) throws(LedgerError)

    /// Told once every log is read, still under the read's lock: `identifiers` finds the
    /// position of an id's line among the lines this read gave its ids to (from 0, in read
    /// order), so that a consumer need not keep every id to resolve the few it refers to.
    mutating func didRead(identifiers: IdentifierLookup) throws(LedgerError)
}

/// Where the line of an event id lies among the lines of one read (see
/// `LogLineConsumer.didRead(identifiers:)`); valid only during that call.
public struct IdentifierLookup {
    let find: (String) throws(LedgerError) -> Int?

    /// The position of the line with this id, or nil when the read saw none; throws when an
    /// earlier id cannot be read back from its log to prove the match.
    public func position(of id: String) throws(LedgerError) -> Int? { try find(id) }
}

extension LogLineConsumer {
    public mutating func willRead(bytes: Int) {}

    public mutating func anticipate(_ prepared: Preparation) {}

    public mutating func consume(_ line: LogLine, prepared: Preparation) throws(LedgerError) {
        try consume(line)
    }

    @inlinable
    public mutating func consume(_ run: borrowing LineRun<Preparation>) throws(LedgerError) {
        for index in run.indices {
            if let ahead = run.prepared(index + LineRun<Preparation>.lookaheadLines) { anticipate(ahead.pointee) }
            guard let line = run.line(index) else { continue }
            try consume(line, prepared: run.prepared(index)!.pointee)
        }
    }

    public mutating func didRead(identifiers: IdentifierLookup) throws(LedgerError) {}
}

extension LogLineConsumer where Preparation == Void {
    public static func prepare(_ line: LogLine, context: PreparationContext) {}
}

extension LogLineConsumer where PreparationContext == Void {
    public var preparationContext: Void { () }
}
