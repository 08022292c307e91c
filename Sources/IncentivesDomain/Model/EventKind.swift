import LedgerLog

/// Every event type of the ledger. What each is (its log, its members, its decoding and its
/// snapshot record) is defined once, in its own file under Model/Events/ (`EventDefinition`).
public enum EventKind: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case programmeEstablished, programmeAmended, budgetAppropriated
    case grantAwarded, grantAmended, grantDisbursed, grantRevoked, grantRecovered
    case enterpriseRegistered, capabilityEvaluated, tierPromoted, tierDemoted, enterpriseDeregistered
    case centreOpened, centreClosed
    case eventRetracted

    /// The `type` of its log lines.
    public var typeName: String { definition.typeName }

    public var description: String { typeName }

    public init?(typeName: String) {
        guard let kind = EventKind.allCases.first(where: { $0.typeName == typeName }) else { return nil }
        self = kind
    }

    /// The type a line's `type` bytes name: by their length, then the bytes of the few names of
    /// that length, with no table to reach and no allocation (a line each, on every core). The
    /// names are those of the definitions (`typeName`), which a test holds them to.
    @inline(__always)
    static func from(typeBytes bytes: Span<UInt8>) -> EventKind? {
        // Names of 11 to 22 bytes, the length already equal: compared eight bytes at a time.
        @inline(__always) func named(_ name: StaticString, _ kind: EventKind) -> EventKind? {
            bytes.equals(name) ? kind : nil
        }
        switch bytes.count {
        case 11: return named("TierDemoted", .tierDemoted)
        case 12:
            return named("GrantAwarded", .grantAwarded) ?? named("TierPromoted", .tierPromoted)
                ?? named("GrantAmended", .grantAmended) ?? named("GrantRevoked", .grantRevoked)
                ?? named("CentreOpened", .centreOpened) ?? named("CentreClosed", .centreClosed)
        case 14:
            return named("GrantDisbursed", .grantDisbursed) ?? named("GrantRecovered", .grantRecovered)
                ?? named("EventRetracted", .eventRetracted)
        case 16: return named("ProgrammeAmended", .programmeAmended)
        case 18: return named("BudgetAppropriated", .budgetAppropriated)
        case 19: return named("CapabilityEvaluated", .capabilityEvaluated)
        case 20: return named("EnterpriseRegistered", .enterpriseRegistered) ?? named("ProgrammeEstablished", .programmeEstablished)
        case 22: return named("EnterpriseDeregistered", .enterpriseDeregistered)
        default: return nil
        }
    }

    /// The log an event of this type belongs to; a retraction belongs to its target's log.
    public var log: LogName? { definedLog }

    /// The payload schema version this code reads and writes.
    public static let currentVersion = 1

    /// The members of `data`, in canonical order.
    public var members: [MemberSpec] { definition.members }
}

/// One member of an event's `data`: its name, what it holds, whether it must be there.
public struct MemberSpec: Sendable {
    public enum Shape: Sendable, Equatable {
        /// 1–64 characters from `A-Za-z0-9._:-`.
        case identifier
        /// A non-empty string of at most 256 characters, without control characters (`FreeText`).
        case text
        /// A whole number of fen within `ValueBounds.amountFen` (1 fen to 10 billion yuan).
        case amount
        case integer(ClosedRange<Int64>)
        case tier
        case centreKind
        /// Right length and alphabet; the check digit is audited, not refused.
        case enterpriseCode
    }

    public let name: String
    public let shape: Shape
    public let required: Bool

    public init(_ name: String, _ shape: Shape, required: Bool = true) {
        self.name = name
        self.shape = shape
        self.required = required
    }

    public static let maximumTextCharacters = 256
}
