import LedgerColumns
import LedgerLog

/// What the column replay (`Projection+Columns.swift`) reads of each event, straight from the
/// columns, with no payload assembled: the fields as each type's definition packs them
/// (Model/Events/). Every row was packed from an event or validated when its columns were read,
/// so a stored tier or centre kind is always a known one. `ColumnReplayTests` holds the column
/// replay equal to one of `Projection.apply` over assembled events, so a layout changed in a
/// definition and not here cannot go unnoticed.
extension EventTable {
    /// The entity an event changes, for every type but a retraction: its programme, grant,
    /// enterprise or centre, always packed in `a`.
    @inline(__always)
    func subject(at index: Int) -> Int { Int(a[index]) }

    /// The grant a grant event (award, amendment, payment, recovery, revocation) changes, from
    /// its subject column; nil for an event of any other type.
    @inline(__always)
    func grant(at index: Int) -> GrantIndex? {
        switch code[index] {
        case GrantAwarded.recordCode, GrantAmended.recordCode, GrantDisbursed.recordCode, GrantRecovered.recordCode,
             GrantRevoked.recordCode:
            return GrantIndex(rawValue: a[index])
        default:
            return nil
        }
    }

    /// `EventRetracted`: a the earlier event withdrawn (-1 when the loader found none), b the reason.
    @inline(__always)
    func retractionTarget(at index: Int) -> EventIndex? {
        let target = a[index]
        guard target >= 0 else { return nil }
        precondition(Int(target) < index, "event \(index) of a table retracts an earlier event")
        return EventIndex(rawValue: target)
    }

    /// `GrantAwarded`: a grant, b enterprise, c programme, d project, amount.
    @inline(__always)
    func award(at index: Int) -> (enterprise: EnterpriseIndex, programme: ProgrammeIndex, project: TextIndex, amountFen: Fen) {
        (EnterpriseIndex(rawValue: b[index]), ProgrammeIndex(rawValue: c[index]), TextIndex(rawValue: d[index]),
         Fen(amount[index]))
    }

    /// `GrantAmended`, `GrantDisbursed`, `GrantRecovered` (a grant, amount).
    @inline(__always)
    func amountFen(at index: Int) -> Fen { Fen(amount[index]) }

    /// `EnterpriseRegistered`: a enterprise, b name, c sector.
    @inline(__always)
    func registration(at index: Int) -> (name: TextIndex, sector: TextIndex) {
        (TextIndex(rawValue: b[index]), TextIndex(rawValue: c[index]))
    }

    /// `CapabilityEvaluated`: a enterprise, b score.
    @inline(__always)
    func score(at index: Int) -> Int32 { b[index] }

    /// `TierPromoted`, `TierDemoted`: a enterprise, small the tier.
    @inline(__always)
    func tier(at index: Int) -> Tier {
        guard let tier = Tier(rawValue: Int8(truncatingIfNeeded: small[index])) else {
            preconditionFailure("event \(index) of a table holds a known tier")
        }
        return tier
    }

    /// `CentreOpened`: a centre, b name, c city, d partner (-1 none), small the kind.
    @inline(__always)
    func opening(at index: Int) -> (name: TextIndex, kind: CentreKind, city: TextIndex, partner: TextIndex?) {
        guard let kind = CentreKind(rawValue: small[index]) else {
            preconditionFailure("event \(index) of a table holds a known centre kind")
        }
        return (TextIndex(rawValue: b[index]), kind, TextIndex(rawValue: c[index]), TextIndex?(storedRawValue: d[index]))
    }

    /// `ProgrammeEstablished`, `ProgrammeAmended`: few, so read through the definitions' own unpacking.
    func programmeTerms(at index: Int) -> ProgrammeTerms {
        guard let terms = ProgrammeTerms(fields(at: index), in: .accepting(index: index)) else {
            preconditionFailure("event \(index) of a table holds valid terms")
        }
        return terms
    }

    /// `BudgetAppropriated`: a programme, b year, amount.
    @inline(__always)
    func appropriation(at index: Int) -> (year: Int32, amountFen: Fen) { (b[index], Fen(amount[index])) }
}
