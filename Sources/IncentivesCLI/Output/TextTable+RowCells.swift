import IncentivesDomain

extension TextTable {
    /// One row's cells as a table writes them: their UTF-8 bytes one after another, where each
    /// ends and how many columns each takes on screen. A long table fills one of these per row,
    /// reused, with bytes copied straight from the ledger's columns and numbers written as digits,
    /// so no cell becomes a String on the way.
    ///
    /// Each cell is checked when it is finished. Printable ASCII (most of a ledger) is taken as it
    /// is, a column a byte, and common Han ideographs two columns each; other text is decoded
    /// scalar by scalar by the standard library's UTF-8 parser for its width. A cell holding a
    /// control character, or bytes that are not UTF-8, is replaced by what the String path made of
    /// it (`TextTable.terminalSafe` of the repaired String), so its bytes and width are the ones a
    /// table of Strings gives (`TableRowCellsTests`).
    public struct RowCells: Sendable {
        /// The cells' bytes, terminal-safe, one after another.
        public private(set) var bytes: [UInt8] = []
        /// Where each cell's bytes end in `bytes`.
        public private(set) var ends: [Int] = []
        /// Each cell's display width (`DisplayWidth`).
        public private(set) var widths: [Int] = []

        public init() {}

        /// A row of `cells`.
        public init(_ cells: [String]) {
            appendCells(cells)
        }

        /// How many cells the row has.
        public var count: Int { ends.count }

        /// Where cell `index`'s bytes lie in `bytes`.
        public func range(of index: Int) -> Range<Int> {
            (index == 0 ? 0 : ends[index - 1])..<ends[index]
        }

        /// Empties the row for the next, keeping the memory.
        public mutating func removeAll() {
            bytes.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            widths.removeAll(keepingCapacity: true)
        }

        /// Appends a cell holding `text`.
        public mutating func appendCell(_ text: String) {
            let start = bytes.count
            bytes.append(contentsOf: text.utf8)
            finishCell(from: start)
        }

        /// Appends a cell for each of `cells`, in order.
        public mutating func appendCells(_ cells: [String]) {
            for cell in cells { appendCell(cell) }
        }

        /// Appends a cell whose UTF-8 bytes `write` appends to the buffer it is given (only
        /// appends: the bytes before are the row's other cells).
        public mutating func appendCell(_ write: (inout [UInt8]) -> Void) {
            let start = bytes.count
            write(&bytes)
            precondition(bytes.count >= start, "a cell's bytes are appended")
            finishCell(from: start)
        }

        /// Appends a cell holding `value`'s decimal digits, as `String(value)` spells it, after a
        /// plus sign if `plusIfPositive` and the value is positive (as differences are shown).
        public mutating func appendInteger(_ value: Int, plusIfPositive: Bool = false) {
            let start = bytes.count
            if plusIfPositive && value > 0 { bytes.append(UInt8(ascii: "+")) }
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            JSONByteWriter.appendDigits(UInt128(value.magnitude), to: &bytes)
            finishPrintableCell(from: start)
        }

        /// Appends a cell holding an amount as `MoneyFormat.format(fen:unit:)` spells it, after a
        /// plus sign if `plusIfPositive` and the amount is positive (as differences are shown).
        public mutating func appendMoney(fen: Int128, unit: MoneyUnit, plusIfPositive: Bool = false) {
            let start = bytes.count
            if plusIfPositive && fen > 0 { bytes.append(UInt8(ascii: "+")) }
            MoneyFormat.append(fen: fen, unit: unit, to: &bytes)
            finishPrintableCell(from: start)
        }

        /// Appends a cell checked before (its bytes terminal-safe, `width` their display width),
        /// as a row kept from the measuring pass gives it back (`TextTable.HeldRows`).
        mutating func appendCheckedCell(_ cell: UnsafeBufferPointer<UInt8>, width: Int) {
            bytes.append(contentsOf: cell)
            ends.append(bytes.count)
            widths.append(width)
        }

        /// Ends the cell whose bytes start at `start`: checked, and replaced where the terminal
        /// must not see them as they are.
        private mutating func finishCell(from start: Int) {
            let width = bytes.withUnsafeBufferPointer { RowCells.safeWidth(of: UnsafeBufferPointer(rebasing: $0[start...])) }
            if let width {
                ends.append(bytes.count)
                widths.append(width)
                return
            }
            let safe = TextTable.terminalSafe(String(decoding: bytes[start...], as: UTF8.self))
            bytes.removeSubrange(start...)
            bytes.append(contentsOf: safe.utf8)
            ends.append(bytes.count)
            widths.append(DisplayWidth.of(safe))
        }

        /// Ends a cell of digits and signs, printable ASCII by construction: a column a byte.
        private mutating func finishPrintableCell(from start: Int) {
            assert(bytes[start...].allSatisfy { (0x20...0x7E).contains($0) }, "printable ASCII")
            ends.append(bytes.count)
            widths.append(bytes.count - start)
        }

        /// The display width of `cell`, or nil if it is not well-formed UTF-8 or holds a control
        /// character (`FreeText.isControl`, the line feed included), so must be made safe first.
        static func safeWidth(of cell: UnsafeBufferPointer<UInt8>) -> Int? {
            var width = 0, index = 0
            let count = cell.count
            while index < count {
                let byte = cell[index]
                // Printable ASCII, most of a ledger: a column a byte.
                if byte &- 0x20 < 0x5F {
                    width += 1
                    index += 1
                    continue
                }
                // Lead bytes E4–E9 with two continuation bytes are U+4000–U+9FFF, well-formed and
                // all Han (`DisplayWidth.commonHan`), most of a Chinese name: two columns, no control.
                if byte &- 0xE4 < 6, index + 2 < count, cell[index + 1] & 0xC0 == 0x80, cell[index + 2] & 0xC0 == 0x80 {
                    width += 2
                    index += 3
                    continue
                }
                // Anything else is one scalar read by the standard library's parser.
                var parser = Unicode.UTF8.ForwardParser()
                var iterator = UnsafeBufferPointer(rebasing: cell[index...]).makeIterator()
                guard case .valid(let encoded) = parser.parseScalar(from: &iterator) else { return nil }
                let scalar = Unicode.UTF8.decode(encoded)
                if FreeText.isControl(scalar) { return nil }
                width += DisplayWidth.of(scalar)
                index += encoded.count
            }
            return width
        }
    }
}
