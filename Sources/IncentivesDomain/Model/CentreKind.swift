/// What an innovation centre is: a joint innovation centre (for example with the Taizhou Industrial
/// Technology Research Institute), an offshore centre in another city, or an enterprise R&D centre.
public enum CentreKind: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case innovation = 0
    case offshore = 1
    case rnd = 2

    public var name: String {
        switch self {
        case .innovation: return "innovation"
        case .offshore: return "offshore"
        case .rnd: return "rnd"
        }
    }

    public init?(name: String) {
        guard let kind = CentreKind.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    init?(nameBytes bytes: Span<UInt8>) {
        for kind in CentreKind.allCases where bytes.equals(utf8: kind.name) {
            self = kind
            return
        }
        return nil
    }

    public var description: String { name }
    public static let names = CentreKind.allCases.map(\.name)
}
