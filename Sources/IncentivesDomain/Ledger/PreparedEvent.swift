import LedgerLog

/// One event line decoded on a worker thread, all but the interning: the event with each name
/// standing as its ordinal in `names`. The loader's sequential step only interns the names, in
/// ordinal order, and puts their indexes in place.
struct PreparedEvent: Sendable {
    var event: DomainEvent
    var names: InlineArray<6, PreparedName>
    var nameCount: Int
}
