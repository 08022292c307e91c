import LedgerLog

/// Decodes verified log lines into the ledger. Runs on the hot path: it reads members straight
/// from the canonical bytes and interns them, creating no `String` per event.
struct LedgerLoader: LogLineConsumer {
    typealias Preparation = PreparedEvent?

    var ledger = Ledger()
    /// Retractions whose targets are resolved after the read, in one pass over the ids.
    var pendingRetractions: [(retraction: Int, target: String)] = []

    /// No event line is much shorter than this (two hashes alone are 128 bytes), so a log's
    /// length over it bounds its events from above.
    static let shortestEventBytes = 256

    /// Reserves room for every event the log can hold: growing the arrays instead copies them
    /// again and again, and pages reserved but never filled cost address space, not memory.
    mutating func willRead(bytes: Int) {
        ledger.reserveCapacity(forEvents: ledger.count + bytes / LedgerLoader.shortestEventBytes)
    }

    mutating func consume(_ line: LogLine) throws(LedgerError) {
        add(try LedgerLoader.decode(line, into: &ledger), line: line)
    }

    /// Decodes all but the interning, on a worker thread; nil when the line does not decode, and
    /// `consume(_:)` then says why.
    static func prepare(_ line: LogLine) -> PreparedEvent? {
        guard let kind = EventKind.from(typeBytes: line.typeBytes), line.version == EventKind.currentVersion,
              kind.log == nil || kind.log == line.log else { return nil }
        var recorder = NameRecorder(line: line.bytes)
        let payload: DomainEvent.Payload
        do {
            payload = try decodePayload(kind: kind, data: CanonicalObjectView(line.dataBytes), logRank: line.logRank,
                                        into: &recorder)
        } catch {
            return nil
        }
        let event = DomainEvent(
            effective: line.effective, recorded: line.recorded, seq: Int32(clamping: line.seq),
            logRank: UInt8(line.logRank),
            actor: TextIndex(rawValue: recorder.quotedName(line.slice(line.scanned.actor), table: .texts)),
            source: TextIndex(rawValue: recorder.quotedName(line.slice(line.scanned.source), table: .texts)),
            payload: payload)
        return PreparedEvent(event: event, names: recorder.names, nameCount: recorder.count)
    }

    /// Asks for the interner slots the line's names will probe.
    mutating func anticipate(_ prepared: PreparedEvent?) {
        guard let prepared else { return }
        for ordinal in 0..<prepared.nameCount { ledger.prefetch(prepared.names[ordinal]) }
    }

    /// Interns the names a worker found, in the order it found them, and adds the event.
    mutating func consume(_ line: LogLine, prepared: PreparedEvent?) throws(LedgerError) {
        guard let prepared else { return try consume(line) }
        var indexes = InlineArray<6, Int32>(repeating: -1)
        for ordinal in 0..<prepared.nameCount {
            indexes[ordinal] = ledger.intern(prepared.names[ordinal], in: line.bytes)
        }
        var event = prepared.event
        event.actor = TextIndex(rawValue: indexes[event.actor.offset])
        event.source = TextIndex(rawValue: indexes[event.source.offset])
        event.payload = event.payload.mappingNames { indexes[Int($0)] }
        add(event, line: line)
    }

    private mutating func add(_ event: DomainEvent, line: LogLine) {
        if case .eventRetracted = event.payload {
            let target = CanonicalObjectView(line.dataBytes).member("target")?.string ?? ""
            pendingRetractions.append((ledger.events.count, target))
        }
        ledger.add(event, id: line.idBytes)
    }

    /// The ledger with every retraction pointed at its target.
    mutating func finish() -> Ledger {
        ledger.resolveRetractions(pendingRetractions)
        pendingRetractions = []
        return ledger
    }

