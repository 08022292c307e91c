/// Number formatting for the tables, without Foundation.
enum BenchmarkFormat {
    /// `value` with exactly `digits` decimals ("1.50"), rounded half away from zero.
    static func decimal(_ value: Double, digits: Int) -> String {
        precondition(digits >= 0 && digits <= 6, "0 to 6 decimals")
        guard value.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value.magnitude * scale).rounded(.toNearestOrAwayFromZero))
        let divisor = Int(scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        let whole = grouped(scaled / divisor)
        guard digits > 0 else { return sign + whole }
        var fraction = String(scaled % divisor)
        while fraction.count < digits { fraction = "0" + fraction }
        return sign + whole + "." + fraction
    }

    /// An integer with thin-space-free comma grouping: 1,234,567.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return (value < 0 ? "-" : "") + result
    }

    /// Seconds with three significant decimals below 10 s, fewer above.
    static func seconds(_ value: Double?) -> String {
        guard let value else { return "–" }
        if value < 1 { return decimal(value, digits: 3) + " s" }
        if value < 100 { return decimal(value, digits: 2) + " s" }
        return decimal(value, digits: 0) + " s"
    }

    static func megabytes(_ bytes: Int?) -> String {
        guard let bytes else { return "–" }
        return decimal(Double(bytes) / 1_000_000, digits: 0) + " MB"
    }

    /// A count per second, in thousands or millions past 10,000.
    static func rate(_ value: Double?, unit: String) -> String {
        guard let value else { return "–" }
        if value >= 10_000_000 { return decimal(value / 1_000_000, digits: 1) + " M \(unit)/s" }
        if value >= 10_000 { return decimal(value / 1_000, digits: 0) + " k \(unit)/s" }
        return decimal(value, digits: 0) + " \(unit)/s"
    }

    /// "3.2×" (ours is faster when above 1).
    static func ratio(_ value: Double?) -> String {
        guard let value else { return "–" }
        return decimal(value, digits: value < 10 ? 2 : 1) + "×"
    }
}
