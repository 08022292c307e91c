import LedgerLog

/// What a query needs of the ledger, so that opening it reads no more than that.
public enum LedgerScope: Sendable, Equatable {
    /// Every event, id and name: any window, any query.
    case everything
    /// Every event, id and name, for a query that only reads (`audit`, `restatements`, the report
    /// and statements, `history`); the events' actors and sources only with `actorsAndSources`
    /// (only `history` shows them). Without them, a read of the logs neither interns them (a
    /// source per batch of events: at ten million events, 2.5 million texts) nor keeps their
    /// columns (a value per event each), and the event at any index reads them as
    /// `TextIndex.notRead`. Unlike `everything` (a ledger that may be saved or appended to), a
    /// read of the logs sets the ids aside (`LedgerLoader.setsIdsAside`); from the reader's
    /// snapshot, with nothing after it, neither the ids' fingerprints nor the kept answers are
    /// read (`LedgerSnapshot.Part.events`); a first query saves the snapshot and answers from it
    /// (`Ledger.readSavingSnapshot`); with events after it, the snapshot is opened whole.
    /// `lookups` names the tables the query looks a name up in, as for `readModels`: no read keeps
    /// the hash tables of any other (the audit looks none up: at ten million events, about 100 MB).
    case everyEvent(actorsAndSources: Bool, lookups: NameTables)
    /// Read models of `window` only (those of `parts`; the others are left empty), with the name
    /// tables `names` (programme, grant, enterprise, centre ids, texts; the others left empty;
    /// a read of the logs leaves the events' actors and sources out of the texts, as for
    /// `everyEvent(actorsAndSources: false, ...)`).
    /// When the reader's snapshot is current (nothing appended after it, every log's stamp proving
    /// it), the event ids are neither read nor hashed, nor the other name tables; and when the
    /// snapshot kept its read models and `window` is the heads' window, neither are the events:
    /// the ledger opened then holds just the kept models (`Ledger.holdsKeptModelsOnly`).
    /// Otherwise it is opened as for `everything`. `lookups` names the tables the query looks a
    /// name up in (a filter, a code asked for); it reads the others by index only, so neither a
    /// read of the logs nor a snapshot's reader keeps their hash tables (the reader neither reads
    /// nor hashes them), and a lookup in one traps.
    case readModels(TimeWindow, names: NameTables, parts: ReadModelParts = .all, lookups: NameTables = .all)
    /// The summary of `window` only (`Ledger.summary(in:)`), under the same conditions: at the
    /// heads, the kept summary alone is read; otherwise the events, and no ids or names.
    case summary(TimeWindow)
    /// The grants by enterprise with no filter in `window` (`Ledger.keptGrantsByEnterprise(in:)`):
    /// at the heads of a current snapshot that kept them, those rows alone are read; otherwise
    /// as `readModels(window, names: grantsByEnterpriseNames, parts: grantsByEnterpriseParts)`.
    case grantsByEnterprise(TimeWindow)

    /// What a breakdown by enterprise computes its rows from.
    public static let grantsByEnterpriseNames: NameTables = [.enterprises, .entityTexts]
    public static let grantsByEnterpriseParts: ReadModelParts = [.grants, .enterprises]
}

/// Which read models a query reads (see `LedgerScope.readModels`).
public struct ReadModelParts: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let grants = ReadModelParts(rawValue: 1)
    public static let enterprises = ReadModelParts(rawValue: 2)
    public static let programmes = ReadModelParts(rawValue: 4)
    public static let centres = ReadModelParts(rawValue: 8)
    public static let all: ReadModelParts = [.grants, .enterprises, .programmes, .centres]
}

