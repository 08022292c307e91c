@testable import IncentivesDomain
import LedgerColumns
import LedgerLog

/// What the snapshot-decoder fuzz target checks for each input, shared with the regression test
/// that replays its corpus and crash inputs (Tools/fuzz compiles this file into the fuzzer). The
/// MAC is not checked here, so that any bytes reach the decoder, as the user's own damaged file
/// or a key holder's mistake would.
enum SnapshotDecoderFuzzOracle {
    static let logs = IncentiveLogs.all

    /// Decoding either refuses, or gives a ledger in the shape a verified read gives one with
    /// every field in range, whose replay keys can be computed and whose names can be looked up
    /// (a lookup ends, with an index in the table or none); never a trap. The input is
    /// decoded as given and, so that mutations get past the length check, with its stated
    /// length set to its real one.
    static func check(_ bytes: [UInt8]) -> String? {
        if let problem = checkDecoded(bytes) { return problem }
        let lengthField = ColumnFile.lengthOffset
        guard bytes.count >= lengthField + 8 else { return nil }
        var fixed = bytes
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { fixed.replaceSubrange(lengthField..<(lengthField + 8), with: $0) }
        return checkDecoded(fixed)
    }

    static func checkDecoded(_ bytes: [UInt8]) -> String? {
        let snapshot: LedgerSnapshot
        do {
            snapshot = try LedgerSnapshot.decodeUnauthenticated(bytes, logs: logs)
        } catch {
            return nil
        }
        let ledger = snapshot.ledger
        guard LedgerSnapshot.isReadFromLogs(ledger, logs: logs) else { return "decoded a ledger no verified read gives" }
        var seen = [Bool](repeating: false, count: ledger.count)
        for value in ledger.replayOrder {
            guard value >= 0, Int(value) < ledger.count, !seen[Int(value)] else { return "the replay order is not a permutation" }
            seen[Int(value)] = true
        }
        for index in 0..<ledger.count {
            let event = ledger.events[index]
            guard event.effective.daysSinceEpoch >= LedgerSnapshot.earliestDay,
                  event.effective.daysSinceEpoch <= LedgerSnapshot.latestDay,
                  LedgerSnapshot.isPlausibleRecorded(event.recorded.secondsSinceEpoch) else {
                return "an event's date or time is out of range"
            }
            guard event.actor.rawValue >= 0, event.actor.offset < ledger.texts.count, event.source.rawValue >= 0,
                  event.source.offset < ledger.texts.count else { return "an event names a text outside its table" }
            _ = Ledger.replayKey(event)
        }
        for index in 0..<ledger.count {
            _ = ledger.eventId(of: index)
        }
        func lookupsStayInside<Index>(_ interner: Interner<Index>) -> Bool {
            for index in 0..<interner.count {
                let found = interner.withBytes(of: Index(rawValue: Int32(index))) { interner.find($0) }
                guard found == nil || (found!.rawValue >= 0 && found!.offset < interner.count) else { return false }
            }
            return true
        }
        guard lookupsStayInside(ledger.programmes), lookupsStayInside(ledger.grants), lookupsStayInside(ledger.enterprises),
              lookupsStayInside(ledger.centres), lookupsStayInside(ledger.texts) else {
            return "a lookup gives an index outside the table"
        }
        return nil
    }
}
