import IncentivesDomain
import IncentivesTestSupport
import LedgerLog
import Testing
@testable import IncentivesCLI

/// `grants --format csv` writes its records in parts on every core (`GrantsCommand.csvRowParts`,
/// `CSVWriter.continuation`); joined, the parts must be the bytes one writer writing every row
/// in order gives, with or without a byte order mark, in every unit, however the rows are split.
@Suite struct CSVPartsTests {
    /// Every row written by one writer after the header, as the export was written before parts.
    static func oneWriter(_ breakdown: GrantBreakdown, unit: MoneyUnit, byteOrderMark: Bool) -> [UInt8] {
        var csv = GrantsCommand.csvWriter(for: breakdown, unit: unit, byteOrderMark: byteOrderMark)
        var key: [UInt8] = [], label: [UInt8] = []
        for position in 0..<breakdown.rowCount {
            let row = breakdown.figures(at: position)
            key.removeAll()
            breakdown.appendKey(at: position, to: &key)
            csv.text(utf8: key)
            if breakdown.isLabelled {
                label.removeAll()
                breakdown.appendLabel(at: position, to: &label)
                csv.text(utf8: label)
            }
            csv.integer(row.count)
            csv.money(fen: row.awardedFen, unit: unit)
            csv.money(fen: row.disbursedFen, unit: unit)
            csv.money(fen: row.recoveredFen, unit: unit)
            csv.endRow()
        }
        return csv.bytes
    }

    @Test("records written in parts join to the bytes one writer gives: every grouping, unit and split")
    func partsJoinAsOneWriter() throws {
        let ledger = try ByteOutputTests.generatedLedger(seed: 31, enterprises: 120)
        let window = TimeWindow(knownAt: ByteOutputTests.clock.now())
        let models = Projection(ledger: ledger, window: window).run()
        for grouping in GrantBreakdown.Grouping.allCases {
            let breakdown = GrantBreakdown(ledger: ledger, models: models, grouping: grouping, filter: .init())
            #expect(breakdown.rowCount > 0)
            for (unit, byteOrderMark) in [(MoneyUnit.yuan, false), (.wan, true)] {
                let expected = Self.oneWriter(breakdown, unit: unit, byteOrderMark: byteOrderMark)
                for (cores, rowsPerPart) in [(1, PartedRows.maximumRowsPerPart), (1, 1), (2, 3), (2, 64), (3, 17), (16, 5)] {
                    var csv = GrantsCommand.csvWriter(for: breakdown, unit: unit, byteOrderMark: byteOrderMark)
                    var bytes: [UInt8] = []
                    csv.writeOut(ifAtLeast: 1) { bytes += $0 }
                    for round in PartedRows.rounds(rowCount: breakdown.rowCount, cores: cores, rowsPerPart: rowsPerPart) {
                        let parts = GrantsCommand.csvRowParts(breakdown, after: csv, unit: unit, ranges: round)
                        #expect(parts.count == round.count)
                        for part in parts { bytes += part.bytes }
                    }
                    bytes += csv.bytes
                    #expect(bytes == expected, "by \(grouping.rawValue), \(unit), rounds of \(cores) parts of at most \(rowsPerPart) rows")
                }
            }
        }
    }

    @Test("a continuation starts between rows with nothing written: no header, no byte order mark")
    func continuationIsEmpty() {
        var csv = CSVWriter(header: ["a", "b"], byteOrderMark: true)
        csv.text("x")
        csv.integer(1)
        csv.endRow()
        var part = csv.continuation(capacity: 64)
        #expect(part.bytes.isEmpty)
        part.text("y")
        part.integer(2)
        part.endRow()
        #expect(part.bytes == Array("y,2\r\n".utf8))
        #expect(csv.bytes == [0xEF, 0xBB, 0xBF] + Array("a,b\r\nx,1\r\n".utf8), "the writer continued from is unchanged")
    }
}
