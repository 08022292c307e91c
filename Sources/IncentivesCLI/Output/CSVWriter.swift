import LedgerLog

/// CSV as RFC 4180 describes it (CRLF after every record, fields quoted only when needed,
/// inner quotes doubled), for auditors who open exports in Excel or WPS.
///
/// Formula injection policy: a text cell that a spreadsheet would run as a formula (first
/// character `=`, `+`, `-`, `@`, tab or CR) gets a leading `'` inside the cell, so Excel and WPS
/// show it as text: a project named `-5` or `=SUM(A1)` stays that text. Cells of the columns named
/// in `numberColumns` (money and counts) stay numbers: there only a cell that is not a plain number
/// such as `-5`, `+3.50` or `-1,234.50` is defended. Company names and notes come from outside,
/// and opening an export must never execute them. The apostrophe is visible in the cell, which
/// is the accepted price (OWASP "CSV Injection"). Control characters an older log may hold, other
/// than the tab, CR and LF that quoting carries, are written as visible `\u{1B}` text
/// (`TerminalText`), as in tables.
public struct CSVWriter: Sendable {
    /// Fields in the first line; every row must have as many.
    public let header: [String]
    /// Excel assumes a legacy code page for CSV without a BOM and garbles Chinese.
    public let byteOrderMark: Bool
    /// Per column, whether it holds numbers (see the formula injection policy).
    private let numberPositions: [Bool]
    /// Everything written so far, as UTF-8: records go straight into it, cell by cell, so an
    /// export of tens of thousands of rows makes no String per cell or per row.
    private var output: [UInt8] = []
    /// Fields of the row being written.
    private var fieldsInRow = 0

    public init(header: [String], byteOrderMark: Bool, numberColumns: Set<String> = []) {
        self.header = header
        self.byteOrderMark = byteOrderMark
        numberPositions = header.map { numberColumns.contains($0) }
        output.reserveCapacity(4096)
        if byteOrderMark { output.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        // The header is text, defended as text even where its column holds numbers.
        for (position, title) in header.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            appendField(title, isNumber: false)
        }
        output.append(contentsOf: CSVWriter.recordEnd)
    }

    public mutating func addRow(_ cells: [String]) {
        precondition(
            cells.count == header.count && fieldsInRow == 0,
            "a row has \(cells.count) fields but the header has \(header.count)"
        )
        for cell in cells { text(cell) }
        endRow()
    }

    /// The next field of the current row, as text.
    public mutating func text(_ value: String) {
        let isNumber = nextField()
        appendField(value, isNumber: isNumber)
    }

    /// The next field, as text given as its UTF-8 bytes (an interned name): written as `text(_:)`
    /// writes the String `String(decoding:as:)` makes of them, without making it.
    public mutating func text(utf8 value: [UInt8]) {
        let isNumber = nextField()
        value.withUnsafeBufferPointer { source in
            if JSONByteWriter.isValidUTF8(source) {
                appendField(utf8: source, isNumber: isNumber)
            } else {
                appendField(String(decoding: source, as: UTF8.self), isNumber: isNumber)
            }
        }
    }

    /// The next field, a count. Written as its digits; a negative one in a text column is
    /// defended as text would be.
    public mutating func integer(_ value: Int) {
        guard value >= 0 || numberPositions[fieldsInRow] else { return text(String(value)) }
        _ = nextField()
        if value < 0 { output.append(UInt8(ascii: "-")) }
        JSONByteWriter.appendDigits(UInt128(value.magnitude), to: &output)
    }

