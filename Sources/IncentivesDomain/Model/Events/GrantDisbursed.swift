import LedgerLog

/// An amount of a grant is paid out.
enum GrantDisbursed: GrantAmountDefinition {
    static let kind = EventKind.grantDisbursed
    static let typeName = "GrantDisbursed"
    static let recordCode: UInt8 = 6

    static func payload(grant: GrantIndex, amountFen: Fen) -> DomainEvent.Payload {
        .grantDisbursed(grant: grant, amountFen: amountFen)
    }

    static func parts(of payload: DomainEvent.Payload) -> (grant: GrantIndex, amountFen: Fen)? {
        guard case .grantDisbursed(let grant, let amountFen) = payload else { return nil }
        return (grant, amountFen)
    }
}
