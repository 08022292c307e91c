/// The keys `BucketedOrder` sorts indexes by: a 128-bit key per index whose bits from 48 up are
/// its bucket (a day, for a ledger's replay order). Read from several threads at once, so it
/// must be a pure function of the index.
public protocol BucketedKeys: Sendable {
    func key(_ index: Int) -> UInt128
}

/// Indexes `0..<count` in the order of (key, index), on the machine's cores. The keys usually
/// come in an order of their own (a ledger's logs are in recorded order, not effective order),
/// so they are first spread by bucket (a stable counting sort on 4-byte indexes), and only each
/// bucket's indexes, a few thousand, are sorted by their whole key: the same order as sorting
/// every key at once, with a buffer of one bucket's keys instead of two of every index's
/// (320 MB at ten million), and each bucket's sort in the cache. Each step is split in pieces:
/// by index for the survey, the counts and the spreading (each piece writes the places the
/// counts of the pieces before it leave it), then by bucket for the sorts. The outcome does
/// not depend on the pieces: it is the one order of (key, index).
public enum BucketedOrder {
    /// The most buckets spread into; keys spanning more (only from dates far apart) are sorted
    /// whole instead.
    public static let maximumBuckets = 1 << 20

    /// Below this many indexes, one piece: splitting costs more than it saves.
    public static let minimumSplitCount = 1 << 15

