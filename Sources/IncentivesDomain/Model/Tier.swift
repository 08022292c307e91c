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

    init?(nameBytes bytes: UnsafeRawBufferPointer) {
        guard let tier = Tier.allCases.first(where: { unsafe bytes.elementsEqual($0.name.utf8) }) else { return nil }
        self = tier
    }

    public var description: String { name }
    public static func < (left: Tier, right: Tier) -> Bool { left.rawValue < right.rawValue }
    public static let names = Tier.allCases.map(\.name)
}
