#if canImport(Glibc)
import Glibc
#endif

/// The ids of all events, in event order: stored, not hashed, because only a few questions
/// look an id up (history, a retraction's target, a retried append) and a scan answers them.
public struct EventIdentifiers: Sendable {
    var arena: [UInt8] = []
    var ends: [UInt32] = []
    /// A hash table of the ids, kept only where many lookups follow (the append path): its
    /// index of an id is the event's index, since ids in a verified ledger are unique.
    private var lookup: Interner<EventIndex>? = nil

    public init() {}

    public var count: Int { ends.count }

    /// Room for `count` ids of typical length (the arena still grows for longer ones).
    mutating func reserveCapacity(forIds count: Int) {
        ends.reserveCapacity(count)
        arena.reserveCapacity(count * EventIdentifiers.typicalIdBytes)
    }

    /// "g-000001" and the like.
    static let typicalIdBytes = 8

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        arena.append(contentsOf: bytes)
        precondition(arena.count < Int(UInt32.max), "event ids fit in 4 GiB")
        ends.append(UInt32(arena.count))
        if lookup != nil {
            _ = lookup!.intern(bytes)
            // A repeated id (only in a ledger read with --no-verify) breaks index = event; drop the table.
            if lookup!.count != ends.count { lookup = nil }
        }
    }

    /// Builds the hash table once, so that `firstIndex(of:)` answers without a scan.
    mutating func enableLookup() {
        guard lookup == nil else { return }
        var table = Interner<EventIndex>(expectedCount: count)
        arena.withUnsafeBytes { stored in
            var start = 0
            for end in ends {
                _ = table.intern(UnsafeRawBufferPointer(rebasing: stored[start..<Int(end)]))
                start = Int(end)
            }
        }
        if table.count == count { lookup = table }
    }

    mutating func append(_ string: String) {
        var copy = string
        copy.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    public func string(_ index: Int) -> String {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return String(decoding: arena[start..<Int(ends[index])], as: UTF8.self)
    }

    /// The first event whose id is `id`.
    public func firstIndex(of id: String) -> Int? {
        if let lookup { return lookup.find(id).map(\.offset) }
        var copy = id
        return copy.withUTF8 { wanted -> Int? in
            arena.withUnsafeBytes { stored -> Int? in
                var start = 0
                for index in 0..<ends.count {
                    let end = Int(ends[index])
                    if end - start == wanted.count,
                       wanted.count == 0 || memcmp(stored.baseAddress! + start, wanted.baseAddress!, wanted.count) == 0 {
                        return index
                    }
                    start = end
                }
                return nil
            }
        }
    }

    /// The indexes of the events whose ids are in `ids`, in one pass.
    public func indexes(of ids: Set<String>) -> [String: Int] {
        var found: [String: Int] = [:]
        guard !ids.isEmpty else { return found }
        if let lookup {
            for id in ids { if let index = lookup.find(id) { found[id] = index.offset } }
            return found
        }
        // Only ids of a wanted length become strings.
        var lengths = Array(repeating: false, count: 65)
        for id in ids where id.utf8.count < lengths.count { lengths[id.utf8.count] = true }
        var start = 0
        for index in 0..<ends.count {
            let end = Int(ends[index])
            if end - start < lengths.count, lengths[end - start] {
                let id = String(decoding: arena[start..<end], as: UTF8.self)
                if ids.contains(id), found[id] == nil { found[id] = index }
            }
            start = end
        }
        return found
    }
}