    static func decode(_ line: LogLine, into ledger: inout Ledger) throws(LedgerError) -> DomainEvent {
        func refuse(_ why: String) -> LedgerError {
            .badData("\(line.log.fileName):\(line.lineNumber) (event \(line.id)): \(why)")
        }
        guard let kind = EventKind.from(typeBytes: line.typeBytes) else {
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
            payload = try decodePayload(kind: kind, data: CanonicalObjectView(line.dataBytes),
                                        logRank: line.logRank, into: &ledger)
        } catch {
            throw refuse(error.message)
        }
        return DomainEvent(
            effective: line.effective, recorded: line.recorded, seq: Int32(clamping: line.seq),
            logRank: UInt8(line.logRank),
            actor: TextIndex(rawValue: ledger.quotedName(line.slice(line.scanned.actor), table: .texts)),
            source: TextIndex(rawValue: ledger.quotedName(line.slice(line.scanned.source), table: .texts)),
            payload: payload)
    }

    /// Decodes a validated canonical `data` object (from a log line or from a draft).
    /// Its errors name the member but not the event: callers add where it came from.
    static func decodePayload<Names: NameSink>(kind: EventKind, data: CanonicalObjectView, logRank: Int,
                                               into names: inout Names) throws(LedgerError) -> DomainEvent.Payload {
        var decoder = PayloadDecoder(data: data, kind: kind)
        let payload: DomainEvent.Payload
        switch kind {
        case .programmeEstablished, .programmeAmended:
            let terms = ProgrammeTerms(
                programme: try decoder.identifier("programme", into: &names),
                name: try decoder.optionalText("name", into: &names),
                minTier: try decoder.optionalTier("minTier"),
                capFen: try decoder.optionalAmount("capFen"),
                capYears: try decoder.optionalInteger("capYears").map { Int32(clamping: $0) })
            payload = kind == .programmeEstablished ? .programmeEstablished(terms) : .programmeAmended(terms)
        case .budgetAppropriated:
            payload = .budgetAppropriated(
                programme: try decoder.identifier("programme", into: &names),
                year: Int32(clamping: try decoder.integer("year")), amountFen: try decoder.amount("amountFen"))
        case .grantAwarded:
            // Members asked for in canonical order: one pass over the object.
            let amountFen = try decoder.amount("amountFen")
            let enterprise: EnterpriseIndex = try decoder.identifier("enterprise", into: &names)
            let grant: GrantIndex = try decoder.identifier("grant", into: &names)
            let programme: ProgrammeIndex = try decoder.identifier("programme", into: &names)
            let project = try decoder.text("project", into: &names)
            payload = .grantAwarded(grant: grant, enterprise: enterprise, programme: programme,
                                    amountFen: amountFen, project: project)
        case .grantAmended, .grantDisbursed, .grantRecovered:
            let amountFen = try decoder.amount("amountFen")
            let grant: GrantIndex = try decoder.identifier("grant", into: &names)
            switch kind {
            case .grantAmended: payload = .grantAmended(grant: grant, amountFen: amountFen)
            case .grantDisbursed: payload = .grantDisbursed(grant: grant, amountFen: amountFen)
            default: payload = .grantRecovered(grant: grant, amountFen: amountFen)
            }
        case .grantRevoked:
            payload = .grantRevoked(grant: try decoder.identifier("grant", into: &names),
                                    reason: try decoder.text("reason", into: &names))
        case .enterpriseRegistered:
            payload = .enterpriseRegistered(
                enterprise: try decoder.identifier("enterprise", into: &names),
                name: try decoder.text("name", into: &names),
                sector: try decoder.text("sector", into: &names))
        case .capabilityEvaluated:
            payload = .capabilityEvaluated(enterprise: try decoder.identifier("enterprise", into: &names),
                                           score: Int32(clamping: try decoder.integer("score")))
        case .tierPromoted:
            payload = .tierPromoted(enterprise: try decoder.identifier("enterprise", into: &names),
                                    tier: try decoder.tier("tier"))
        case .tierDemoted:
            payload = .tierDemoted(enterprise: try decoder.identifier("enterprise", into: &names),
                                   tier: try decoder.tier("tier"))
        case .enterpriseDeregistered:
            payload = .enterpriseDeregistered(enterprise: try decoder.identifier("enterprise", into: &names),
                                              reason: try decoder.text("reason", into: &names))
        case .centreOpened:
            payload = .centreOpened(
                centre: try decoder.identifier("centre", into: &names),
                name: try decoder.text("name", into: &names), kind: try decoder.centreKind("kind"),
                city: try decoder.text("city", into: &names),
                partner: try decoder.optionalText("partner", into: &names))
        case .centreClosed:
            payload = .centreClosed(centre: try decoder.identifier("centre", into: &names),
                                    reason: try decoder.text("reason", into: &names))
        case .eventRetracted:
            // The target is resolved by the caller: the loader after the read, the validator at once.
            _ = try decoder.identifierBytes("target")
            payload = .eventRetracted(target: nil, reason: try decoder.text("reason", into: &names))
        }
        return payload
    }
}

