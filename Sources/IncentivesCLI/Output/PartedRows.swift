#if canImport(Glibc)
import Glibc
#endif
import LedgerColumns

/// A long list of rows (a breakdown by enterprise has hundreds of thousands) written on every
/// core: the rows are split into consecutive parts, each written into a writer of its own, and
/// the writers come back in order. Joined, their bytes are those one writer writing every row in
/// order gives, however many parts there are (`ByteOutputTests`).
enum PartedRows {
    /// A part of fewer rows costs more to hand over than to write.
    static let minimumRowsPerPart = 16_384
    /// Never more parts than this, whatever the machine says.
    static let maximumParts = 16

    /// A part of more rows than this is split: a round of parts is held in memory until it is
    /// printed (about 14 MB a part of JSON rows by enterprise), never the whole answer.
    static let maximumRowsPerPart = 65_536

    /// How many cores write parts at once on this machine.
    static var coreCount: Int { max(1, min(maximumParts, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))) }

    /// How many parts `rowCount` rows are written in on `cores` cores, in one round.
    static func partCount(rowCount: Int, cores: Int = coreCount) -> Int {
        max(1, min(cores, rowCount / minimumRowsPerPart))
    }

    /// `rowCount` rows in consecutive parts of near-equal size, none over `rowsPerPart` rows,
    /// as few as `partCount` allows, in rounds of `cores` parts: each round is written on the
    /// cores at once, then printed and let go before the next is written.
    static func rounds(rowCount: Int, cores: Int = coreCount, rowsPerPart: Int = maximumRowsPerPart) -> [[Range<Int>]] {
        precondition(rowCount >= 0 && cores >= 1 && cores <= maximumParts && rowsPerPart >= 1, "counts in range")
        let parts = max(partCount(rowCount: rowCount, cores: cores), (rowCount + rowsPerPart - 1) / rowsPerPart)
        let all = split(rowCount, into: parts)
        return stride(from: 0, to: parts, by: cores).map { Array(all[$0..<min($0 + cores, parts)]) }
    }

    /// `rowCount` rows in `parts` consecutive ranges of near-equal size, in order.
    private static func split(_ rowCount: Int, into parts: Int) -> [Range<Int>] {
        (0..<parts).map { ParallelWork.piece($0, of: parts, count: rowCount) }
    }

    /// Each range of `ranges` written by `write` on a core of its own; the results in order.
    static func write<Writer: Sendable>(_ ranges: [Range<Int>], _ write: @Sendable (Range<Int>) -> Writer) -> [Writer] {
        ParallelWork.map(count: ranges.count) { write(ranges[$0]) }
    }
}
