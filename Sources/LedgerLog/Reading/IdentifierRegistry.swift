import CMemoryHints

/// Remembers every event id seen across all logs, to prove ids unique.
///
/// It keeps, per id, a hash slot of 8 bytes (the fingerprint's high half and the id's ordinal)
/// and, in order, the id's place in its file and the fingerprint's low half, not the ids
/// themselves; when a slot's half matches, the earlier id is read back from its file and
/// compared byte for byte, so a fingerprint collision never becomes a false claim. Ten million
/// ids take 128 MiB of slots probed at random and 80 MB written in order.
/// Not copyable: its slots are one block of memory that a copy would share.
struct IdentifierRegistry: ~Copyable {
    struct Location: Equatable {
        var logRank: Int
        /// Byte offset of the id's first character in its file.
        var fileOffset: Int
    }

    /// Slot `i` holds the fingerprint's high 32 bits above ordinal + 1 (0 marks an empty slot).
    /// The low bits of the fingerprint pick the first slot probed.
    private var slots: IdentifierSlots
    private var mask: Int
    /// The place of each id by ordinal, (rank + 1) << 48 | file offset, kept as its low 32 bits
    /// by ordinal and its high 32 bits once per run of ordinals that share them (they change only
    /// with the log, or every 4 GiB of one, since a log's ids come in file order): 4 bytes an id.
    private var placeLows: [UInt32] = []
    /// (first ordinal, high 32 bits) of each run, in ordinal order.
    private var placeHighs: [(ordinal: Int, high: UInt32)] = []
    /// The low half of each id's fingerprint by ordinal, which picks its first slot: kept so
    /// that growing the table needs no id read back.
    private var lowHalves: [UInt32] = []
    var count: Int { placeLows.count }
    /// Paths of the logs by rank, for reading an earlier id back.
    let paths: [String]

    /// Logs of up to 256 TiB and 255 ranks fit the packed place.
    static let maximumFileOffset = 1 << 48
    /// Ordinals fit the low half of a slot.
    static let maximumCount = Int(UInt32.max) - 1

    init(paths: [String], expectedCount: Int = 1 << 14) {
        precondition(paths.count < 255, "ranks fit in eight bits")
        var capacity = 1 << 10
        while !IdentifierRegistry.holds(expectedCount, capacity: capacity) { capacity <<= 1 }
        slots = IdentifierSlots(slotCount: capacity)
        mask = capacity - 1
        placeLows.reserveCapacity(expectedCount)
        lowHalves.reserveCapacity(expectedCount)
        self.paths = paths
    }

    /// At most 11/16 full: a linear probe then reads about two slots on average, in one cache line.
    @inline(__always)
    private static func holds(_ count: Int, capacity: Int) -> Bool {
        count * 16 <= capacity * 11
    }

    /// The first slot probed for a fingerprint: from its low half only, which `grow` keeps.
    @inline(__always)
    private static func home(_ fingerprint: UInt64, mask: Int) -> Int {
        Int(fingerprint & 0xFFFF_FFFF) & mask
    }

    /// The fingerprint `insert` expects: pure, so readers compute it on any thread.
    @inline(__always)
    static func fingerprint(of idBytes: UnsafeRawBufferPointer) -> UInt64 {
        FastHash.hash(idBytes)
    }

    /// Starts loading the slot an insert of `fingerprint` probes first, a few lines ahead of it.
    @inline(__always)
    func prefetch(fingerprint: UInt64) {
        memory_hints_prefetch(slots.pointer + IdentifierRegistry.home(fingerprint, mask: mask))
    }

    /// Inserts the id of `line`, whose `fingerprint(of:)` is given; returns where it was seen
    /// before, if it was.
    mutating func insert(_ line: LogLine, fingerprint: UInt64) -> Location? {
        assert(fingerprint == IdentifierRegistry.fingerprint(of: line.idBytes), "the fingerprint of this id")
        precondition(count < IdentifierRegistry.maximumCount, "fewer than 2^32 - 1 ids")
        if !IdentifierRegistry.holds(count + 1, capacity: mask + 1) { grow() }
        let slot: Int
        switch probe(fingerprint: fingerprint, idBytes: line.idBytes) {
        case .empty(let emptySlot): slot = emptySlot
        case .found(_, let earlier): return earlier
        // If the earlier id cannot be read back, claim the duplicate: a false alarm beats a missed one.
        case .unreadable(let earlier): return earlier
        }
        let offset = line.fileOffset + line.scanned.id.lowerBound
        precondition(offset < IdentifierRegistry.maximumFileOffset, "log smaller than 256 TiB")
        let place = UInt64(line.logRank + 1) << 48 | UInt64(offset)
        let high = UInt32(truncatingIfNeeded: place >> 32)
        if placeHighs.last?.high != high { placeHighs.append((placeLows.count, high)) }
        placeLows.append(UInt32(truncatingIfNeeded: place))
        lowHalves.append(UInt32(truncatingIfNeeded: fingerprint))
        slots.pointer[slot] = (fingerprint & 0xFFFF_FFFF_0000_0000) | UInt64(placeLows.count)
        return nil
    }

