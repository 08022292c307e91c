extension TextTable {
    /// Rows measured by the first pass of `Layout.write` and kept for the second, so that they
    /// are not made twice: their cells' checked bytes one after another, each cell's end (32
    /// bits) and width (16 bits), about 40 bytes a row beside its text. A part of a table keeps
    /// all its rows or none: `append` refuses a row past the part's share of the budget, or one
    /// that the narrow fields cannot hold, and the part's rows are then made again.
    struct HeldRows: Sendable {
        private var bytes: [UInt8] = []
        private var ends: [UInt32] = []
        private var widths: [UInt16] = []
        let columnCount: Int
        /// How many bytes the rows may take, their text and their cells' ends and widths.
        let budgetBytes: Int

        init(columnCount: Int, budgetBytes: Int) {
            precondition(columnCount >= 1 && budgetBytes >= 0, "a table's columns and a budget")
            self.columnCount = columnCount
            self.budgetBytes = budgetBytes
        }

        /// How many rows are kept.
        var rowCount: Int { ends.count / columnCount }

        /// The bytes kept so far.
        var heldBytes: Int { bytes.count + ends.count * (MemoryLayout<UInt32>.size + MemoryLayout<UInt16>.size) }

        /// Keeps `row` and returns true, or keeps nothing more and returns false when it would
        /// pass the budget or a field (a cell's end, its width) would not fit.
        mutating func append(_ row: RowCells, expectedRows: Int) -> Bool {
            precondition(row.count == columnCount, "one cell per column")
            let added = row.bytes.count + columnCount * (MemoryLayout<UInt32>.size + MemoryLayout<UInt16>.size)
            guard heldBytes + added <= budgetBytes, bytes.count + row.bytes.count <= Int(UInt32.max),
                  row.widths.allSatisfy({ $0 <= Int(UInt16.max) }) else { return false }
            if ends.isEmpty {
                // Room for the part at the first row's size, so that the kept rows are not copied
                // as they grow (a part's rows are alike).
                bytes.reserveCapacity(min(budgetBytes, row.bytes.count * expectedRows * 5 / 4))
                ends.reserveCapacity(columnCount * expectedRows)
                widths.reserveCapacity(columnCount * expectedRows)
            }
            let start = UInt32(bytes.count)
            bytes.append(contentsOf: row.bytes)
            for cell in 0..<columnCount {
                ends.append(start + UInt32(row.range(of: cell).upperBound))
                widths.append(UInt16(row.widths[cell]))
            }
            return true
        }

        /// Row `index` kept, into `row` (emptied first).
        func copyRow(_ index: Int, into row: inout RowCells) {
            precondition(index >= 0 && index < rowCount, "a kept row")
            row.removeAll()
            bytes.withUnsafeBufferPointer { bytes in
                for cell in (index * columnCount)..<((index + 1) * columnCount) {
                    let start = cell == 0 ? 0 : Int(ends[cell - 1])
                    row.appendCheckedCell(UnsafeBufferPointer(rebasing: bytes[start..<Int(ends[cell])]), width: Int(widths[cell]))
                }
            }
        }
    }
}
