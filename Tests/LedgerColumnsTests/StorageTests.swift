#if canImport(Glibc)
import Glibc
#endif
import IncentivesTestSupport
@testable import LedgerColumns
import LedgerLog
import Testing

/// Interning, strings by position, fingerprints and the private cache directory.
@Suite struct StorageTests {
    @Test("an interner gives each name one dense index, in order of first sight, and finds it again after growing")
    func interning() {
        var interner = Interner<Position>(expectedCount: 4)
        var names: [String] = []
        for number in 0..<5_000 { names.append("name-\(number * 7919 % 5_000)") }
        let indexes = names.map { interner.intern($0) }
        #expect(indexes.map(\.offset) == Array(0..<5_000))
        #expect(names.map { interner.intern($0) } == indexes, "the same name, the same index")
        #expect(interner.count == 5_000)
        #expect(interner.string(indexes[1234]) == names[1234])
        #expect(interner.find("absent") == nil)
        #expect(interner.find(names[4999]) == indexes[4999])
        // Asking ahead for a name's memory is a hint: any index, in range or not, at any step.
        for step in [PrefetchStep.slot, .entry, .bytes] {
            for offset in [0, 4_999, 5_000, Int(Int32.max) - 1] { interner.prefetch(Position(offset: offset), step: step) }
        }
        #expect(interner.string(indexes[4999]) == names[4999])
        // Without its hash table, every name is still read by index, in the same order.
        let slots = interner.slots.count
        interner.dropHashTable()
        #expect(slots > 0 && !interner.isSearchable && interner.slots.count == 0)
        #expect(interner.count == 5_000 && indexes.allSatisfy { interner.string($0) == names[$0.offset] })
    }

    @Test("growing moves each slot by the hash half it keeps: every name stays on its probe path, and the same names interned in the same order give the same table")
    func growingKeepsProbePaths() {
        var grown = Interner<Position>(expectedCount: 4)
        var reserved = Interner<Position>(expectedCount: 20_000)
        var again = Interner<Position>(expectedCount: 4)
        let names = (0..<20_000).map { "91321204\(String($0 * 104_729 % 1_000_003, radix: 36))" }
        for name in names {
            _ = grown.intern(name)
            _ = reserved.intern(name)
            _ = again.intern(name)
        }
        #expect(grown.slots.count == reserved.slots.count, "both end at the size 20,000 names need")
        #expect(grown.slots.array == again.slots.array, "the table depends on the names and their order only")
        #expect(names.enumerated().allSatisfy { grown.find($1)?.offset == $0 && reserved.find($1)?.offset == $0 })
        // Every filled slot is reached from its home without crossing an empty slot.
        let slots = grown.slots.array, mask = slots.count - 1
        var filled = 0
        for (slot, entry) in slots.enumerated() where entry != 0 {
            filled += 1
            var probe = Interner<Position>.home(entry, mask: mask)
            while probe != slot, slots[probe] != 0 { probe = (probe + 1) & mask }
            #expect(probe == slot, "slot \(slot) lies on its probe path")
        }
        #expect(filled == names.count)
    }

    @Test("reserving room makes the hash table once at the size asked for: an empty one as if made that size, a filled one keeping every name")
    func reservingMakesTheTableOnce() {
        let names = (0..<5_000).map { "91321204\(String($0 * 104_729 % 1_000_003, radix: 36))" }
        var reserved = Interner<Position>(expectedCount: 4)
        reserved.reserveCapacity(names: 5_000, bytes: 100_000, hashed: 40_000)
        #expect(reserved.slots.count == 1 << 17 && reserved.slots.array.allSatisfy { $0 == 0 }, "one table, the power of two above twice the names")
        var made = Interner<Position>(expectedCount: 40_000)
        for name in names {
            _ = reserved.intern(name)
            _ = made.intern(name)
        }
        #expect(reserved.slots.array == made.slots.array, "as a table made at that size")
        // Reserving more for a table already holding names moves each to its probe path once.
        var filled = Interner<Position>(expectedCount: 4)
        for name in names { _ = filled.intern(name) }
        filled.reserveCapacity(names: 5_000, bytes: 100_000, hashed: 200_000)
        #expect(filled.slots.count == 1 << 19)
        #expect(names.enumerated().allSatisfy { filled.find($1)?.offset == $0 }, "every name found at its index")
        #expect(filled.intern("91321204-new").offset == names.count)
        // A table large enough already is left as it is.
        let before = filled.slots.array
        filled.reserveCapacity(names: 5_000, bytes: 100_000, hashed: 10)
        #expect(filled.slots.array == before)
    }

