import Foundation
import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing
@testable import IncentivesCLI

/// Large answers are written as bytes (`JSONByteWriter`, `CSVWriter`), not built as a tree of
/// values: the bytes must be exactly those the tree renderer (`OutputJSON`, kept in the test
/// support as the reference) and the String-per-cell CSV gave.
@Suite("Output as bytes")
struct ByteOutputTests {
    // MARK: JSON writer against the tree renderer

    @Test("random values: the byte writer gives the tree renderer's bytes", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func byteWriterMatchesTreeRenderer(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<150 {
            let tree = Self.randomTree(&random, depth: 0)
            for pretty in [false, true] {
                let expected = Array(tree.render(pretty: pretty).utf8)
                var streamed = JSONByteWriter(pretty: pretty)
                Self.write(tree, to: &streamed)
                #expect(streamed.isComplete)
                var parsed = JSONByteWriter(pretty: pretty)
                parsed.value(Self.jsonValue(tree))
                #expect(streamed.bytes == expected, "streamed, pretty \(pretty): \(tree.render(pretty: false))")
                #expect(parsed.bytes == expected, "from JSONValue, pretty \(pretty): \(tree.render(pretty: false))")
            }
        }
    }

    @Test func everyEscapeClassAlone() {
        var scalars: [Unicode.Scalar] = (0x00...0xA0).compactMap(Unicode.Scalar.init)
        scalars += [0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x202F, 0x2065, 0x2066, 0x2067, 0x2068, 0x2069, 0x206A,
                    0xFEFF, 0x1F600].compactMap(Unicode.Scalar.init)
        for scalar in scalars {
            for text in [String(scalar), "a" + String(scalar) + "名", String(scalar) + String(scalar)] {
                let tree = OutputJSON.object([(text, .array([.string(text), .array([]), .object([])]))])
                for pretty in [false, true] {
                    var writer = JSONByteWriter(pretty: pretty)
                    Self.write(tree, to: &writer)
                    #expect(writer.bytes == Array(tree.render(pretty: pretty).utf8), "U+\(String(scalar.value, radix: 16))")
                }
            }
        }
    }

    /// Plain runs are skipped eight bytes at a time: an escape must be found at any offset of a
    /// long name, and in its last bytes too.
    @Test func everyEscapeAtEveryOffset() {
        let specials: [Unicode.Scalar] = ["\"", "\\", "\n", "\u{0}", "\u{1F}", "\u{7F}", "\u{85}", "\u{9F}", "\u{202A}", "\u{2069}"]
        let plain = Array("泰州江堰科技有限公司AB".unicodeScalars)
        for special in specials {
            for length in [7, 8, 9, 16, 17, 25] {
                for offset in 0...length {
                    var scalars = Array(plain.prefix(length))
                    scalars.insert(special, at: min(offset, scalars.count))
                    var text = ""
                    text.unicodeScalars.append(contentsOf: scalars)
                    let tree = OutputJSON.array([.string(text)])
                    var writer = JSONByteWriter(pretty: false)
                    Self.write(tree, to: &writer)
                    #expect(writer.bytes == Array(tree.render(pretty: false).utf8), "U+\(String(special.value, radix: 16)) at \(offset) of \(length)")
                }
            }
        }
        // The words' bit tests against the byte-by-byte rule, on every byte value in every lane.
        for lane in 0..<8 {
            for value in 0...255 {
                let plainLanes: UInt64 = 0x4141_4141_4141_4141 & ~(UInt64(0xFF) << (8 * lane))
                let word = UInt64(value) << (8 * lane) | plainLanes
                let escaped = value < 0x20 || [0x22, 0x5C, 0x7F, 0xC2, 0xE2].contains(value)
                #expect(JSONByteWriter.mayNeedEscape(word) == escaped, "byte \(value) in lane \(lane)")
            }
        }
    }

    /// Indentation is copied from a line of 24 levels; deeper levels add spaces one by one.
    @Test func deepNestingIndentsAsTheTreeRenderer() {
        for depth in [1, 23, 24, 25, 40] {
            var tree = OutputJSON.array([.string("x")])
            for level in 0..<depth { tree = level % 2 == 0 ? .object([("k", tree)]) : .array([tree, .string("y")]) }
            var writer = JSONByteWriter(pretty: true)
            Self.write(tree, to: &writer)
            #expect(writer.bytes == Array(tree.render(pretty: true).utf8), "depth \(depth)")
        }
    }

    @Test func integersOfEveryWidth() {
        var random = SplitMix64(seed: 99)
        var values: [Int128] = [0, 1, -1, 9, 10, -10, 99, 100, Int128(Int64.max), Int128(Int64.min),
                                Int128(UInt64.max), -Int128(UInt64.max), Int128.max, Int128.min]
        for _ in 0..<500 {
            let bits = random.below(126) + 1
            let magnitude = (Int128(truncatingIfNeeded: random.next()) << 64 | Int128(truncatingIfNeeded: random.next())) & ((1 << Int128(bits)) - 1)
            values.append(random.chance(1, in: 2) ? magnitude : -magnitude)
        }
        for value in values {
            var writer = JSONByteWriter(pretty: false)
            writer.integer(value)
            #expect(writer.bytes == Array(String(value).utf8))
            if let small = Int64(exactly: value) {
                var writer64 = JSONByteWriter(pretty: true)
                writer64.integer(small)
                #expect(writer64.bytes == Array(OutputJSON.integer(small).render(pretty: true).utf8))
            }
        }
    }

    @Test func datesAndMomentsAreSpelledAsTheirDescriptions() {
        var random = SplitMix64(seed: 41)
        var days: [Int32] = [0, -1, 1, -25_567, 2_932_896, -719_528, -719_529, -800_000]
        for _ in 0..<1_000 { days.append(Int32(random.below(3_700_000)) - 800_000) }
        for day in days {
            let date = CalendarDate(daysSinceEpoch: day)
            let moment = Timestamp(secondsSinceEpoch: Int64(day) * 86_400 + Int64(random.below(86_400)))
            var writer = JSONByteWriter(pretty: false)
            writer.beginArray()
            writer.date(date)
            writer.timestamp(moment)
            writer.endArray()
            #expect(writer.bytes == Array(OutputJSON.array([.string(date.description), .string(moment.description)]).render(pretty: false).utf8))
            var csv = CSVWriter(header: ["effective", "recorded"], byteOrderMark: false)
            csv.date(date)
            csv.timestamp(moment)
            csv.endRow()
            #expect(csv.bytes == Array(Self.treeCSV(["effective", "recorded"], [[date.description, moment.description]]).utf8),
                    "\(date.description) \(moment.description)")
        }
    }

