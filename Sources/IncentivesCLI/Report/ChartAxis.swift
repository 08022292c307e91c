#if canImport(Glibc)
import Glibc
#endif

/// A value axis starting at zero with round ticks (1, 2, 2.5 or 5 times a power of ten), so
/// that a printed chart can be read against its grid.
struct ChartAxis: Equatable {
    let step: Double
    let ticks: [Double]

    var maximum: Double { ticks.last! }

    /// Ticks from 0 to at least `maximum`, about `targetTicks` of them. A maximum that is not a
    /// positive finite number gets the axis 0 to 1.
    init(maximum value: Double, targetTicks: Int = 5) {
        precondition(targetTicks >= 1, "an axis has at least one step")
        let top = value.isFinite && value > 0 ? value : 1
        let magnitude = pow(10, floor(log10(top / Double(targetTicks))))
        var chosen = magnitude * 10
        for factor in [1.0, 2.0, 2.5, 5.0, 10.0] where top / (magnitude * factor) <= Double(targetTicks) + 1e-9 {
            chosen = magnitude * factor
            break
        }
        step = chosen
        let count = max(1, Int((top / chosen - 1e-9).rounded(.up)))
        ticks = (0...count).map { Double($0) * chosen }
    }

    /// A tick or value label: whole numbers with thousands separators, else as many decimals as the step needs.
    func label(_ value: Double) -> String {
        ChartAxis.label(value, decimals: step >= 1 ? 0 : (step >= 0.1 ? 1 : 2))
    }

    static func label(_ value: Double, decimals: Int) -> String {
        precondition((0...2).contains(decimals), "at most two decimals")
        let scale = decimals == 0 ? 1.0 : (decimals == 1 ? 10.0 : 100.0)
        let scaled = (abs(value) * scale).rounded()
        guard scaled.isFinite, scaled < 9e15 else { return "—" }
        let units = UInt64(scaled)
        let whole = UInt64(scale)
        var text = (value < 0 && units != 0 ? "-" : "") + MoneyFormat.grouped(UInt128(units / whole))
        if decimals > 0 {
            let fraction = String(units % whole)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }
}
