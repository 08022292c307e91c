/// The options every query shares.
enum QueryOptions {
    static let values = ["events", "as-of", "known-at", "format", "unit"]
    static let flags = ["no-verify", "no-snapshot", "bom"]
    static let usage = "[--as-of YYYY-MM-DD] [--known-at YYYY-MM-DD|YYYY-MM-DDTHH:MM:SSZ|YYYY-MM-DDTHH:MM:SS+08:00] [--format table|json|csv] [--unit yuan|wan] [--bom] [--no-verify] [--no-snapshot] [--events DIR]"
    /// For queries that show no money: an option that changes nothing is not offered.
    static let valuesWithoutMoney = values.filter { $0 != "unit" }
    static let usageWithoutMoney = "[--as-of YYYY-MM-DD] [--known-at YYYY-MM-DD|YYYY-MM-DDTHH:MM:SSZ|YYYY-MM-DDTHH:MM:SS+08:00] [--format table|json|csv] [--bom] [--no-verify] [--no-snapshot] [--events DIR]"
}
