/// Remembers every event id seen across all logs, to prove ids unique.
///
/// It keeps a 64-bit fingerprint and the id's place in its file, 16 bytes a slot, not the ids
/// themselves; when two fingerprints match, the earlier id is read back from its file and
/// compared byte for byte, so a fingerprint collision never becomes a false claim.
struct IdentifierRegistry {
    struct Location: Equatable {
        var logRank: Int
        /// Byte offset of the id's first character in its file.
        var fileOffset: Int
    }

    /// One slot: the fingerprint, and (rank + 1) << 48 | file offset; 0 marks an empty slot.
    private struct Slot {
        var fingerprint: UInt64
        var place: UInt64
    }

    private var slots: [Slot]
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
        slots = Array(repeating: Slot(fingerprint: 0, place: 0), count: capacity)
        mask = capacity - 1
        self.paths = paths
    }

    /// Inserts the id of `line`; returns where it was seen before, if it was.
    mutating func insert(_ line: LogLine) -> Location? {
        if (count + 1) * 2 > slots.count { grow() }
        let idBytes = line.idBytes
        let fingerprint = FastHash.hash(idBytes)
        var slot = Int(truncatingIfNeeded: fingerprint) & mask
        while slots[slot].place != 0 {
            if slots[slot].fingerprint == fingerprint {
                let earlier = IdentifierRegistry.unpack(slots[slot].place)
                if sameIdentifier(at: earlier, as: idBytes) { return earlier }
            }
            slot = (slot + 1) & mask
        }
        let offset = line.fileOffset + line.scanned.id.lowerBound
        precondition(offset < IdentifierRegistry.maximumFileOffset, "log smaller than 256 TiB")
        slots[slot] = Slot(fingerprint: fingerprint, place: UInt64(line.logRank + 1) << 48 | UInt64(offset))
        count += 1
        return nil
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
        let capacity = slots.count * 2
        slots = Array(repeating: Slot(fingerprint: 0, place: 0), count: capacity)
        mask = capacity - 1
        for entry in old where entry.place != 0 {
            var slot = Int(truncatingIfNeeded: entry.fingerprint) & mask
            while slots[slot].place != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }
}