    @Test("an interner without its hash table stops the program when a name is looked up")
    func lookupWithoutTheHashTableTraps() async {
        await #expect(processExitsWith: .signal(SIGILL)) {
            var interner = Interner<Position>(expectedCount: 4)
            _ = interner.intern("a")
            interner.dropHashTable()
            _ = interner.find("a")
        }
    }

    @Test("an interner over a file's columns is refused unless consistent, and used in place when it is")
    func internerFromColumns() throws {
        var interner = Interner<Position>()
        for number in 0..<300 { _ = interner.intern("programme-\(number)") }
        var writer = ColumnFileWriter(schemaVersion: 1, metadata: [])
        writer.add(1, interner.arena)
        writer.add(2, interner.offsets)
        writer.add(3, interner.slots)
        let file = try ColumnFile(bytes: writer.bytes(key: [UInt8](repeating: 0, count: 32)))
        let read = try Interner<Position>(arena: try file.column(1), offsets: try file.column(2), slots: try file.column(3))
        #expect(read.find("programme-217") == Position(rawValue: 217))
        #expect(read.string(Position(rawValue: 5)) == "programme-5")
        var grown = read
        #expect(grown.intern("programme-300") == Position(rawValue: 300), "a new name copies the columns first")
        #expect(read.count == 300)

        let arena = interner.arena, offsets = interner.offsets, slots = interner.slots
        var backwards = offsets.array
        backwards.swapAt(3, 4)
        #expect(throws: ColumnFileError.self) { _ = try Interner<Position>(arena: arena, offsets: Column(backwards), slots: slots) }
        var twice = slots.array
        let filled = twice.indices.filter { twice[$0] != 0 }
        twice[filled[0]] = twice[filled[1]]
        #expect(throws: ColumnFileError.self) { _ = try Interner<Position>(arena: arena, offsets: offsets, slots: Column(twice)) }
        var missing = slots.array
        missing[filled[0]] = 0xFFFF_FFFF
        #expect(throws: ColumnFileError.self) { _ = try Interner<Position>(arena: arena, offsets: offsets, slots: Column(missing)) }
        #expect(throws: ColumnFileError.self) {
            _ = try Interner<Position>(arena: arena, offsets: offsets, slots: Column(Array(slots.array[..<512])))
        }
    }

    @Test("strings by position: lookups with and without the table, reordering, checked columns")
    func strings() throws {
        var column = StringColumn()
        for number in 0..<500 { column.append("g-\(number)") }
        #expect(column.firstIndex(of: "g-321") == 321)
        #expect(column.indexes(of: ["g-7", "g-499", "none"]) == ["g-7": 7, "g-499": 499])
        var indexed = column
        indexed.enableLookup()
        // Asking ahead for a lookup's slot is a hint, with or without the table.
        for hash in [0, UInt64.max, FastHash.hash(UnsafeRawBufferPointer(start: nil, count: 0))] {
            column.prefetch(hash: hash)
            indexed.prefetch(hash: hash)
        }
        #expect(indexed.firstIndex(of: "g-321") == 321 && indexed.firstIndex(of: "none") == nil)
        #expect(indexed.indexes(of: ["g-7", "g-499", "none"]) == ["g-7": 7, "g-499": 499])
        let reordered = column.reordered([10..<20, 0..<10])
        #expect(reordered.string(0) == "g-10" && reordered.string(10) == "g-0" && reordered.count == 20)
        #expect(throws: ColumnFileError.self) {
            _ = try StringColumn(arena: column.arena, ends: column.ends, count: 500, lengths: 1...4)
        }
        let read = try StringColumn(arena: column.arena, ends: column.ends, count: 500, lengths: 1...64)
        #expect(read == column)
        var probe = StringProbe(strings: [Array("g-42".utf8), Array("g-9999".utf8)], maximumLength: 64)
        probe.scan(column, 0..<500)
        #expect(probe.firstIndex == [42, nil])
    }

    @Test("strings written out by position, and a sorted list of distinct ASCII keys told from any other")
    func sortedKeysAndBytes() {
        func column(_ strings: [String]) -> StringColumn {
            var column = StringColumn()
            for string in strings { column.append(bytes: Array(string.utf8)) }
            return column
        }
        let keys = column(["91320000A", "91320000B", "913200010", "9133"])
        var bytes: [UInt8] = []
        for position in 0..<keys.count { keys.appendBytes(of: position, to: &bytes) }
        #expect(bytes == Array("91320000A91320000B9132000109133".utf8))
        #expect(keys.isStrictlyAscendingASCII)
        #expect(column([]).isStrictlyAscendingASCII && column(["x"]).isStrictlyAscendingASCII)
        #expect(!column(["b", "a"]).isStrictlyAscendingASCII, "out of order")
        #expect(!column(["a", "a"]).isStrictlyAscendingASCII, "repeated")
        #expect(column(["a", "ab"]).isStrictlyAscendingASCII && !column(["ab", "a"]).isStrictlyAscendingASCII, "a prefix sorts first")
        #expect(!column(["a", "b\u{E9}"]).isStrictlyAscendingASCII, "not ASCII")
        #expect(column(["", "a"]).isStrictlyAscendingASCII && !column(["a", ""]).isStrictlyAscendingASCII)
        // Well-formed UTF-8, string by string: a character split between two strings is not.
        #expect(column(["泰州", "", "é", "a"]).isValidUTF8 && column([]).isValidUTF8)
        var split = StringColumn()
        split.append(bytes: [0xE4])
        split.append(bytes: [0xB8, 0xAD])
        #expect(!split.isValidUTF8, "the bytes of 中 split between two strings")
        var broken = StringColumn()
        broken.append(bytes: [0x61, 0xFF])
        #expect(!broken.isValidUTF8)
    }

    @Test("names ranked in the order of their Strings: by bytes when ASCII, as Strings otherwise")
    func namesRanked() {
        let long = ["91321204MA1X00001B", "91321204MA1X00001A", "91321204MA1X0000", "91321204MA1X00001", "91321204MA1X00001AB",
                    "91321204MA1X0000\u{0}", "91321204MA1X000", "ab\u{0}", "ab", "ab\u{0}c", "91321204MA1X00001A\u{0}"]
        for names in [["b", "a", "ab", "B", "9"], long, ["e\u{301}z", "éa", "Z", "e\u{301}", "é", "a"]] {
            var interner = Interner<Position>()
            let indexes = names.map { interner.intern($0) }
            let ranks = interner.ranks(of: indexes)
            let expected = names.indices.sorted { names[$0] < names[$1] || (names[$0] == names[$1] && $0 < $1) }
            #expect(expected.map { ranks[$0] } == Array(names.indices), "\(names)")
            var bytes: [UInt8] = []
            for index in indexes { interner.appendBytes(of: index, to: &bytes) }
            #expect(bytes == Array(names.joined().utf8))
        }
        #expect(Interner<Position>().ranks(of: []).isEmpty)
    }

    @Test("names ranked by their leading words agree with String order: long shared prefixes, zeros, names at the arena's end, a table not all ASCII")
    func namesRankedByWords() {
        var random = SplitMix64(seed: 0x7A2B)
        let alphabet = Array("0129AZaz\u{0}".unicodeScalars).map(String.init)
        for round in 0..<40 {
            var interner = Interner<Position>()
            // A name outside the ranked ones that is not ASCII sends the check name by name.
            if round % 4 == 3 { _ = interner.intern("泰州") }
            var names: [String] = []
            var seen: Set<String> = []
            let prefix = String(repeating: "9", count: random.below(20))
            while names.count < 60 {
                let tail = (0..<random.below(12)).map { _ in alphabet[random.below(alphabet.count)] }.joined()
                let name = String(prefix.prefix(random.below(prefix.count + 1))) + tail
                if seen.insert(name).inserted { names.append(name) }
            }
            let indexes = names.map { interner.intern($0) }
            // Ranked in an order of their own, so the last interned (at the arena's end) is anywhere.
            let ranked = indexes.shuffled(using: &random)
            let ranks = interner.ranks(of: ranked)
            let rankedNames = ranked.map { interner.string($0) }
            let expected = rankedNames.indices.sorted { rankedNames[$0] < rankedNames[$1] }
            #expect(expected.map { ranks[$0] } == Array(rankedNames.indices), "round \(round): \(rankedNames)")
            #expect(interner.positionsInNameOrder(ranked) == expected, "the inverse of the ranks, round \(round)")
            // ASCII names in a table that also holds another byte are found so, name by name.
            #expect(interner.namesAreASCII(ranked) && interner.namesAreASCII([]))
            if let other = interner.find("泰州") { #expect(!interner.namesAreASCII(ranked + [other])) }
        }
    }

    @Test("enough names for the radix sort come out in String order, ties past sixteen bytes and prefixes too")
    func namesRankedByRadix() {
        var random = SplitMix64(seed: 0x51DE)
        var interner = Interner<Position>()
        var names: [String] = []
        var seen: Set<String> = []
        let count = 60 * LeadingWordSort.radixSortCount + 1_001
        while names.count < count {
            // Credit-code-like names sharing their first sixteen bytes often, some a prefix of another.
            let body = String(random.below(40_000), radix: 36)
            let name = "9132120400" + String(repeating: "0", count: 6 - min(6, body.count)) + body
                + (random.below(3) == 0 ? "" : String(random.below(36), radix: 36).uppercased())
            if seen.insert(name).inserted { names.append(name) }
        }
        let indexes = names.map { interner.intern($0) }.shuffled(using: &random)
        let rankedNames = indexes.map { interner.string($0) }
        let expected = rankedNames.indices.sorted { rankedNames[$0] < rankedNames[$1] }
        #expect(interner.positionsInNameOrder(indexes) == expected)
    }

    @Test("the radix sort orders leading words as 128-bit numbers and keeps equal ones in their order: every byte deciding, shared bytes, repeats")
    func radixSortOfLeadingWords() {
        var random = SplitMix64(seed: 0x4AD1)
        let values: [UInt64] = [0x00, 0x01, 0x7F, 0x80, 0xFF]
        for round in 0..<16 {
            // Each byte shared by every key (a skipped pass) or one of a few values, so that
            // every byte, the lowest too, decides between keys equal above it.
            let shared = (0..<16).map { _ in random.below(3) == 0 ? values[random.below(values.count)] : nil }
            let keyCount = round == 0 ? 1 : 1 + random.below(2_500)
            var keys: [LeadingWordSort.Key] = []
            for position in 0..<keyCount {
                var words: (first: UInt64, second: UInt64) = (0, 0)
                for byte in 0..<16 {
                    let value = shared[byte] ?? values[random.below(round % 2 == 0 ? 2 : values.count)]
                    if byte < 8 { words.first = words.first << 8 | value } else { words.second = words.second << 8 | value }
                }
                keys.append(.init(first: words.first, second: words.second, position: position))
            }
            // Repeats of earlier keys, which must stay after them.
            for _ in 0..<(keyCount / 5) {
                let earlier = keys[random.below(keys.count)]
                keys.append(.init(first: earlier.first, second: earlier.second, position: keys.count))
            }
            let expected = keys.sorted { ($0.first, $0.second, $0.position) < ($1.first, $1.second, $1.position) }.map(\.position)
            var sorted = keys
            LeadingWordSort.radixSort(&sorted)
            #expect(sorted.map(\.position) == expected, "round \(round)")
            // At most three bits a byte place: the deciding places fit one word with the position.
            #expect(LeadingWordSort.packedWords(keys)?.positions == expected, "packed, round \(round)")
        }
    }

    @Test("leading words packed into one word sort as the radix sort does; keys differing in too many bits are left to it")
    func packedOrderOfLeadingWords() {
        var random = SplitMix64(seed: 0x9AC3)
        for round in 0..<24 {
            // A few deciding places with many values each (up to eight bits), the rest shared.
            let deciding = Set((0..<(1 + random.below(6))).map { _ in random.below(16) })
            let valueCount = [2, 3, 31, 200, 256][round % 5]
            let keyCount = 1 + random.below(3_000)
            var keys: [LeadingWordSort.Key] = []
            for position in 0..<keyCount {
                var first: UInt64 = 0, second: UInt64 = 0
                for place in 0..<16 {
                    let value = deciding.contains(place) ? UInt64(random.below(valueCount)) * 255 / UInt64(max(1, valueCount - 1)) : 0x39
                    if place < 8 { first = first << 8 | value } else { second = second << 8 | value }
                }
                keys.append(.init(first: first, second: second, position: position))
            }
            var sorted = keys
            LeadingWordSort.radixSort(&sorted)
            #expect(LeadingWordSort.packedWords(keys)?.positions == sorted.map(\.position), "round \(round)")
        }
        // Sixteen places of 94 values each: 112 bits, more than a word holds.
        let wide = (0..<2_000).map { position in
            LeadingWordSort.Key(first: (0..<8).reduce(0) { word, _ in word << 8 | UInt64(0x21 + random.below(94)) },
                                       second: (0..<8).reduce(0) { word, _ in word << 8 | UInt64(0x21 + random.below(94)) },
                                       position: position)
        }
        #expect(LeadingWordSort.packedWords(wide) == nil)
        #expect(LeadingWordSort.packedWords([])?.positions == [])
    }

    @Test("names split in two sides in name order: every name of the first before every name of the second, about half each; none for names not ASCII")
    func sidesInNameOrder() {
        var random = SplitMix64(seed: 0x51D5)
        for round in 0..<12 {
            var interner = Interner<Position>()
            let count = [1, 2, 3, 50, 2_000, 9_999][round % 6]
            var seen: Set<String> = []
            while interner.count < count {
                // Credit-code-like names, some sharing their sixteen leading bytes, some prefixes of others.
                let name = "913212040000" + String(random.below(90_000), radix: 10) + (random.below(4) == 0 ? "" : String(random.below(36), radix: 36).uppercased())
                if seen.insert(name).inserted { _ = interner.intern(name) }
            }
            let sides = try! #require(interner.sidesInNameOrder(sampleCount: 1 + random.below(64)))
            #expect(sides.count == count)
            let names = (0..<count).map { interner.string(Position(offset: $0)) }
            let firstSide = names.indices.filter { sides[$0] == 0 }.map { names[$0] }
            let secondSide = names.indices.filter { sides[$0] == 1 }.map { names[$0] }
            #expect(firstSide.count + secondSide.count == count)
            if let last = firstSide.max(), let first = secondSide.min() { #expect(last < first, "round \(round)") }
            if count >= 2_000 { #expect(min(firstSide.count, secondSide.count) > count / 4, "about half each, round \(round)") }
        }
        var mixed = Interner<Position>()
        _ = mixed.intern("91321204000001")
        _ = mixed.intern("泰州")
        #expect(mixed.sidesInNameOrder() == nil)
        #expect(Interner<Position>().sidesInNameOrder() == nil)
    }

    @Test("names too varied to pack come out in String order by the radix sort of their leading words")
    func namesRankedByRadixUnpacked() {
        var random = SplitMix64(seed: 0x3E11)
        var interner = Interner<Position>()
        var names: [String] = []
        var seen: Set<String> = []
        while names.count < 4 * LeadingWordSort.radixSortCount {
            let name = String(decoding: (0..<(12 + random.below(8))).map { _ in UInt8(0x21 + random.below(94)) }, as: UTF8.self)
            if seen.insert(name).inserted { names.append(name) }
        }
        let indexes = names.map { interner.intern($0) }.shuffled(using: &random)
        let keys = indexes.enumerated().map { position, index in
            let bytes = Array(interner.string(index).utf8)
            return bytes.withUnsafeBytes { buffer in
                let (first, second) = LeadingWordSort.leadingWords(buffer, start: 0, end: buffer.count)
                return LeadingWordSort.Key(first: first, second: second, position: position)
            }
        }
        #expect(LeadingWordSort.packedWords(keys) == nil, "random printable bytes differ in every place")
        let rankedNames = indexes.map { interner.string($0) }
        let expected = rankedNames.indices.sorted { rankedNames[$0] < rankedNames[$1] }
        #expect(interner.positionsInNameOrder(indexes) == expected)
    }

    @Test("a name's leading words: sixteen bytes, zeros past its end, loaded or copied alike")
    func leadingWords() {
        let bytes: [UInt8] = Array("0123456789abcdefghijklmnopqrstuv".utf8)
        bytes.withUnsafeBytes { buffer in
            for start in 0...bytes.count {
                for end in start...bytes.count {
                    var first: UInt64 = 0, second: UInt64 = 0
                    for offset in 0..<8 {
                        first = first << 8 | UInt64(start + offset < end ? bytes[start + offset] : 0)
                        second = second << 8 | UInt64(start + 8 + offset < end ? bytes[start + 8 + offset] : 0)
                    }
                    let words = LeadingWordSort.leadingWords(buffer, start: start, end: end)
                    #expect(words.0 == first && words.1 == second, "bytes \(start)..<\(end)")
                }
            }
        }
    }

    @Test("fingerprints: every string present may be there, sorted order is checked")
    func fingerprints() throws {
        var column = StringColumn()
        for number in 0..<2_000 { column.append("e-\(number)") }
        let sorted = column.sortedFingerprints()
        #expect(sorted == sorted.sorted())
        let index = try FingerprintIndex(Column(sorted), count: 2_000)
        for number in stride(from: 0, to: 2_000, by: 37) { #expect(index.mayContain(bytes: Array("e-\(number)".utf8))) }
        let absent = (0..<200).filter { index.mayContain(bytes: Array("absent-\($0)".utf8)) }
        #expect(absent.isEmpty)
        #expect(throws: ColumnFileError.self) { _ = try FingerprintIndex(Column(sorted.reversed()), count: 2_000) }
        #expect(throws: ColumnFileError.self) { _ = try FingerprintIndex(Column(sorted), count: 1_999) }
    }

    @Test("fingerprints kept for a column's first strings, merged with the rest's, are the whole column's sorted")
    func mergedFingerprints() throws {
        var column = StringColumn()
        var generator = SplitMix64(seed: 71)
        for number in 0..<3_000 { column.append("id-\(number)-\(generator.next() % 997)") }
        // Repeats, which a merge must keep (a reused id is found by the exact check after it).
        for number in stride(from: 0, to: 300, by: 7) { column.append("id-\(number)-repeat") }
        column.append("id-5-repeat")
        let whole = column.sortedFingerprints()
        for kept in [0, 1, 1_000, 2_999, 3_000, column.count - 1, column.count] {
            var prefix = StringColumn()
            for position in 0..<kept { prefix.append(column.string(position)) }
            let index = try FingerprintIndex(Column(prefix.sortedFingerprints()), count: kept)
            #expect(index.merged(withTheRestOf: column) == whole, "\(kept) kept")
        }
        for position in stride(from: 0, to: column.count, by: 101) {
            #expect(column.fingerprint(at: position) == FingerprintIndex.fingerprint(of: Array(column.string(position).utf8)))
        }
    }

    @Test("the private cache directory: created 0700 with a 0600 key, refused when others may write it")
    func privateDirectory() throws {
        let scratch = TemporaryFileFixture(prefix: "private-cache-tests")
        let path = scratch.file("parent/cache")
        guard case .success(let first) = PrivateCacheDirectory.open(path, keyFileName: "key") else {
            Issue.record("the directory was not made")
            return
        }
        #expect(first.key.count == 32)
        var status = stat()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o700)
        #expect(stat(path + "/key", &status) == 0 && status.st_mode & 0o777 == 0o600)
        guard case .success(let again) = PrivateCacheDirectory.open(path, keyFileName: "key") else {
            Issue.record("the directory was not opened again")
            return
        }
        #expect(again.key == first.key, "the key is made once")
        #expect(TemporaryFileFixture.names(in: path) == ["key"], "the key's temporary is gone")
        #expect(chmod(path, 0o777) == 0)
        guard case .failure = PrivateCacheDirectory.open(path, keyFileName: "key") else {
            Issue.record("a directory others may write was used")
            return
        }
        #expect(chmod(path, 0o700) == 0)
        let identity = PrivateCacheDirectory.identity(of: scratch.path, label: "a", namespace: "tests")
        #expect(identity != nil)
        #expect(identity != PrivateCacheDirectory.identity(of: scratch.path, label: "b", namespace: "tests"))
        #expect(identity != PrivateCacheDirectory.identity(of: path, label: "a", namespace: "tests"))
        #expect(PrivateCacheDirectory.identity(of: scratch.file("none"), label: nil, namespace: "tests") == nil)
    }
}