/// Reads typed members from a canonical `data` object, refusing a missing or mistyped one.
struct PayloadDecoder {
    let data: CanonicalObjectView
    let kind: EventKind
    /// Where the next member search starts (see `CanonicalObjectView.member(_:from:)`).
    var position = 1

    init(data: CanonicalObjectView, kind: EventKind) {
        self.data = data
        self.kind = kind
    }

    func refuse(_ why: String) -> LedgerError { .badData(why) }

    mutating func member(_ name: StaticString) throws(LedgerError) -> CanonicalObjectView.Member {
        guard let member = data.member(name, from: &position) else { throw refuse("\(kind) data lacks \(name)") }
        return member
    }

    mutating func identifierBytes(_ name: StaticString) throws(LedgerError) -> UnsafeRawBufferPointer {
        guard let bytes = try member(name).plainStringBytes, EventID.isValid(bytes) else {
            throw refuse("\(kind) \(name) must be an identifier of 1–64 characters from A-Za-z0-9._:-")
        }
        return bytes
    }

    /// An identifier, named in the table its index type belongs to.
    mutating func identifier<Index: NameIndex, Names: NameSink>(_ name: StaticString,
                                                                into names: inout Names) throws(LedgerError) -> Index {
        Index(rawValue: names.name(try identifierBytes(name), table: Index.table))
    }

    mutating func text<Names: NameSink>(_ name: StaticString, into names: inout Names) throws(LedgerError) -> TextIndex {
        let member = try member(name)
        guard member.kind == .string, member.value.count > 2 else { throw refuse("\(kind) \(name) must be a non-empty string") }
        if let plain = member.plainStringBytes { return TextIndex(rawValue: names.name(plain, table: .texts)) }
        return TextIndex(rawValue: names.escapedName(member.value, table: .texts))
    }

    mutating func optionalText<Names: NameSink>(_ name: StaticString,
                                                into names: inout Names) throws(LedgerError) -> TextIndex? {
        guard data.member(name) != nil else { return nil }
        return try text(name, into: &names)
    }

    mutating func integer(_ name: StaticString) throws(LedgerError) -> Int64 {
        guard let value = try member(name).integer else { throw refuse("\(kind) \(name) must be an integer") }
        return value
    }

    mutating func amount(_ name: StaticString) throws(LedgerError) -> Fen {
        Fen(try integer(name))
    }

    mutating func optionalAmount(_ name: StaticString) throws(LedgerError) -> Fen? {
        guard data.member(name) != nil else { return nil }
        return try amount(name)
    }

    mutating func optionalInteger(_ name: StaticString) throws(LedgerError) -> Int64? {
        guard data.member(name) != nil else { return nil }
        return try integer(name)
    }

    mutating func tier(_ name: StaticString) throws(LedgerError) -> Tier {
        guard let bytes = try member(name).plainStringBytes, let tier = Tier(nameBytes: bytes) else {
            throw refuse("\(kind) \(name) must be one of \(Tier.names.joined(separator: ", "))")
        }
        return tier
    }

    mutating func optionalTier(_ name: StaticString) throws(LedgerError) -> Tier? {
        guard data.member(name) != nil else { return nil }
        return try tier(name)
    }

    mutating func centreKind(_ name: StaticString) throws(LedgerError) -> CentreKind {
        guard let bytes = try member(name).plainStringBytes, let kind = CentreKind(nameBytes: bytes) else {
            throw refuse("\(kind) \(name) must be one of \(CentreKind.names.joined(separator: ", "))")
        }
        return kind
    }
}
