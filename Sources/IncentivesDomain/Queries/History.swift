import LedgerLog

/// Every event that touches an enterprise, grant, programme or centre, with both times and who
/// recorded it, in the order the ledger learned them; retracted ones marked.
///
/// The history keeps the events' indexes only: a programme's history at ten million events has
/// over a million entries, each made from the ledger when it is written (`entry(at:)`), so the
/// answer goes out as it is written and never sits whole in memory.
public struct History: Sendable {
    public struct Entry: Sendable, Equatable {
        public var event: String
        public var log: String
        public var seq: Int
        public var type: String
        public var effective: CalendarDate
        public var recorded: Timestamp
        public var actor: String
        public var source: String
        public var details: String
        /// The retraction that withdrew it, when one was recorded by the window's known-at.
        public var retractedBy: String?
    }

    public var subject: String
    /// The events shown, by (recorded, log, seq).
    let shown: [Int32]
    /// Per shown event, its first retraction recorded by the window's known-at, or -1.
    let retractions: [Int32]
    /// Where the entries are made from.
    private let ledger: Ledger

    /// How many events the history shows.
    public var count: Int { shown.count }

    /// Nil when nothing in the ledger carries that id.
    public init?(ledger: Ledger, subject: String, knownAt: Timestamp) {
        let programme = ledger.programmes.find(subject), grant = ledger.grants.find(subject)
        let enterprise = ledger.enterprises.find(subject), centre = ledger.centres.find(subject)
        let event = ledger.eventIndex(ofId: subject).map { EventIndex(offset: $0) }
        guard programme != nil || grant != nil || enterprise != nil || centre != nil || event != nil else { return nil }
        // Every event is looked at, so each is read from the columns it is decided by (type,
        // subject, an award's enterprise and programme), never assembled whole: at ten million
        // events, three walks of assembled events took most of the command's time.
        let events = ledger.events
        let eventOffset = event?.offset ?? -1
        let programmeRaw = programme.map { Int($0.rawValue) } ?? -1, enterpriseRaw = enterprise.map { Int($0.rawValue) } ?? -1
        let centreRaw = centre.map { Int($0.rawValue) } ?? -1
        // Grants of the enterprise or programme asked about also touch it: marked by grant index.
        var relatedGrants = [Bool](repeating: false, count: ledger.grants.count)
        if let grant { relatedGrants[Int(grant.rawValue)] = true }
        if enterprise != nil || programme != nil {
            for index in 0..<events.count where events.kind(at: index) == .grantAwarded {
                let award = events.award(at: index)
                if award.enterprise == enterprise || award.programme == programme { relatedGrants[events.subject(at: index)] = true }
            }
        }
        func touches(_ index: Int) -> Bool {
            if index == eventOffset { return true }
            switch events.kind(at: index) {
            case .programmeEstablished, .programmeAmended, .budgetAppropriated: return events.subject(at: index) == programmeRaw
            case .grantAwarded, .grantAmended, .grantDisbursed, .grantRevoked, .grantRecovered:
                return relatedGrants[events.subject(at: index)]
            case .enterpriseRegistered, .capabilityEvaluated, .tierPromoted, .tierDemoted, .enterpriseDeregistered:
                return events.subject(at: index) == enterpriseRaw
            case .centreOpened, .centreClosed: return events.subject(at: index) == centreRaw
            case .eventRetracted: return events.retractionTarget(at: index).map { touches($0.offset) } ?? false
            }
        }
        // (recorded, log, seq) of each event shown, and its index: (log, seq) names one event.
        // Retractions are few: the first of each target recorded by `knownAt` is noted as met.
        var keys: [(recorded: Int64, log: UInt8, seq: Int32, index: Int32)] = []
        var firstRetraction: [EventIndex: Int] = [:]
        for index in 0..<events.count {
            let recorded = events.recordedTime(at: index)
            guard recorded <= knownAt else { continue }
            if events.kind(at: index) == .eventRetracted, let target = events.retractionTarget(at: index),
               firstRetraction[target] == nil {
                firstRetraction[target] = index
            }
            if touches(index) {
                keys.append((recorded.secondsSinceEpoch, events.logRank(at: index), events.seq(at: index), Int32(index)))
            }
        }
        keys.sort { ($0.recorded, $0.log, $0.seq) < ($1.recorded, $1.log, $1.seq) }
        self.subject = subject
        self.ledger = ledger
        shown = keys.map(\.index)
        retractions = keys.map { key in firstRetraction[EventIndex(offset: Int(key.index))].map { Int32($0) } ?? -1 }
    }