/// Which name tables a query reads (see `LedgerScope.readModels`).
public struct NameTables: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let programmes = NameTables(rawValue: 1)
    public static let grants = NameTables(rawValue: 2)
    public static let enterprises = NameTables(rawValue: 4)
    public static let centres = NameTables(rawValue: 8)
    /// Names, project titles, actors and sources.
    public static let texts = NameTables(rawValue: 16)
    public static let all: NameTables = [.programmes, .grants, .enterprises, .centres, .texts]
    /// The events' ids, by event index (a tier change's event, for instance): read like a name
    /// table, but not one of `all`.
    public static let eventIds = NameTables(rawValue: 32)
    /// The texts that name an entity (an enterprise's name and sector, a programme's name, a
    /// centre's name, city and partner), not a grant's project, a reason, an actor or a source.
    /// A snapshot keeps them among the texts, so a snapshot's reader reads `texts` for them;
    /// a read of the logs that keeps no snapshot interns these alone.
    public static let entityTexts = NameTables(rawValue: 64)

    /// The tables a snapshot is read for: the entities' texts lie among all the texts, so those
    /// are read (`entityTexts` stays set to say that no other text is shown).
    var inSnapshot: NameTables {
        if contains(.texts) { return subtracting(.entityTexts) }
        return contains(.entityTexts) ? union(.texts) : self
    }

    /// Whether every text is shown, the events' actors and sources among them.
    var showsEveryText: Bool { contains(.texts) && !contains(.entityTexts) }
}

extension LedgerScope {
    /// Whether a read of the logs in full that keeps every text (`namesKeptByFullRead`) keeps
    /// the events' actors and sources among them: interned, and their columns filled. Only
    /// `history` shows them: a query of read models never reads them (at ten million events,
    /// 2.5 million texts and two columns), and `everything` keeps all.
    var keepsActorsAndSources: Bool {
        switch self {
        case .everything: return true
        case .everyEvent(let actorsAndSources, _): return actorsAndSources
        case .readModels, .summary, .grantsByEnterprise: return false
        }
    }

    /// The name tables the query looks a name up in once the ledger is read (a filter, a code
    /// asked for): none for the summary and the unfiltered breakdown by enterprise, those a
    /// `readModels` or `everyEvent` scope names. The others keep no hash
    /// table (`Interner.dropHashTable`).
    var lookups: NameTables {
        switch self {
        case .summary, .grantsByEnterprise: return []
        case .everything: return .all
        case .everyEvent(_, let lookups), .readModels(_, _, _, let lookups): return lookups
        }
    }

    /// The read models the query reads (`Ledger.models(in:parts:)`): those a `readModels` scope
    /// names, every one for the others.
    public var readModelParts: ReadModelParts {
        if case .readModels(_, _, let parts, _) = self { return parts }
        return .all
    }

    /// The kinds of events a read of the logs in full for this scope neither interns the names
    /// of nor replays, as record-code bits (`EventKind.codeBits`): evaluations and tier changes
    /// (most of the events), where the scope shows no enterprise's tier or score. They change
    /// nothing else (`Projection+Columns.swift`: no model reads another while events are
    /// replayed). The grants by enterprise show each enterprise's name and grants alone; a
    /// breakdown that reads no enterprise shows none. Nothing for a read that keeps everything.
    var unreplayedCodes: UInt32 {
        let tierChanges = EventKind.codeBits([.capabilityEvaluated, .tierPromoted, .tierDemoted])
        switch self {
        case .everything, .everyEvent, .summary:
            return 0
        case .grantsByEnterprise:
            return tierChanges
        case .readModels(_, _, let parts, _):
            return parts.contains(.enterprises) ? 0 : tierChanges
        }
    }

    /// What a read of the logs in full keeps for this scope when it saves no snapshot (nil:
    /// everything). Every id table is kept whatever the scope, as events refer to entities by
    /// them; the texts and the events' ids only when the scope names them (the actors and
    /// sources: `keepsActorsAndSources`).
    var namesKeptByFullRead: NameTables? {
        switch self {
        case .everything: return nil
        case .everyEvent: return NameTables.all.union(.eventIds)
        case .readModels(_, let names, _, _): return names
        case .summary: return []
        case .grantsByEnterprise: return LedgerScope.grantsByEnterpriseNames
        }
    }
}
