/// Remembers every event id seen across all logs, to prove ids unique.
///
/// It keeps 64-bit fingerprints and where each id was seen, not the ids themselves, so that
/// memory stays at 16 bytes a slot; when two fingerprints match, the earlier id is read back
/// from its file and compared byte for byte, so a fingerprint collision never becomes a false claim.
struct IdentifierRegistry {
    struct Location: Equatable {
        var logRank: Int
        var lineNumber: Int
        var fileOffset: Int
    }

    private var fingerprints: [UInt64]
    private var locations: [Location]
    private var mask: Int
    private(set) var count = 0
    /// Paths of the logs by rank, for reading an earlier id back.
    var paths: [String]

    init(paths: [String], expectedCount: Int = 1 << 14) {
        var capacity = 1 << 10
        while capacity < expectedCount * 2 { capacity <<= 1 }
        fingerprints = Array(repeating: 0, count: capacity)
        locations = Array(repeating: Location(logRank: -1, lineNumber: 0, fileOffset: 0), count: capacity)
        mask = capacity - 1
        self.paths = paths
    }

    /// Inserts the id of `line`; returns where it was seen before, if it was.
    mutating func insert(_ line: LogLine) -> Location? {
        if (count + 1) * 2 > fingerprints.count { grow() }
        let idBytes = line.idBytes
        let fingerprint = IdentifierRegistry.fingerprint(idBytes)
        var slot = Int(truncatingIfNeeded: fingerprint) & mask
        while locations[slot].logRank >= 0 {
            if fingerprints[slot] == fingerprint, sameIdentifier(at: locations[slot], as: idBytes) {
                return locations[slot]
            }
            slot = (slot + 1) & mask
        }
        fingerprints[slot] = fingerprint
        locations[slot] = Location(logRank: line.logRank, lineNumber: line.lineNumber,
                                   fileOffset: line.fileOffset + line.scanned.id.lowerBound)
        count += 1
        return nil
    }

    private func sameIdentifier(at location: Location, as idBytes: UnsafeRawBufferPointer) -> Bool {
        guard let file = try? FileDescriptor.open(paths[location.logRank], .readOnly) else { return true }
        guard let buffer = try? file.readBytes(count: idBytes.count + 1, at: location.fileOffset) else { return true }
        guard buffer.count == idBytes.count + 1, buffer[idBytes.count] == UInt8(ascii: "\"") else { return false }
        return buffer[0..<idBytes.count].elementsEqual(idBytes)
    }

    private mutating func grow() {
        let oldFingerprints = fingerprints, oldLocations = locations
        let capacity = fingerprints.count * 2
        fingerprints = Array(repeating: 0, count: capacity)
        locations = Array(repeating: Location(logRank: -1, lineNumber: 0, fileOffset: 0), count: capacity)
        mask = capacity - 1
        for index in oldLocations.indices where oldLocations[index].logRank >= 0 {
            var slot = Int(truncatingIfNeeded: oldFingerprints[index]) & mask
            while locations[slot].logRank >= 0 { slot = (slot + 1) & mask }
            fingerprints[slot] = oldFingerprints[index]
            locations[slot] = oldLocations[index]
        }
    }

    /// FNV-1a then a final avalanche: deterministic across runs and machines.
    @inline(__always)
    static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}