    /// The next field, money as `MoneyColumn.plain` writes it, digits straight into the output.
    public mutating func money(fen: Int128, unit: MoneyUnit) {
        guard fen >= 0 || numberPositions[fieldsInRow] else { return text(MoneyColumn.plain(fen: fen, unit: unit)) }
        _ = nextField()
        if fen < 0 { output.append(UInt8(ascii: "-")) }
        let magnitude = fen.magnitude
        // Yuan with two decimals; wan (1,000,000 fen) with six.
        let scale: UInt128 = unit == .yuan ? 100 : 1_000_000
        JSONByteWriter.appendDigits(magnitude / scale, to: &output)
        output.append(UInt8(ascii: "."))
        let fraction = magnitude % scale
        var place = scale / 10
        while place > 0 {
            output.append(UInt8(ascii: "0") + UInt8(fraction / place % 10))
            place /= 10
        }
    }

    /// The next field, a date as `CalendarDate.description` spells it, written straight in:
    /// digits and dashes need neither quotes nor a defence (a year before 0 would, and goes
    /// the way text goes).
    public mutating func date(_ value: CalendarDate) {
        guard value.components.year >= 0 else { return text(value.description) }
        _ = nextField()
        JSONByteWriter.appendDate(value, to: &output)
    }

    /// The next field, a moment as `Timestamp.description` spells it, written straight in.
    public mutating func timestamp(_ value: Timestamp) {
        guard value.date.components.year >= 0 else { return text(value.description) }
        _ = nextField()
        JSONByteWriter.appendTimestamp(value, to: &output)
    }

    /// Ends the current row, which must have as many fields as the header.
    public mutating func endRow() {
        precondition(fieldsInRow == header.count, "a row has \(fieldsInRow) fields but the header has \(header.count)")
        output.append(contentsOf: CSVWriter.recordEnd)
        fieldsInRow = 0
    }

    /// The whole export, as UTF-8; every row ended.
    public var bytes: [UInt8] {
        precondition(fieldsInRow == 0, "every row ended before the output is taken")
        return output
    }

    /// Hands the bytes written so far to `output` once there are `minimumBytes` or more, and goes
    /// on writing into the same buffer: a long export goes out in pieces as it is written, and
    /// `bytes` is then the rest.
    public mutating func writeOut(ifAtLeast minimumBytes: Int, to sink: ([UInt8]) -> Void) {
        output.writeOut(ifAtLeast: minimumBytes, to: sink)
    }

    /// A writer of the rows that follow those written here, in a part written apart on another
    /// core (`PartedRows`): the same columns, nothing written yet (no header, no byte order
    /// mark). Its bytes go out after this writer's, and the parts' after each other in order.
    public func continuation(capacity: Int) -> CSVWriter {
        precondition(fieldsInRow == 0, "a part starts between rows")
        var part = self
        part.output = []
        part.output.reserveCapacity(max(capacity, 0))
        return part
    }

    public func render() -> String { String(decoding: bytes, as: UTF8.self) }

    private static let recordEnd: [UInt8] = [0x0D, 0x0A]

    /// Counts a field of the row, writes the comma before it and says whether its column holds numbers.
    private mutating func nextField() -> Bool {
        precondition(fieldsInRow < header.count, "a row has more fields than the header's \(header.count)")
        if fieldsInRow > 0 { output.append(UInt8(ascii: ",")) }
        fieldsInRow += 1
        return numberPositions[fieldsInRow - 1]
    }

    /// Writes one field as `field(_:isNumber:)` spells it, working on the bytes: the
    /// apostrophe before a formula, quotes where RFC 4180 needs them, inner quotes doubled.
    /// The rare fields that hold a control character other than tab, CR and LF, or start with
    /// a sign, go through `field(_:isNumber:)` itself.
    private mutating func appendField(_ value: String, isNumber: Bool) {
        var copy = value
        copy.withUTF8 { appendField(utf8: $0, isNumber: isNumber) }
    }

    /// The same, from a String's bytes or bytes `JSONByteWriter.isValidUTF8` accepted.
    private mutating func appendField(utf8 source: UnsafeBufferPointer<UInt8>, isNumber: Bool) {
        if !appendPlainField(utf8: source) {
            output.append(contentsOf: CSVWriter.field(String(decoding: source, as: UTF8.self), isNumber: isNumber).utf8)
        }
    }

