import LedgerColumns
import LedgerLog

/// Decodes verified log lines into the ledger. Runs on the hot path: it reads members straight
/// from the canonical bytes and interns them, creating no `String` per event.
struct LedgerLoader: LogLineConsumer {
    typealias Preparation = PreparedEvent

    var ledger = Ledger()
    /// Retractions whose targets are resolved after the read, in one pass over the ids.
    var pendingRetractions: [(retraction: Int, target: String)] = []
    /// Whether each event's retraction time is left out while the logs are read and set by
    /// `finish()`: the read then holds no column of a value per event that all still say "never"
    /// (80 MB at ten million events, at the read's peak). Only for a loader whose ledger is used
    /// through `finish()` (a read from the start); a tail read after a snapshot leaves it off.
    var defersRetractionTimes = false
    /// Which texts are interned; the others stand as `TextIndex.notRead` (see
    /// `LedgerScope.namesKeptByFullRead`). Only for a read whose ledger is queried, never saved
    /// or appended to. Interning the texts (an actor and a source per event) is most of the
    /// read's sequential step, and their table most of the names' memory.
    var keptTexts = KeptTexts.all
    /// Whether the events' ids are kept. Without them, a retraction's target is found through the
    /// read's own id table (`didRead(identifiers:)`), by the position of its line, which is its
    /// event's index only when every line read was consumed: for a verified read from the start
    /// with `defersRetractionTimes`, whose ledger is then only queried.
    var keepsIds = true
    /// Whether, keeping no ids in memory (`keepsIds` false: retractions' targets found by line),
    /// the read still gives each event's id to `ledger.spilledIds`, a scratch file the ledger
    /// then reads the few ids an answer names back from (`Ledger.idsSetAside`).
    var setsIdsAside: Bool { !keepsIds && ledger.spilledIds != nil }
    /// Kinds of events (record-code bits, `LedgerScope.unreplayedCodes`) whose names are not
    /// interned: their events are added with every name standing as `TextIndex.notRead`, and
    /// the ledger's replay leaves them out. Only for a read whose ledger is queried for a scope
    /// that shows nothing they change. Interning the enterprise of every evaluation and tier
    /// change is most of the sequential step of such a read.
    var unreplayedCodes: UInt32 = 0
    /// Whether the events of `unreplayedCodes` are left out of the ledger altogether, rather
    /// than added with their names unread: no row of theirs is written (at ten million events,
    /// six million rows, 200 MB, for the grants by enterprise). Only for a read that keeps no ids,
    /// whose retractions' targets are then found by line position through `leftOutLines`; the
    /// ledger's events are those of the other kinds, in their order.
    var leavesOutUnreplayedEvents = false
    /// The lines consumed, and which were left out (see `leavesOutUnreplayedEvents`).
    private var leftOutLines = LeftOutLines()
    /// The retractions' targets found that way, by event index.
    private var foundRetractions: [(retraction: Int, target: Int?)] = []

    enum KeptTexts {
        case all
        /// Every text of a payload (names, projects, reasons), not the events' actors and sources.
        case payloads
        /// The texts that name an entity (`NameTables.entityTexts`).
        case entities
        case none
    }

    /// No event line is much shorter than this (two hashes alone are 128 bytes), so a log's
    /// length over it bounds its events from above.
    static let shortestEventBytes = 256

    /// Reserves room for every event the log can hold: growing the arrays instead copies them
    /// again and again, and pages reserved but never filled cost address space, not memory.
    mutating func willRead(bytes: Int) {
        // Not for a tail read after a snapshot: its interners stay the mapped file's until a new
        // name is interned, instead of being copied to make room.
        if ledger.count == 0 { ledger.reserveNames(forLogBytes: bytes, keptTexts: keptTexts) }
        let events = ledger.count + bytes / LedgerLoader.shortestEventBytes
        ledger.reserveCapacity(forEvents: events)
        // The events left out keep a time each, and the others a log rank and seq each once
        // their runs are too broken to count (`EventTable.LogRuns`).
        if leavesOutUnreplayedEvents {
            precondition(!keepsIds, "events are left out only of a read that finds retractions' targets by line")
            ledger.leftOutEvents.reserveCapacity(events)
            ledger.events.logRuns.reserveCapacity(events)
        }
    }

    mutating func consume(_ line: LogLine) throws(LedgerError) {
        add(try LedgerLoader.decode(line, into: &ledger), line: line)
    }

    /// Which names a read interns, from its settings (`keptTexts`, `unreplayedCodes`), told to
    /// the threads that prepare its lines: a name the read will not intern is not hashed there
    /// (`NameRecorder.hashesNames`) and is marked left out, and the sequential step interns
    /// exactly the names not so marked. The one place these rules are stated.
    struct NameHashing: Sendable {
        var keptTexts = KeptTexts.all
        var unreplayedCodes: UInt32 = 0

