import IncentivesDomain
import IncentivesTestSupport
import Testing
@testable import IncentivesCLI

/// Tables are written from bytes (`TextTable.RowCells`): cells copied from the ledger's columns,
/// numbers written as digits. These hold the bytes to what the String path gives for the same
/// text, cell by cell and table by table, including cells that must be escaped or repaired.
@Suite("Table row cells")
struct TableRowCellsTests {
    /// Pieces of cells: printable ASCII and spaces, Chinese, marks that draw on the character
    /// before, wide and zero-width text, every class of control character and its neighbours,
    /// and byte sequences that are not UTF-8 (stray continuations, overlong forms, surrogates,
    /// beyond U+10FFFF, cut short).
    static let pieces: [[UInt8]] = [
        "a", "Z", "0", "~", "-", ".", " ", " ", "  ", "泰", "州", "名", "，", "\u{301}", "\u{20DD}", "\u{1161}", "\u{600}",
        "\u{200B}", "\u{FEFF}", "\u{FE0F}", "\u{1F600}", "Ａ", "ｱ", "\u{A0}", "\u{A5}", "\u{2029}", "\u{202F}", "\u{2065}",
        "\u{206A}", "\u{20000}", "\u{0}", "\u{1B}", "\n", "\r", "\t", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{202A}",
        "\u{202E}", "\u{2066}", "\u{2069}",
    ].map { Array($0.utf8) } + [
        [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xC2], [0xE0, 0x80, 0x80], [0xE6, 0xB3], [0xED, 0xA0, 0x80],
        [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFE], [0xFF],
    ]

    /// A cell of up to eight pieces, often plain ASCII only, sometimes ending in spaces.
    static func randomCell(_ random: inout SplitMix64) -> [UInt8] {
        if random.chance(1, in: 4) { return Array(random.pick(["", "x", "12,345.00", "91321204MA1YC9CD2W", "total"]).utf8) }
        var cell: [UInt8] = []
        for _ in 0..<random.below(9) {
            cell += random.chance(1, in: 3) ? Array("x".utf8) : random.pick(pieces)
        }
        if random.chance(1, in: 4) { cell += Array(String(repeating: " ", count: random.below(3) + 1).utf8) }
        return cell
    }

    /// What the String path made of a cell read from the ledger's bytes: the repaired String,
    /// escaped, and its width.
    static func stringPath(_ cell: [UInt8]) -> (bytes: [UInt8], width: Int) {
        let safe = TerminalText.escaped(String(decoding: cell, as: UTF8.self))
        return (Array(safe.utf8), DisplayWidth.of(safe))
    }