    /// Writes a field with no control character to show and no sign to weigh; false, writing
    /// nothing, for any other.
    private mutating func appendPlainField(utf8 source: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = source.first else { return true }
        var needsQuotes = false, hasQuote = false
        var index = 0
        let count = source.count
        while index < count {
            let byte = source[index]
            switch byte {
            case UInt8(ascii: ","), 0x0A, 0x0D: needsQuotes = true
            case UInt8(ascii: "\""):
                needsQuotes = true
                hasQuote = true
            case 0x09: break
            case 0x00...0x1F, 0x7F: return false
            case 0xC2, 0xE2: if TerminalText.startsMultiByteControl(source, at: index) { return false }
            default: break
            }
            index += 1
        }
        let formula: Bool
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D: formula = true
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return false
        default: formula = false
        }
        // Blanks at either end would be trimmed by spreadsheets unless quoted; after an
        // apostrophe the first character is no longer a blank.
        let last = source[count - 1]
        if (!formula && (first == 0x20 || first == 0x09)) || last == 0x20 || last == 0x09 { needsQuotes = true }
        if needsQuotes { output.append(UInt8(ascii: "\"")) }
        if formula { output.append(UInt8(ascii: "'")) }
        if hasQuote {
            for byte in source {
                if byte == UInt8(ascii: "\"") { output.append(byte) }
                output.append(byte)
            }
        } else {
            output.append(contentsOf: source)
        }
        if needsQuotes { output.append(UInt8(ascii: "\"")) }
        return true
    }

    /// One field, its control characters made visible, neutralised against formulas and then
    /// quoted if RFC 4180 requires it.
    static func field(_ text: String, isNumber: Bool = false) -> String {
        var scalars = Array(TerminalText.escaped(text, keeping: ["\t", "\r", "\n"]).unicodeScalars)
        if startsFormula(scalars, isNumber: isNumber) {
            scalars.insert("'", at: 0)
        }
        let needsQuotes = scalars.contains { scalar in
            scalar == "," || scalar == "\"" || scalar == "\r" || scalar == "\n"
        } || isPaddingSpace(scalars.first) || isPaddingSpace(scalars.last)
        var result = String.UnicodeScalarView()
        if needsQuotes { result.append("\"") }
        for scalar in scalars {
            if scalar == "\"" { result.append("\"") }
            result.append(scalar)
        }
        if needsQuotes { result.append("\"") }
        return String(result)
    }

    /// Spreadsheets may trim unquoted leading or trailing blanks; quoting keeps them.
    private static func isPaddingSpace(_ scalar: Unicode.Scalar?) -> Bool {
        scalar == " " || scalar == "\t"
    }

    private static func startsFormula(_ scalars: [Unicode.Scalar], isNumber: Bool) -> Bool {
        guard let first = scalars.first else { return false }
        switch first {
        case "=", "@", "\t", "\r":
            return true
        case "+", "-":
            return !(isNumber && isPlainNumber(scalars))
        default:
            return false
        }
    }

    /// Optional sign, digits with optional comma grouping, optional decimals: nothing a
    /// spreadsheet could evaluate beyond the number itself.
    static func isPlainNumber(_ scalars: [Unicode.Scalar]) -> Bool {
        var index = 0
        if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
            index += 1
        }
        guard index < scalars.count, isDigit(scalars[index]) else { return false }
        while index < scalars.count, isDigit(scalars[index]) || scalars[index] == "," {
            index += 1
        }
        guard scalars[index - 1] != "," else { return false }
        if index < scalars.count, scalars[index] == "." {
            index += 1
            guard index < scalars.count else { return false }
            while index < scalars.count, isDigit(scalars[index]) {
                index += 1
            }
        }
        return index == scalars.count
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x30 && scalar.value <= 0x39
    }
}
