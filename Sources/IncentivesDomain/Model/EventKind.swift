#if canImport(Glibc)
import Glibc
#endif
import LedgerLog

/// Every event type of the ledger, the log it belongs to, and the members of its `data`.
public enum EventKind: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case programmeEstablished, programmeAmended, budgetAppropriated
    case grantAwarded, grantAmended, grantDisbursed, grantRevoked, grantRecovered
    case enterpriseRegistered, capabilityEvaluated, tierPromoted, tierDemoted, enterpriseDeregistered
    case centreOpened, centreClosed
    case eventRetracted

    public var typeName: String {
        switch self {
        case .programmeEstablished: return "ProgrammeEstablished"
        case .programmeAmended: return "ProgrammeAmended"
        case .budgetAppropriated: return "BudgetAppropriated"
        case .grantAwarded: return "GrantAwarded"
        case .grantAmended: return "GrantAmended"
        case .grantDisbursed: return "GrantDisbursed"
        case .grantRevoked: return "GrantRevoked"
        case .grantRecovered: return "GrantRecovered"
        case .enterpriseRegistered: return "EnterpriseRegistered"
        case .capabilityEvaluated: return "CapabilityEvaluated"
        case .tierPromoted: return "TierPromoted"
        case .tierDemoted: return "TierDemoted"
        case .enterpriseDeregistered: return "EnterpriseDeregistered"
        case .centreOpened: return "CentreOpened"
        case .centreClosed: return "CentreClosed"
        case .eventRetracted: return "EventRetracted"
        }
    }

    public var description: String { typeName }

    public init?(typeName: String) {
        guard let kind = EventKind.allCases.first(where: { $0.typeName == typeName }) else { return nil }
        self = kind
    }

    /// Matching on bytes keeps the replay loop free of String allocation.
    @inline(__always)
    static func from(typeBytes bytes: UnsafeRawBufferPointer) -> EventKind? {
        for (index, name) in typeNameBytes.enumerated() where name.count == bytes.count {
            if name.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                return EventKind.allCases[index]
            }
        }
        return nil
    }

    private static let typeNameBytes: [[UInt8]] = EventKind.allCases.map { Array($0.typeName.utf8) }

    /// The log an event of this type belongs to; a retraction belongs to its target's log.
    public var log: LogName? {
        switch self {
        case .programmeEstablished, .programmeAmended, .budgetAppropriated, .grantAwarded, .grantAmended,
             .grantDisbursed, .grantRevoked, .grantRecovered:
            return IncentiveLogs.grants
        case .enterpriseRegistered, .capabilityEvaluated, .tierPromoted, .tierDemoted, .enterpriseDeregistered:
            return IncentiveLogs.tiers
        case .centreOpened, .centreClosed:
            return IncentiveLogs.centres
        case .eventRetracted:
            return nil
        }
    }

    /// The payload schema version this code reads and writes.
    public static let currentVersion = 1

    /// The members of `data`, in canonical order.
    public var members: [MemberSpec] {
        switch self {
        case .programmeEstablished, .programmeAmended:
            let establishing = self == .programmeEstablished
            return [
                MemberSpec("capFen", .amount, required: false),
                MemberSpec("capYears", .integer(ValueBounds.capYears), required: false),
                MemberSpec("minTier", .tier, required: false),
                MemberSpec("name", .text, required: establishing),
                MemberSpec("programme", .identifier),
            ]
        case .budgetAppropriated:
            return [MemberSpec("amountFen", .amount), MemberSpec("programme", .identifier),
                    MemberSpec("year", .integer(ValueBounds.year))]
        case .grantAwarded:
            return [MemberSpec("amountFen", .amount), MemberSpec("enterprise", .enterpriseCode),
                    MemberSpec("grant", .identifier), MemberSpec("programme", .identifier), MemberSpec("project", .text)]
        case .grantAmended, .grantDisbursed, .grantRecovered:
            return [MemberSpec("amountFen", .amount), MemberSpec("grant", .identifier)]
        case .grantRevoked:
            return [MemberSpec("grant", .identifier), MemberSpec("reason", .text)]
        case .enterpriseRegistered:
            return [MemberSpec("enterprise", .enterpriseCode), MemberSpec("name", .text), MemberSpec("sector", .text)]
        case .capabilityEvaluated:
            return [MemberSpec("enterprise", .enterpriseCode), MemberSpec("score", .integer(ValueBounds.score))]
        case .tierPromoted, .tierDemoted:
            return [MemberSpec("enterprise", .enterpriseCode), MemberSpec("tier", .tier)]
        case .enterpriseDeregistered:
            return [MemberSpec("enterprise", .enterpriseCode), MemberSpec("reason", .text)]
        case .centreOpened:
            return [MemberSpec("centre", .identifier), MemberSpec("city", .text), MemberSpec("kind", .centreKind),
                    MemberSpec("name", .text), MemberSpec("partner", .text, required: false)]
        case .centreClosed:
            return [MemberSpec("centre", .identifier), MemberSpec("reason", .text)]
        case .eventRetracted:
            return [MemberSpec("reason", .text), MemberSpec("target", .identifier)]
        }
    }
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
