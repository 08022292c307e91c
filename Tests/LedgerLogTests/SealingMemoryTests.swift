import IncentivesTestSupport
import Testing
@testable import LedgerLog

/// A batch seals its events with a `SealingMemory` that reuses the bytes of members repeated from
/// one event to the next; every line must be exactly what sealing the event alone gives.
@Suite("Sealing memory")
struct SealingMemoryTests {
    @Test("lines sealed one after another with a memory are the lines sealed alone", arguments: [0x5EA1, 0xBEEF, 7] as [UInt64])
    func memoryChangesNoByte(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        // Few values, so that consecutive events often share them and often do not; two spellings
        // of "é" (equal as Swift strings, different as bytes) must not share their bytes.
        let actors = ["clerk", "clerk 王", "e\u{301}", "\u{E9}", "tab\there"]
        let sources = ["notice/1", "e\u{301}", "\u{E9}"]
        let times = ["2024-05-06T07:08:09Z", "2024-05-06T07:08:10Z", "1999-12-31T23:59:59Z"].map(LogFixtures.timestamp)
        var memory = SealingMemory()
        var buffer: [UInt8] = []
        var previous = SHA256Digest.zero
        for index in 0..<400 {
            var event = RandomEventData.event(&random, log: LogFixtures.alpha, id: "e\(index)",
                                              recorded: random.pick(times))
            event.actor = random.pick(actors)
            event.source = random.pick(sources)
            if random.chance(1, in: 2) { event.effective = LogFixtures.date("2024-01-01") }
            let alone = event.seal(seq: index + 1, previous: previous)
            let start = buffer.count
            let hash = event.seal(seq: index + 1, previous: previous, appendingTo: &buffer, memory: &memory)
            #expect(Array(buffer[start...]) == alone.line, "event \(index): the same bytes")
            #expect(hash == alone.hash)
            previous = hash
        }
    }
}