    /// The entry at `position` (in `0..<count`), made from the ledger.
    public func entry(at position: Int) -> Entry {
        precondition(position >= 0 && position < shown.count, "an entry the history shows")
        let index = Int(shown[position])
        let item = ledger.events[index]
        let retraction = retractions[position]
        return Entry(
            event: ledger.eventId(of: index), log: IncentiveLogs.all[Int(item.logRank)].rawValue, seq: Int(item.seq),
            type: item.kind.typeName, effective: item.effective, recorded: item.recorded,
            actor: ledger.texts.string(item.actor), source: ledger.texts.string(item.source),
            details: ledger.describe(item), retractedBy: retraction < 0 ? nil : ledger.eventId(of: Int(retraction)))
    }

    /// Every entry, in order (tests and small answers; commands write them one at a time).
    public var entries: [Entry] { (0..<count).map(entry(at:)) }

    public var json: JSONValue {
        .record([
            ("subject", .text(subject)),
            ("events", .array(entries.map {
                .record([("event", .text($0.event)), ("log", .text($0.log)), ("seq", .integer($0.seq)),
                         ("type", .text($0.type)), ("effective", .date($0.effective)),
                         ("recorded", .text($0.recorded.description)), ("actor", .text($0.actor)),
                         ("source", .text($0.source)), ("details", .text($0.details)),
                         ("retracted", .bool($0.retractedBy != nil)),
                         ("retractedBy", $0.retractedBy.map { .text($0) } ?? .null)])
            })),
        ])
    }
}

extension History: Equatable {
    /// The same subject and entries (two ledgers may number their events and names apart).
    public static func == (left: History, right: History) -> Bool {
        left.subject == right.subject && left.entries == right.entries
    }
}

extension Ledger {
    /// A one-line account of an event's payload, money as money (`¥950,000.00`): people read it.
    public func describe(_ event: DomainEvent) -> String {
        func text(_ index: TextIndex) -> String { texts.string(index) }
        switch event.payload {
        case .programmeEstablished(let terms), .programmeAmended(let terms):
            var parts = ["programme \(programmes.string(terms.programme))"]
            if let name = terms.name { parts.append("name \(text(name))") }
            if let tier = terms.minTier { parts.append("minimum tier \(tier)") }
            if let cap = terms.capFen { parts.append("cap \(YuanText.format(fen: cap))") }
            if let years = terms.capYears { parts.append("cap years \(years)") }
            return parts.joined(separator: ", ")
        case .budgetAppropriated(let programme, let year, let amountFen):
            return "programme \(programmes.string(programme)), year \(year), appropriated \(YuanText.format(fen: amountFen))"
        case .grantAwarded(let grant, let enterprise, let programme, let amountFen, let project):
            return "grant \(grants.string(grant)) to \(enterprises.string(enterprise)) under \(programmes.string(programme)), \(YuanText.format(fen: amountFen)), project \(text(project))"
        case .grantAmended(let grant, let amountFen):
            return "grant \(grants.string(grant)) amended to \(YuanText.format(fen: amountFen))"
        case .grantDisbursed(let grant, let amountFen):
            return "grant \(grants.string(grant)) paid \(YuanText.format(fen: amountFen))"
        case .grantRecovered(let grant, let amountFen):
            return "grant \(grants.string(grant)) recovered \(YuanText.format(fen: amountFen))"
        case .grantRevoked(let grant, let reason):
            return "grant \(grants.string(grant)) revoked: \(text(reason))"
        case .enterpriseRegistered(let enterprise, let name, let sector):
            return "\(enterprises.string(enterprise)) \(text(name)), sector \(text(sector))"
        case .capabilityEvaluated(let enterprise, let score):
            return "\(enterprises.string(enterprise)) scored \(score)"
        case .tierPromoted(let enterprise, let tier):
            return "\(enterprises.string(enterprise)) promoted to \(tier)"
        case .tierDemoted(let enterprise, let tier):
            return "\(enterprises.string(enterprise)) demoted to \(tier)"
        case .enterpriseDeregistered(let enterprise, let reason):
            return "\(enterprises.string(enterprise)) deregistered: \(text(reason))"
        case .centreOpened(let centre, let name, let kind, let city, let partner):
            return "\(centres.string(centre)) \(text(name)), \(kind) in \(text(city))" + (partner.map { ", with \(text($0))" } ?? "")
        case .centreClosed(let centre, let reason):
            return "\(centres.string(centre)) closed: \(text(reason))"
        case .eventRetracted(let target, let reason):
            return "retracts \(target.map { eventId(of: $0.offset) } ?? "an unknown event"): \(text(reason))"
        }
    }
}
