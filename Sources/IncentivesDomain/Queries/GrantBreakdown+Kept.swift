import LedgerColumns
import LedgerLog

/// The breakdown of grants by enterprise with no filter at the logs' heads, kept with the
/// snapshot's read models: the longest common answer (a row per recipient) is then read in key
/// order, keys, names and figures side by side, with no replay, grouping, sort or name table.
extension GrantBreakdown {
    /// The kept rows: each row's key (the enterprise's code), name and figures, in key order.
    public struct Kept: Sendable {
        let keys: StringColumn
        let names: StringColumn
        let counts: Column<Int64>
        let awardedFen: Column<Int64>
        let disbursedFen: Column<Int64>
        let recoveredFen: Column<Int64>
        /// Every row together, summed when read (128 bits, as the computed breakdown sums).
        let total: PeriodFigures
        /// Whether the names were found well-formed UTF-8 when read, so that output need not check
        /// each again (a snapshot writes the names of a verified read, which are).
        let namesAreValidUTF8: Bool

        var count: Int { counts.count }

        func figures(at position: Int) -> PeriodFigures {
            PeriodFigures(count: Int(counts[position]), awardedFen: Int128(awardedFen[position]),
                          disbursedFen: Int128(disbursedFen[position]), recoveredFen: Int128(recoveredFen[position]))
        }

        /// Keys are ids (at most the log format's longest); a name is at most this long.
        static let keyLengths = 1...EventID.maximumLength
        static let nameLengths = 0...(1 << 16)

        /// The kept rows of `file`, refused unless they are rows a breakdown of a ledger with
        /// `grants` grants and `enterprises` enterprises can have: at most a row per enterprise,
        /// keys ASCII and strictly ascending (so distinct and in the order output shows), every
        /// count at least one and all of them at most the grants.
        init(_ file: ColumnFile, grants: Int, enterprises: Int) throws(ColumnFileError) {
            func column<Element: FixedWidthInteger & Sendable>(_ id: SnapshotColumn) throws(ColumnFileError) -> Column<Element> {
                try file.column(id.rawValue)
            }
            counts = try column(.headByEnterpriseCount)
            awardedFen = try column(.headByEnterpriseAwarded)
            disbursedFen = try column(.headByEnterpriseDisbursed)
            recoveredFen = try column(.headByEnterpriseRecovered)
            let rows = counts.count
            guard rows <= enterprises, awardedFen.count == rows, disbursedFen.count == rows, recoveredFen.count == rows else {
                throw .malformed("its kept grants by enterprise do not have one figure of each kind per row")
            }
            keys = try StringColumn(arena: try column(.headByEnterpriseKeyBytes), ends: try column(.headByEnterpriseKeyEnds),
                                    count: rows, lengths: Kept.keyLengths)
            names = try StringColumn(arena: try column(.headByEnterpriseNameBytes), ends: try column(.headByEnterpriseNameEnds),
                                     count: rows, lengths: Kept.nameLengths)
            guard keys.isStrictlyAscendingASCII else { throw .malformed("its kept grants by enterprise are not in key order") }
            namesAreValidUTF8 = names.isValidUTF8
            var grantsCounted = 0
            var total = PeriodFigures()
            for position in 0..<rows {
                let count = counts[position]
                guard count >= 1, count <= Int64(grants - grantsCounted) else {
                    throw .malformed("its kept grants by enterprise count more grants than the ledger has")
                }
                grantsCounted += Int(count)
                total.awardedFen += Int128(awardedFen[position])
                total.disbursedFen += Int128(disbursedFen[position])
                total.recoveredFen += Int128(recoveredFen[position])
            }
            total.count = grantsCounted
            self.total = total
        }
    }

    /// Adds this breakdown's rows (by enterprise, no filter) to `file` as the kept breakdown, or
    /// nothing when a row could not be read back as it is: a figure output cannot show (the
    /// query then computes the rows and refuses), or keys not in ASCII byte order.
    func addKeptColumns(to file: inout ColumnFileWriter) {
        precondition(grouping == .enterprise && kept == nil, "only a computed breakdown by enterprise is kept")
        var keys = StringColumn(), names = StringColumn()
        var counts: [Int64] = [], awarded: [Int64] = [], disbursed: [Int64] = [], recovered: [Int64] = []
        counts.reserveCapacity(rowCount)
        awarded.reserveCapacity(rowCount)
        disbursed.reserveCapacity(rowCount)
        recovered.reserveCapacity(rowCount)
        var key: [UInt8] = [], label: [UInt8] = []
        // Row by row in key order, read where they lie (no list of them made), each row's key and
        // name asked for a few rows ahead: at ten million events, 752k of each at random.
        for position in 0..<rowCount {
            anticipateRows(after: position)
            let row = row(at: position)
            guard let awardedFen = Int64(exactly: row.awardedFen), let disbursedFen = Int64(exactly: row.disbursedFen),
                  let recoveredFen = Int64(exactly: row.recoveredFen) else { return }
            key.removeAll(keepingCapacity: true)
            label.removeAll(keepingCapacity: true)
            appendKey(of: row, to: &key)
            appendLabel(of: row, to: &label)
            guard Kept.keyLengths.contains(key.count), Kept.nameLengths.contains(label.count) else { return }
            keys.append(bytes: key)
            names.append(bytes: label)
            counts.append(Int64(row.count))
            awarded.append(awardedFen)
            disbursed.append(disbursedFen)
            recovered.append(recoveredFen)
        }
        guard keys.isStrictlyAscendingASCII else { return }
        file.add(SnapshotColumn.headByEnterpriseKeyBytes.rawValue, keys.arena)
        file.add(SnapshotColumn.headByEnterpriseKeyEnds.rawValue, keys.ends)
        file.add(SnapshotColumn.headByEnterpriseNameBytes.rawValue, names.arena)
        file.add(SnapshotColumn.headByEnterpriseNameEnds.rawValue, names.ends)
        file.add(SnapshotColumn.headByEnterpriseCount.rawValue, counts)
        file.add(SnapshotColumn.headByEnterpriseAwarded.rawValue, awarded)
        file.add(SnapshotColumn.headByEnterpriseDisbursed.rawValue, disbursed)
        file.add(SnapshotColumn.headByEnterpriseRecovered.rawValue, recovered)
    }
}

extension Ledger {
    /// The breakdown of grants by enterprise with no filter in `window`, when the ledger was
    /// opened for it alone (`LedgerScope.grantsByEnterprise`) at the heads and the snapshot kept
    /// it; nil otherwise (compute it from `models(in:)`, which then holds what it needs).
    public func keptGrantsByEnterprise(in window: TimeWindow) -> GrantBreakdown? {
        guard let keptGrantsByEnterprise, isAtHeads(window) else { return nil }
        return GrantBreakdown(kept: keptGrantsByEnterprise, ledger: self)
    }
}