    /// In `pieces` pieces (fewer for fewer indexes) from `splitCount` indexes up.
    @inlinable
    public static func sortedIndexes<Keys: BucketedKeys>(count: Int, keys: Keys, pieces: Int = 2,
                                                        splitCount: Int = minimumSplitCount) -> [Int32] {
        precondition(count >= 0 && count < Int(Int32.max), "indexes fit in 32 bits")
        precondition(pieces >= 1 && pieces <= ParallelWork.maximumPieces, "a handful of pieces")
        guard count > 0 else { return [] }
        // Every piece holds an index at least.
        let pieceCount = count >= splitCount ? min(pieces, count) : 1

        // Each piece's lowest and highest bucket, and whether its keys already rise.
        let surveys = ParallelWork.map(count: pieceCount) { piece in
            let range = ParallelWork.piece(piece, of: pieceCount, count: count)
            var survey = Survey(keys.key(range.lowerBound))
            for index in range.dropFirst() { survey.add(keys.key(index)) }
            return survey
        }
        let isSorted = surveys.indices.allSatisfy { position in
            surveys[position].isSorted && (position == 0 || surveys[position - 1].last <= surveys[position].first)
        }
        let lowest = surveys.map(\.lowest).min()!, highest = surveys.map(\.highest).max()!
        if isSorted { return (0..<count).map { Int32(truncatingIfNeeded: $0) } }
        guard highest - lowest < UInt128(maximumBuckets) else { return sortedWhole(count: count, keys: keys) }
        let bucketCount = Int(highest - lowest) + 1

        // Each piece's count of each bucket; then where each bucket starts, and where in it each piece's indexes go.
        let counts = ParallelWork.map(count: pieceCount) { piece in
            var counts = [Int32](repeating: 0, count: bucketCount)
            for index in ParallelWork.piece(piece, of: pieceCount, count: count) {
                counts[Int((keys.key(index) >> 48) - lowest)] += 1
            }
            return counts
        }
        var bucketStarts = [Int](repeating: 0, count: bucketCount + 1)
        var piecePlaces = [[Int]](repeating: [], count: pieceCount)
        for bucket in 0..<bucketCount {
            var place = bucketStarts[bucket]
            for piece in 0..<pieceCount {
                piecePlaces[piece].append(place)
                place += Int(counts[piece][bucket])
            }
            bucketStarts[bucket + 1] = place
        }
        precondition(bucketStarts[bucketCount] == count, "every index counted once")
        let starts = bucketStarts, places = piecePlaces

        return [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            let order = SharedIndexes(buffer)
            // Spread: each piece's indexes, in index order, into its places in their buckets.
            let spread = ParallelWork.map(count: pieceCount) { piece in
                var next = places[piece]
                for index in ParallelWork.piece(piece, of: pieceCount, count: count) {
                    let bucket = Int((keys.key(index) >> 48) - lowest)
                    order[next[bucket]] = Int32(truncatingIfNeeded: index)
                    next[bucket] += 1
                }
                // Each piece ends where the next one's places begin: every place written once.
                let ends = piece + 1 < pieceCount ? places[piece + 1] : Array(starts.dropFirst())
                return next == ends
            }
            precondition(spread.allSatisfy { $0 }, "every place written once")
            // Sort each bucket by its whole key, unless it already is in order, in pieces of
            // about as many indexes each.
            _ = ParallelWork.map(count: pieceCount) { piece in
                var keyed: [UInt128] = []
                for bucket in BucketedOrder.buckets(piece, of: pieceCount, starts: starts) where starts[bucket + 1] - starts[bucket] > 1 {
                    let range = starts[bucket]..<starts[bucket + 1]
                    keyed.removeAll(keepingCapacity: true)
                    var bucketIsSorted = true
                    for position in range {
                        let index = order[position]
                        let key = keys.key(Int(index)) << 32 | UInt128(UInt32(bitPattern: index))
                        if let last = keyed.last, key < last { bucketIsSorted = false }
                        keyed.append(key)
                    }
                    if bucketIsSorted { continue }
                    keyed.sort()
                    for (offset, key) in keyed.enumerated() {
                        order[range.lowerBound + offset] = Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)
                    }
                }
                return true
            }
            initialized = count
        }
    }

    /// The same order by one sort of every key with its index below it.
    @inlinable
    public static func sortedWhole<Keys: BucketedKeys>(count: Int, keys: Keys) -> [Int32] {
        var keyed = [UInt128]()
        keyed.reserveCapacity(count)
        for index in 0..<count { keyed.append(keys.key(index) << 32 | UInt128(index)) }
        keyed.sort()
        return keyed.map { Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }
    }

    /// The buckets of piece `piece`: consecutive buckets holding about `1 / pieceCount` of the
    /// indexes each (a bucket is never split: a piece starts at the bucket holding the first
    /// index of its share), every bucket in exactly one piece.
    @inlinable
    static func buckets(_ piece: Int, of pieceCount: Int, starts: [Int]) -> Range<Int> {
        precondition(pieceCount > 0 && piece >= 0 && piece < pieceCount && !starts.isEmpty, "a piece of the buckets")
        let bucketCount = starts.count - 1, total = starts[bucketCount]
        /// The bucket holding index `total * piece / pieceCount` of the order (its first bucket
        /// that ends past it).
        func boundary(_ piece: Int) -> Int {
            if piece == 0 { return 0 }
            if piece == pieceCount { return bucketCount }
            let wanted = total * piece / pieceCount
            var low = 0, high = bucketCount
            while low < high {
                let middle = (low + high) / 2
                if starts[middle + 1] <= wanted { low = middle + 1 } else { high = middle }
            }
            return low
        }
        return boundary(piece)..<boundary(piece + 1)
    }

    /// A piece's keys at a glance: their lowest and highest bucket, whether they rise, the
    /// first and the last.
    @usableFromInline
    struct Survey: Sendable {
        @usableFromInline var lowest: UInt128
        @usableFromInline var highest: UInt128
        @usableFromInline var isSorted = true
        @usableFromInline let first: UInt128
        @usableFromInline var last: UInt128

        @inlinable
        init(_ first: UInt128) {
            self.first = first
            last = first
            lowest = first >> 48
            highest = lowest
        }

        @inlinable @inline(__always)
        mutating func add(_ key: UInt128) {
            if key < last { isSorted = false }
            last = key
            let bucket = key >> 48
            if bucket < lowest { lowest = bucket } else if bucket > highest { highest = bucket }
        }
    }

    /// The order being built, written by several pieces at once, each at places no other piece
    /// writes (the counts give each its own), and read only after `ParallelWork.map` returns.
    @usableFromInline
    struct SharedIndexes: @unchecked Sendable {
        @usableFromInline let base: UnsafeMutablePointer<Int32>
        @usableFromInline let count: Int

        @inlinable
        init(_ buffer: UnsafeMutableBufferPointer<Int32>) {
            base = buffer.baseAddress!
            count = buffer.count
        }

        @inlinable
        subscript(position: Int) -> Int32 {
            @inline(__always) get {
                precondition(position >= 0 && position < count, "a place in the order")
                return base[position]
            }
            @inline(__always) nonmutating set {
                precondition(position >= 0 && position < count, "a place in the order")
                base[position] = newValue
            }
        }
    }
}
