/// A plain-text table for terminals: a header, a dashed rule, then rows, with cells padded by
/// display width so Chinese names (two columns per character) line up with ASCII.
public struct TextTable: Sendable {
    public enum Alignment: Sendable {
        /// Text: names, codes, dates.
        case left
        /// Numbers, so digits of equal weight line up.
        case right
    }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment

        public init(title: String, alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    /// Two spaces stay readable between CJK text, where one space is easy to miss.
    private static let gap = "  "

    public let columns: [Column]
    private var rows: [[String]] = []

    /// Lets callers print "no incentives match" instead of an empty table.
    public var rowCount: Int { rows.count }

    public init(columns: [Column]) {
        self.columns = columns.map { column in
            Column(title: TextTable.terminalSafe(column.title), alignment: column.alignment)
        }
    }

    public mutating func addRow(_ cells: [String]) {
        precondition(
            cells.count == columns.count,
            "a row has \(cells.count) cells but the table has \(columns.count) columns"
        )
        rows.append(cells.map(TextTable.terminalSafe))
    }

    /// Every line ends with "\n" and has no trailing spaces, so output diffs cleanly.
    public func render() -> String {
        var widths = columns.map { DisplayWidth.of($0.title) }
        var rowWidths: [[Int]] = []
        rowWidths.reserveCapacity(rows.count)
        for row in rows {
            let cellWidths = row.map { DisplayWidth.of($0) }
            for (index, width) in cellWidths.enumerated() where width > widths[index] {
                widths[index] = width
            }
            rowWidths.append(cellWidths)
        }

        var output = ""
        appendLine(
            cells: columns.map(\.title),
            cellWidths: columns.map { DisplayWidth.of($0.title) },
            columnWidths: widths,
            to: &output
        )
        appendLine(
            cells: widths.map { String(repeating: "-", count: $0) },
            cellWidths: widths,
            columnWidths: widths,
            to: &output
        )
        for (row, cellWidths) in zip(rows, rowWidths) {
            appendLine(cells: row, cellWidths: cellWidths, columnWidths: widths, to: &output)
        }
        return output
    }

    private func appendLine(cells: [String], cellWidths: [Int], columnWidths: [Int], to output: inout String) {
        var line = ""
        for index in cells.indices {
            if index > 0 { line += TextTable.gap }
            let padding = String(repeating: " ", count: columnWidths[index] - cellWidths[index])
            switch columns[index].alignment {
            case .left: line += cells[index] + padding
            case .right: line += padding + cells[index]
            }
        }
        while line.last == " " {
            line.removeLast()
        }
        output += line
        output += "\n"
    }

    /// Shows control characters, line feeds included, as visible `\u{1B}` text (`TerminalText`)
    /// so a stored name can neither break a row nor send escape sequences to the terminal.
    static func terminalSafe(_ text: String) -> String {
        TerminalText.escaped(text)
    }
}
