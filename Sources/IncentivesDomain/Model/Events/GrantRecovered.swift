import LedgerLog

/// An amount paid on a grant is paid back.
enum GrantRecovered: GrantAmountDefinition {
    static let kind = EventKind.grantRecovered
    static let typeName = "GrantRecovered"
    static let recordCode: UInt8 = 8

    static func payload(grant: GrantIndex, amountFen: Fen) -> DomainEvent.Payload {
        .grantRecovered(grant: grant, amountFen: amountFen)
    }

    static func parts(of payload: DomainEvent.Payload) -> (grant: GrantIndex, amountFen: Fen)? {
        guard case .grantRecovered(let grant, let amountFen) = payload else { return nil }
        return (grant, amountFen)
    }
}
