import LedgerColumns
import LedgerLog

/// Registered enterprises per tier, and optionally the promotions and demotions in a period.
///
/// A move holds integers only (its date, tiers, and the enterprise's and name's interned
/// indexes): a ledger of millions of tier events has millions of moves, whose codes and names are
/// made from the ledger's bytes only when a move is written (`appendEnterprise`, `appendName`) or
/// asked for as a `Transition`.
public struct TierReport: Sendable {
    public struct Transition: Sendable, Equatable {
        public var effective: CalendarDate
        public var enterprise: String
        public var name: String
        public var from: Tier
        public var to: Tier
        public var kind: String { to > from ? "promotion" : "demotion" }
    }

    /// A move between tiers, as the report keeps it.
    public struct Move: Sendable, Equatable {
        public var effective: CalendarDate
        public var enterprise: EnterpriseIndex
        public var name: TextIndex
        public var from: Tier
        public var to: Tier
        public var kind: String { to > from ? "promotion" : "demotion" }
    }

    /// Registered enterprises per tier, indexed by `Tier.rawValue`.
    public var counts: [Int]
    /// With `--transitions`: every move in the period, by date, then by the enterprise's code as a
    /// String, then in the order of its tier history.
    public private(set) var moves: [Move]?
    /// Where codes and names are read from.
    private let ledger: Ledger

    /// What the report of `window` reads of the ledger: the enterprises' models, and their codes
    /// and names only to list transitions, each read by index: no name is looked up.
    public static func scope(_ window: TimeWindow, includeTransitions: Bool) -> LedgerScope {
        .readModels(window, names: includeTransitions ? [.enterprises, .entityTexts] : [], parts: [.enterprises], lookups: [])
    }

    public init(ledger: Ledger, models: ReadModels, transitionsFrom: CalendarDate?, to: CalendarDate?, includeTransitions: Bool) {
        self.ledger = ledger
        counts = Array(repeating: 0, count: Tier.allCases.count)
        var moves: [Move] = []
        var movers: [EnterpriseIndex] = []
        for (index, enterprise) in models.enterprises.enumerated() {
            guard let enterprise else { continue }
            if enterprise.isRegistered { counts[Int(enterprise.tier.rawValue)] += 1 }
            guard includeTransitions else { continue }
            let before = moves.count
            for change in enterprise.history {
                if let transitionsFrom, change.effective < transitionsFrom { continue }
                if let to, change.effective > to { continue }
                moves.append(Move(effective: change.effective, enterprise: EnterpriseIndex(offset: index), name: enterprise.name,
                                  from: change.from, to: change.to))
            }
            if moves.count > before { movers.append(EnterpriseIndex(offset: index)) }
        }
        guard includeTransitions else {
            self.moves = nil
            return
        }
        // The enterprises' codes ranked once (in place, as bytes, when ASCII), then the moves
        // sorted on (date, rank, place in the list): a stable sort by date and code as Strings.
        var rankOf = [UInt32](repeating: 0, count: models.enterprises.count)
        for (position, rank) in ledger.enterprises.ranks(of: movers).enumerated() {
            rankOf[movers[position].offset] = UInt32(rank)
        }
        var keys: [(key: UInt64, position: Int)] = []
        keys.reserveCapacity(moves.count)
        for (position, move) in moves.enumerated() {
            // Days since the epoch of years 1900 to 9999 fit in 32 bits once offset.
            let day = UInt64(UInt32(bitPattern: move.effective.daysSinceEpoch) ^ 0x8000_0000)
            keys.append((day << 32 | UInt64(rankOf[move.enterprise.offset]), position))
        }
        keys.sort { $0.key != $1.key ? $0.key < $1.key : $0.position < $1.position }
        self.moves = keys.map { moves[$0.position] }
    }

    /// The moves with their codes and names as Strings.
    public var transitions: [Transition]? {
        moves?.map(transition(of:))
    }

    /// A move with its code and name as Strings.
    public func transition(of move: Move) -> Transition {
        Transition(effective: move.effective, enterprise: ledger.enterprises.string(move.enterprise),
                   name: ledger.texts.string(move.name), from: move.from, to: move.to)
    }

    /// Starts loading what writing the moves after `position` reads: the entries of the codes and
    /// names `lookahead` moves on, the bytes of those half as far (their entries asked for earlier).
    /// The moves are in date order, their enterprises scattered over tables larger than the cache:
    /// without it, each code and name is two cache misses one after the other.
    public func anticipateMoves(after position: Int) {
        guard let moves else { return }
        let far = position + TierReport.lookahead, near = position + TierReport.lookahead / 2
        if far < moves.count {
            ledger.enterprises.prefetch(moves[far].enterprise, step: .entry)
            ledger.texts.prefetch(moves[far].name, step: .entry)
        }
        if near < moves.count {
            ledger.enterprises.prefetch(moves[near].enterprise, step: .bytes)
            ledger.texts.prefetch(moves[near].name, step: .bytes)
        }
    }

    /// How many moves ahead `anticipateMoves(after:)` starts asking.
    static let lookahead = 16

    /// Appends the UTF-8 bytes of the move's enterprise code.
    public func appendEnterprise(of move: Move, to bytes: inout [UInt8]) {
        ledger.enterprises.appendBytes(of: move.enterprise, to: &bytes)
    }

    /// Appends the UTF-8 bytes of the move's enterprise name.
    public func appendName(of move: Move, to bytes: inout [UInt8]) {
        ledger.texts.appendBytes(of: move.name, to: &bytes)
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("byTier", .record(Tier.allCases.map { ($0.name, .integer(counts[Int($0.rawValue)])) })),
        ]
        if let transitions {
            members.append(("transitions", .array(transitions.map {
                .record([("effective", .date($0.effective)), ("enterprise", .text($0.enterprise)), ("name", .text($0.name)),
                         ("from", .text($0.from.name)), ("to", .text($0.to.name)), ("kind", .text($0.kind))])
            })))
        }
        return .record(members)
    }
}

extension TierReport: Equatable {
    /// Equal counts and moves, codes and names compared as Strings (two ledgers may intern the
    /// same code at different indexes).
    public static func == (left: TierReport, right: TierReport) -> Bool {
        left.counts == right.counts && left.transitions == right.transitions
    }
}
