@testable import IncentivesDomain
import IncentivesTestSupport
import LedgerColumns
import Testing

/// The events' ids set aside in a scratch file (`Ledger.SpilledIds`): each read back by its
/// position, and found by a pass over the file, across the blocks the file is written in.
@Suite struct SpilledIdsTests {
    @Test("ids set aside read back by position and are found by a pass over the file, on both sides of every block's edge")
    func positionsAndSearch() throws {
        let scratch = TemporaryFileFixture(prefix: "spilled-ids-tests")
        let file = try #require(SpillFile(directory: scratch.path))
        let ids = Ledger.SpilledIds(file: file)
        let blockCount = 1 << 16
        // Lengths vary, so that block edges of ends and of bytes fall apart.
        let all = (0..<(blockCount * 2 + 321)).map { "event-\($0)" + String(repeating: "x", count: $0 % 7) }
        for id in all { ids.append(id.utf8.span) }
        #expect(ids.ends.count == all.count && ids.failure == nil)
        let positions = [0, 1, blockCount - 1, blockCount, blockCount + 1, blockCount * 2 - 1, blockCount * 2, all.count - 1]
        for position in positions {
            #expect(ids.id(at: position) == all[position], "id at \(position)")
            #expect(ids.firstIndex(of: all[position]) == position, "search for \(all[position])")
        }
        #expect(ids.firstIndex(of: "event-") == nil && ids.firstIndex(of: "no such id") == nil && ids.failure == nil)
        #expect(ids.id(at: all.count) == nil && ids.id(at: -1) == nil, "no id past either end")
    }
}
