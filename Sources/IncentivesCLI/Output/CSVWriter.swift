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
    /// Positions of the columns that hold numbers (see the formula injection policy).
    private let numberPositions: Set<Int>
    private var records: [String] = []

    public init(header: [String], byteOrderMark: Bool, numberColumns: Set<String> = []) {
        self.header = header
        self.byteOrderMark = byteOrderMark
        numberPositions = Set(header.indices.filter { numberColumns.contains(header[$0]) })
    }

    public mutating func addRow(_ cells: [String]) {
        precondition(
            cells.count == header.count,
            "a row has \(cells.count) fields but the header has \(header.count)"
        )
        records.append(CSVWriter.record(cells, numberPositions: numberPositions))
    }

    public func render() -> String {
        var output = byteOrderMark ? "\u{FEFF}" : ""
        output += CSVWriter.record(header, numberPositions: [])
        for record in records {
            output += record
        }
        return output
    }

    private static func record(_ fields: [String], numberPositions: Set<Int>) -> String {
        fields.indices.map { field(fields[$0], isNumber: numberPositions.contains($0)) }.joined(separator: ",") + "\r\n"
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
