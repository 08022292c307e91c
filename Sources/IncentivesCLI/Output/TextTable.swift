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
    private static let gap: [UInt8] = [UInt8(ascii: " "), UInt8(ascii: " ")]

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
    public func render() -> String { String(decoding: renderBytes(), as: UTF8.self) }

    /// The table as UTF-8, written line by line into one buffer.
    public func renderBytes() -> [UInt8] {
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

        var output: [UInt8] = []
        output.reserveCapacity((rows.count + 2) * (widths.reduce(0, +) + 2 * widths.count + 1))
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

    private func appendLine(cells: [String], cellWidths: [Int], columnWidths: [Int], to output: inout [UInt8]) {
        let start = output.count
        for index in cells.indices {
            if index > 0 { output.append(contentsOf: TextTable.gap) }
            let padding = columnWidths[index] - cellWidths[index]
            switch columns[index].alignment {
            case .left:
                output.append(contentsOf: cells[index].utf8)
                output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
            case .right:
                output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
                output.append(contentsOf: cells[index].utf8)
            }
        }
        // No trailing spaces. After an ASCII byte each trailing space is a character of its own;
        // after other text it may belong to the character before (a prepended mark such as
        // U+0600), which the String's own idea of its last character settles, as when lines were Strings.
        var end = output.count
        while end > start && output[end - 1] == UInt8(ascii: " ") { end -= 1 }
        if end < output.count && end > start && output[end - 1] >= 0x80 {
            var line = String(decoding: output[start...], as: UTF8.self)
            while line.last == " " { line.removeLast() }
            output.removeSubrange(start...)
            output.append(contentsOf: line.utf8)
        } else {
            output.removeSubrange(end...)
        }
        output.append(UInt8(ascii: "\n"))
    }

    /// Shows control characters, line feeds included, as visible `\u{1B}` text (`TerminalText`)
    /// so a stored name can neither break a row nor send escape sequences to the terminal.
    static func terminalSafe(_ text: String) -> String {
        TerminalText.escaped(text)
    }
}
