/// The tiers of the Yanzhen Plan, in order: each promotion raises an enterprise one or more steps.
public enum Tier: Int8, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    case none = 0
    case startup = 1
    case sme = 2
    case highTech = 3
    case influential = 4

    public var name: String {
        switch self {
        case .none: return "none"
        case .startup: return "startup"
        case .sme: return "sme"
        case .highTech: return "high-tech"
        case .influential: return "influential"
        }
    }

    public init?(name: String) {
        guard let tier = Tier.allCases.first(where: { $0.name == name }) else { return nil }
        self = tier
    }

    /// The tier a line names: each name has a length of its own, so one comparison decides, with
    /// no array of the cases made (a tier event each, on every core). A test holds the lengths
    /// to the names.
    init?(nameBytes bytes: Span<UInt8>) {
        let tier: Tier
        switch bytes.count {
        case 3: tier = .sme
        case 4: tier = .none
        case 7: tier = .startup
        case 9: tier = .highTech
        case 11: tier = .influential
        default: return nil
        }
        guard bytes.equals(utf8: tier.name) else { return nil }
        self = tier
    }

    public var description: String { name }
    public static func < (left: Tier, right: Tier) -> Bool { left.rawValue < right.rawValue }
    public static let names = Tier.allCases.map(\.name)
}
