/// Names sorted by their first sixteen bytes as one unsigned 128-bit number (two big-endian
/// words), for `Interner.positionsInNameOrder`. Not generic, unlike the interner whose names
/// it sorts: its keys are copied as plain words, not through a generic type's witnesses.
enum LeadingWordSort {
    /// A name's place in `positionsInNameOrder`'s sort: its leading words and its position.
    struct Key: Sendable {
        var first: UInt64
        var second: UInt64
        var position: Int
    }

    /// From this many names on, `radixSort`: below, its sixteen counts of 256 cost more than a
    /// comparison sort.
    static var radixSortCount: Int { 1 << 10 }

    /// Sorts `keys` by their leading words as one unsigned 128-bit number, keeping the order of
    /// equal keys: a pass per byte, the least significant first, skipping any byte every key
    /// shares (ids share long prefixes); every byte's counts come from one pass before them.
    /// At 1.2M names (and their keys made), 0.17 s on one core, where the comparison sort took
    /// 0.70 s of CPU on two.
    static func radixSort(_ keys: inout [Key]) {
        let count = keys.count
        var counts = [Int](repeating: 0, count: 16 * 256)
        counts.withUnsafeMutableBufferPointer { counts in
            for key in keys {
                var low = key.second, high = key.first
                for byte in 0..<8 {
                    counts[byte &* 256 &+ Int(truncatingIfNeeded: low & 0xFF)] &+= 1
                    counts[(8 &+ byte) &* 256 &+ Int(truncatingIfNeeded: high & 0xFF)] &+= 1
                    low >>= 8
                    high >>= 8
                }
            }
        }
        var scratch = keys
        var offsets = [Int](repeating: 0, count: 256)
        for digit in 0..<16 {
            let digitCounts = counts[(digit * 256)..<((digit + 1) * 256)]
            guard !digitCounts.contains(count) else { continue }
            var running = 0
            for (value, valueCount) in digitCounts.enumerated() {
                offsets[value] = running
                running += valueCount
            }
            let shift = UInt64(digit % 8 * 8), inFirst = digit >= 8
            keys.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    offsets.withUnsafeMutableBufferPointer { offsets in
                        for key in source {
                            let value = Int(truncatingIfNeeded: ((inFirst ? key.first : key.second) >> shift) & 0xFF)
                            target[offsets[value]] = key
                            offsets[value] &+= 1
                        }
                    }
                }
            }
            swap(&keys, &scratch)
        }
        assert(zip(keys, keys.dropFirst()).allSatisfy { ($0.first, $0.second) <= ($1.first, $1.second) }, "sorted by leading words")
    }

    /// Keys packed into one word each and sorted: each word's low `positionBits` bits its key's
    /// position, the bits above its leading words' ranks (equal leading words, equal bits).
    struct PackedWords {
        var words: [UInt64]
        var positionBits: Int

        private var positionMask: UInt64 { UInt64(1) << UInt64(positionBits) - 1 }

        /// The keys' positions in the order of their leading words, equal ones in position order.
        var positions: [Int] { words.map { Int(truncatingIfNeeded: $0 & positionMask) } }

        /// The keys' positions in the order of their leading words, each run of equal leading
        /// words put in order by `areInIncreasingOrder` of their `keys` (the rest of the names).
        func positions(orderingTiesOf keys: [Key], by areInIncreasingOrder: (Key, Key) -> Bool) -> [Int] {
            var positions: [Int] = []
            positions.reserveCapacity(words.count)
            let shift = UInt64(positionBits)
            var runStart = 0
            while runStart < words.count {
                let leading = words[runStart] >> shift
                var runEnd = runStart + 1
                while runEnd < words.count, words[runEnd] >> shift == leading { runEnd += 1 }
                if runEnd - runStart == 1 {
                    positions.append(Int(truncatingIfNeeded: words[runStart] & positionMask))
                } else {
                    let run = words[runStart..<runEnd].map { keys[Int(truncatingIfNeeded: $0 & positionMask)] }
                    positions.append(contentsOf: run.sorted(by: areInIncreasingOrder).lazy.map(\.position))
                }
                runStart = runEnd
            }
            return positions
        }
    }

    /// `keys` (each key's `position` its place in `keys`) sorted by their leading words as one
    /// unsigned 128-bit number, equal ones in position order, as `radixSort` orders them; nil
    /// when the bytes in which keys differ need more bits than a word leaves beside the
    /// position. Each byte place where keys differ is given the rank of its byte among the bytes
    /// found there (order-preserving, so the order of keys is the order of their ranks read as
    /// digits, most significant place first), packed above the position: credit codes differ in
    /// eight of their sixteen leading bytes, 37 bits, and one word a key is sorted in four passes
    /// rather than a 24-byte key in eleven.
    static func packedWords(_ keys: [Key]) -> PackedWords? {
        let count = keys.count
        guard count > 1 else { return PackedWords(words: keys.indices.map { UInt64($0) }, positionBits: 1) }
        // Which bytes occur at each of the sixteen places: 256 bits a place.
        var present = [UInt64](repeating: 0, count: 16 * 4)
        present.withUnsafeMutableBufferPointer { present in
            for (position, key) in keys.enumerated() {
                precondition(key.position == position, "keys in position order")
                var low = key.second, high = key.first
                for place in 0..<8 {
                    let lowByte = Int(truncatingIfNeeded: low & 0xFF), highByte = Int(truncatingIfNeeded: high & 0xFF)
                    present[(15 &- place) &* 4 &+ lowByte >> 6] |= 1 << UInt64(lowByte & 63)
                    present[(7 &- place) &* 4 &+ highByte >> 6] |= 1 << UInt64(highByte & 63)
                    low >>= 8
                    high >>= 8
                }
            }
        }
        // Each deciding place's rank table and width, most significant place first.
        var places: [(place: Int, width: Int)] = []
        var ranks = [UInt64](repeating: 0, count: 16 * 256)
        var keyBits = 0
        for place in 0..<16 {
            var rank: UInt64 = 0
            for byte in 0..<256 where present[place * 4 + byte >> 6] >> UInt64(byte & 63) & 1 != 0 {
                ranks[place * 256 + byte] = rank
                rank += 1
            }
            guard rank > 1 else { continue }
            let width = UInt64.bitWidth - (rank - 1).leadingZeroBitCount
            places.append((place, width))
            keyBits += width
        }
        let positionBits = max(1, Int.bitWidth - (count - 1).leadingZeroBitCount)
        guard keyBits + positionBits <= UInt64.bitWidth else { return nil }
        var packed = [UInt64](repeating: 0, count: count)
        ranks.withUnsafeBufferPointer { ranks in
            packed.withUnsafeMutableBufferPointer { packed in
                for (position, key) in keys.enumerated() {
                    var word: UInt64 = 0
                    for (place, width) in places {
                        let byte = Int(truncatingIfNeeded: (place < 8 ? key.first >> UInt64(56 - 8 * place) : key.second >> UInt64(120 - 8 * place)) & 0xFF)
                        word = word << UInt64(width) | ranks[place &* 256 &+ byte]
                    }
                    packed[position] = word << UInt64(positionBits) | UInt64(position)
                }
            }
        }
        // Positions rise already: a stable sort of the key bits alone leaves equal keys in
        // position order. Digits of up to eleven bits, least significant first.
        let digitBits = 11
        var scratch = [UInt64](repeating: 0, count: count)
        var counts = [Int](repeating: 0, count: 1 << digitBits)
        var shift = positionBits
        while shift < positionBits + keyBits {
            let bits = min(digitBits, positionBits + keyBits - shift), mask = UInt64(1) << UInt64(bits) - 1
            let digitShift = UInt64(shift)
            counts.withUnsafeMutableBufferPointer { counts in
                for index in 0..<(1 << bits) { counts[index] = 0 }
                packed.withUnsafeBufferPointer { source in
                    for word in source { counts[Int(truncatingIfNeeded: word >> digitShift & mask)] &+= 1 }
                    var running = 0
                    for index in 0..<(1 << bits) {
                        let digitCount = counts[index]
                        counts[index] = running
                        running &+= digitCount
                    }
                    scratch.withUnsafeMutableBufferPointer { target in
                        for word in source {
                            let digit = Int(truncatingIfNeeded: word >> digitShift & mask)
                            target[counts[digit]] = word
                            counts[digit] &+= 1
                        }
                    }
                }
            }
            swap(&packed, &scratch)
            shift += bits
        }
        return PackedWords(words: packed, positionBits: positionBits)
    }

    /// The first sixteen bytes of `bytes[start..<end]` as two big-endian words, zeros past `end`:
    /// two words load them where the buffer holds sixteen bytes from `start`, a loop otherwise.
    static func leadingWords(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int) -> (UInt64, UInt64) {
        precondition(start >= 0 && start <= end && end <= bytes.count, "a name inside the arena")
        let count = end - start
        guard start + 16 <= bytes.count else {
            var first: UInt64 = 0, second: UInt64 = 0
            for offset in 0..<8 {
                first = first << 8 | UInt64(offset < count ? bytes[start + offset] : 0)
                second = second << 8 | UInt64(8 + offset < count ? bytes[start + 8 + offset] : 0)
            }
            return (first, second)
        }
        /// The high `byteCount` bytes of a word (0 to 8 of them) kept, the rest zeroed.
        func keeping(_ word: UInt64, _ byteCount: Int) -> UInt64 {
            byteCount >= 8 ? word : byteCount <= 0 ? 0 : word & ~(UInt64.max >> (8 * byteCount))
        }
        let first = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: start, as: UInt64.self))
        let second = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self))
        return (keeping(first, count), keeping(second, count - 8))
    }
}
