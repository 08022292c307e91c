import LedgerLog

/// An event as a person or a program proposes it: the ledger adds `seq`, `prev`, `hash`, and
/// `recorded` from its clock. Only history imported into an empty ledger carries its own `recorded`.
public struct EventDraft: Sendable, Equatable {
    public var id: EventID
    public var kind: EventKind
    public var effective: CalendarDate
    public var recorded: Timestamp?
    public var actor: String
    public var source: String
    /// The RFC 8785 bytes of a `data` object that passed `DraftSchema.check`.
    public var data: [UInt8]
    /// Where the draft came from, for messages ("line 3", "the award command").
    public var origin: String

    public init(id: EventID, kind: EventKind, effective: CalendarDate, recorded: Timestamp? = nil,
                actor: String, source: String, data: [UInt8], origin: String) {
        self.id = id
        self.kind = kind
        self.effective = effective
        self.recorded = recorded
        self.actor = actor
        self.source = source
        self.data = data
        self.origin = origin
    }

    /// Builds a draft from members, checking the payload against its schema.
    public static func make(id: String, kind: EventKind, effective: CalendarDate, recorded: Timestamp? = nil,
                            actor: String, source: String, data: JSONObject, origin: String) throws(LedgerError) -> EventDraft {
        guard let eventId = EventID(rawValue: id) else {
            throw .badData("\(origin): invalid id \"\(id)\": use 1–64 characters from A-Za-z0-9._:- (no spaces)")
        }
        if let problem = ValueBounds.dateProblem(effective, name: "effective") { throw .badData("\(origin) (event \(id)): \(problem)") }
        // A given `recorded` is bounded where it may be given at all (`RecordedTime.checkImported`):
        // `append` refuses it whatever its value, and says why.
        try DraftSchema.checkEnvelope(actor: actor, source: source, origin: origin)
        let canonical = try DraftSchema.check(data, kind: kind, origin: "\(origin) (event \(id))")
        return EventDraft(id: eventId, kind: kind, effective: effective, recorded: recorded, actor: actor,
                          source: source, data: canonical, origin: origin)
    }
}
