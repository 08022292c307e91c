/// A bar chart: one slot per category, its series side by side (grouped) or on top of each other (stacked).
struct BarChart {
    enum Layout { case grouped, stacked }

    var chart: SVGChart
    var layout: Layout

    static let maximumBarWidth = 48.0

    init(title: String, unit: String, categories: [String], series: [ChartSeries], layout: Layout, height: Double = 300) {
        var maximum = 0.0
        for index in categories.indices {
            let values = series.map { max(0, $0.values[index]) }
            maximum = max(maximum, layout == .stacked ? values.reduce(0, +) : (values.max() ?? 0))
        }
        chart = SVGChart(title: title, unit: unit, categories: categories, series: series, height: height, maximum: maximum)
        self.layout = layout
    }

    func render(into document: inout HTMLDocument) {
        chart.begin(&document, kind: layout == .grouped ? "bar-grouped" : "bar-stacked")
        document.open("g", [("class", "bars")])
        for index in chart.categories.indices {
            let (start, width) = chart.slot(index)
            switch layout {
            case .grouped:
                // Bars no wider than a label needs, however few the categories.
                let barWidth = min(width * 0.8 / Double(max(chart.series.count, 1)), BarChart.maximumBarWidth)
                let groupStart = start + (width - barWidth * Double(chart.series.count)) / 2
                for (position, series) in chart.series.enumerated() {
                    let value = series.values[index]
                    let x = groupStart + Double(position) * barWidth
                    bar(&document, series: series, category: index, x: x, width: barWidth, from: 0, to: value)
                    let label = chart.axis.label(value)
                    if value > 0, SVGChart.textWidth(label, size: 8) <= barWidth + 4 {
                        chart.valueLabel(&document, value, x: x + barWidth / 2, y: chart.y(value) - 3)
                    }
                }
            case .stacked:
                let barWidth = min(width * 0.6, BarChart.maximumBarWidth * 1.5)
                let x = start + (width - barWidth) / 2
                var base = 0.0
                for series in chart.series {
                    let value = max(0, series.values[index])
                    bar(&document, series: series, category: index, x: x, width: barWidth, from: base, to: base + value)
                    base += value
                }
                if base > 0, SVGChart.textWidth(chart.axis.label(base), size: 8) <= width {
                    chart.valueLabel(&document, base, x: x + barWidth / 2, y: chart.y(base) - 3)
                }
            }
        }
        document.close("g")
        chart.end(&document)
    }

    private func bar(_ document: inout HTMLDocument, series: ChartSeries, category: Int, x: Double, width: Double, from: Double, to: Double) {
        guard to > from else { return }
        let top = chart.y(to), bottom = chart.y(from)
        document.open("rect", [("x", x.coordinateText), ("y", top.coordinateText), ("width", width.coordinateText),
                               ("height", max(0.5, bottom - top).coordinateText), ("fill", series.colour)])
        document.element("title", text: "\(series.name), \(chart.categories[category]): \(chart.axis.label(to - from)) \(chart.unit)")
        document.close("rect")
    }
}
