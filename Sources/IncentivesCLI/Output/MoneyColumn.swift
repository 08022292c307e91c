/// Money columns name their unit in the header, in tables and CSV alike (`awarded (元)`,
/// `awarded (万元)`), so a figure is never read in the wrong unit. JSON keeps fen (`awardedFen`).
enum MoneyColumn {
    static func title(_ name: String, unit: MoneyUnit) -> String {
        name + (unit == .wan ? " (万元)" : " (元)")
    }

    /// A plain number for CSV, exact to the fen in either unit: yuan with two decimals
    /// (`1500000.50`), wan with six (`150.000050`), no separators, so spreadsheets read numbers.
    static func plain(fen: Int64, unit: MoneyUnit) -> String { plain(fen: Int128(fen), unit: unit) }

    static func plain(fen: Int128, unit: MoneyUnit) -> String {
        switch unit {
        case .yuan:
            return plainYuan(fen)
        case .wan:
            // One wan is 1,000,000 fen.
            let magnitude = fen.magnitude
            let fraction = String(magnitude % 1_000_000)
            return (fen < 0 ? "-" : "") + String(magnitude / 1_000_000) + "."
                + String(repeating: "0", count: 6 - fraction.count) + fraction
        }
    }
}
