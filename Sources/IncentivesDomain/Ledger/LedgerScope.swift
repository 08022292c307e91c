import LedgerLog

/// What a query needs of the ledger, so that opening it reads no more than that.
public enum LedgerScope: Sendable, Equatable {
    /// Every event, id and name: any window, any query.
    case everything
    /// Only the read models at the heads (those of `parts`; the others are left empty), for a
    /// query whose window is `window`, with the name tables `names` (programme, grant, enterprise,
    /// centre ids, texts; the others are left empty). When the reader's
    /// snapshot kept them, nothing was appended after it and `window` is the heads' window, the
    /// ledger opened holds just those (`Ledger.holdsKeptModelsOnly`): the events' columns are
    /// neither read nor hashed. Otherwise it is opened as for `everything`.
    case keptModels(TimeWindow, names: NameTables, parts: ReadModelParts = .all)
    /// Only the summary at the heads (`Ledger.summary(in:)`), under the same conditions: then the
    /// ledger opened holds the kept summary and no read model, name or event.
    case keptSummary(TimeWindow)
}

/// Which read models a query at the heads reads (see `LedgerScope.keptModels`).
public struct ReadModelParts: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let grants = ReadModelParts(rawValue: 1)
    public static let enterprises = ReadModelParts(rawValue: 2)
    public static let programmes = ReadModelParts(rawValue: 4)
    public static let centres = ReadModelParts(rawValue: 8)
    public static let all: ReadModelParts = [.grants, .enterprises, .programmes, .centres]
}

/// Which name tables a query at the heads reads (see `LedgerScope.keptModels`).
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
}
