#if canImport(Glibc)
import Glibc
#endif
import LedgerLog

/// Strings by position (the ids of events, in event order): stored, not hashed, because only a
/// few questions look one up (a retraction's target, a retried append) and a scan answers them.
/// Two columns: every string's bytes one after another, and where each ends.
public struct StringColumn: Sendable {
    package private(set) var arena: Column<UInt8>
    @usableFromInline package private(set) var ends: Column<UInt32>
    /// A hash table of the strings, kept only where many lookups follow (the append path): its
    /// index of a string is the string's position, as long as no string repeats.
    private var lookup: Interner<Position>? = nil

    public init() {
        arena = Column()
        ends = Column()
    }

    @inlinable public var count: Int { ends.count }

    /// Room for `count` strings of `typicalBytes` each (the bytes still grow for longer ones).
    public mutating func reserveCapacity(forStrings count: Int, typicalBytes: Int) {
        ends.reserveCapacity(count)
        arena.reserveCapacity(count * typicalBytes)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        arena.append(contentsOf: bytes)
        precondition(arena.count < Int(UInt32.max), "the strings of a column fit in 4 GiB")
        ends.append(UInt32(arena.count))
        if lookup != nil {
            _ = lookup!.intern(bytes)
            // A repeated string (only in a ledger read without verification) breaks index = position; drop the table.
            if lookup!.count != ends.count { lookup = nil }
        }
    }