    /// The ordinal of `id` (the position of its line among those inserted), or nil when none
    /// was inserted; throws when a candidate cannot be read back from its log to prove it.
    func position(of id: String) throws(LedgerError) -> Int? {
        var id = id
        let found = id.withUTF8 { bytes -> Result<Int?, LedgerError> in
            let idBytes = UnsafeRawBufferPointer(bytes)
            switch probe(fingerprint: IdentifierRegistry.fingerprint(of: idBytes), idBytes: idBytes) {
            case .empty: return .success(nil)
            case .found(let ordinal, _): return .success(ordinal)
            case .unreadable(let location):
                return .failure(.inputOutput("\(paths[location.logRank]) could not be read back at byte \(location.fileOffset) to find event \(String(decoding: bytes, as: UTF8.self)); try again"))
            }
        }
        return try found.get()
    }

    /// What a probe for an id ends on: the empty slot where it would go, the earlier id equal to
    /// it, or an earlier id with the same half fingerprint that could not be read back to compare.
    private enum Probe {
        case empty(slot: Int)
        case found(ordinal: Int, location: Location)
        case unreadable(Location)
    }

    /// Walks the slots from the home of `fingerprint`, reading back only the earlier ids whose
    /// half fingerprint matches (rare), until it meets `idBytes` or an empty slot.
    @inline(__always)
    private func probe(fingerprint: UInt64, idBytes: UnsafeRawBufferPointer) -> Probe {
        let words = slots.pointer
        let tag = fingerprint & 0xFFFF_FFFF_0000_0000
        var slot = IdentifierRegistry.home(fingerprint, mask: mask)
        while words[slot] != 0 {
            if words[slot] & 0xFFFF_FFFF_0000_0000 == tag {
                let ordinal = Int(words[slot] & 0xFFFF_FFFF) - 1
                let location = IdentifierRegistry.unpack(place(of: ordinal))
                switch readsBack(at: location, as: idBytes) {
                case true?: return .found(ordinal: ordinal, location: location)
                case nil: return .unreadable(location)
                case false?: break
                }
            }
            slot = (slot + 1) & mask
        }
        return .empty(slot: slot)
    }

    /// The packed place of the id of `ordinal` (only when a slot's half matches: rare).
    private func place(of ordinal: Int) -> UInt64 {
        precondition(ordinal >= 0 && ordinal < placeLows.count, "an ordinal of an id inserted")
        // The last run starting at or before the ordinal.
        var low = 0, high = placeHighs.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if placeHighs[middle].ordinal <= ordinal { low = middle } else { high = middle }
        }
        return UInt64(placeHighs[low].high) << 32 | UInt64(placeLows[ordinal])
    }

    /// Inserts the id of `line`, computing its fingerprint here.
    mutating func insert(_ line: LogLine) -> Location? {
        insert(line, fingerprint: IdentifierRegistry.fingerprint(of: line.idBytes))
    }

    private static func unpack(_ place: UInt64) -> Location {
        Location(logRank: Int(place >> 48) - 1, fileOffset: Int(place & ((1 << 48) - 1)))
    }

    /// Whether the id at `location` is `idBytes`; nil when it cannot be read back.
    private func readsBack(at location: Location, as idBytes: UnsafeRawBufferPointer) -> Bool? {
        guard let file = try? FileDescriptor.open(paths[location.logRank], .readOnly),
              let buffer = try? file.readBytes(count: idBytes.count + 1, at: location.fileOffset) else { return nil }
        guard buffer.count == idBytes.count + 1, buffer[idBytes.count] == UInt8(ascii: "\"") else { return false }
        return buffer[0..<idBytes.count].elementsEqual(idBytes)
    }

    /// "grants.jsonl:12" for an earlier id: counts the lines before it (only on the error path).
    /// From the logs' paths alone, as the thread that reports it is not the one that inserts.
    static func describe(_ location: Location, paths: [String]) -> String {
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
        for oldSlot in 0..<oldCapacity where old.pointer[oldSlot] != 0 {
            let entry = old.pointer[oldSlot]
            var slot = IdentifierRegistry.home(UInt64(lowHalves[Int(entry & 0xFFFF_FFFF) - 1]), mask: mask)
            while words[slot] != 0 { slot = (slot + 1) & mask }
            words[slot] = entry
        }
    }
}