        /// Every name hashed: a read that interns all it reads.
        static let everything = NameHashing()

        /// Whether the names of an event of `kind` are interned at all.
        func internsNames(of kind: EventKind) -> Bool {
            !NameHashing.isUnreplayed(code: kind.recordCode, in: unreplayedCodes)
        }

        /// Whether `codes` (record-code bits, `LedgerScope.unreplayedCodes`) leave the events of
        /// record code `code` unreplayed.
        @inline(__always)
        static func isUnreplayed(code: UInt8, in codes: UInt32) -> Bool {
            codes >> UInt32(code) & 1 != 0
        }

        /// Whether the texts of an event of `kind` are interned: its payload's (`payload`) or its
        /// actor and source (the last two names, see `prepare`).
        func internsTexts(of kind: EventKind, payload: Bool) -> Bool {
            switch keptTexts {
            case .all: return true
            case .payloads: return payload
            case .entities: return payload && LedgerLoader.namesAnEntity(kind)
            case .none: return false
            }
        }
    }

    var preparationContext: NameHashing {
        NameHashing(keptTexts: keptTexts, unreplayedCodes: unreplayedCodes)
    }

    /// What a read that interns every name it reads prepares from `line`.
    static func prepare(_ line: LogLine) -> PreparedEvent {
        prepare(line, context: .everything)
    }

    /// Decodes all but the interning, on a worker thread; `.undecodable` (no event) when the line
    /// does not decode, and `consume(_:)` then says why. Names the read will not intern
    /// (`context`) are recorded, unhashed, as left out.
    static func prepare(_ line: LogLine, context: NameHashing) -> PreparedEvent {
        guard let kind = EventKind.from(typeBytes: line.typeSpan), line.version == EventKind.currentVersion,
              kind.log == nil || kind.log == line.log else { return .undecodable }
        var recorder = NameRecorder(lineCount: line.span.count)
        recorder.hashesNames = context.internsNames(of: kind)
        recorder.hashesTexts = context.internsTexts(of: kind, payload: true)
        let payload: DomainEvent.Payload
        do {
            payload = try decodePayload(kind: kind, data: CanonicalObjectSpan(line.dataSpan), at: line.scanned.data.lowerBound,
                                        into: &recorder)
        } catch {
            return .undecodable
        }
        recorder.hashesTexts = context.internsTexts(of: kind, payload: false)
        let actor = recorder.quotedName(line.span(of: line.scanned.actor), at: line.scanned.actor.lowerBound, table: .texts)
        let source = recorder.quotedName(line.span(of: line.scanned.source), at: line.scanned.source.lowerBound, table: .texts)
        let event = DomainEvent(
            effective: line.effective, recorded: line.recorded, seq: Int32(clamping: line.seq), logRank: UInt8(line.logRank),
            actor: TextIndex(rawValue: actor), source: TextIndex(rawValue: source), payload: payload)
        return PreparedEvent(event: event, names: recorder.names, nameCount: recorder.count)
    }

    /// The read's loop, specialised here: each line's preparation is read in place through its
    /// address, not copied (the generic loop copied its ~300 bytes twice a line). It replaces the
    /// protocol's per-line `anticipate` and `consume(_:prepared:)`, which this loader leaves to
    /// their defaults.
    mutating func consume(_ run: borrowing LineRun<PreparedEvent>) throws(LedgerError) {
        let lookahead = LineRun<PreparedEvent>.lookaheadLines
        let anticipates = ledger.namesFootprintBytes > LedgerLoader.anticipatedFootprintBytes
        for index in run.indices {
            if anticipates, run.isPrepared(index + lookahead) {
                anticipate(line: index + lookahead, of: run)
            }
            guard run.handsOver(index) else { continue }
            // An event left out needs only its preparation: no line is made of it.
            if leavesOutUnreplayedEvents, isLeftOut(code: run[preparedAt: index].recordCode) {
                leftOutLines.append(leftOut: true)
                ledger.leftOutEvents.append(logRank: UInt8(run.logRank), recordedSeconds: run[preparedAt: index].recordedSeconds)
                continue
            }
            try consume(preparedAt: index, of: run)
        }
    }

