/// A line chart: one line per series over the categories (periods), with a dot per point when they fit.
struct LineChart {
    var chart: SVGChart

    init(title: String, unit: String, categories: [String], series: [ChartSeries], height: Double = 300) {
        let maximum = series.flatMap(\.values).max() ?? 0
        chart = SVGChart(title: title, unit: unit, categories: categories, series: series, height: height, maximum: maximum)
    }

    func render(into document: inout HTMLDocument) {
        chart.begin(&document, kind: "line")
        let dots = chart.categories.count <= 60
        for series in chart.series {
            var points = ""
            for index in series.values.indices {
                let (start, width) = chart.slot(index)
                points += (index == 0 ? "" : " ") + (start + width / 2).coordinateText + "," + chart.y(series.values[index]).coordinateText
            }
            document.open("g", [("class", "series")])
            document.element("title", text: series.name)
            document.empty("polyline", [("points", points), ("fill", "none"), ("stroke", series.colour), ("stroke-width", "2")])
            if dots {
                for index in series.values.indices {
                    let (start, width) = chart.slot(index)
                    document.open("circle", [("cx", (start + width / 2).coordinateText), ("cy", chart.y(series.values[index]).coordinateText),
                                             ("r", "2.5"), ("fill", series.colour)])
                    document.element("title", text: "\(series.name), \(chart.categories[index]): \(chart.axis.label(series.values[index]))")
                    document.close("circle")
                }
            }
            // The last value written at the line's end, to read the latest figure on paper.
            if let last = series.values.last, let lastIndex = series.values.indices.last {
                let (start, width) = chart.slot(lastIndex)
                chart.valueLabel(&document, last, x: start + width / 2, y: chart.y(last) - 5)
            }
            document.close("g")
        }
        chart.end(&document)
    }
}
