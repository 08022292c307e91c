/// An event ready to be written: everything but `seq`, `prev` and `hash`, which the log assigns.
public struct UnsealedEvent: Sendable, Equatable {
    public var log: LogName
    public var id: EventID
    public var type: String
    public var version: Int
    public var recorded: Timestamp
    /// False when `recorded` came from the clock: a retry then matches the first attempt whatever the time.
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
        precondition(seq >= 1, "seq starts at 1")
        // Canonical member order: actor data effective hash id prev recorded seq source type v.
        var head: [UInt8] = []
        head.reserveCapacity(256 + data.count)
        head.append(contentsOf: "{\"actor\":".utf8)
        JSONCanonical.appendString(actor, to: &head)
        head.append(contentsOf: ",\"data\":".utf8)
        head.append(contentsOf: data)
        head.append(contentsOf: ",\"effective\":\"".utf8)
        head.append(contentsOf: effective.description.utf8)
        head.append(UInt8(ascii: "\""))
        var tail: [UInt8] = []
        tail.reserveCapacity(256)
        tail.append(contentsOf: "\"id\":\"".utf8)
        tail.append(contentsOf: id.rawValue.utf8)
        tail.append(contentsOf: "\",\"prev\":\"".utf8)
        tail.append(contentsOf: previous.hex.utf8)
        tail.append(contentsOf: "\",\"recorded\":\"".utf8)
        tail.append(contentsOf: recorded.description.utf8)
        tail.append(contentsOf: "\",\"seq\":".utf8)
        tail.append(contentsOf: String(seq).utf8)
        tail.append(contentsOf: ",\"source\":".utf8)
        JSONCanonical.appendString(source, to: &tail)
        tail.append(contentsOf: ",\"type\":\"".utf8)
        tail.append(contentsOf: type.utf8)
        tail.append(contentsOf: "\",\"v\":".utf8)
        tail.append(contentsOf: String(version).utf8)
        tail.append(UInt8(ascii: "}"))

        var hasher = SHA256()
        hasher.update(head)
        hasher.update([UInt8(ascii: ",")])
        hasher.update(tail)
        let hash = hasher.finalize()

        var line = head
        line.reserveCapacity(head.count + tail.count + ScannedEventLine.hashMemberLength + 1)
        line.append(contentsOf: ",\"hash\":\"".utf8)
        line.append(contentsOf: hash.hex.utf8)
        line.append(contentsOf: "\",".utf8)
        line.append(contentsOf: tail)
        line.append(UInt8(ascii: "\n"))
        return (line, hash)
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