    /// Asks for the interner slots the line's names will probe, and for the names' bytes in the
    /// line (`line` of `run`), which interning reads too and the workers left in their own
    /// caches; and, for the lines told of three and six calls before (their names' hashes and
    /// tables kept in `recentHashes` and `recentTables`, as many as `recentNameCounts` says),
    /// for the entries those slots name and then their bytes (`Interner.prefetch(hash:step:)`).
    /// One call a line does every step, each for another line: the reader hands each line's
    /// preparation over once.
    private mutating func anticipate(line lineIndex: Int, of run: borrowing LineRun<PreparedEvent>) {
        assert(LedgerLoader.entryStepLines < LedgerLoader.bytesStepLines && LedgerLoader.bytesStepLines < LedgerLoader.recentLines
               && recentNameCounts.count == LedgerLoader.recentLines && LedgerLoader.namesPerLine == NameRecorder.capacity
               && recentHashes.count == LedgerLoader.recentLines * LedgerLoader.namesPerLine
               && recentTables.count == recentHashes.count, "the ring holds every line a later step reads back")
        let line = anticipatedLines & (LedgerLoader.recentLines - 1)
        recentNameCounts[line] = 0
        for ordinal in 0..<run[preparedAt: lineIndex].nameCount where !run[preparedAt: lineIndex].names[ordinal].isLeftOut {
            let name = run[preparedAt: lineIndex].names[ordinal]
            ledger.prefetch(name)
            run.prefetchBytes(ofLine: lineIndex, at: name.start)
            guard !name.isEscaped else { continue }
            let place = line * LedgerLoader.namesPerLine + recentNameCounts[line]
            recentHashes[place] = name.hash
            recentTables[place] = name.table.rawValue
            recentNameCounts[line] += 1
        }
        anticipateAgain(linesBefore: LedgerLoader.entryStepLines, step: .entry)
        anticipateAgain(linesBefore: LedgerLoader.bytesStepLines, step: .bytes)
        anticipatedLines += 1
    }

    /// Mutating though it changes nothing: called from `anticipate`, a non-mutating method was
    /// handed a copy of the whole loader (2.6 KB a line).
    @inline(__always)
    private mutating func anticipateAgain(linesBefore: Int, step: PrefetchStep) {
        guard anticipatedLines >= linesBefore else { return }
        let earlier = (anticipatedLines - linesBefore) & (LedgerLoader.recentLines - 1)
        for name in 0..<recentNameCounts[earlier] {
            let place = earlier * LedgerLoader.namesPerLine + name
            ledger.prefetch(hash: recentHashes[place], table: NameTable(rawValue: recentTables[place])!, step: step)
        }
    }

    /// How large the name tables grow before `anticipate` is worth its cost: while they fit in
    /// the cache, interning finds what it probes there, and asking for it ahead only adds work
    /// (at a million events, tables of 21 MB: 7% slower with it; at ten million, `summary` from
    /// the logs 20% faster). The last-level cache of the machines measured (32 MiB, shared).
    static let anticipatedFootprintBytes = 32 << 20

    /// The lines `anticipate` remembers (a power of two), and the names of each (a line has at
    /// most six). The arrays below are sized by them: arrays, not `InlineArray`s, which a write
    /// to one element copied whole (384 bytes a name) through the loader's storage.
    static let recentLines = 8
    static let namesPerLine = 6
    /// How many lines after a line's slots its entries, then its bytes, are asked for: each
    /// step a few hundred nanoseconds after the one before, when its memory has arrived.
    static let entryStepLines = 3
    static let bytesStepLines = 6
    private var anticipatedLines = 0
    private var recentNameCounts = [Int](repeating: 0, count: recentLines)
    private var recentHashes = [UInt64](repeating: 0, count: recentLines * namesPerLine)
    private var recentTables = [UInt8](repeating: 0, count: recentLines * namesPerLine)

    /// Interns the names a worker found, in the order it found them, and adds the event: the
    /// line `index` of `run`, prepared.
    /// Reads the line's bytes as spans of the run: no line is made but of a line that did not
    /// decode, to say why.
    private mutating func consume(preparedAt index: Int, of run: borrowing LineRun<PreparedEvent>) throws(LedgerError) {
        guard var event = run[preparedAt: index].event else {
            guard let line = run.line(index) else { preconditionFailure("a line the read hands over") }
            return try consume(line)
        }
        let bytes = run.span(ofLine: index, .whole)
        assert(!leavesOutUnreplayedEvents || !isLeftOut(code: event.kind.recordCode), "left out before a line is made")
        var indexes = InlineArray<6, Int32>(repeating: -1)
        // A name the workers marked left out (`preparationContext`: a text not kept, any name of a
        // kind left unread) stands as not read.
        for ordinal in 0..<run[preparedAt: index].nameCount {
            let name = run[preparedAt: index].names[ordinal]
            indexes[ordinal] = name.isLeftOut ? TextIndex.notRead.rawValue : ledger.intern(name, in: bytes)
        }
        event.actor = TextIndex(rawValue: indexes[event.actor.offset])
        event.source = TextIndex(rawValue: indexes[event.source.offset])
        event.payload = event.payload.mappingNames { indexes[Int($0)] }
        add(event, id: run.span(ofLine: index, .id), data: run.span(ofLine: index, .data))
    }

