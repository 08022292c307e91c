/// One series of a chart: its name for the legend, its colour and one value per category.
struct ChartSeries {
    var name: String
    /// A CSS colour written by this code (`#4e79a7`).
    var colour: String
    var values: [Double]

    /// Colours that stay apart in greyscale print as well as on screen.
    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#9c755f", "#edc948"]
}