    @Test func aKeyOutsideAnObjectStops() async {
        await #expect(processExitsWith: .failure) {
            var writer = JSONByteWriter(pretty: false)
            writer.beginArray()
            writer.key(text: "a")
        }
    }

    @Test func aValueWithoutItsKeyStops() async {
        await #expect(processExitsWith: .failure) {
            var writer = JSONByteWriter(pretty: false)
            writer.beginObject()
            writer.integer(1)
        }
    }

    @Test func unclosedOutputIsNotTaken() async {
        await #expect(processExitsWith: .failure) {
            var writer = JSONByteWriter(pretty: false)
            writer.beginObject()
            _ = writer.finishedLine()
        }
    }

    // MARK: CSV writer against the String-per-cell CSV

    @Test("random rows: CSV bytes match the field-by-field Strings", arguments: [11, 12, 13, 14] as [UInt64])
    func csvMatchesFieldStrings(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<40 {
            let columns = random.below(5) + 1
            let header = (0..<columns).map { _ in Self.randomCSVText(&random) }
            let numbers = Set(header.filter { _ in random.chance(1, in: 2) })
            let bom = random.chance(1, in: 2)
            var writer = CSVWriter(header: header, byteOrderMark: bom, numberColumns: numbers)
            var expected = (bom ? "\u{FEFF}" : "") + Self.record(header, numbers: [])
            for _ in 0..<random.below(12) {
                var cells: [String] = []
                for _ in 0..<columns {
                    switch random.below(4) {
                    case 0:
                        let count = random.below(2_000_001) - 1_000_000
                        writer.integer(count)
                        cells.append(String(count))
                    case 1:
                        let fen = Int128(Int64(bitPattern: random.next())) >> Int128(random.below(60))
                        let unit: MoneyUnit = random.chance(1, in: 2) ? .yuan : .wan
                        writer.money(fen: fen, unit: unit)
                        cells.append(MoneyColumn.plain(fen: fen, unit: unit))
                    default:
                        let text = Self.randomCSVText(&random)
                        writer.text(text)
                        cells.append(text)
                    }
                }
                writer.endRow()
                expected += Self.record(cells, numbers: numbers, header: header)
            }
            #expect(writer.bytes == Array(expected.utf8), "header \(header), numbers \(numbers)")
        }
    }

    @Test func everyPairOfSpecialCharactersAtTheEnds() {
        for first in Self.scalarPool {
            for last in Self.scalarPool {
                for text in [String(first), String(first) + String(last), String(first) + "x,名" + String(last)] {
                    for isNumber in [false, true] {
                        var writer = CSVWriter(header: ["n"], byteOrderMark: false, numberColumns: isNumber ? ["n"] : [])
                        writer.text(text)
                        writer.endRow()
                        let expected = "n\r\n" + CSVWriter.field(text, isNumber: isNumber) + "\r\n"
                        #expect(writer.bytes == Array(expected.utf8), "\(Array(text.unicodeScalars)), number column \(isNumber)")
                    }
                }
            }
        }
    }

    @Test func aRowShortOfFieldsStops() async {
        await #expect(processExitsWith: .failure) {
            var writer = CSVWriter(header: ["a", "b"], byteOrderMark: false)
            writer.text("1")
            writer.endRow()
        }
    }

    // MARK: Tables and the terminal filter

    @Test("random tables: bytes match the String-per-line table", arguments: [21, 22, 23] as [UInt64])
    func tableMatchesStringLines(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        // Trailing blanks, a prepended mark (U+0600) before them, wide and zero-width text.
        let pool = ["", " ", "a ", "名称 ", "\u{600} ", "\u{600}", "e\u{301} ", "泰州", "x", "12,345.00", " lead", "\u{200B}", "a\tb"]
        for _ in 0..<60 {
            let columns = (0..<(random.below(4) + 1)).map { _ in
                TextTable.Column(title: random.pick(pool), alignment: random.chance(1, in: 2) ? .left : .right)
            }
            var table = TextTable(columns: columns)
            var rows: [[String]] = []
            for _ in 0..<random.below(8) {
                let row = columns.map { _ in random.chance(1, in: 2) ? random.pick(pool) : Self.randomText(&random) }
                table.addRow(row)
                rows.append(row)
            }
            let expected = Self.stringTable(columns, rows)
            #expect(table.renderBytes() == Array(expected.utf8), "\(rows)")
            // Measured in one pass and written in a second, as long tables are: the same bytes.
            var layout = TextTable.Layout(columns: columns)
            for row in rows { layout.measure(row) }
            var streamed: [UInt8] = []
            layout.appendHeader(to: &streamed)
            for row in rows { layout.appendRow(row, to: &streamed) }
            #expect(streamed == Array(expected.utf8), "two passes: \(rows)")
        }
    }

    /// A long table is measured and written in parts on every core, in rounds: whatever the
    /// parts, its bytes are the one table's, in pieces of whole lines, each at least the piece
    /// size (but the last) and shorter than the piece size and a line.
    @Test("random tables in random parts: one table's bytes, in pieces of whole lines", arguments: [41, 42, 43] as [UInt64])
    func partedTableIsOneTable(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let pool = ["", " ", "a ", "名称 ", "\u{600} ", "e\u{301} ", "泰州市旭昌信息技术有限公司", "x", "12,345.00", "a\tb"]
        for _ in 0..<40 {
            let columns = (0..<(random.below(4) + 1)).map { _ in
                TextTable.Column(title: random.pick(pool), alignment: random.chance(1, in: 2) ? .left : .right)
            }
            let rows = (0..<random.below(300)).map { _ in
                columns.map { _ in random.chance(1, in: 2) ? random.pick(pool) : Self.randomText(&random) }
            }
            // Consecutive parts of random sizes (some empty), in rounds of one to three.
            var parts: [Range<Int>] = []
            var start = 0
            while start < rows.count || parts.isEmpty {
                let end = min(rows.count, start + random.below(80))
                parts.append(start..<end)
                start = end
            }
            var rounds: [[Range<Int>]] = []
            while !parts.isEmpty {
                let count = min(parts.count, random.below(3) + 1)
                rounds.append(Array(parts.prefix(count)))
                parts.removeFirst(count)
            }
            let expected = Array(Self.stringTable(columns, rows).utf8)
            let longestLine = expected.split(separator: UInt8(ascii: "\n")).map(\.count).max() ?? 0
            // Every row kept from the measuring pass, none, or as many parts' as a small budget holds.
            for (pieceBytes, heldBytes) in [(1, 0), (7, 1_000), (100, TextTable.Layout.heldRowsBudgetBytes), (4_096, 0),
                                            (Int.max, TextTable.Layout.heldRowsBudgetBytes), (Int.max, 3_000)] {
                var pieces: [[UInt8]] = []
                TextTable.Layout.write(columns: columns, rounds: rounds, pieceBytes: pieceBytes, cells: { rows[$0] },
                                       heldBytes: heldBytes) { pieces.append($0) }
                #expect(Array(pieces.joined()) == expected, "\(rounds) in pieces of \(pieceBytes), \(heldBytes) bytes kept")
                #expect(pieces.allSatisfy { $0.last == UInt8(ascii: "\n") && $0.count - longestLine - 1 <= pieceBytes - 1 },
                        "whole lines, at most a line past the size: \(pieces.map(\.count))")
                #expect(pieces.dropLast().allSatisfy { $0.count >= pieceBytes }, "only the last is short: \(pieces.map(\.count))")
            }
        }
    }

    @Test func theTerminalFilterFindsWhatEscapingWouldChange() {
        var random = SplitMix64(seed: 31)
        for _ in 0..<2_000 {
            let text = Self.randomText(&random) + (random.chance(1, in: 2) ? "\n" : "")
            let changes = TerminalText.escaped(text, keepingNewlines: true) != text
            #expect(TerminalText.needsEscaping(Array(text.utf8)) == changes, "\(Array(text.unicodeScalars))")
        }
    }

    /// Output is searched in chunks (`TerminalText.needsEscaping`): a control character is found
    /// wherever it lies, its bytes across a chunk's end included, and plain text of any length passes.
    @Test func theTerminalFilterFindsControlsInLongOutput() {
        var random = SplitMix64(seed: 32)
        let plain: [String] = ["x", "泰州", "·", "—", "\u{A0}", "\u{2029}", "\u{202F}", "\u{2065}", "\n", "12,345.00  "]
        let controls: [String] = ["\u{0}", "\u{1B}", "\t", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}"]
        for _ in 0..<3_000 {
            var text = ""
            while text.utf8.count < random.below(300) { text += random.pick(plain) }
            if random.chance(1, in: 2) { text += random.pick(controls) }
            while text.utf8.count < random.below(300) { text += random.pick(plain) }
            let changes = TerminalText.escaped(text, keepingNewlines: true) != text
            #expect(TerminalText.needsEscaping(Array(text.utf8)) == changes, "\(Array(text.unicodeScalars))")
        }
    }

    /// The table as it was rendered before, a String per line.
    static func stringTable(_ columns: [TextTable.Column], _ rows: [[String]]) -> String {
        let titles = columns.map { TerminalText.escaped($0.title) }
        let safeRows = rows.map { $0.map { TerminalText.escaped($0) } }
        var widths = titles.map { DisplayWidth.of($0) }
        for row in safeRows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], DisplayWidth.of(cell)) }
        }
        func line(_ cells: [String]) -> String {
            var line = ""
            for index in cells.indices {
                if index > 0 { line += "  " }
                let padding = String(repeating: " ", count: widths[index] - DisplayWidth.of(cells[index]))
                line += columns[index].alignment == .left ? cells[index] + padding : padding + cells[index]
            }
            while line.last == " " { line.removeLast() }
            return line + "\n"
        }
        return line(titles) + line(widths.map { String(repeating: "-", count: $0) }) + safeRows.map(line).joined()
    }

    // MARK: Large answers against the tree path

    static let clock = FixedClock(Timestamp(parsing: "2026-01-01T00:00:00Z")!)

    @Test func bundledEventsAnswerAsTheTreePathDid() throws {
        try compareLargeAnswers(events: GoldenReplayTests.events)
    }

    @Test("rows written in parts on several cores join to the bytes one writer gives, however many parts")
    func rowsWrittenInParts() throws {
        let ledger = try Self.generatedLedger(seed: 29, enterprises: 120)
        let window = TimeWindow(knownAt: Self.clock.now())
        let models = Projection(ledger: ledger, window: window).run()
        for grouping in GrantBreakdown.Grouping.allCases {
            let breakdown = GrantBreakdown(ledger: ledger, models: models, grouping: grouping, filter: .init())
            let expected = Self.treeJSON(.record([("rows", breakdown.json)]))
            // One round of 1, 2, 3, 7 and up to 16 parts, the rows split as the command splits them.
            var onePart: [UInt8]?
            for parts in [1, 2, 3, 7, PartedRows.maximumParts] {
                let rowsPerPart = max(1, (breakdown.rowCount + parts - 1) / parts)
                let rounds = PartedRows.rounds(rowCount: breakdown.rowCount, cores: PartedRows.maximumParts, rowsPerPart: rowsPerPart)
                try #require(rounds.count == 1, "at most \(parts) parts fit one round of \(PartedRows.maximumParts)")
                let ranges = rounds[0]
                #expect(ranges.count <= parts && ranges.count == max(1, (breakdown.rowCount + rowsPerPart - 1) / rowsPerPart),
                        "\(breakdown.rowCount) rows in parts of at most \(rowsPerPart)")
                var writer = JSONByteWriter(pretty: true)
                writer.beginObject()
                writer.key("rows")
                writer.beginArray()
                let written = GrantsCommand.jsonRowParts(breakdown, after: writer, ranges: ranges)
                #expect(written.count == ranges.count)
                var bytes = writer.takeBytes()
                for part in written {
                    bytes += part.bytes
                    writer.resume(after: part)
                }
                writer.endArray()
                writer.endObject()
                bytes += writer.finishedLine()
                #expect(String(decoding: bytes, as: UTF8.self) == expected, "by \(grouping.rawValue), \(ranges.count) parts of \(breakdown.rowCount) rows")
                if let onePart {
                    #expect(bytes == onePart, "by \(grouping.rawValue), \(ranges.count) parts against one")
                } else {
                    #expect(ranges == [0..<breakdown.rowCount], "the first is one part of every row")
                    onePart = bytes
                }
            }
            // In rounds of small parts, each printed before the next round is written.
            for (cores, rowsPerPart) in [(1, 1), (2, 3), (2, 64), (3, 17), (16, 5)] {
                var writer = JSONByteWriter(pretty: true)
                writer.beginObject()
                writer.key("rows")
                writer.beginArray()
                var bytes: [UInt8] = []
                let rounds = PartedRows.rounds(rowCount: breakdown.rowCount, cores: cores, rowsPerPart: rowsPerPart)
                GrantsCommand.writeJSONRows(breakdown, after: &writer, rounds: rounds) { bytes += $0 }
                writer.endArray()
                writer.endObject()
                bytes += writer.finishedLine()
                #expect(String(decoding: bytes, as: UTF8.self) == expected,
                        "by \(grouping.rawValue), rounds of \(cores) parts of at most \(rowsPerPart) rows")
            }
        }
        // Rounds cover every row once, in order, in parts of near-equal size and of at most the rows
        // asked, as few as that and the cores allow, as many as the cores a round.
        for rowCount in [0, 1, 5, 100, 65_537, 200_000] {
            for cores in 1...PartedRows.maximumParts {
                for rowsPerPart in [1, 3, 1_000, PartedRows.maximumRowsPerPart] {
                    let rounds = PartedRows.rounds(rowCount: rowCount, cores: cores, rowsPerPart: rowsPerPart)
                    let parts = rounds.flatMap { $0 }
                    let asked = "\(rowCount) rows, \(cores) cores, \(rowsPerPart) rows a part"
                    #expect(rounds.allSatisfy { !$0.isEmpty && $0.count <= cores }, "\(asked)")
                    #expect(rounds.dropLast().allSatisfy { $0.count == cores }, "only the last round short: \(asked)")
                    #expect(parts.first?.lowerBound == 0 && parts.last?.upperBound == rowCount, "\(asked)")
                    #expect(zip(parts, parts.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound }, "\(asked)")
                    #expect(parts.allSatisfy { $0.count <= rowsPerPart }, "\(asked)")
                    let sizes = parts.map(\.count)
                    #expect(sizes.max()! - sizes.min()! <= 1, "near-equal parts: \(asked)")
                    #expect(rowCount == 0 || sizes.allSatisfy { $0 > 0 }, "no empty part: \(asked)")
                    #expect(parts.count == max(PartedRows.partCount(rowCount: rowCount, cores: cores), (rowCount + rowsPerPart - 1) / rowsPerPart),
                            "as few parts as the size and the cores allow: \(asked)")
                }
            }
        }
        #expect(PartedRows.rounds(rowCount: 200_000, cores: 2).count == 2, "four parts of 50,000 rows on two cores")
        #expect(PartedRows.partCount(rowCount: 10) == 1, "a short answer in one part")
    }

    @Test("long answers (tier moves, a programme's history, a table) go out in pieces that join to the whole answer, none much over the piece size")
    func longAnswersWrittenInPieces() throws {
        let (directory, ledger) = try Self.generatedLedgerWithLogs(seed: 31, enterprises: 150)
        let models = Projection(ledger: ledger, window: TimeWindow(knownAt: Self.clock.now())).run()
        let report = TierReport(ledger: ledger, models: models, transitionsFrom: nil, to: nil, includeTransitions: true)
        let transitions = try #require(report.transitions)
        try #require(transitions.count >= 50, "enough moves to split: \(transitions.count)")
        let header = ["effective", "enterprise", "name", "from", "to", "kind"]
        let rows = transitions.map { [$0.effective.description, $0.enterprise, $0.name, $0.from.name, $0.to.name, $0.kind] }
        var table = TextTable(columns: header.map { TextTable.Column(title: $0) })
        for row in rows { table.addRow(row) }
        Self.expectJSONPieces(of: report.json, "tiers json") { writer, pieceBytes, output in
            TiersCommand.writeJSONMembers(report, to: &writer, pieceBytes: pieceBytes, output: output)
        }
        Self.expectCSVPieces(header, rows, bom: true, "tiers csv") { csv, pieceBytes, output in
            TiersCommand.writeCSVMoves(report, to: &csv, pieceBytes: pieceBytes, output: output)
        }
        Self.expectPieces(of: table.renderBytes(), "tiers table") { pieceBytes, output in
            TiersCommand.writeTableMoves(report, pieceBytes: pieceBytes, output: output)
        }
        // The programme with the most events: its history, entry by entry.
        let programme = try #require((0..<ledger.programmes.count).map { ledger.programmes.string(.init(offset: $0)) }
            .max { History(ledger: ledger, subject: $0, knownAt: Self.clock.now())!.count < History(ledger: ledger, subject: $1, knownAt: Self.clock.now())!.count })
        let history = try #require(History(ledger: ledger, subject: programme, knownAt: Self.clock.now()))
        try #require(history.count >= 50, "enough entries to split: \(history.count)")
        Self.expectJSONPieces(of: history.json, "history json") { writer, pieceBytes, output in
            HistoryCommand.writeJSONMembers(history, to: &writer, pieceBytes: pieceBytes, output: output)
        }
        let historyHeader = ["recorded", "effective", "event", "type", "actor", "source", "details", "retracted"]
        let historyRows = history.entries.map {
            [$0.recorded.description, $0.effective.description, $0.event, $0.type, $0.actor, $0.source, $0.details,
             $0.retractedBy.map { "retracted by \($0)" } ?? ""]
        }
        Self.expectCSVPieces(historyHeader, historyRows, bom: false, "history csv") { csv, pieceBytes, output in
            HistoryCommand.writeCSVRows(history, to: &csv, pieceBytes: pieceBytes, output: output)
        }
        var historyTable = TextTable(columns: historyHeader.map { TextTable.Column(title: $0) })
        for row in historyRows { historyTable.addRow(row) }
        Self.expectPieces(of: historyTable.renderBytes(), "a table of the history's rows") { pieceBytes, output in
            TextTable.Layout.write(columns: historyHeader.map { .init(title: $0) }, rowCount: historyRows.count, pieceBytes: pieceBytes,
                                   cells: { historyRows[$0] }, to: output)
        }
        // The restatements of a year reported at its start: most of its grant events restate it.
        let store = IncentiveLogs.store(directory: directory.path)
        let knownAt = Self.clock.now(), reportedAt = try #require(Timestamp(parsing: "2022-01-15T00:00:00Z"))
        let period = try #require(RestatementPeriod(parsing: "2022"))
        let restatement = Restatement(ledger: ledger, period: period, reportedAt: reportedAt, knownAt: knownAt)
        try #require(restatement.changes.count >= 50, "enough changes to split: \(restatement.changes.count)")
        let now = try AnswerProvenance(ledger: ledger, window: TimeWindow(asOf: period.last, knownAt: knownAt), store: store)
        let reported = try AnswerProvenance(ledger: ledger, window: TimeWindow(asOf: period.last, knownAt: reportedAt), store: store)
        // As the command built it before: the tree, the heads at the report after the heads now.
        guard case .object(let object) = Self.answer(restatement.json, now, key: "restatement") else {
            Issue.record("a restatement's JSON is an object")
            return
        }
        var members = object.members.map { ($0.key, $0.value) }
        let headsAt = try #require(members.firstIndex { $0.0 == "heads" })
        members.insert(("reportedHeads", try #require(reported.jsonMembers.first { $0.0 == "heads" }).1), at: headsAt + 1)
        // Its head (the heads of two windows, the totals) is its longest part before the first row.
        Self.expectJSONPieces(of: .record(members), "restatements json", longestRowBytes: 4_096) { writer, pieceBytes, output in
            for (name, value) in now.jsonMembers {
                writer.key(text: name)
                writer.value(value)
            }
            RestatementsCommand.writeJSONMembers(restatement, reportedHeads: reported, leading: Set(now.jsonMembers.map(\.0)),
                                                 to: &writer, pieceBytes: pieceBytes, output: output)
        }
        // CSV and table: the same bytes in pieces of every size as in one.
        var wholeCSV: [UInt8] = [], wholeTable: [UInt8] = []
        RestatementsCommand.writeCSV(restatement, unit: .wan, byteOrderMark: true, pieceBytes: .max) { wholeCSV += $0 }
        RestatementsCommand.write(restatement, unit: .yuan, heads: (reported, now), pieceBytes: .max) { wholeTable += $0 }
        #expect(String(decoding: wholeCSV, as: UTF8.self).contains("event,") && String(decoding: wholeTable, as: UTF8.self).contains("were restated"))
        Self.expectPieces(of: wholeCSV, "restatements csv") { pieceBytes, output in
            RestatementsCommand.writeCSV(restatement, unit: .wan, byteOrderMark: true, pieceBytes: pieceBytes, to: output)
        }
        Self.expectPieces(of: wholeTable, "restatements table", unboundedPieces: nil) { pieceBytes, output in
            RestatementsCommand.write(restatement, unit: .yuan, heads: (reported, now), pieceBytes: pieceBytes, to: output)
        }
    }

    /// A ledger the generator makes with `seed` and `enterprises`, read whole from its logs (its
    /// directory goes once it is read: the ledger keeps everything in memory).
    static func generatedLedger(seed: Int, enterprises: Int) throws -> Ledger {
        try generatedLedgerWithLogs(seed: seed, enterprises: enterprises).ledger
    }

    /// The same, with the directory of its logs (removed when the caller lets it go).
    static func generatedLedgerWithLogs(seed: Int, enterprises: Int) throws -> (directory: TemporaryDirectory, ledger: Ledger) {
        let directory = TemporaryDirectory()
        let result = try Generator.run(["--output", directory.path, "--seed", String(seed), "--enterprises", String(enterprises), "--quiet"])
        #expect(result.status == 0, "\(result.errors)")
        return (directory, try Ledger.open(store: IncentiveLogs.store(directory: directory.path), verify: true, useSnapshot: false,
                                           environment: [:]).ledger)
    }

    /// `expectPieces` for JSON members written by `write` into an open object, against `value`
    /// rendered whole.
    static func expectJSONPieces(of value: JSONValue, _ answer: String, longestRowBytes: Int = 1_024,
                                 sourceLocation: SourceLocation = #_sourceLocation,
                                 write: (inout JSONByteWriter, Int, ([UInt8]) -> Void) -> Void) {
        expectPieces(of: Array(treeJSON(value).utf8), answer, longestRowBytes: longestRowBytes,
                     sourceLocation: sourceLocation) { pieceBytes, output in
            var writer = JSONByteWriter(pretty: true)
            writer.beginObject()
            withoutActuallyEscaping(output) { write(&writer, pieceBytes, $0) }
            writer.endObject()
            output(writer.finishedLine())
        }
    }

    /// `expectPieces` for CSV rows written by `write` after `header`, against the String-per-field CSV.
    static func expectCSVPieces(_ header: [String], _ rows: [[String]], bom: Bool, _ answer: String,
                                sourceLocation: SourceLocation = #_sourceLocation,
                                write: (inout CSVWriter, Int, ([UInt8]) -> Void) -> Void) {
        expectPieces(of: Array(treeCSV(header, rows, bom: bom).utf8), answer, sourceLocation: sourceLocation) { pieceBytes, output in
            var csv = CSVWriter(header: header, byteOrderMark: bom)
            withoutActuallyEscaping(output) { write(&csv, pieceBytes, $0) }
            output(csv.bytes)
        }
    }

    /// `write(pieceBytes, output)` writes an answer in pieces of about `pieceBytes`: for several
    /// sizes, the pieces join to `whole`, none is longer than the size and a row (`longestRowBytes`:
    /// no row of the generated ledger is longer than 1 kB; a piece ends with the row that filled it), there are
    /// as many as that makes necessary, and with no limit the answer comes in `unboundedPieces`
    /// pieces (one, unless it is written in parts; nil: not counted).
    static func expectPieces(of whole: [UInt8], _ answer: String, unboundedPieces: Int? = 1, longestRowBytes: Int = 1_024,
                             sourceLocation: SourceLocation = #_sourceLocation, write: (Int, ([UInt8]) -> Void) -> Void) {
        #expect(whole.count > 4 * longestRowBytes, "\(answer): long enough to split (\(whole.count) bytes)", sourceLocation: sourceLocation)
        for pieceBytes in [1, 100, 4_096, Int.max] {
            var pieces: [[UInt8]] = []
            write(pieceBytes) { pieces.append($0) }
            let asked = "\(answer) in pieces of \(pieceBytes) bytes"
            #expect(Array(pieces.joined()) == whole, "\(asked)", sourceLocation: sourceLocation)
            if pieceBytes == Int.max {
                // An answer of several parts (a table's lines before its own tables) comes in as many.
                if let unboundedPieces {
                    #expect(pieces.filter { !$0.isEmpty }.count == unboundedPieces, "\(asked): the whole answer at once",
                            sourceLocation: sourceLocation)
                }
            } else {
                #expect(pieces.allSatisfy { $0.count < pieceBytes + longestRowBytes }, "\(asked): \(pieces.map(\.count).max() ?? 0)",
                        sourceLocation: sourceLocation)
                #expect(pieces.count > whole.count / (pieceBytes + longestRowBytes), "\(asked): \(pieces.count) pieces of \(whole.count) bytes",
                        sourceLocation: sourceLocation)
            }
        }
    }

    @Test func generatedLedgerAnswersAsTheTreePathDid() throws {
        let directory = TemporaryDirectory()
        let result = try Generator.run(["--output", directory.path, "--seed", "23", "--enterprises", "150", "--quiet"])
        #expect(result.status == 0, "\(result.errors)")
        try compareLargeAnswers(events: directory.path)
    }

    /// Every `grants --by` in JSON and CSV (yuan and wan), `tiers --transitions`, `audit` and
    /// `history` of the largest subjects in JSON and CSV: each equal, byte for byte, to the tree of values rendered.
    private func compareLargeAnswers(events: String) throws {
        let store = IncentiveLogs.store(directory: events)
        let ledger = try Ledger.open(store: store, verify: true, useSnapshot: false, environment: [:]).ledger
        let window = TimeWindow(knownAt: Self.clock.now())
        let provenance = try AnswerProvenance(ledger: ledger, window: window, store: store)
        let models = Projection(ledger: ledger, window: window).run()
        for grouping in GrantBreakdown.Grouping.allCases {
            let breakdown = GrantBreakdown(ledger: ledger, models: models, grouping: grouping, filter: .init())
            #expect(!breakdown.rows.isEmpty)
            expectOutput(["grants", "--by", grouping.rawValue, "--format", "json"], events: events,
                         equals: Self.treeJSON(Self.answer(breakdown.json, provenance, key: "rows")))
            for unit in [MoneyUnit.yuan, .wan] {
                var arguments = ["grants", "--by", grouping.rawValue, "--format", "csv", "--unit", unit == .yuan ? "yuan" : "wan"]
                if unit == .wan { arguments.append("--bom") }
                expectOutput(arguments, events: events, equals: Self.grantsCSV(breakdown, unit: unit, bom: unit == .wan))
            }
        }
        let tiers = TierReport(ledger: ledger, models: models, transitionsFrom: nil, to: nil, includeTransitions: true)
        #expect(tiers.transitions?.isEmpty == false)
        expectOutput(["tiers", "--transitions", "--format", "json"], events: events,
                     equals: Self.treeJSON(Self.answer(tiers.json, provenance, key: "tiers")))
        let moves = (tiers.transitions ?? []).map { [$0.effective.description, $0.enterprise, $0.name, $0.from.name, $0.to.name, $0.kind] }
        expectOutput(["tiers", "--transitions", "--format", "csv"], events: events,
                     equals: Self.treeCSV(["effective", "enterprise", "name", "from", "to", "kind"], moves))
        let report = Auditor(ledger: ledger, window: window).run()
        #expect(!report.findings.isEmpty)
        expectOutput(["audit", "--format", "json"], events: events,
                     equals: Self.treeJSON(Self.answer(report.json, provenance, key: "findings")))
        let auditCells = report.findings.map {
            [$0.rule.name, $0.severity.name, $0.subject, $0.event ?? "", $0.effective.description, $0.message]
        }
        expectOutput(["audit", "--format", "csv"], events: events,
                     equals: Self.treeCSV(["rule", "severity", "subject", "event", "effective", "message"], auditCells))
        let programme = ledger.programmes.string(.init(offset: 0)), enterprise = ledger.enterprises.string(.init(offset: 0))
        for subject in [programme, enterprise, ledger.grants.string(.init(offset: 0)), ledger.eventId(of: 0)] {
            let history = try #require(History(ledger: ledger, subject: subject, knownAt: window.knownAt))
            expectOutput(["history", subject, "--format", "json"], events: events,
                         equals: Self.treeJSON(Self.answer(history.json, provenance, key: "events")))
            let cells = history.entries.map {
                [$0.recorded.description, $0.effective.description, $0.event, $0.type, $0.actor, $0.source, $0.details,
                 $0.retractedBy.map { "retracted by \($0)" } ?? ""]
            }
            expectOutput(["history", subject, "--format", "csv"], events: events,
                         equals: Self.treeCSV(["recorded", "effective", "event", "type", "actor", "source", "details", "retracted"], cells))
        }
    }

    private func expectOutput(_ arguments: [String], events: String, equals expected: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let io = CapturedIO()
        let code = CLI.run(arguments + ["--events", events, "--no-snapshot"], environment: [:], io: io, clock: Self.clock)
        #expect(code == 0, "incentives \(arguments.joined(separator: " ")): \(io.errors)", sourceLocation: sourceLocation)
        // Bytes, not String ==, which would accept a canonically equivalent spelling.
        let same = Array(io.output.utf8) == Array(expected.utf8)
        #expect(same, "incentives \(arguments.joined(separator: " ")) differs from the tree path:\n\(GoldenReplayTests.diff(expected, io.output))",
                sourceLocation: sourceLocation)
    }

    // MARK: The tree path, as commands took it before

    /// `answerJSON` as commands used it: the window and heads first, then the body's members.
    static func answer(_ body: JSONValue, _ provenance: AnswerProvenance, key: String) -> JSONValue {
        let leading = provenance.jsonMembers
        let names = Set(leading.map(\.0))
        switch body {
        case .object(let object):
            return .record(leading + object.members.filter { !names.contains($0.key) }.map { ($0.key, $0.value) })
        default:
            return .record(leading + [(key, body)])
        }
    }

    static func treeJSON(_ value: JSONValue) -> String { OutputJSON(value).render(pretty: true) + "\n" }

    static func grantsCSV(_ breakdown: GrantBreakdown, unit: MoneyUnit, bom: Bool) -> String {
        let labelled = breakdown.isLabelled
        let moneyTitles = ["awarded", "disbursed", "recovered"].map { MoneyColumn.title($0, unit: unit) }
        let header = [breakdown.grouping.rawValue] + (labelled ? ["name"] : []) + ["count"] + moneyTitles
        let cells = breakdown.rows.map { row in
            [breakdown.key(of: row)] + (labelled ? [breakdown.label(of: row)] : []) + [String(row.count), MoneyColumn.plain(fen: row.awardedFen, unit: unit),
                                                         MoneyColumn.plain(fen: row.disbursedFen, unit: unit),
                                                         MoneyColumn.plain(fen: row.recoveredFen, unit: unit)]
        }
        return treeCSV(header, cells, numbers: Set(["count"] + moneyTitles), bom: bom)
    }

    static func treeCSV(_ header: [String], _ rows: [[String]], numbers: Set<String> = [], bom: Bool = false) -> String {
        (bom ? "\u{FEFF}" : "") + record(header, numbers: []) + rows.map { record($0, numbers: numbers, header: header) }.joined()
    }

    /// One record as the String-per-field CSV wrote it.
    static func record(_ fields: [String], numbers: Set<String>, header: [String] = []) -> String {
        fields.indices.map { CSVWriter.field(fields[$0], isNumber: $0 < header.count && numbers.contains(header[$0])) }
            .joined(separator: ",") + "\r\n"
    }

    // MARK: Random values

    /// Every class the escaping treats apart: quote, backslash, the short escapes, other C0,
    /// DEL, C1 and its neighbours, bidirectional controls and their neighbours, Chinese, a
    /// four-byte scalar, a byte order mark, plain ASCII, CSV's separators and formula starts.
    static let scalarPool: [Unicode.Scalar] = [
        "\"", "\\", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{00}", "\u{01}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}",
        "\u{9F}", "\u{A0}", "\u{A5}", "\u{C0}", "\u{2029}", "\u{202A}", "\u{202E}", "\u{202F}", "\u{2065}", "\u{2066}",
        "\u{2069}", "\u{206A}", "\u{2000}", "\u{2080}", "名", "泰", "州", "，", "\u{FEFF}", "\u{1F600}", "a", "Z", "0", "9",
        " ", ",", "=", "+", "-", "@", "'", ".", "/",
    ]

    static func randomText(_ random: inout SplitMix64) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<random.below(12) {
            scalars.append(random.chance(1, in: 3) ? "x" : random.pick(scalarPool))
        }
        return String(scalars)
    }

    /// Text or, often, a number-like cell, to exercise the formula and number rules.
    static func randomCSVText(_ random: inout SplitMix64) -> String {
        switch random.below(5) {
        case 0: return random.pick(["-5", "+3.50", "-1,234.50", "12", "-", "=1", "@a", " a", "a ", "", "-0.01", "1,"])
        default: return randomText(&random)
        }
    }

    static func randomTree(_ random: inout SplitMix64, depth: Int) -> OutputJSON {
        let containers = depth < 4
        switch random.below(containers ? 8 : 5) {
        case 0: return .string(randomText(&random))
        case 1:
            let value = Int64(bitPattern: random.next()) >> Int64(random.below(64))
            return .integer(random.chance(1, in: 8) ? random.pick([Int64.min, Int64.max, 0, -1]) : value)
        case 2: return .bool(random.chance(1, in: 2))
        case 3: return .null
        case 4: return .string(String(random.pick(scalarPool)))
        case 5: return .array((0..<random.below(4)).map { _ in randomTree(&random, depth: depth + 1) })
        default: return .object((0..<random.below(4)).map { _ in (randomText(&random), randomTree(&random, depth: depth + 1)) })
        }
    }

    /// The tree written through the streaming calls a command makes.
    static func write(_ value: OutputJSON, to writer: inout JSONByteWriter) {
        switch value {
        case .string(let text): writer.string(text)
        case .integer(let number): writer.integer(number)
        case .bool(let flag): writer.bool(flag)
        case .null: writer.null()
        case .array(let items):
            writer.beginArray()
            for item in items { write(item, to: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for (key, member) in members {
                writer.key(text: key)
                write(member, to: &writer)
            }
            writer.endObject()
        }
    }

    static func jsonValue(_ value: OutputJSON) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .integer(let number): .number(JSONNumber(number))
        case .bool(let flag): .bool(flag)
        case .null: .null
        case .array(let items): .array(items.map(jsonValue))
        case .object(let members): .record(members.map { ($0.0, jsonValue($0.1)) })
        }
    }
}