    /// Appends a string given as its bytes.
    public mutating func append(bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    public mutating func append(_ string: String) {
        var copy = string
        copy.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Starts loading the slot that looking up or appending a string of `hash` (`FastHash` of
    /// its bytes) probes first, where the column keeps its hash table (`enableLookup`).
    public func prefetch(hash: UInt64) { lookup?.prefetch(hash: hash) }

    /// Whether `enableLookup` built the hash table.
    public var hasLookup: Bool { lookup != nil }

    /// Builds the hash table once, so that `firstIndex(of:)` answers without a scan.
    public mutating func enableLookup() {
        guard lookup == nil else { return }
        var table = Interner<Position>(expectedCount: count)
        arena.withBytes { stored in
            var start = 0
            for position in 0..<ends.count {
                let end = Int(ends[position])
                _ = table.intern(UnsafeRawBufferPointer(rebasing: stored[start..<end]))
                start = end
            }
        }
        if table.count == count { lookup = table }
    }

    @inline(__always)
    private func start(of position: Int) -> Int { position == 0 ? 0 : Int(ends[position - 1]) }

    public func string(_ position: Int) -> String {
        let start = start(of: position), end = Int(ends[position])
        return arena.withElements { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    /// The bytes of string `position`, valid during `body`.
    public func withBytes<Result>(of position: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        let start = start(of: position), end = Int(ends[position])
        return arena.withBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Appends the bytes of string `position` to `bytes` (output written straight from the column).
    public func appendBytes(of position: Int, to bytes: inout [UInt8]) {
        let start = start(of: position), end = Int(ends[position])
        arena.withElements { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Whether every string is ASCII and each sorts strictly after the one before, byte by byte
    /// (for ASCII, the order of their Strings): a sorted list of distinct keys.
    public var isStrictlyAscendingASCII: Bool {
        arena.withElements { stored in
            var start = 0, previous = 0..<0
            for position in 0..<ends.count {
                let end = Int(ends[position]), range = start..<end
                for index in range where stored[index] >= 0x80 { return false }
                if position > 0, !stored[previous].lexicographicallyPrecedes(stored[range]) { return false }
                previous = range
                start = end
            }
            return true
        }
    }

    /// Whether every string is well-formed UTF-8: all the bytes are, and no string ends inside a
    /// character (the byte after each end is not a continuation byte).
    public var isValidUTF8: Bool {
        arena.withElements { stored in
            guard UTF8Sequence.isValid(stored) else { return false }
            for position in 0..<ends.count {
                let end = Int(ends[position])
                if end < stored.count, stored[end] & 0xC0 == 0x80 { return false }
            }
            return true
        }
    }

    /// The bytes of string `position` as an array of their own.
    public func bytes(of position: Int) -> [UInt8] { withBytes(of: position) { Array($0) } }

    // The table is read through optional chaining, which borrows it in place: `if let` would
    // copy it (a retain and release of each of its columns) once per call.

    /// The position of the first string equal to `string`.
    public func firstIndex(of string: String) -> Int? {
        if lookup != nil { return lookup?.find(string)?.offset }
        var copy = string
        return copy.withUTF8 { wanted -> Int? in
            arena.withBytes { stored -> Int? in
                var start = 0
                for position in 0..<ends.count {
                    let end = Int(ends[position])
                    if end - start == wanted.count,
                       wanted.count == 0 || memcmp(stored.baseAddress! + start, wanted.baseAddress!, wanted.count) == 0 {
                        return position
                    }
                    start = end
                }
                return nil
            }
        }
    }

    /// The first positions of the strings in `strings`, in one pass.
    public func indexes(of strings: Set<String>) -> [String: Int] {
        var found: [String: Int] = [:]
        guard !strings.isEmpty else { return found }
        if lookup != nil {
            for string in strings { if let index = lookup?.find(string) { found[string] = index.offset } }
            return found
        }
        // No string is made per position: a position is hashed only when its length is wanted,
        // compared only when its fingerprint passes a filter of the wanted ones.
        var wanted: [(bytes: [UInt8], string: String)] = []
        var byFingerprint: [UInt64: [Int]] = [:]
        var lengths = Array(repeating: false, count: 65)
        var filter = [Bool](repeating: false, count: StringColumn.filterSize)
        for string in strings where string.utf8.count < lengths.count {
            let bytes = Array(string.utf8)
            let fingerprint = bytes.withUnsafeBytes { FastHash.hash($0) }
            lengths[bytes.count] = true
            filter[Int(fingerprint & UInt64(StringColumn.filterSize - 1))] = true
            byFingerprint[fingerprint, default: []].append(wanted.count)
            wanted.append((bytes, string))
        }
        arena.withBytes { stored in
            var start = 0
            for position in 0..<ends.count {
                let end = Int(ends[position])
                defer { start = end }
                guard end - start < lengths.count, lengths[end - start] else { continue }
                let bytes = UnsafeRawBufferPointer(rebasing: stored[start..<end])
                let fingerprint = FastHash.hash(bytes)
                guard filter[Int(fingerprint & UInt64(StringColumn.filterSize - 1))],
                      let candidates = byFingerprint[fingerprint] else { continue }
                for candidate in candidates where wanted[candidate].bytes.elementsEqual(bytes) {
                    if found[wanted[candidate].string] == nil { found[wanted[candidate].string] = position }
                }
            }
        }
        return found
    }

    /// Entries of the fingerprint filter of `indexes(of:)`: a power of two.
    private static let filterSize = 1 << 16

    /// The strings at `ranges`, in that order, copied in bulk.
    public func reordered(_ ranges: [Range<Int>]) -> StringColumn {
        var bytes: [UInt8] = [], newEnds: [UInt32] = []
        bytes.reserveCapacity(arena.count)
        newEnds.reserveCapacity(ends.count)
        arena.withElements { stored in
            for range in ranges where !range.isEmpty {
                let start = start(of: range.lowerBound)
                let end = Int(ends[range.upperBound - 1])
                let shift = bytes.count - start
                bytes.append(contentsOf: stored[start..<end])
                for position in range { newEnds.append(UInt32(Int(ends[position]) + shift)) }
            }
        }
        var result = StringColumn()
        result.arena = Column(bytes)
        result.ends = Column(newEnds)
        return result
    }

    /// Strings over columns read from a file, refused unless there are `count`, each of
    /// `lengths` bytes, and the last ends at the bytes' end.
    public init(arena: Column<UInt8>, ends: Column<UInt32>, count: Int, lengths: ClosedRange<Int>) throws(ColumnFileError) {
        guard ends.count == count, arena.count < Int(UInt32.max) else { throw .malformed("it does not hold one string per position") }
        let last: Int? = ends.withElements { elements in
            var start = 0
            for end in elements {
                guard lengths.contains(Int(end) - start) else { return nil }
                start = Int(end)
            }
            return start
        }
        guard let last else { throw .malformed("a string has a wrong length") }
        guard last == arena.count else { throw .malformed("the strings do not span their bytes") }
        self.arena = arena
        self.ends = ends
    }

    /// The fingerprint (`FastHash`) of every string, sorted (a radix sort: no comparisons).
    /// The fingerprint of string `position` (`FastHash` of its bytes), as `sortedFingerprints()` makes it.
    public func fingerprint(at position: Int) -> UInt64 {
        precondition(position >= 0 && position < count, "a string of the column")
        let start = position == 0 ? 0 : Int(ends[position - 1]), end = Int(ends[position])
        return arena.withBytes { FastHash.hash(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    public func sortedFingerprints() -> [UInt64] {
        var keys: [UInt64] = []
        keys.reserveCapacity(count)
        arena.withBytes { stored in
            var start = 0
            for position in 0..<ends.count {
                let end = Int(ends[position])
                keys.append(FastHash.hash(UnsafeRawBufferPointer(rebasing: stored[start..<end])))
                start = end
            }
        }
        var scratch = [UInt64](repeating: 0, count: keys.count)
        for shift in stride(from: 0, to: 64, by: 16) {
            var counts = [Int](repeating: 0, count: 1 << 16 + 1)
            for key in keys { counts[Int((key >> UInt64(shift)) & 0xFFFF) + 1] += 1 }
            for digit in 0..<(1 << 16) { counts[digit + 1] += counts[digit] }
            for key in keys {
                let digit = Int((key >> UInt64(shift)) & 0xFFFF)
                scratch[counts[digit]] = key
                counts[digit] += 1
            }
            swap(&keys, &scratch)
        }
        return keys
    }
}

extension StringColumn: Equatable {
    public static func == (left: StringColumn, right: StringColumn) -> Bool {
        left.arena == right.arena && left.ends == right.ends
    }
}

extension StringColumn {
    /// Appends the bytes of `span` as the next string.
    public mutating func append(_ span: Span<UInt8>) {
        span.withUnsafeBytes { append($0) }
    }
}
