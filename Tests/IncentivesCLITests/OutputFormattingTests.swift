import Foundation
import IncentivesDomain
import IncentivesTestSupport
import Testing
@testable import IncentivesCLI

/// Output and input formatting: display width, tables, CSV, JSON, money, typed yuan amounts.
@Suite("Output formatting")
enum OutputFormattingTests {}

// MARK: - Display width

extension OutputFormattingTests {
    @Suite("Display width")
    struct DisplayWidthTests {
        @Test("columns per text", arguments: [
            ("", 0),
            ("abc", 3),
            ("Straße", 6),
            ("江苏泰州精密部件有限公司", 24),
            ("江苏 Jiangsu", 12),
            ("¥", 1),                       // U+00A5 is narrow
            ("￥", 2),                       // U+FFE5 fullwidth yen sign
            ("１２３", 6),                   // fullwidth digits
            ("，。「」", 8),                 // fullwidth comma, CJK punctuation
            ("\u{3000}", 2),                // ideographic space
            ("\u{303F}", 1),                // ideographic half fill space is narrow by definition
            ("あア", 4),                     // Hiragana, Katakana
            ("ｱ", 1),                       // halfwidth Katakana
            ("한국", 4),                     // Hangul syllables
            ("\u{1100}\u{1161}\u{11A8}", 2), // conjoining Jamo make one syllable block
            ("㈱㎡", 4),                     // enclosed CJK, CJK compatibility
            ("\u{F900}", 2),                // CJK compatibility ideograph
            ("𠀀𪚥", 4),                     // CJK extension B
            ("\u{31350}", 2),               // CJK extension H
            ("😀🤖🚀", 6),                   // emoji presentation ranges
            ("⌚", 2),                       // U+231A, wide in the BMP
            ("e\u{301}", 1),                // combining acute accent (Mn)
            ("\u{20DD}", 0),                // enclosing circle (Me)
            ("a\u{200B}b\u{200D}c\u{200F}", 3),
            ("\u{FEFF}", 0),
            ("a\u{FE0F}", 1),               // variation selector
            ("\u{0}\t\n\r\u{1B}", 0),       // C0 controls
            ("\u{7F}\u{85}\u{9F}", 0),      // DEL and C1 controls
            ("Ω→€", 3),
        ])
        func width(text: String, expected: Int) {
            #expect(DisplayWidth.of(text) == expected)
        }

        /// Documents the per-scalar choice: each regional indicator counts as one column.
        @Test func countsPerScalarNotPerGraphemeCluster() {
            #expect(DisplayWidth.of("🇨🇳") == 2)
            #expect("🇨🇳".count == 1)
            #expect(DisplayWidth.of("江\u{301}") == 2)
        }

        @Test func scalarWidths() {
            #expect(DisplayWidth.of(Unicode.Scalar(0x4E00)!) == 2)
            #expect(DisplayWidth.of(Unicode.Scalar(0x9FFF)!) == 2)
            #expect(DisplayWidth.of(Unicode.Scalar(0x10FF)!) == 1)
            #expect(DisplayWidth.of(Unicode.Scalar(0xFF61)!) == 1)  // halfwidth ideographic full stop
            #expect(DisplayWidth.of(Unicode.Scalar(0xFFE6)!) == 2)
            #expect(DisplayWidth.of(Unicode.Scalar(0xFFE7)!) == 1)
        }

        /// The Han range answered before the general category is asked holds no mark, and lies
        /// inside the wide ranges: the shortcut gives what the full rules give.
        @Test func hanShortcutAgreesWithTheFullRules() {
            for value in DisplayWidth.commonHan {
                let scalar = Unicode.Scalar(value)!
                #expect(![.nonspacingMark, .enclosingMark].contains(scalar.properties.generalCategory), "U+\(String(value, radix: 16))")
                #expect(DisplayWidth.of(scalar) == 2)
            }
            #expect(DisplayWidth.of(Unicode.Scalar(0x33FF)!) == 2 && DisplayWidth.of(Unicode.Scalar(0xA000)!) == 2, "wide on either side")
        }
    }
}

// MARK: - Text table

