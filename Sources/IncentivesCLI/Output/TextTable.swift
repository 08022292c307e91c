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

    public let columns: [Column]
    /// Each row's cells, terminal-safe, with their widths.
    private var rows: [RowCells] = []

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
        rows.append(RowCells(cells))
    }

    /// Every line ends with "\n" and has no trailing spaces, so output diffs cleanly.
    public func render() -> String { String(decoding: renderBytes(), as: UTF8.self) }

    /// The table as UTF-8, written line by line into one buffer.
    public func renderBytes() -> [UInt8] {
        var layout = Layout(safeColumns: columns)
        for row in rows { layout.measure(row) }
        var output: [UInt8] = []
        output.reserveCapacity((rows.count + 2) * (layout.widths.reduce(0, +) + 2 * layout.widths.count + 1))
        layout.appendHeader(to: &output)
        for row in rows { layout.appendLine(row, to: &output) }
        return output
    }

    /// Shows control characters, line feeds included, as visible `\u{1B}` text (`TerminalText`)
    /// so a stored name can neither break a row nor send escape sequences to the terminal.
    static func terminalSafe(_ text: String) -> String {
        TerminalText.escaped(text)
    }
}
