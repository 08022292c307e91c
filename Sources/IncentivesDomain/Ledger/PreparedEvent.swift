import LedgerLog

/// One event line decoded on a worker thread, all but the interning: the event with each name
/// standing as its ordinal in `names`. The loader's sequential step only interns the names, in
/// ordinal order, and puts their indexes in place.
///
/// Read in place by the loader (`LedgerLoader.consume(_:)`): the names are plain members, so
/// reading one loads it alone, where an optional preparation had its case decoded and its
/// ~300 bytes copied at every read.
struct PreparedEvent: Sendable {
    /// Nil when the line does not decode: `LedgerLoader.consume(_:)` decodes it again to say why.
    var event: DomainEvent?
    var names: InlineArray<6, PreparedName>
    var nameCount: Int
    /// The event's `EventKind.recordCode` and recorded time, read by the loader in place where
    /// it leaves the event out (`LedgerLoader.leavesOutUnreplayedEvents`) and needs no more.
    var recordCode: UInt8
    var recordedSeconds: Int64

    init(event: DomainEvent?, names: InlineArray<6, PreparedName>, nameCount: Int) {
        self.event = event
        self.names = names
        self.nameCount = nameCount
        recordCode = event.map { $0.kind.recordCode } ?? 0
        recordedSeconds = event?.recorded.secondsSinceEpoch ?? 0
    }

    static let undecodable = PreparedEvent(event: nil, names: InlineArray(repeating: .unused), nameCount: 0)
}
