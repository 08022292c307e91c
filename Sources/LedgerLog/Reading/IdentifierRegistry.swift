import CMemoryHints

/// Remembers every event id seen across all logs, to prove ids unique.
///
/// It keeps a 64-bit fingerprint and the id's place in its file, 16 bytes a slot, not the ids
/// themselves; when two fingerprints match, the earlier id is read back from its file and
/// compared byte for byte, so a fingerprint collision never becomes a false claim.
/// Not copyable: its slots are one block of memory that a copy would share.
struct IdentifierRegistry: ~Copyable {
    struct Location: Equatable {
        var logRank: Int
        /// Byte offset of the id's first character in its file.
        var fileOffset: Int
    }

    /// Slot `i` is two words: the fingerprint at `2i`, and (rank + 1) << 48 | file offset at
    /// `2i + 1`, 0 marking an empty slot.
    private var slots: IdentifierSlots
    private var mask: Int
    private(set) var count = 0
    /// Paths of the logs by rank, for reading an earlier id back.
    let paths: [String]

    /// Logs of up to 256 TiB and 255 ranks fit the packed place.
    static let maximumFileOffset = 1 << 48

    init(paths: [String], expectedCount: Int = 1 << 14) {
        precondition(paths.count < 255, "ranks fit in eight bits")
        var capacity = 1 << 10
        while capacity < expectedCount * 2 { capacity <<= 1 }
        slots = IdentifierSlots(slotCount: capacity)
        mask = capacity - 1
        self.paths = paths
    }

    /// The fingerprint `insert` expects: pure, so readers compute it on any thread.
    @inline(__always)
    static func fingerprint(of idBytes: UnsafeRawBufferPointer) -> UInt64 {
        FastHash.hash(idBytes)
    }

    /// Starts loading the slot an insert of `fingerprint` probes first, a few lines ahead of it.
    @inline(__always)
    func prefetch(fingerprint: UInt64) {
        memory_hints_prefetch(slots.pointer + 2 * (Int(truncatingIfNeeded: fingerprint) & mask))
    }

    /// Inserts the id of `line`, whose `fingerprint(of:)` is given; returns where it was seen
    /// before, if it was.
    mutating func insert(_ line: LogLine, fingerprint: UInt64) -> Location? {
        assert(fingerprint == IdentifierRegistry.fingerprint(of: line.idBytes), "the fingerprint of this id")
        if (count + 1) * 2 > mask + 1 { grow() }
        let words = slots.pointer
        var slot = Int(truncatingIfNeeded: fingerprint) & mask
        while words[2 * slot + 1] != 0 {
            if words[2 * slot] == fingerprint {
                let earlier = IdentifierRegistry.unpack(words[2 * slot + 1])
                if sameIdentifier(at: earlier, as: line.idBytes) { return earlier }
            }
            slot = (slot + 1) & mask
        }
        let offset = line.fileOffset + line.scanned.id.lowerBound
        precondition(offset < IdentifierRegistry.maximumFileOffset, "log smaller than 256 TiB")
        words[2 * slot] = fingerprint
        words[2 * slot + 1] = UInt64(line.logRank + 1) << 48 | UInt64(offset)
        count += 1
        return nil
    }

    /// Inserts the id of `line`, computing its fingerprint here.
    mutating func insert(_ line: LogLine) -> Location? {
        insert(line, fingerprint: IdentifierRegistry.fingerprint(of: line.idBytes))
    }

    private static func unpack(_ place: UInt64) -> Location {
        Location(logRank: Int(place >> 48) - 1, fileOffset: Int(place & ((1 << 48) - 1)))
    }

    private func sameIdentifier(at location: Location, as idBytes: UnsafeRawBufferPointer) -> Bool {
        // If the earlier id cannot be read back, claim the duplicate: a false alarm beats a missed one.
        guard let file = try? FileDescriptor.open(paths[location.logRank], .readOnly),
              let buffer = try? file.readBytes(count: idBytes.count + 1, at: location.fileOffset) else { return true }
        guard buffer.count == idBytes.count + 1, buffer[idBytes.count] == UInt8(ascii: "\"") else { return false }
        return buffer[0..<idBytes.count].elementsEqual(idBytes)
    }

    /// "grants.jsonl:12" for an earlier id: counts the lines before it (only on the error path).
    func describe(_ location: Location) -> String {
        let path = paths[location.logRank]
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let file = try? FileDescriptor.open(path, .readOnly) else { return name }
        var line = 1
        var offset = 0
        while offset < location.fileOffset {
            guard let block = try? file.readBytes(count: min(1 << 20, location.fileOffset - offset), at: offset),
                  !block.isEmpty else { break }
            for byte in block where byte == UInt8(ascii: "\n") { line += 1 }
            offset += block.count
        }
        return "\(name):\(line)"
    }

    private mutating func grow() {
        let old = slots
        let oldCapacity = mask + 1
        let capacity = oldCapacity * 2
        slots = IdentifierSlots(slotCount: capacity)
        mask = capacity - 1
        let words = slots.pointer
        for oldSlot in 0..<oldCapacity where old.pointer[2 * oldSlot + 1] != 0 {
            let fingerprint = old.pointer[2 * oldSlot]
            var slot = Int(truncatingIfNeeded: fingerprint) & mask
            while words[2 * slot + 1] != 0 { slot = (slot + 1) & mask }
            words[2 * slot] = fingerprint
            words[2 * slot + 1] = old.pointer[2 * oldSlot + 1]
        }
    }
}
