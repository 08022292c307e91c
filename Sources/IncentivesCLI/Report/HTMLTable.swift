/// A table of text cells: a header row, body rows, numeric columns aligned right. Rows are never
/// split across printed pages, and the header repeats on each page a long table runs onto.
struct HTMLTable {
    struct Column {
        var title: String
        var numeric = false
        /// Ids and dates: kept on one line.
        var nowrap = false
    }

    var columns: [Column]
    var rows: [[String]] = []
    /// Rows drawn bold after the body (totals).
    var footer: [[String]] = []

    init(_ columns: [Column]) {
        self.columns = columns
    }

    mutating func add(_ cells: [String]) {
        precondition(cells.count == columns.count, "one cell per column")
        rows.append(cells)
    }

    mutating func addTotal(_ cells: [String]) {
        precondition(cells.count == columns.count, "one cell per column")
        footer.append(cells)
    }

    func render(into document: inout HTMLDocument) {
        document.open("table")
        document.open("thead")
        document.open("tr")
        for column in columns { document.element("th", column.numeric ? [("class", "n")] : [], text: column.title) }
        document.close("tr")
        document.close("thead")
        document.open("tbody")
        for row in rows { cells(row, &document) }
        document.close("tbody")
        if !footer.isEmpty {
            document.open("tfoot")
            for row in footer { cells(row, &document) }
            document.close("tfoot")
        }
        document.close("table")
    }

    private func cells(_ row: [String], _ document: inout HTMLDocument) {
        document.open("tr")
        for (column, cell) in zip(columns, row) {
            document.element("td", column.numeric ? [("class", "n")] : (column.nowrap ? [("class", "k")] : []), text: cell)
        }
        document.close("tr")
    }
}