extension OutputFormattingTests {
    @Suite("Text table")
    struct TextTableTests {
        @Test func exactLayoutWithMixedScripts() {
            var table = TextTable(columns: [
                .init(title: "Name", alignment: .left),
                .init(title: "Amount", alignment: .right),
            ])
            table.addRow(["泰州", "5.00"])
            table.addRow(["Ab", "1,000.00"])
            #expect(table.render() == """
                Name    Amount
                ----  --------
                泰州      5.00
                Ab    1,000.00

                """)
        }

        @Test func leftAlignedLastColumnHasNoTrailingSpaces() {
            var table = TextTable(columns: [
                .init(title: "Code", alignment: .right),
                .init(title: "Name", alignment: .left),
            ])
            table.addRow(["1", "江苏"])
            table.addRow(["22", "A"])
            table.addRow(["333", ""])
            #expect(table.render() == "Code  Name\n----  ----\n   1  江苏\n  22  A\n 333\n")
        }

        @Test func emptyTableIsHeaderAndSeparator() {
            let table = TextTable(columns: [
                .init(title: "企业名称", alignment: .left),
                .init(title: "Amount", alignment: .right),
            ])
            #expect(table.rowCount == 0)
            #expect(table.render() == "企业名称  Amount\n--------  ------\n")
        }

        @Test func noColumnsRendersTwoEmptyLines() {
            #expect(TextTable(columns: []).render() == "\n\n")
        }

        @Test func separatorSpansEachColumnDisplayWidth() {
            var table = TextTable(columns: [.init(title: "A"), .init(title: "B", alignment: .right)])
            table.addRow(["江苏泰州精密部件有限公司", "1"])
            let lines = table.render().split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines[1] == "------------------------  -")
        }

        @Test func rowsLineUpWhenLastColumnIsRightAligned() {
            var table = TextTable(columns: [
                .init(title: "No.", alignment: .right),
                .init(title: "企业", alignment: .left),
                .init(title: "Tier", alignment: .left),
                .init(title: "金额（元）", alignment: .right),
            ])
            // A right-aligned last cell that is not empty leaves nothing to trim.
            let rows = Self.sampleRows.filter { !$0.amount.isEmpty }
            for (index, row) in rows.enumerated() {
                table.addRow([String(index + 1), row.name, row.tier, row.amount])
            }
            let lines = Self.lines(of: table.render())
            #expect(lines.count == rows.count + 2)
            let widths = Set(lines.map { DisplayWidth.of(String($0)) })
            #expect(widths.count == 1, "line widths differ: \(widths)")
            // "No." 3, longest name 29, "国家级" 6, "99,999,999.99" 13, with three gaps of 2.
            let expectedWidth = 57
            #expect(widths.first == expectedWidth)
            for line in lines {
                #expect(line.last != " ")
            }
        }

        @Test func rowsLineUpWhenLastColumnIsLeftAligned() {
            var table = TextTable(columns: [
                .init(title: "Amount", alignment: .right),
                .init(title: "Tier", alignment: .left),
                .init(title: "企业", alignment: .left),
            ])
            for row in Self.sampleRows {
                table.addRow([row.amount, row.tier, row.name])
            }
            let lastWidth = Self.sampleRows.map { DisplayWidth.of($0.name) }.max()!
            let lastCells = ["企业", String(repeating: "-", count: lastWidth)] + Self.sampleRows.map(\.name)
            let lines = Self.lines(of: table.render())
            #expect(lines.count == lastCells.count)
            // The last column starts at the same display column on every line; trimming only
            // removes the padding after a shorter (or empty) last cell.
            // "99,999,999.99" 13, "国家级" 6, with two gaps of 2.
            let start = 23
            for (line, cell) in zip(lines, lastCells) {
                #expect(line.last != " ")
                if cell.isEmpty {
                    #expect(DisplayWidth.of(String(line)) <= start)
                } else {
                    #expect(line.hasSuffix(cell))
                    #expect(DisplayWidth.of(String(line)) - DisplayWidth.of(cell) == start, "\(line)")
                }
            }
        }

        @Test func everyLineEndsWithNewline() {
            var table = TextTable(columns: [.init(title: "x")])
            table.addRow(["1"])
            let output = table.render()
            #expect(output.hasSuffix("\n"))
            #expect(!output.hasSuffix("\n\n"))
            #expect(output.filter { $0 == "\n" }.count == 3)
        }

        @Test func controlCharactersAreShownNotObeyed() {
            var table = TextTable(columns: [.init(title: "名\t称")])
            table.addRow(["line\nbreak"])
            table.addRow(["\u{1B}[2Jclear\u{7F}\u{85}"])
            table.addRow(["cr\r\nlf"])
            table.addRow(["name\u{202E}gpj.exe\u{2066}"])
            #expect(table.render() == #"""
                名\u{9}称
                ---------------------------
                line\u{A}break
                \u{1B}[2Jclear\u{7F}\u{85}
                cr\u{D}\u{A}lf
                name\u{202E}gpj.exe\u{2066}

                """#)
            #expect(!table.render().unicodeScalars.contains { FreeText.isControl($0) && $0 != "\n" })
        }

        @Test func rowWithWrongCellCountStops() async {
            await #expect(processExitsWith: .failure) {
                var table = TextTable(columns: [.init(title: "a"), .init(title: "b")])
                table.addRow(["only one"])
            }
        }

        static let sampleRows: [(name: String, tier: String, amount: String)] = [
            ("江苏泰州精密部件有限公司", "A", "1,500,000.00"),
            ("Jiangyan Bio-Pharma Co., Ltd.", "B+", "250,000.50"),
            ("姜堰区创新中心", "省级", "0.01"),
            ("Σ Ω Straße GmbH", "C", "12.00"),
            ("泰州ｱｲｳ电子", "国家级", "99,999,999.99"),
            ("e\u{301}lan 株式会社", "", "7"),
            ("한국 협력", "A", "100.00"),
            ("", "—", ""),
        ]

        static func lines(of output: String) -> [Substring] {
            var lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.last == "")
            lines.removeLast()
            return lines
        }
    }
}

// MARK: - CSV

extension OutputFormattingTests {
    @Suite("CSV writer")
    struct CSVWriterTests {
        @Test func recordsEndWithCRLF() {
            var writer = CSVWriter(header: ["企业", "amount_fen"], byteOrderMark: false)
            writer.addRow(["江苏泰州精密部件有限公司", "150000000"])
            writer.addRow(["Acme", "0"])
            #expect(writer.render() == "企业,amount_fen\r\n江苏泰州精密部件有限公司,150000000\r\nAcme,0\r\n")
        }

        @Test func byteOrderMarkComesFirst() {
            let writer = CSVWriter(header: ["名称"], byteOrderMark: true)
            let output = writer.render()
            #expect(output == "\u{FEFF}名称\r\n")
            #expect(Array(output.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(CSVWriter(header: ["名称"], byteOrderMark: false).render().utf8.first == 0xE5)
        }

        @Test("quoting", arguments: [
            ("plain", "plain"),
            ("", ""),
            ("江苏泰州精密部件有限公司", "江苏泰州精密部件有限公司"),
            ("a,b", "\"a,b\""),
            ("Jiangyan Bio-Pharma Co., Ltd.", "\"Jiangyan Bio-Pharma Co., Ltd.\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("\"", "\"\"\"\""),
            ("line1\nline2", "\"line1\nline2\""),
            ("line1\r\nline2", "\"line1\r\nline2\""),
            ("a\rb", "\"a\rb\""),
            (" leading", "\" leading\""),
            ("trailing ", "\"trailing \""),
            ("inner space", "inner space"),
            ("tab\tinside", "tab\tinside"),
            ("trailing\t", "\"trailing\t\""),
            ("单引号'", "单引号'"),
            ("，全角逗号", "，全角逗号"),
        ])
        func quoting(field: String, expected: String) {
            #expect(CSVWriter.field(field) == expected)
        }

        @Test("formula injection is neutralised", arguments: [
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
            ("=1,2", "\"'=1,2\""),
            ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
            ("+1+1", "'+1+1"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(1)", "'@SUM(1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "\"'\r=1\""),
            ("-", "'-"),
            ("+", "'+"),
            ("--1", "'--1"),
            ("-1-1", "'-1-1"),
            ("-1e5", "'-1e5"),
            ("-1.", "'-1."),
            ("-.5", "'-.5"),
            ("-1,", "\"'-1,\""),
            ("- 5", "'- 5"),
        ])
        func injection(field: String, expected: String) {
            #expect(CSVWriter.field(field) == expected)
        }

        @Test("numbers stay numbers", arguments: [
            ("-5", "-5"),
            ("+5", "+5"),
            ("-0.01", "-0.01"),
            ("+3.50", "+3.50"),
            ("-1234.50", "-1234.50"),
            ("-1,234.50", "\"-1,234.50\""),
            ("12", "12"),
            ("0", "0"),
            ("2024-01-31", "2024-01-31"),
            ("a=b", "a=b"),
            ("中=文", "中=文"),
        ])
        func numbers(field: String, expected: String) {
            #expect(CSVWriter.field(field, isNumber: true) == expected)
        }

        /// Text is text: a project named like a number still starts with a sign, so it is defended.
        @Test("text cells that start like a number are still defended", arguments: [
            ("-5", "'-5"), ("+5", "'+5"), ("-1234.50", "'-1234.50"), ("=1", "'=1"), ("@a", "'@a"),
        ])
        func textStartingLikeNumber(field: String, expected: String) {
            #expect(CSVWriter.field(field) == expected)
        }

        @Test func numberColumnsStayNumbersAndTextColumnsAreDefended() {
            var writer = CSVWriter(header: ["project", "amountYuan"], byteOrderMark: false, numberColumns: ["amountYuan"])
            writer.addRow(["-5", "-1234.50"])
            writer.addRow(["=HYPERLINK(1)", "=1"])
            writer.addRow(["\u{1B}[2J\u{202E}x", "7.00"])
            #expect(writer.render() == "project,amountYuan\r\n'-5,-1234.50\r\n'=HYPERLINK(1),'=1\r\n\\u{1B}[2J\\u{202E}x,7.00\r\n")
        }

        @Test func headerIsEscapedToo() {
            let writer = CSVWriter(header: ["=cmd", "a,b", "-1"], byteOrderMark: false)
            #expect(writer.render() == "'=cmd,\"a,b\",'-1\r\n")
        }

        @Test func emptyFieldsKeepTheirCommas() {
            var writer = CSVWriter(header: ["a", "b", "c"], byteOrderMark: false)
            writer.addRow(["", "", ""])
            #expect(writer.render() == "a,b,c\r\n,,\r\n")
        }

        @Test func rowWithWrongFieldCountStops() async {
            await #expect(processExitsWith: .failure) {
                var writer = CSVWriter(header: ["a"], byteOrderMark: false)
                writer.addRow(["1", "2"])
            }
        }
    }
}

// MARK: - JSON

extension OutputFormattingTests {
    @Suite("JSON writer")
    struct JSONWriterTests {
        static let sample = OutputJSON.object([
            ("name", .string("江苏泰州精密部件有限公司")),
            ("amountFen", .integer(150_000_000)),
            ("tiers", .array([.string("A"), .integer(-2)])),
            ("empty", .array([])),
            ("nothing", .object([])),
            ("nested", .object([("approved", .bool(true)), ("revoked", .bool(false))])),
            ("note", .null),
        ])

        @Test func compact() {
            #expect(Self.sample.render(pretty: false) == #"{"name":"江苏泰州精密部件有限公司","amountFen":150000000,"tiers":["A",-2],"empty":[],"nothing":{},"nested":{"approved":true,"revoked":false},"note":null}"#)
        }

        @Test func pretty() {
            #expect(Self.sample.render(pretty: true) == """
                {
                  "name": "江苏泰州精密部件有限公司",
                  "amountFen": 150000000,
                  "tiers": [
                    "A",
                    -2
                  ],
                  "empty": [],
                  "nothing": {},
                  "nested": {
                    "approved": true,
                    "revoked": false
                  },
                  "note": null
                }
                """)
        }

        @Test func keysKeepTheGivenOrder() {
            let value = OutputJSON.object([("z", .integer(1)), ("a", .integer(2)), ("m", .integer(3))])
            #expect(value.render(pretty: false) == #"{"z":1,"a":2,"m":3}"#)
        }

        @Test func scalarsAtTopLevel() {
            #expect(OutputJSON.null.render(pretty: true) == "null")
            #expect(OutputJSON.bool(true).render(pretty: false) == "true")
            #expect(OutputJSON.integer(.max).render(pretty: false) == "9223372036854775807")
            #expect(OutputJSON.integer(.min).render(pretty: false) == "-9223372036854775808")
            #expect(OutputJSON.integer(0).render(pretty: true) == "0")
            #expect(OutputJSON.array([]).render(pretty: true) == "[]")
            #expect(OutputJSON.array([.array([])]).render(pretty: true) == "[\n  []\n]")
        }

        @Test("string escaping", arguments: [
            ("plain", #""plain""#),
            ("", #""""#),
            ("quote \" here", #""quote \" here""#),
            ("back\\slash", #""back\\slash""#),
            ("a/b", #""a/b""#),
            ("\n\r\t\u{08}\u{0C}", #""\n\r\t\b\f""#),
            ("\u{0}\u{1}\u{1B}\u{1F}", #""\u0000\u0001\u001b\u001f""#),
            ("\u{7F}\u{85}\u{9F}", #""\u007f\u0085\u009f""#),
            ("a\u{202A}b\u{202E}c\u{2066}d\u{2069}e", #""a\u202ab\u202ec\u2066d\u2069e""#),
            ("\u{2029}\u{206A}\u{2065}", "\"\u{2029}\u{206A}\u{2065}\""),
            ("江苏泰州 ¥1,500.00 😀", "\"江苏泰州 ¥1,500.00 😀\""),
            ("e\u{301}", "\"e\u{301}\""),
            ("\u{2028}\u{FEFF}", "\"\u{2028}\u{FEFF}\""),
        ])
        func escaping(text: String, expected: String) {
            #expect(OutputJSON.string(text).render(pretty: false) == expected)
        }

        @Test func keysAreEscaped() {
            let value = OutputJSON.object([("say \"名\"\n", .null)])
            #expect(value.render(pretty: true) == "{\n  \"say \\\"名\\\"\\n\": null\n}")
        }

        /// An independent parser must read back exactly what was written.
        @Test func foundationParsesTheOutput() throws {
            let every = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self) + "江苏😀\u{2028}"
            let value = OutputJSON.object([("text", .string(every)), ("list", .array([.integer(-1), .null]))])
            for pretty in [false, true] {
                let data = Data(value.render(pretty: pretty).utf8)
                let parsed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                #expect(parsed["text"] as? String == every)
                #expect((parsed["list"] as? [Any])?.count == 2)
            }
        }

        @Test func equalityIncludesKeyOrder() {
            let forward = OutputJSON.object([("a", .integer(1)), ("b", .integer(2))])
            let backward = OutputJSON.object([("b", .integer(2)), ("a", .integer(1))])
            #expect(forward == forward)
            #expect(forward != backward)
            #expect(OutputJSON.integer(1) != .string("1"))
            #expect(OutputJSON.array([.null]) == .array([.null]))
        }
    }
}

// MARK: - Money

extension OutputFormattingTests {
    @Suite("Money format")
    struct MoneyFormatTests {
        @Test("yuan and wan", arguments: [
            (Int64(0), "0.00", "0.00"),
            (1, "0.01", "0.00"),
            (99, "0.99", "0.00"),
            (100, "1.00", "0.00"),
            (-1, "-0.01", "0.00"),
            (-100, "-1.00", "0.00"),
            (1_000, "10.00", "0.00"),
            (4_999, "49.99", "0.00"),
            (5_000, "50.00", "0.01"),
            (-4_999, "-49.99", "0.00"),
            (-5_000, "-50.00", "-0.01"),
            (14_999, "149.99", "0.01"),
            (15_000, "150.00", "0.02"),
            (100_000, "1,000.00", "0.10"),
            (123_456, "1,234.56", "0.12"),
            (-123_450, "-1,234.50", "-0.12"),
            (999_999, "9,999.99", "1.00"),
            (1_000_000, "10,000.00", "1.00"),
            (99_999_999, "999,999.99", "100.00"),
            (100_000_000, "1,000,000.00", "100.00"),
            (123_456_789, "1,234,567.89", "123.46"),
            (-123_456_789, "-1,234,567.89", "-123.46"),
            (150_000_000, "1,500,000.00", "150.00"),
            (200_000_000_000, "2,000,000,000.00", "200,000.00"),
            (200_000_000_000_000, "2,000,000,000,000.00", "200,000,000.00"),
            (999_999_995_000, "9,999,999,950.00", "1,000,000.00"),
            (9_007_199_254_740_991, "90,071,992,547,409.91", "9,007,199,254.74"),
            (Int64.max, "92,233,720,368,547,758.07", "9,223,372,036,854.78"),
            (Int64.min, "-92,233,720,368,547,758.08", "-9,223,372,036,854.78"),
            (Int64.min + 1, "-92,233,720,368,547,758.07", "-9,223,372,036,854.78"),
        ])
        func format(fen: Int64, yuan: String, wan: String) {
            #expect(MoneyFormat.format(fen: fen, unit: .yuan) == yuan)
            #expect(MoneyFormat.format(fen: fen, unit: .wan) == wan)
        }

        @Test("yuan symbol", arguments: [
            (Int64(123_456_789), "¥1,234,567.89"),
            (0, "¥0.00"),
            (1, "¥0.01"),
            (-123_450, "-¥1,234.50"),
            (-1, "-¥0.01"),
            (Int64.max, "¥92,233,720,368,547,758.07"),
            (Int64.min, "-¥92,233,720,368,547,758.08"),
        ])
        func symbol(fen: Int64, expected: String) {
            #expect(MoneyFormat.formatYuanSymbol(fen: fen) == expected)
        }

        @Test("grouping", arguments: [
            (UInt64(0), "0"), (7, "7"), (999, "999"), (1_000, "1,000"), (12_345, "12,345"),
            (123_456, "123,456"), (1_234_567, "1,234,567"), (UInt64.max, "18,446,744,073,709,551,615"),
        ])
        func grouping(value: UInt64, expected: String) {
            #expect(MoneyFormat.grouped(UInt128(value)) == expected)
        }

        /// The largest amount of 64 bits without a sign, about which `MoneyFormat.append` changes arithmetic.
        static let widest64 = Int128(UInt64.max)

        static let wideCases: [(fen: Int128, yuan: String, wan: String)] = [
            (0, "0.00", "0.00"),
            (-1, "-0.01", "0.00"),
            (-4_999, "-49.99", "0.00"),
            (-5_000, "-50.00", "-0.01"),
            (99_999, "999.99", "0.10"),
            (100_000, "1,000.00", "0.10"),
            (99_999_999, "999,999.99", "100.00"),
            (100_000_000, "1,000,000.00", "100.00"),
            (Int128.max, "1,701,411,834,604,692,317,316,873,037,158,841,057.27", "170,141,183,460,469,231,731,687,303,715,884.11"),
            (Int128.min, "-1,701,411,834,604,692,317,316,873,037,158,841,057.28", "-170,141,183,460,469,231,731,687,303,715,884.11"),
            (Int128.min + 1, "-1,701,411,834,604,692,317,316,873,037,158,841,057.27", "-170,141,183,460,469,231,731,687,303,715,884.11"),
            (widest64, "184,467,440,737,095,516.15", "18,446,744,073,709.55"),
            (widest64 + 1, "184,467,440,737,095,516.16", "18,446,744,073,709.55"),
            (-widest64, "-184,467,440,737,095,516.15", "-18,446,744,073,709.55"),
            (-widest64 - 1, "-184,467,440,737,095,516.16", "-18,446,744,073,709.55"),
            (widest64 - 5_000, "184,467,440,737,095,466.15", "18,446,744,073,709.55"),
            (widest64 - 4_999, "184,467,440,737,095,466.16", "18,446,744,073,709.55"),
            (widest64 + 5_000, "184,467,440,737,095,566.15", "18,446,744,073,709.56"),
            (-(widest64 - 4_999), "-184,467,440,737,095,466.16", "-18,446,744,073,709.55"),
            (99_999_999_999_999_999_999_999_999_999_999_999_999, "999,999,999,999,999,999,999,999,999,999,999,999.99",
             "100,000,000,000,000,000,000,000,000,000,000.00"),
        ]

        @Test("128-bit amounts, the 64-bit edge and grouping", arguments: wideCases)
        func wideAmounts(fen: Int128, yuan: String, wan: String) {
            #expect(MoneyFormat.format(fen: fen, unit: .yuan) == yuan)
            #expect(MoneyFormat.format(fen: fen, unit: .wan) == wan)
            for (unit, expected) in [(MoneyUnit.yuan, yuan), (.wan, wan)] {
                var bytes = Array("x".utf8)
                MoneyFormat.append(fen: fen, unit: unit, to: &bytes)
                #expect(bytes == Array(("x" + expected).utf8), "appended after what the buffer held")
            }
        }

        /// The bytes appended and the String formatted are those of the String-built formatting
        /// money had before it was written as bytes, for amounts of every size.
        @Test("random amounts: appended bytes, formatted String and the String-built reference agree", arguments: [51, 52] as [UInt64])
        func randomAmountsMatchTheReference(seed: UInt64) {
            var random = SplitMix64(seed: seed)
            let edges: [Int128] = [0, 1, 4_999, 5_000, 9_999, 10_000, Int128(UInt64.max), Int128(UInt64.max - 5_000), Int128(Int64.max), .max]
            for _ in 0..<20_000 {
                var fen: Int128
                switch random.below(4) {
                case 0:
                    fen = random.pick(edges) &+ Int128(random.below(20_001) - 10_000)
                case 1:
                    fen = Int128(bitPattern: UInt128(random.next()) << 64 | UInt128(random.next())) >> random.below(128)
                default:
                    fen = Int128(Int64(bitPattern: random.next()) >> Int64(random.below(64)))
                }
                if random.chance(1, in: 2) { fen = fen == .min ? fen : -fen }
                for unit in [MoneyUnit.yuan, .wan] {
                    let expected = Self.referenceFormat(fen: fen, unit: unit)
                    #expect(MoneyFormat.format(fen: fen, unit: unit) == expected, "\(fen) \(unit)")
                    var bytes: [UInt8] = []
                    MoneyFormat.append(fen: fen, unit: unit, to: &bytes)
                    #expect(bytes == Array(expected.utf8), "\(fen) \(unit)")
                }
            }
        }

        /// Money as it was formatted before amounts were written as bytes: Strings joined.
        static func referenceFormat(fen: Int128, unit: MoneyUnit) -> String {
            let magnitude = fen.magnitude
            let hundredths = unit == .yuan ? magnitude : (magnitude + 5_000) / 10_000
            let digits = Array(String(hundredths / 100))
            var units = ""
            for (index, digit) in digits.enumerated() {
                if index > 0, (digits.count - index) % 3 == 0 { units.append(",") }
                units.append(digit)
            }
            let cents = hundredths % 100
            return (fen < 0 && hundredths != 0 ? "-" : "") + units + "." + (cents < 10 ? "0" : "") + String(cents)
        }

        /// Formatting and parsing agree, so whatever the ledger prints can be typed back in.
        @Test func formattedYuanParsesBack() {
            for fen: Int64 in [0, 1, 99, 100, 123_456_789, 9_007_199_254_740_991] {
                #expect(YuanAmount.parseFen(MoneyFormat.format(fen: fen, unit: .yuan)) == .success(fen))
                #expect(YuanAmount.parseFen(MoneyFormat.formatYuanSymbol(fen: fen)) == .success(fen))
            }
        }
    }
}

// MARK: - Typed yuan amounts

extension OutputFormattingTests {
    @Suite("Yuan amount parsing")
    struct YuanAmountTests {
        @Test("accepted", arguments: [
            ("1500000", Int64(150_000_000)),
            ("1,500,000.50", 150_000_050),
            ("1500000.5", 150_000_050),
            ("0.01", 1),
            ("  1,500  ", 150_000),
            ("0", 0),
            ("0.0", 0),
            ("0.00", 0),
            ("7", 700),
            ("007", 700),
            ("999", 99_900),
            ("1,000", 100_000),
            ("12,345,678.90", 1_234_567_890),
            ("123,456.7", 12_345_670),
            ("¥1,500", 150_000),
            ("￥1500", 150_000),
            ("1500元", 150_000),
            ("¥ 1,500.5 元", 150_050),
            ("\t1500\n", 150_000),
            ("\u{3000}1500\u{3000}", 150_000),
            ("90071992547409.91", 9_007_199_254_740_991),
            ("90,071,992,547,409.91", 9_007_199_254_740_991),
            ("90071992547409.9", 9_007_199_254_740_990),
            ("90071992547409", 9_007_199_254_740_900),
            ("0000000000000000000000000001.23", 123),
        ])
        func accepted(text: String, fen: Int64) {
            #expect(YuanAmount.parseFen(text) == .success(fen))
        }

        @Test("refused", arguments: [
            ("", "empty amount"),
            ("   ", "empty amount"),
            ("-5", "negative amounts are not accepted"),
            ("\u{2212}5", "negative amounts are not accepted"),
            ("－5", "negative amounts are not accepted"),
            ("¥-5", "negative amounts are not accepted"),
            ("-¥5", "negative amounts are not accepted"),
            ("+5", "plus sign is not needed"),
            ("1.234", "more than two decimal places: fen is the smallest unit"),
            ("1.230", "more than two decimal places"),
            ("1,234.567", "more than two decimal places"),
            ("1,50,000", "misplaced comma"),
            ("1,,000", "misplaced comma"),
            (",100", "misplaced comma"),
            ("1,000,", "misplaced comma"),
            ("1000,000", "misplaced comma"),
            ("1,0000", "misplaced comma"),
            (",", "no digits"),
            ("1.5,0", "comma after the decimal point"),
            ("12a", "unexpected character \"a\""),
            ("abc", "unexpected character \"a\""),
            ("一百万", "unexpected character \"一\" (U+4E00)"),
            ("1_000", "unexpected character \"_\""),
            ("12\u{0}", "unexpected character U+0000"),
            ("1\u{301}", "unexpected character U+0301"),
            ("$5", "unexpected character \"$\""),
            ("1e6", "scientific notation such as 1e6 is not accepted"),
            ("1.5E3", "scientific notation"),
            ("1e-6", "scientific notation"),
            ("90071992547409.92", "larger than 90,071,992,547,409.91 yuan"),
            ("90071992547410", "larger than 90,071,992,547,409.91 yuan"),
            ("92233720368547758.08", "larger than 90,071,992,547,409.91 yuan"),
            ("99999999999999999999999999999999999999", "larger than 90,071,992,547,409.91 yuan"),
            ("１５００", "full-width character \"１\" (U+FF11): type ASCII digits"),
            ("1，500", "full-width character \"，\" (U+FF0C)"),
            ("1．5", "full-width character \"．\" (U+FF0E)"),
            ("1。5", "full-width character \"。\" (U+3002)"),
            (".", "no digits"),
            ("¥", "no digits"),
            ("元", "no digits"),
            ("¥ 元", "no digits"),
            (".5", "a digit is needed before the decimal point"),
            ("5.", "digits are needed after the decimal point"),
            ("1.2.3", "more than one decimal point"),
            ("1 500", "space inside the amount"),
            ("1\u{3000}500", "space inside the amount"),
            ("¥¥5", "unexpected character \"¥\" (U+00A5)"),
            ("5元元", "unexpected character \"元\" (U+5143)"),
        ])
        func refused(text: String, fragment: String) throws {
            let result = YuanAmount.parseFen(text)
            guard case .failure(let error) = result else {
                Issue.record("accepted \(text.debugDescription) as \(result)")
                return
            }
            #expect(error.message.contains(fragment), "\(text.debugDescription): \(error.message)")
        }

        @Test func exactMessages() {
            #expect(YuanAmount.parseFen("1.234")
                == .failure(YuanAmountError(message: "more than two decimal places: fen is the smallest unit")))
            #expect(YuanAmount.parseFen("90071992547409.92") == .failure(YuanAmountError(
                message: "too large: the amount is larger than 90,071,992,547,409.91 yuan,"
                    + " the largest the ledger keeps exactly")))
        }

        @Test func largestFenIsTwoToTheFiftyThirdMinusOne() {
            #expect(YuanAmount.largestFen == (Int64(1) << 53) - 1)
        }

        /// Every amount up to 2,000 yuan, printed with separators, reads back to the same fen.
        @Test func exhaustiveSmallAmountsRoundTrip() {
            let mismatches = (Int64(0)...Int64(200_000)).filter { fen in
                YuanAmount.parseFen(MoneyFormat.format(fen: fen, unit: .yuan)) != .success(fen)
            }
            #expect(mismatches.isEmpty)
        }
    }
}
