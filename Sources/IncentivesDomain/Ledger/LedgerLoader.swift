import LedgerLog

/// Decodes verified log lines into the ledger. Runs on the hot path: it reads members straight
/// from the canonical bytes and interns them, creating no `String` per event.
struct LedgerLoader: LogLineConsumer {
    var ledger = Ledger()
    /// Retractions whose targets are resolved after the read, in one pass over the ids.
    var pendingRetractions: [(retraction: Int, target: String)] = []

    mutating func consume(_ line: LogLine) throws(LedgerError) {
        let event = try LedgerLoader.decode(line, into: &ledger)
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
            actor: internQuoted(line.slice(line.scanned.actor), into: &ledger.texts),
            source: internQuoted(line.slice(line.scanned.source), into: &ledger.texts),
            payload: payload)
    }

    /// Decodes a validated canonical `data` object (from a log line or from a draft).
    /// Its errors name the member but not the event: callers add where it came from.
    static func decodePayload(kind: EventKind, data: CanonicalObjectView, logRank: Int,
                              into ledger: inout Ledger) throws(LedgerError) -> DomainEvent.Payload {
        var decoder = PayloadDecoder(data: data, kind: kind)
        let payload: DomainEvent.Payload
        switch kind {
        case .programmeEstablished, .programmeAmended:
            let terms = ProgrammeTerms(
                programme: try decoder.identifier("programme", into: &ledger.programmes),
                name: try decoder.optionalText("name", into: &ledger.texts) ?? -1,
                minTier: try decoder.optionalTier("minTier"),
                capFen: try decoder.optionalInteger("capFen"),
                capYears: try decoder.optionalInteger("capYears").map { Int32(clamping: $0) })
            payload = kind == .programmeEstablished ? .programmeEstablished(terms) : .programmeAmended(terms)
        case .budgetAppropriated:
            payload = .budgetAppropriated(
                programme: try decoder.identifier("programme", into: &ledger.programmes),
                year: Int32(clamping: try decoder.integer("year")), amountFen: try decoder.integer("amountFen"))
        case .grantAwarded:
            // Members asked for in canonical order: one pass over the object.
            let amountFen = try decoder.integer("amountFen")
            let enterprise = try decoder.identifier("enterprise", into: &ledger.enterprises)
            let grant = try decoder.identifier("grant", into: &ledger.grants)
            let programme = try decoder.identifier("programme", into: &ledger.programmes)
            let project = try decoder.text("project", into: &ledger.texts)
            payload = .grantAwarded(grant: grant, enterprise: enterprise, programme: programme,
                                    amountFen: amountFen, project: project)
        case .grantAmended, .grantDisbursed, .grantRecovered:
            let amountFen = try decoder.integer("amountFen")
            let grant = try decoder.identifier("grant", into: &ledger.grants)
            switch kind {
            case .grantAmended: payload = .grantAmended(grant: grant, amountFen: amountFen)
            case .grantDisbursed: payload = .grantDisbursed(grant: grant, amountFen: amountFen)
            default: payload = .grantRecovered(grant: grant, amountFen: amountFen)
            }
        case .grantRevoked:
            payload = .grantRevoked(grant: try decoder.identifier("grant", into: &ledger.grants),
                                    reason: try decoder.text("reason", into: &ledger.texts))
        case .enterpriseRegistered:
            payload = .enterpriseRegistered(
                enterprise: try decoder.identifier("enterprise", into: &ledger.enterprises),
                name: try decoder.text("name", into: &ledger.texts),
                sector: try decoder.text("sector", into: &ledger.texts))
        case .capabilityEvaluated:
            payload = .capabilityEvaluated(enterprise: try decoder.identifier("enterprise", into: &ledger.enterprises),
                                           score: Int32(clamping: try decoder.integer("score")))
        case .tierPromoted:
            payload = .tierPromoted(enterprise: try decoder.identifier("enterprise", into: &ledger.enterprises),
                                    tier: try decoder.tier("tier"))
        case .tierDemoted:
            payload = .tierDemoted(enterprise: try decoder.identifier("enterprise", into: &ledger.enterprises),
                                   tier: try decoder.tier("tier"))
        case .enterpriseDeregistered:
            payload = .enterpriseDeregistered(enterprise: try decoder.identifier("enterprise", into: &ledger.enterprises),
                                              reason: try decoder.text("reason", into: &ledger.texts))
        case .centreOpened:
            payload = .centreOpened(
                centre: try decoder.identifier("centre", into: &ledger.centres),
                name: try decoder.text("name", into: &ledger.texts), kind: try decoder.centreKind("kind"),
                city: try decoder.text("city", into: &ledger.texts),
                partner: try decoder.optionalText("partner", into: &ledger.texts) ?? -1)
        case .centreClosed:
            payload = .centreClosed(centre: try decoder.identifier("centre", into: &ledger.centres),
                                    reason: try decoder.text("reason", into: &ledger.texts))
        case .eventRetracted:
            // The target is resolved by the caller: the loader after the read, the validator at once.
            _ = try decoder.identifierBytes("target")
            payload = .eventRetracted(target: -1, reason: try decoder.text("reason", into: &ledger.texts))
        }
        return payload
    }
}

/// Interns a quoted canonical string's content, decoding escapes only when there are any.
func internQuoted(_ quoted: UnsafeRawBufferPointer, into interner: inout Interner) -> Int32 {
    let content = UnsafeRawBufferPointer(rebasing: quoted[1..<(quoted.count - 1)])
    if !content.contains(UInt8(ascii: "\\")) { return interner.intern(content) }
    return interner.intern(CanonicalString.decode(quoted))
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

    mutating func identifier(_ name: StaticString, into interner: inout Interner) throws(LedgerError) -> Int32 {
        interner.intern(try identifierBytes(name))
    }

    mutating func text(_ name: StaticString, into interner: inout Interner) throws(LedgerError) -> Int32 {
        let member = try member(name)
        guard member.kind == .string, member.value.count > 2 else { throw refuse("\(kind) \(name) must be a non-empty string") }
        if let plain = member.plainStringBytes { return interner.intern(plain) }
        return interner.intern(member.string!)
    }

    mutating func optionalText(_ name: StaticString, into interner: inout Interner) throws(LedgerError) -> Int32? {
        guard data.member(name) != nil else { return nil }
        return try text(name, into: &interner)
    }

    mutating func integer(_ name: StaticString) throws(LedgerError) -> Int64 {
        guard let value = try member(name).integer else { throw refuse("\(kind) \(name) must be an integer") }
        return value
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
