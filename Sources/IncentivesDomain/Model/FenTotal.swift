import LedgerLog

/// Totals are summed in 128 bits: events carry at most 2^53 fen each (the log format's limit),
/// so no log of fewer than 2^74 events, far more than any disk holds, can overflow a sum. Output
/// shows fen as 64-bit integers; a total beyond that is refused by name rather than wrapped.
public enum FenTotal {
    /// The largest magnitude output can show: `Int64.max` fen, about 92 million billion yuan.
    public static let shownRange = Int128(Int64.min)...Int128(Int64.max)

    /// `value` as the output's 64-bit fen, or exit 65 naming the figure. Queries check every
    /// total they hold before anything is written (`checkShown()`), so output is never partial.
    @discardableResult
    public static func shown(_ value: Int128, _ name: @autoclosure () -> String) throws(LedgerError) -> Int64 {
        guard let fen = Int64(exactly: value) else {
            throw .badData("\(name()) is \(value) fen, beyond the ±\(Int64.max) fen a figure can be shown in; the log holds amounts beyond the bounds events now have (1 fen to 10 billion yuan each): find them with `incentives history` and correct them by retraction")
        }
        return fen
    }
}

extension JSONValue {
    /// An exact money figure of any size: canonical JSON rounds beyond 2^53 as ECMAScript would.
    public static func fen(_ value: Int128) -> JSONValue { .number(JSONNumber(literal: String(value))!) }
}

extension FenTotal {
    /// Adds `amountFen` to a 64-bit figure that output shows as it is, or refuses (exit 65) naming
    /// the figure when the sum would leave 64 bits: a report's figures stop with a message, never a trap.
    public static func add(_ amountFen: Int128, to total: inout Int64, _ name: @autoclosure () -> String) throws(LedgerError) {
        total = try shown(Int128(total) + amountFen, name())
    }
}
