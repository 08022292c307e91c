/// What bar and line charts share: the frame, title, legend, value axis and category labels,
/// drawn as inline SVG with text escaped. Sizes are in SVG units; the page scales the chart to
/// its width (`viewBox`), so about 680 units span an A4 text column.
struct SVGChart {
    static let width = 680.0
    static let left = 70.0
    static let right = 16.0
    static let top = 60.0
    static let bottom = 40.0

    var title: String
    /// What the values are in, shown above the axis: `万元`, `enterprises 企业`.
    var unit: String
    var categories: [String]
    var series: [ChartSeries]
    var height: Double
    var axis: ChartAxis

    var plotWidth: Double { SVGChart.width - SVGChart.left - SVGChart.right }
    var plotHeight: Double { height - SVGChart.top - SVGChart.bottom }
    var plotBottom: Double { height - SVGChart.bottom }

    init(title: String, unit: String, categories: [String], series: [ChartSeries], height: Double, maximum: Double) {
        precondition(series.allSatisfy { $0.values.count == categories.count }, "one value per category in every series")
        precondition(height > SVGChart.top + SVGChart.bottom + 20, "room for the plot")
        self.title = title
        self.unit = unit
        self.categories = categories
        self.series = series
        self.height = height
        axis = ChartAxis(maximum: maximum)
    }

    /// The y coordinate of a value (values below zero sit on the axis).
    func y(_ value: Double) -> Double {
        plotBottom - max(0, min(value, axis.maximum)) / axis.maximum * plotHeight
    }

    /// Where category `index`'s slot starts, and its width.
    func slot(_ index: Int) -> (start: Double, width: Double) {
        let width = plotWidth / Double(max(categories.count, 1))
        return (SVGChart.left + Double(index) * width, width)
    }

    /// Opens the `<svg>` and draws title, legend, grid, axes and category labels.
    func begin(_ document: inout HTMLDocument, kind: String) {
        document.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("class", "chart " + kind),
                              ("viewBox", "0 0 \(SVGChart.width.coordinateText) \(height.coordinateText)"),
                              ("role", "img"), ("aria-label", title)])
        document.element("title", text: title)
        document.element("text", [("class", "chart-title"), ("x", "0"), ("y", "14")], text: title)
        legend(&document)
        // Grid and value axis.
        for tick in axis.ticks {
            let y = self.y(tick).coordinateText
            document.empty("line", [("class", tick == 0 ? "axis" : "grid"), ("x1", SVGChart.left.coordinateText),
                                    ("x2", (SVGChart.left + plotWidth).coordinateText), ("y1", y), ("y2", y)])
            document.element("text", [("class", "tick"), ("x", (SVGChart.left - 6).coordinateText), ("y", (self.y(tick) + 3.5).coordinateText),
                                      ("text-anchor", "end")], text: axis.label(tick))
        }
        document.empty("line", [("class", "axis"), ("x1", SVGChart.left.coordinateText), ("x2", SVGChart.left.coordinateText),
                                ("y1", (SVGChart.top - 4).coordinateText), ("y2", plotBottom.coordinateText)])
        document.element("text", [("class", "unit"), ("x", (SVGChart.left - 6).coordinateText), ("y", (SVGChart.top - 9).coordinateText),
                                  ("text-anchor", "end")], text: unit)
        // Category labels, thinned out when they would overlap.
        let widest = categories.map { SVGChart.textWidth($0, size: 10) }.max() ?? 0
        let every = max(1, Int(((widest + 6) / slot(0).width).rounded(.up)))
        for (index, category) in categories.enumerated() where index % every == 0 {
            let (start, width) = slot(index)
            document.element("text", [("class", "category"), ("x", (start + width / 2).coordinateText),
                                      ("y", (plotBottom + 16).coordinateText), ("text-anchor", "middle")], text: category)
        }
    }

    func end(_ document: inout HTMLDocument) {
        document.close("svg")
    }

    /// Swatches and names in a row under the title, wrapping when the row is full.
    func legend(_ document: inout HTMLDocument) {
        var x = 0.0, y = 22.0
        document.open("g", [("class", "legend")])
        for entry in series {
            let width = 16 + SVGChart.textWidth(entry.name, size: 10) + 14
            if x > 0, x + width > SVGChart.width { x = 0; y += 14 }
            document.empty("rect", [("x", x.coordinateText), ("y", y.coordinateText), ("width", "10"), ("height", "10"),
                                    ("fill", entry.colour)])
            document.element("text", [("x", (x + 14).coordinateText), ("y", (y + 9).coordinateText)], text: entry.name)
            x += width
        }
        document.close("g")
    }

    /// A value printed at a point, for reading the chart on paper.
    func valueLabel(_ document: inout HTMLDocument, _ value: Double, x: Double, y: Double) {
        document.element("text", [("class", "value"), ("x", x.coordinateText), ("y", y.coordinateText), ("text-anchor", "middle")],
                         text: axis.label(value))
    }

    /// An estimate of a text's width: wide (CJK) characters take about a full em, others about 0.6.
    static func textWidth(_ text: String, size: Double) -> Double {
        text.unicodeScalars.reduce(0) { $0 + Double(DisplayWidth.of($1)) * size * 0.6 * (DisplayWidth.of($1) == 2 ? 0.84 : 1) }
    }
}
