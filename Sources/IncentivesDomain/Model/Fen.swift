/// One amount of money in fen (0.01 yuan) as an event states it: an award, a payment, a cap, an
/// appropriation. A type of its own so that an amount is never taken for a count, a year or an
/// index; 64 bits, as in the log. Sums of amounts are 128-bit (`FenTotal`), never `Fen`.
public struct Fen: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public let rawValue: Int64

    @inline(__always)
    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    /// A literal amount (`0` once a grant is revoked, figures in tests).
    @inline(__always)
    public init(integerLiteral value: Int64) { self.rawValue = value }

    public static let zero = Fen(0)

    public static func < (left: Fen, right: Fen) -> Bool { left.rawValue < right.rawValue }

    /// The number of fen, as events and output write it.
    public var description: String { String(rawValue) }
}

extension Int128 {
    /// An amount as a term of a 128-bit sum (`FenTotal`).
    @inline(__always)
    public init(_ amount: Fen) { self.init(amount.rawValue) }
}
