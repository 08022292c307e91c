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
        // Where each mover's moves start in `moves` (its moves run to the next mover's start).
        var moveStarts: [Int] = []
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
            if moves.count > before {
                movers.append(EnterpriseIndex(offset: index))
                moveStarts.append(before)
            }
        }
        guard includeTransitions else {
            self.moves = nil
            return
        }
        // A stable sort by date and code as Strings, with no comparison: the movers put in the
        // order of their codes once (in place, as bytes, when ASCII), their moves taken in that
        // order (each enterprise's in its history's order), then placed by a counting sort on the
        // day, which keeps that order within a day (a comparison sort of 1.5 million moves took a
        // quarter of a second on one core). The days of 1900 to 9999 are fewer than 3 million.
        moveStarts.append(moves.count)
        var firstDay = Int32.max, lastDay = Int32.min
        for move in moves {
            firstDay = min(firstDay, move.effective.daysSinceEpoch)
            lastDay = max(lastDay, move.effective.daysSinceEpoch)
        }
        var placeOfDay = [Int](repeating: 0, count: moves.isEmpty ? 0 : Int(lastDay) - Int(firstDay) + 1)
        for move in moves { placeOfDay[Int(move.effective.daysSinceEpoch) - Int(firstDay)] += 1 }
        var running = 0
        for day in placeOfDay.indices { (placeOfDay[day], running) = (running, running + placeOfDay[day]) }
        var placed = [Int32](repeating: 0, count: moves.count)
        for mover in ledger.enterprises.positionsInNameOrder(movers) {
            for position in moveStarts[mover]..<moveStarts[mover + 1] {
                let day = Int(moves[position].effective.daysSinceEpoch) - Int(firstDay)
                placed[placeOfDay[day]] = Int32(position)
                placeOfDay[day] += 1
            }
        }
        self.moves = placed.map { moves[Int($0)] }
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
