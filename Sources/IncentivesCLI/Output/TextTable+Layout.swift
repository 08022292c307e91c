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
        private static let gapBytes = 2

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
            measure(RowCells(cells))
        }

        /// Widens the columns to hold `row`, as `appendRow` will write it.
        public mutating func measure(_ row: RowCells) {
            precondition(row.count == columns.count, "a row has \(row.count) cells but the table has \(columns.count) columns")
            for (index, width) in row.widths.enumerated() where width > widths[index] {
                widths[index] = width
            }
        }

        /// Appends a row of `cells` measured before (`measure`) to `output`.
        public func appendRow(_ cells: [String], to output: inout [UInt8]) {
            appendRow(RowCells(cells), to: &output)
        }

        /// Appends `row`, measured before (`measure`), to `output` (`appendLine` stops on a cell
        /// wider than its column: one measured after the widths were taken).
        public func appendRow(_ row: RowCells, to output: inout [UInt8]) {
            appendLine(row, to: &output)
        }

        /// A table of `rowCount` rows, row `position` made by `cells(position)`: as
        /// `write(columns:rowCount:pieceBytes:appendCells:to:)`, each row's Strings its cells.
        public static func write(columns: [Column], rowCount: Int, pieceBytes: Int, cells: @Sendable (Int) -> [String],
                                 to output: ([UInt8]) -> Void) {
            write(columns: columns, rowCount: rowCount, pieceBytes: pieceBytes,
                  appendCells: { position, row in row.appendCells(cells(position)) }, to: output)
        }

        /// A table of `rowCount` rows, row `position`'s cells appended to an empty row by
        /// `appendCells(position, &row)`: measured in one pass and written in a second, its bytes
        /// handed to `output` in pieces of about `pieceBytes` as they are written (each piece ends
        /// with a whole line). No row is held unless `heldBytes` allows; each is made twice, into a
        /// row reused from one to the next. Both passes go over consecutive parts of the rows on every core (`PartedRows`),
        /// a round of parts at a time: the widths are the widest of the parts', and the parts' lines
        /// go out in order, so the bytes are those of one pass over the rows.
        /// With `heldBytes`, up to that many bytes of measured rows are kept for the second pass
        /// (`HeldRows`) rather than made again: for a caller whose rows are dear to make (read at
        /// random from large tables) and whose memory allows it.
        public static func write(columns: [Column], rowCount: Int, pieceBytes: Int,
                                 appendCells: @Sendable (_ position: Int, _ row: inout RowCells) -> Void,
                                 heldBytes: Int = 0, to output: ([UInt8]) -> Void) {
            write(columns: columns, rounds: PartedRows.rounds(rowCount: rowCount), pieceBytes: pieceBytes,
                  appendCells: appendCells, heldBytes: heldBytes, to: output)
        }

        /// The same, the rows in the parts `rounds` gives (consecutive, from row 0, in order).
        static func write(columns: [Column], rounds: [[Range<Int>]], pieceBytes: Int, cells: @Sendable (Int) -> [String],
                          heldBytes: Int = 0, to output: ([UInt8]) -> Void) {
            write(columns: columns, rounds: rounds, pieceBytes: pieceBytes,
                  appendCells: { position, row in row.appendCells(cells(position)) }, heldBytes: heldBytes, to: output)
        }

        /// How many bytes of measured rows a table of grants by enterprise keeps for its second
        /// pass (`HeldRows`), shared out among its parts (a part whose rows pass its share makes
        /// them again): enough for the 527k rows of a 10M ledger's window, about 75 MB, less than
        /// the replay before it let go of. Tables whose rows are cheap to make, or that follow
        /// reads near the memory target (`history`, `tiers --transitions`), keep none.
        public static let heldRowsBudgetBytes = 128 << 20

        /// The same, the rows in the parts `rounds` gives (consecutive, from row 0, in order), at
        /// most `heldBytes` of measured rows kept for the second pass.
        static func write(columns: [Column], rounds: [[Range<Int>]], pieceBytes: Int,
                          appendCells: @Sendable (_ position: Int, _ row: inout RowCells) -> Void,
                          heldBytes: Int = 0, to output: ([UInt8]) -> Void) {
            precondition(pieceBytes >= 1 && heldBytes >= 0, "a piece size and a budget")
            var layout = Layout(columns: columns)
            let partShare = heldBytes / max(1, rounds.reduce(0) { $0 + $1.count })
            // Per round, per part: the rows kept, or nil where they did not fit.
            var held: [[HeldRows?]] = []
            for round in rounds {
                let blank = layout
                var roundHeld: [HeldRows?] = []
                for (widths, kept) in PartedRows.write(round, { rows in
                    var part = blank
                    var row = RowCells()
                    var kept: HeldRows? = partShare > 0 ? HeldRows(columnCount: columns.count, budgetBytes: partShare) : nil
                    for position in rows {
                        row.removeAll()
                        appendCells(position, &row)
                        part.measure(row)
                        if kept?.append(row, expectedRows: rows.count) == false { kept = nil }
                    }
                    return (part.widths, kept)
                }) {
                    for (index, width) in widths.enumerated() where width > layout.widths[index] { layout.widths[index] = width }
                    roundHeld.append(kept)
                }
                held.append(roundHeld)
            }
            var pieces = LinePieces(pieceBytes: pieceBytes)
            var header: [UInt8] = []
            layout.appendHeader(to: &header)
            pieces.add(header, to: output)
            for (roundIndex, round) in rounds.enumerated() {
                let measured = layout, roundHeld = held[roundIndex]
                // Let go of the round's kept rows as soon as its parts are written.
                held[roundIndex] = []
                for part in PartedRows.write(round, { rows in
                    var bytes: [UInt8] = []
                    var row = RowCells()
                    guard let partIndex = round.firstIndex(of: rows) else { preconditionFailure("a part of the round") }
                    if let kept = roundHeld[partIndex] {
                        precondition(kept.rowCount == rows.count, "a part keeps all its rows or none")
                        for index in 0..<kept.rowCount {
                            kept.copyRow(index, into: &row)
                            measured.appendRow(row, to: &bytes)
                        }
                    } else {
                        for position in rows {
                            row.removeAll()
                            appendCells(position, &row)
                            measured.appendRow(row, to: &bytes)
                        }
                    }
                    return bytes
                }) {
                    pieces.add(part, to: output)
                }
            }
            pieces.finish(to: output)
        }

        /// Whole lines cut into pieces of at least `pieceBytes` bytes, each ending with the line
        /// that reaches that size (so shorter than `pieceBytes` and one line), the last with what is left.
        struct LinePieces {
            let pieceBytes: Int
            /// Whole lines, fewer than `pieceBytes` bytes.
            private var pending: [UInt8] = []

            init(pieceBytes: Int) {
                precondition(pieceBytes >= 1, "a piece size")
                self.pieceBytes = pieceBytes
            }

            /// Adds `lines` (whole lines, each ending with a newline), handing out each piece they fill.
            mutating func add(_ lines: [UInt8], to output: ([UInt8]) -> Void) {
                precondition(lines.last.map { $0 == UInt8(ascii: "\n") } ?? true, "whole lines")
                var start = 0
                while lines.count - start >= pieceBytes - pending.count {
                    // The line holding the piece's last byte ends it.
                    guard let end = lines[(start + pieceBytes - pending.count - 1)...].firstIndex(of: UInt8(ascii: "\n")) else {
                        preconditionFailure("whole lines end with a newline")
                    }
                    pending.append(contentsOf: lines[start...end])
                    output(pending)
                    pending.removeAll(keepingCapacity: true)
                    start = end + 1
                }
                pending.append(contentsOf: lines[start...])
            }

            /// Hands out what is left, if anything.
            mutating func finish(to output: ([UInt8]) -> Void) {
                pending.writeOut(ifAtLeast: 1, to: output)
            }
        }

        /// The titles' line and the dashed rule under them.
        public func appendHeader(to output: inout [UInt8]) {
            appendLine(RowCells(columns.map(\.title)), to: &output)
            appendLine(RowCells(widths.map { String(repeating: "-", count: $0) }), to: &output)
        }

        /// One line of `row`'s cells padded to the columns' widths, with no trailing spaces.
        func appendLine(_ row: RowCells, to output: inout [UInt8]) {
            precondition(row.count == columns.count, "one cell per column")
            let start = output.count
            // The line is laid as spaces (padding and gaps written at once), then each cell is
            // copied over its place.
            var lineBytes = Layout.gapBytes * max(0, columns.count - 1)
            for index in 0..<columns.count {
                precondition(row.widths[index] <= widths[index], "a cell no wider than its column")
                lineBytes += row.range(of: index).count + widths[index] - row.widths[index]
            }
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: lineBytes))
            output.withUnsafeMutableBufferPointer { line in
                row.bytes.withUnsafeBufferPointer { bytes in
                    var position = start
                    for index in 0..<columns.count {
                        if index > 0 { position += Layout.gapBytes }
                        let cell = UnsafeBufferPointer(rebasing: bytes[row.range(of: index)])
                        let padding = widths[index] - row.widths[index]
                        if columns[index].alignment == .right { position += padding }
                        _ = UnsafeMutableBufferPointer(rebasing: line[position..<(position + cell.count)]).update(fromContentsOf: cell)
                        position += cell.count
                        if columns[index].alignment == .left { position += padding }
                    }
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
