import LedgerLog

/// A grant's awarded amount is changed to a new amount.
enum GrantAmended: GrantAmountDefinition {
    static let kind = EventKind.grantAmended
    static let typeName = "GrantAmended"
    static let recordCode: UInt8 = 5

    static func payload(grant: GrantIndex, amountFen: Fen) -> DomainEvent.Payload {
        .grantAmended(grant: grant, amountFen: amountFen)
    }

    static func parts(of payload: DomainEvent.Payload) -> (grant: GrantIndex, amountFen: Fen)? {
        guard case .grantAmended(let grant, let amountFen) = payload else { return nil }
        return (grant, amountFen)
    }
}