    @Test("known cells: kept, escaped or repaired as the String path does", arguments: [
        ("plain ASCII", Array("G-1 ~".utf8), Array("G-1 ~".utf8), 5),
        ("Chinese", Array("泰州".utf8), Array("泰州".utf8), 4),
        ("combining accent", Array("e\u{301}".utf8), Array("e\u{301}".utf8), 1),
        ("escape sequence", Array("a\u{1B}[2J".utf8), Array(#"a\u{1B}[2J"#.utf8), 10),
        ("line feed", Array("a\nb".utf8), Array(#"a\u{A}b"#.utf8), 7),
        ("right-to-left override", Array("a\u{202E}b".utf8), Array(#"a\u{202E}b"#.utf8), 10),
        ("C1 control", Array("\u{85}".utf8), Array(#"\u{85}"#.utf8), 6),
        ("invalid byte", [0x61, 0xFF], Array("a\u{FFFD}".utf8), 2),
        ("surrogate", [0xED, 0xA0, 0x80], Array("\u{FFFD}\u{FFFD}\u{FFFD}".utf8), 3),
        ("cut short", [0xE6, 0xB3], Array("\u{FFFD}".utf8), 1),
    ] as [(String, [UInt8], [UInt8], Int)])
    func knownCells(name: String, cell: [UInt8], bytes: [UInt8], width: Int) {
        var row = TextTable.RowCells()
        row.appendCell { $0 += cell }
        #expect(row.bytes == bytes, "\(name)")
        #expect(row.widths == [width], "\(name)")
        #expect(Self.stringPath(cell) == (bytes, width), "the String path agrees: \(name)")
    }

    @Test("random cells: bytes appended, Strings appended and the String path agree", arguments: [61, 62, 63] as [UInt64])
    func randomCellsMatchTheStringPath(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var fromBytes = TextTable.RowCells(), fromStrings = TextTable.RowCells()
        for _ in 0..<400 {
            // One row reused, as a long table reuses it: emptied, then filled again.
            fromBytes.removeAll()
            fromStrings.removeAll()
            let cells = (0..<(random.below(6) + 1)).map { _ in Self.randomCell(&random) }
            for cell in cells {
                fromBytes.appendCell { $0.append(contentsOf: cell) }
                fromStrings.appendCell(String(decoding: cell, as: UTF8.self))
            }
            let expected = cells.map(Self.stringPath)
            #expect(fromBytes.count == cells.count)
            for index in cells.indices {
                #expect(Array(fromBytes.bytes[fromBytes.range(of: index)]) == expected[index].bytes, "\(cells[index])")
                #expect(fromBytes.widths[index] == expected[index].width, "\(cells[index])")
            }
            #expect(fromBytes.bytes == fromStrings.bytes && fromBytes.ends == fromStrings.ends && fromBytes.widths == fromStrings.widths)
        }
    }

    @Test func integersAndMoneyAreTheirStrings() {
        var random = SplitMix64(seed: 64)
        var row = TextTable.RowCells()
        for _ in 0..<2_000 {
            row.removeAll()
            let count = random.chance(1, in: 8) ? random.pick([0, -1, Int.min, Int.max]) : Int(Int64(bitPattern: random.next()) >> Int64(random.below(64)))
            let fen = Int128(Int64(bitPattern: random.next()) >> Int64(random.below(64)))
            row.appendInteger(count)
            row.appendMoney(fen: fen, unit: .yuan)
            row.appendMoney(fen: fen, unit: .wan)
            // Differences: a plus before an increase, as "+" + the String was.
            row.appendInteger(count, plusIfPositive: true)
            row.appendMoney(fen: fen, unit: .wan, plusIfPositive: true)
            let wan = MoneyFormat.format(fen: fen, unit: .wan)
            let expected = [String(count), MoneyFormat.format(fen: fen, unit: .yuan), wan,
                            count > 0 ? "+" + String(count) : String(count), fen > 0 ? "+" + wan : wan]
            #expect(row.bytes == Array(expected.joined().utf8))
            #expect(row.widths == expected.map(\.utf8.count))
        }
    }

    /// Whole tables: rows of random cells given as bytes, written through the byte path (in parts,
    /// in pieces) and through `TextTable`, equal the table the String path rendered from the
    /// repaired Strings (`ByteOutputTests.stringTable`), line trimming included.
    @Test("random tables of byte cells: the String path's table", arguments: [71, 72, 73] as [UInt64])
    func randomTablesMatchTheStringPath(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<40 {
            let columns = (0..<(random.below(5) + 1)).map { _ in
                TextTable.Column(title: String(decoding: Self.randomCell(&random), as: UTF8.self),
                                 alignment: random.chance(1, in: 2) ? .left : .right)
            }
            let rows = (0..<random.below(200)).map { _ in columns.map { _ in Self.randomCell(&random) } }
            let expected = Array(ByteOutputTests.stringTable(columns, rows.map { $0.map { String(decoding: $0, as: UTF8.self) } }).utf8)

            var table = TextTable(columns: columns)
            for row in rows { table.addRow(row.map { String(decoding: $0, as: UTF8.self) }) }
            Self.expectSame(table.renderBytes(), expected, "TextTable")

            var parts: [Range<Int>] = []
            var start = 0
            while start < rows.count || parts.isEmpty {
                let end = min(rows.count, start + random.below(50))
                parts.append(start..<end)
                start = end
            }
            let rounds = stride(from: 0, to: parts.count, by: 2).map { Array(parts[$0..<min($0 + 2, parts.count)]) }
            for pieceBytes in [1, 64, Int.max] {
                var pieces: [[UInt8]] = []
                TextTable.Layout.write(columns: columns, rounds: rounds, pieceBytes: pieceBytes, appendCells: { position, row in
                    for cell in rows[position] { row.appendCell { $0.append(contentsOf: cell) } }
                }) { pieces.append($0) }
                Self.expectSame(Array(pieces.joined()), expected, "in pieces of \(pieceBytes)")
            }
            var whole: [UInt8] = []
            TextTable.Layout.write(columns: columns, rowCount: rows.count, pieceBytes: 1 << 20, cells: { position in
                rows[position].map { String(decoding: $0, as: UTF8.self) }
            }) { whole += $0 }
            Self.expectSame(whole, expected, "the String rows' wrapper")
        }
    }

    /// Expects `written` to be `expected`, naming the first line that differs rather than
    /// printing whole tables.
    static func expectSame(_ written: [UInt8], _ expected: [UInt8], _ what: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        guard written != expected else { return }
        let writtenLines = written.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let common = min(writtenLines.count, expectedLines.count)
        let line = (0..<common).first { writtenLines[$0] != expectedLines[$0] } ?? common
        func text(_ lines: [ArraySlice<UInt8>]) -> String {
            line < lines.count ? String(decoding: lines[line], as: UTF8.self).debugDescription : "(no line)"
        }
        Issue.record("\(what): line \(line + 1) is \(text(writtenLines)), not \(text(expectedLines))", sourceLocation: sourceLocation)
    }
}
