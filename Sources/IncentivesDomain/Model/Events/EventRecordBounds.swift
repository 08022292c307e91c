import LedgerColumns

/// How many names each interner holds: every index a record refers to must be below it. Also
/// where the record's event lies, for a retraction's target: an earlier event of the same log.
struct EventRecordBounds {
    var programmes: Int32
    var grants: Int32
    var enterprises: Int32
    var centres: Int32
    var texts: Int32
    var index = 0
    var logStart = 0

    /// Bounds that hold for any record an `EventTable` was given or validated: only the
    /// retraction target is checked (an earlier event).
    static func accepting(index: Int) -> EventRecordBounds {
        EventRecordBounds(programmes: .max, grants: .max, enterprises: .max, centres: .max, texts: .max,
                          index: index, logStart: 0)
    }

    /// The index `raw` stands for in its table, or nil when it lies outside.
    @inline(__always)
    func index<Index: NameIndex>(_ raw: Int32) -> Index? {
        let count: Int32
        switch Index.table {
        case .programmes: count = programmes
        case .grants: count = grants
        case .enterprises: count = enterprises
        case .centres: count = centres
        case .texts: count = texts
        }
        return raw >= 0 && raw < count ? Index(rawValue: raw) : nil
    }

    /// An optional index as records store it: -1 is none (`.some(nil)`), outside the table nil.
    @inline(__always)
    func optionalIndex<Index: NameIndex>(_ raw: Int32) -> Index?? {
        raw == -1 ? .some(nil) : index(raw).map { .some($0) }
    }

    /// A retraction's target: -1 is none, otherwise an earlier event of the same log.
    @inline(__always)
    func earlierEvent(_ raw: Int32) -> EventIndex?? {
        if raw == -1 { return .some(nil) }
        return Int(raw) >= logStart && Int(raw) < index ? .some(EventIndex(rawValue: raw)) : nil
    }
}