    /// Whether an event with this record code (0: a line that did not decode) is left out
    /// (`leavesOutUnreplayedEvents`, `unreplayedCodes`).
    @inline(__always)
    private func isLeftOut(code: UInt8) -> Bool {
        code != 0 && NameHashing.isUnreplayed(code: code, in: unreplayedCodes)
    }

    /// The events whose texts name an entity (`NameTables.entityTexts`).
    static func namesAnEntity(_ kind: EventKind) -> Bool {
        switch kind {
        case .programmeEstablished, .programmeAmended, .enterpriseRegistered, .centreOpened: return true
        default: return false
        }
    }

    private mutating func add(_ event: DomainEvent, line: LogLine) {
        add(event, id: line.idSpan, data: line.dataSpan)
    }

    /// Adds an event from its line's `id` and `data` bytes.
    private mutating func add(_ event: DomainEvent, id: Span<UInt8>, data dataBytes: Span<UInt8>) {
        if leavesOutUnreplayedEvents { leftOutLines.append(leftOut: false) }
        if case .eventRetracted = event.payload {
            let data = CanonicalObjectSpan(dataBytes)
            let target = data.memberRange("target").flatMap { data.string(of: $0) } ?? ""
            pendingRetractions.append((ledger.events.count, target))
        }
        if defersRetractionTimes {
            ledger.addWithoutRetractionTime(event, id: id, keepingId: keepsIds || setsIdsAside)
        } else {
            precondition(keepsIds, "a read that keeps no ids sets the retraction times after it")
            ledger.add(event, id: id)
        }
    }

    mutating func didRead(identifiers: IdentifierLookup) throws(LedgerError) {
        guard !keepsIds else { return }
        foundRetractions = []
        foundRetractions.reserveCapacity(pendingRetractions.count)
        for (retraction, target) in pendingRetractions {
            // A target whose line was left out is of a kind the ledger does not replay: nothing to retract.
            let line = try identifiers.position(of: target)
            foundRetractions.append((retraction, leavesOutUnreplayedEvents ? line.flatMap(leftOutLines.eventIndex(ofLine:)) : line))
        }
        pendingRetractions = []
    }

    /// The ledger with every retraction pointed at its target.
    mutating func finish() -> Ledger {
        if defersRetractionTimes { ledger.fillRetractionTimes() }
        if keepsIds {
            ledger.resolveRetractions(pendingRetractions)
        } else {
            precondition(pendingRetractions.isEmpty, "the targets were found when the read ended")
            ledger.resolveRetractions(targets: foundRetractions)
        }
        pendingRetractions = []
        foundRetractions = []
        return ledger
    }

    static func decode(_ line: LogLine, into ledger: inout Ledger) throws(LedgerError) -> DomainEvent {
        func refuse(_ why: String) -> LedgerError {
            .badData("\(line.log.fileName):\(line.lineNumber) (event \(line.id)): \(why)")
        }
        guard let kind = EventKind.from(typeBytes: line.typeSpan) else {
            throw refuse("unknown event type \(line.type); this build knows \(EventKind.allCases.map(\.typeName).joined(separator: ", "))")
        }
        guard line.version == EventKind.currentVersion else {
            throw refuse("\(kind) payload version \(line.version) is not known to this build (it reads version \(EventKind.currentVersion))")
        }
        if let log = kind.log, log != line.log {
            throw refuse("\(kind) belongs in \(log.fileName), not \(line.log.fileName)")
        }
        let payload: DomainEvent.Payload
        do {
            payload = try decodePayload(kind: kind, data: CanonicalObjectSpan(line.dataSpan), at: line.scanned.data.lowerBound,
                                        into: &ledger)
        } catch {
            throw refuse(error.message)
        }
        let actor = ledger.quotedName(line.span(of: line.scanned.actor), at: line.scanned.actor.lowerBound, table: .texts)
        let source = ledger.quotedName(line.span(of: line.scanned.source), at: line.scanned.source.lowerBound, table: .texts)
        return DomainEvent(
            effective: line.effective, recorded: line.recorded, seq: Int32(clamping: line.seq), logRank: UInt8(line.logRank),
            actor: TextIndex(rawValue: actor), source: TextIndex(rawValue: source), payload: payload)
    }

    /// Decodes a validated canonical `data` object (from a log line or from a draft).
    /// Its errors name the member but not the event: callers add where it came from.
    /// `dataOffset` is where `data` starts in the bytes its names' offsets are counted in.
    static func decodePayload<Names: NameSink>(kind: EventKind, data: CanonicalObjectSpan, at dataOffset: Int,
                                               into names: inout Names) throws(LedgerError) -> DomainEvent.Payload {
        var decoder = PayloadDecoder(data: data, at: dataOffset, kind: kind)
        return try kind.decode(&decoder, into: &names)
    }
}
