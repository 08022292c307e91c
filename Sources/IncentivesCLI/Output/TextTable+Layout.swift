extension TextTable {
    /// The columns' widths and the writing of lines, held apart from the rows: a table too long
    /// to hold (`tiers --transitions` of millions of moves) is measured in one pass over its rows
    /// and written in a second, its bytes going out in pieces, and they are the bytes `TextTable`
    /// gives for the same rows (`ByteOutputTests`).
    public struct Layout: Sendable {
        public let columns: [Column]
        /// Per column, the display width of its widest cell or title so far.
        public private(set) var widths: [Int]

        /// Two spaces stay readable between CJK text, where one space is easy to miss.
        private static let gap: [UInt8] = [UInt8(ascii: " "), UInt8(ascii: " ")]

        public init(columns: [Column]) {
            self.init(safeColumns: columns.map { column in
                Column(title: TextTable.terminalSafe(column.title), alignment: column.alignment)
            })
        }

        /// Columns whose titles are terminal-safe already (a `TextTable`'s).
        init(safeColumns: [Column]) {
            columns = safeColumns
            widths = safeColumns.map { DisplayWidth.of($0.title) }
        }

        /// Widens the columns to hold a row of `cells`, as `appendRow` will write them.
        public mutating func measure(_ cells: [String]) {
            measure(safeCells: cells.map(TextTable.terminalSafe))
        }

        /// Appends a row of `cells` measured before (`measure`) to `output`.
        public func appendRow(_ cells: [String], to output: inout [UInt8]) {
            let safe = cells.map(TextTable.terminalSafe)
            let cellWidths = safe.map { DisplayWidth.of($0) }
            precondition(zip(cellWidths, widths).allSatisfy { $0 <= $1 }, "every row is measured before it is written")
            appendLine(safeCells: safe, cellWidths: cellWidths, to: &output)
        }

        /// A table of `rowCount` rows, row `position` made by `cells(position)`: measured in one pass
        /// and written in a second, its bytes handed to `output` in pieces of about `pieceBytes` as
        /// they are written (each piece ends with a whole line). No row is held; each is made twice.
        public static func write(columns: [Column], rowCount: Int, pieceBytes: Int, cells: (Int) -> [String],
                                 to output: ([UInt8]) -> Void) {
            precondition(rowCount >= 0 && pieceBytes >= 1, "a row count and a piece size")
            var layout = Layout(columns: columns)
            for position in 0..<rowCount { layout.measure(cells(position)) }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(min(pieceBytes, 1 << 24) + 4096)
            layout.appendHeader(to: &bytes)
            for position in 0..<rowCount {
                layout.appendRow(cells(position), to: &bytes)
                bytes.writeOut(ifAtLeast: pieceBytes, to: output)
            }
            bytes.writeOut(ifAtLeast: 1, to: output)
        }

        /// Widens the columns to hold `cells`, already terminal-safe; their widths.
        @discardableResult
        mutating func measure(safeCells cells: [String]) -> [Int] {
            precondition(cells.count == columns.count, "a row has \(cells.count) cells but the table has \(columns.count) columns")
            let cellWidths = cells.map { DisplayWidth.of($0) }
            for (index, width) in cellWidths.enumerated() where width > widths[index] {
                widths[index] = width
            }
            return cellWidths
        }

        /// The titles' line and the dashed rule under them.
        public func appendHeader(to output: inout [UInt8]) {
            appendLine(safeCells: columns.map(\.title), cellWidths: columns.map { DisplayWidth.of($0.title) }, to: &output)
            appendLine(safeCells: widths.map { String(repeating: "-", count: $0) }, cellWidths: widths, to: &output)
        }

        /// One line of terminal-safe cells padded to the columns' widths, with no trailing spaces.
        func appendLine(safeCells cells: [String], cellWidths: [Int], to output: inout [UInt8]) {
            precondition(cells.count == columns.count && cellWidths.count == columns.count, "one cell per column")
            let start = output.count
            for index in cells.indices {
                if index > 0 { output.append(contentsOf: Layout.gap) }
                let padding = widths[index] - cellWidths[index]
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
    }
}
