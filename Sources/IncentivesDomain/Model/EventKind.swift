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

    /// Matching on bytes keeps the replay loop free of String allocation.
    @inline(__always)
    static func from(typeBytes bytes: UnsafeRawBufferPointer) -> EventKind? {
        for (index, name) in typeNameBytes.enumerated() where name.count == bytes.count {
            if unsafe name.elementsEqual(bytes) {
                return EventKind.allCases[index]
            }
        }
        return nil
    }

    private static let typeNameBytes: [[UInt8]] = EventKind.allCases.map { Array($0.typeName.utf8) }

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
