/// An event ready to be written: everything but `seq`, `prev` and `hash`, which the log assigns.
public struct UnsealedEvent: Sendable, Equatable {
    public var log: LogName
    public var id: EventID
    public var type: String
    public var version: Int
    public var recorded: Timestamp
    /// False when `recorded` came from the clock: a retry then matches the first attempt whatever the time.
    /// Either way a time before the log's last is refused, never moved.
    public var recordedWasGiven: Bool
    public var effective: CalendarDate
    public var actor: String
    public var source: String
    /// The RFC 8785 bytes of the `data` object.
    public var data: [UInt8]

    public init(log: LogName, id: EventID, type: String, version: Int = 1, recorded: Timestamp,
                recordedWasGiven: Bool = true, effective: CalendarDate, actor: String, source: String, data: [UInt8]) {
        self.log = log
        self.id = id
        self.type = type
        self.version = version
        self.recorded = recorded
        self.recordedWasGiven = recordedWasGiven
        self.effective = effective
        self.actor = actor
        self.source = source
        self.data = data
    }

    /// The line to write and its hash, given its place in the chain.
    public func seal(seq: Int, previous: SHA256Digest) -> (line: [UInt8], hash: SHA256Digest) {
        var line: [UInt8] = []
        line.reserveCapacity(lineCapacity)
        let hash = seal(seq: seq, previous: previous, appendingTo: &line)
        return (line, hash)
    }

    /// Room for the line: the fixed members and the variable ones.
    var lineCapacity: Int { UnsealedEvent.lineCapacity(dataBytes: data.count, actor: actor, source: source) }

    /// Room for the line of an event with these members, before the event is made: at least its
    /// length for any id and type of the bounds drafts are held to.
    public static func lineCapacity(dataBytes: Int, actor: String, source: String) -> Int {
        320 + dataBytes + actor.utf8.count + source.utf8.count
    }

    /// Appends the line (with its newline) to `buffer` and returns its hash: a batch seals each
    /// event straight into its log's buffer, with no line of its own to allocate and copy.
    public func seal(seq: Int, previous: SHA256Digest, appendingTo line: inout [UInt8]) -> SHA256Digest {
        var memory = SealingMemory()
        return seal(seq: seq, previous: previous, appendingTo: &line, memory: &memory)
    }

    /// As `seal(seq:previous:appendingTo:)`, reusing the bytes of the members the previous event
    /// sealed with `memory` had too (a batch's events mostly share their recorded time, effective
    /// date, actor and source). Written with room left for the hash member, hashed around that
    /// room, then the hash filled in.
    public func seal(seq: Int, previous: SHA256Digest, appendingTo line: inout [UInt8],
                     memory: inout SealingMemory) -> SHA256Digest {
        precondition(seq >= 1, "seq starts at 1")
        let lineStart = line.count
        // Canonical member order: actor data effective hash id prev recorded seq source type v.
        UnsealedEvent.appendLiteral("{\"actor\":", to: &line)
        memory.actor.append(actor, to: &line)
        UnsealedEvent.appendLiteral(",\"data\":", to: &line)
        data.withUnsafeBufferPointer { line.append(contentsOf: $0) }
        UnsealedEvent.appendLiteral(",\"effective\":\"", to: &line)
        if memory.effective != effective {
            memory.effective = effective
            memory.effectiveBytes.removeAll(keepingCapacity: true)
            effective.appendDigits(to: &memory.effectiveBytes)
        }
        memory.effectiveBytes.withUnsafeBufferPointer { line.append(contentsOf: $0) }
        line.append(UInt8(ascii: "\""))
        let headEnd = line.count
        UnsealedEvent.appendLiteral(",\"hash\":\"", to: &line)
        let hexStart = line.count
        UnsealedEvent.appendLiteral(UnsealedEvent.zeroHex, to: &line)
        UnsealedEvent.appendLiteral("\",", to: &line)
        let tailStart = line.count
        precondition(tailStart - headEnd == 1 + ScannedEventLine.hashMemberLength, "the hash member has its fixed length")
        UnsealedEvent.appendLiteral("\"id\":\"", to: &line)
        UnsealedEvent.appendUTF8(id.rawValue, to: &line)
        UnsealedEvent.appendLiteral("\",\"prev\":\"", to: &line)
        let previousStart = line.count
        UnsealedEvent.appendLiteral(UnsealedEvent.zeroHex, to: &line)
        UnsealedEvent.appendLiteral("\",\"recorded\":\"", to: &line)
        if memory.recorded != recorded {
            memory.recorded = recorded
            memory.recordedBytes.removeAll(keepingCapacity: true)
            recorded.appendDigits(to: &memory.recordedBytes)
        }
        memory.recordedBytes.withUnsafeBufferPointer { line.append(contentsOf: $0) }
        UnsealedEvent.appendLiteral("\",\"seq\":", to: &line)
        appendDecimal(seq, to: &line)
        UnsealedEvent.appendLiteral(",\"source\":", to: &line)
        memory.source.append(source, to: &line)
        UnsealedEvent.appendLiteral(",\"type\":\"", to: &line)
        UnsealedEvent.appendUTF8(type, to: &line)
        UnsealedEvent.appendLiteral("\",\"v\":", to: &line)
        appendDecimal(version, to: &line)
        line.append(UInt8(ascii: "}"))

        let hash = line.withUnsafeMutableBytes { bytes -> SHA256Digest in
            previous.writeHex(to: bytes.baseAddress! + previousStart)
            var hasher = SHA256()
            hasher.update(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<headEnd]))
            hasher.update(UnsafeRawBufferPointer(rebasing: bytes[(tailStart - 1)..<tailStart]))
            hasher.update(UnsafeRawBufferPointer(rebasing: bytes[tailStart...]))
            let hash = hasher.finalize()
            hash.writeHex(to: bytes.baseAddress! + hexStart)
            return hash
        }
        line.append(UInt8(ascii: "\n"))
        return hash
    }

    /// 64 zeros: the room a hash takes in hex, filled in once the hash is known.
    static let zeroHex: StaticString = "0000000000000000000000000000000000000000000000000000000000000000"

    /// Appends a literal's bytes as one copy (a `String.UTF8View` took a generic path, per member per event).
    @inline(__always)
    static func appendLiteral(_ literal: StaticString, to line: inout [UInt8]) {
        literal.withUTF8Buffer { line.append(contentsOf: $0) }
    }

    /// Appends a string's UTF-8 from its own storage.
    @inline(__always)
    static func appendUTF8(_ string: String, to line: inout [UInt8]) {
        if string.utf8.withContiguousStorageIfAvailable({ line.append(contentsOf: $0) }) == nil {
            line.append(contentsOf: string.utf8)
        }
    }

    /// Whether a stored line is this event already written (same content; `recorded` only when given).
    public func isSameEvent(as line: LogLine) -> Bool {
        // The log is not compared: an event's type (or its target) decides it.
        guard line.version == version, line.effective == effective,
              line.typeBytes.elementsEqual(type.utf8), line.dataBytes.elementsEqual(data),
              line.actor == actor, line.source == source else { return false }
        return !recordedWasGiven || line.recorded == recorded
    }
}
