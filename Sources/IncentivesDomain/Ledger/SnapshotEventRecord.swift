#if canImport(Glibc)
import Glibc
#endif
import LedgerLog

/// One event in a snapshot: a fixed 48-byte record, every field written explicitly (never the
/// in-memory layout of `DomainEvent`, which the compiler may change):
///
///     0 effective (i32 days)   4 a (i32)        8 recorded (i64 seconds)
///     16 actor (i32)           20 source (i32)  24 code (u8)  25 small (u8)  26 flags (u8)  27 zero
///     28 b (i32)               32 c (i32)       36 d (i32)    40 amount (i64)
///
/// What a, b, c, d, small and amount hold depends on the code (see `write`). Seq and log rank
/// are not stored: records are in log order, and a verified log's seq is its line number.
enum SnapshotEventRecord {
    static let size = 48

    /// Record codes, fixed here rather than taken from `EventKind`'s case order.
    enum Code: UInt8 {
        case programmeEstablished = 1, programmeAmended = 2, budgetAppropriated = 3
        case grantAwarded = 4, grantAmended = 5, grantDisbursed = 6, grantRevoked = 7, grantRecovered = 8
        case enterpriseRegistered = 9, capabilityEvaluated = 10, tierPromoted = 11, tierDemoted = 12
        case enterpriseDeregistered = 13, centreOpened = 14, centreClosed = 15, eventRetracted = 16
    }

    /// Programme terms' optional members: which are present.
    static let hasMinTier: UInt8 = 1, hasCapFen: UInt8 = 2, hasCapYears: UInt8 = 4

    static func write(_ event: DomainEvent, to record: UnsafeMutableRawPointer) {
        var code = Code.eventRetracted
        var a: Int32 = 0, b: Int32 = 0, c: Int32 = 0, d: Int32 = 0
        var small: UInt8 = 0, flags: UInt8 = 0
        var amount: Int64 = 0
        func terms(_ terms: ProgrammeTerms) {
            a = terms.programme.rawValue
            b = terms.name.storedRawValue
            if let minTier = terms.minTier { small = UInt8(minTier.rawValue); flags |= hasMinTier }
            if let capFen = terms.capFen { amount = capFen.rawValue; flags |= hasCapFen }
            if let capYears = terms.capYears { c = capYears; flags |= hasCapYears }
        }
        switch event.payload {
        case .programmeEstablished(let programme):
            code = .programmeEstablished
            terms(programme)
        case .programmeAmended(let programme):
            code = .programmeAmended
            terms(programme)
        case .budgetAppropriated(let programme, let year, let amountFen):
            (code, a, b, amount) = (.budgetAppropriated, programme.rawValue, year, amountFen.rawValue)
        case .grantAwarded(let grant, let enterprise, let programme, let amountFen, let project):
            (code, a, b, c, d, amount) = (.grantAwarded, grant.rawValue, enterprise.rawValue, programme.rawValue, project.rawValue,
                                          amountFen.rawValue)
        case .grantAmended(let grant, let amountFen):
            (code, a, amount) = (.grantAmended, grant.rawValue, amountFen.rawValue)
        case .grantDisbursed(let grant, let amountFen):
            (code, a, amount) = (.grantDisbursed, grant.rawValue, amountFen.rawValue)
        case .grantRevoked(let grant, let reason):
            (code, a, b) = (.grantRevoked, grant.rawValue, reason.rawValue)
        case .grantRecovered(let grant, let amountFen):
            (code, a, amount) = (.grantRecovered, grant.rawValue, amountFen.rawValue)
        case .enterpriseRegistered(let enterprise, let name, let sector):
            (code, a, b, c) = (.enterpriseRegistered, enterprise.rawValue, name.rawValue, sector.rawValue)
        case .capabilityEvaluated(let enterprise, let score):
            (code, a, b) = (.capabilityEvaluated, enterprise.rawValue, score)
        case .tierPromoted(let enterprise, let tier):
            (code, a, small) = (.tierPromoted, enterprise.rawValue, UInt8(tier.rawValue))
        case .tierDemoted(let enterprise, let tier):
            (code, a, small) = (.tierDemoted, enterprise.rawValue, UInt8(tier.rawValue))
        case .enterpriseDeregistered(let enterprise, let reason):
            (code, a, b) = (.enterpriseDeregistered, enterprise.rawValue, reason.rawValue)
        case .centreOpened(let centre, let name, let kind, let city, let partner):
            (code, a, b, c, d, small) = (.centreOpened, centre.rawValue, name.rawValue, city.rawValue, partner.storedRawValue,
                                          kind.rawValue)
        case .centreClosed(let centre, let reason):
            (code, a, b) = (.centreClosed, centre.rawValue, reason.rawValue)
        case .eventRetracted(let target, let reason):
            (code, a, b) = (.eventRetracted, target.storedRawValue, reason.rawValue)
        }
        record.storeBytes(of: event.effective.daysSinceEpoch.littleEndian, toByteOffset: 0, as: Int32.self)
        record.storeBytes(of: a.littleEndian, toByteOffset: 4, as: Int32.self)
        record.storeBytes(of: event.recorded.secondsSinceEpoch.littleEndian, toByteOffset: 8, as: Int64.self)
        record.storeBytes(of: event.actor.rawValue.littleEndian, toByteOffset: 16, as: Int32.self)
        record.storeBytes(of: event.source.rawValue.littleEndian, toByteOffset: 20, as: Int32.self)
        record.storeBytes(of: code.rawValue, toByteOffset: 24, as: UInt8.self)
        record.storeBytes(of: small, toByteOffset: 25, as: UInt8.self)
        record.storeBytes(of: flags, toByteOffset: 26, as: UInt8.self)
        record.storeBytes(of: UInt8(0), toByteOffset: 27, as: UInt8.self)
        record.storeBytes(of: b.littleEndian, toByteOffset: 28, as: Int32.self)
        record.storeBytes(of: c.littleEndian, toByteOffset: 32, as: Int32.self)
        record.storeBytes(of: d.littleEndian, toByteOffset: 36, as: Int32.self)
        record.storeBytes(of: amount.littleEndian, toByteOffset: 40, as: Int64.self)
    }

    /// How many names each interner holds: every index a record refers to must be below it.
    struct Bounds {
        var programmes: Int32
        var grants: Int32
        var enterprises: Int32
        var centres: Int32
        var texts: Int32
    }

    /// Decodes the record of the event at `index` (seq and rank given), refusing any field out of
    /// range: a date or time outside the years the event format allows, an amount beyond the
    /// integers an event line may hold, an index into an interner, a tier, a centre kind, a
    /// retraction target outside the events of the same log before it (`logStart..<index`), and
    /// any record that is not exactly what `write` makes of the event it decodes to (unused
    /// fields not zero), so that one event has one record.
    @inline(__always)
    static func read(_ record: UnsafeRawPointer, index: Int, logStart: Int, seq: Int32, logRank: UInt8,
                     bounds: Bounds) -> DomainEvent? {
        func int32(_ offset: Int) -> Int32 { Int32(littleEndian: record.loadUnaligned(fromByteOffset: offset, as: Int32.self)) }
        let a = int32(4), b = int32(28), c = int32(32), d = int32(36)
        let amount = Int64(littleEndian: record.loadUnaligned(fromByteOffset: 40, as: Int64.self))
        let small = record.load(fromByteOffset: 25, as: UInt8.self)
        let flags = record.load(fromByteOffset: 26, as: UInt8.self)
        let actor = int32(16), source = int32(20)
        let effective = int32(0)
        let recorded = Int64(littleEndian: record.loadUnaligned(fromByteOffset: 8, as: Int64.self))
        guard effective >= LedgerSnapshot.earliestDay, effective <= LedgerSnapshot.latestDay,
              LedgerSnapshot.isPlausibleRecorded(recorded), amount.magnitude <= maximumAmountMagnitude else { return nil }
        guard let code = Code(rawValue: record.load(fromByteOffset: 24, as: UInt8.self)),
              record.load(fromByteOffset: 27, as: UInt8.self) == 0,
              inRange(actor, bounds.texts), inRange(source, bounds.texts) else { return nil }
        func terms(establishing: Bool) -> ProgrammeTerms? {
            guard flags & ~(hasMinTier | hasCapFen | hasCapYears) == 0, inRange(a, bounds.programmes),
                  (b == -1 && !establishing) || inRange(b, bounds.texts) else { return nil }
            var minTier: Tier? = nil
            if flags & hasMinTier != 0 {
                guard let tier = Tier(rawValue: Int8(truncatingIfNeeded: small)) else { return nil }
                minTier = tier
            }
            return ProgrammeTerms(programme: ProgrammeIndex(rawValue: a), name: TextIndex?(storedRawValue: b), minTier: minTier,
                                  capFen: flags & hasCapFen != 0 ? Fen(amount) : nil,
                                  capYears: flags & hasCapYears != 0 ? c : nil)
        }
        let payload: DomainEvent.Payload
        switch code {
        case .programmeEstablished:
            guard let terms = terms(establishing: true) else { return nil }
            payload = .programmeEstablished(terms)
        case .programmeAmended:
            guard let terms = terms(establishing: false) else { return nil }
            payload = .programmeAmended(terms)
        case .budgetAppropriated:
            guard inRange(a, bounds.programmes) else { return nil }
            payload = .budgetAppropriated(programme: ProgrammeIndex(rawValue: a), year: b, amountFen: Fen(amount))
        case .grantAwarded:
            guard inRange(a, bounds.grants), inRange(b, bounds.enterprises), inRange(c, bounds.programmes),
                  inRange(d, bounds.texts) else { return nil }
            payload = .grantAwarded(grant: GrantIndex(rawValue: a), enterprise: EnterpriseIndex(rawValue: b),
                                    programme: ProgrammeIndex(rawValue: c), amountFen: Fen(amount), project: TextIndex(rawValue: d))
        case .grantAmended, .grantDisbursed, .grantRecovered:
            guard inRange(a, bounds.grants) else { return nil }
            let grant = GrantIndex(rawValue: a)
            payload = code == .grantAmended ? .grantAmended(grant: grant, amountFen: Fen(amount))
                : code == .grantDisbursed ? .grantDisbursed(grant: grant, amountFen: Fen(amount))
                : .grantRecovered(grant: grant, amountFen: Fen(amount))
        case .grantRevoked:
            guard inRange(a, bounds.grants), inRange(b, bounds.texts) else { return nil }
            payload = .grantRevoked(grant: GrantIndex(rawValue: a), reason: TextIndex(rawValue: b))
        case .enterpriseRegistered:
            guard inRange(a, bounds.enterprises), inRange(b, bounds.texts), inRange(c, bounds.texts) else { return nil }
            payload = .enterpriseRegistered(enterprise: EnterpriseIndex(rawValue: a), name: TextIndex(rawValue: b),
                                            sector: TextIndex(rawValue: c))
        case .capabilityEvaluated:
            guard inRange(a, bounds.enterprises) else { return nil }
            payload = .capabilityEvaluated(enterprise: EnterpriseIndex(rawValue: a), score: b)
        case .tierPromoted, .tierDemoted:
            guard inRange(a, bounds.enterprises), let tier = Tier(rawValue: Int8(truncatingIfNeeded: small)) else { return nil }
            let enterprise = EnterpriseIndex(rawValue: a)
            payload = code == .tierPromoted ? .tierPromoted(enterprise: enterprise, tier: tier)
                : .tierDemoted(enterprise: enterprise, tier: tier)
        case .enterpriseDeregistered:
            guard inRange(a, bounds.enterprises), inRange(b, bounds.texts) else { return nil }
            payload = .enterpriseDeregistered(enterprise: EnterpriseIndex(rawValue: a), reason: TextIndex(rawValue: b))
        case .centreOpened:
            guard inRange(a, bounds.centres), inRange(b, bounds.texts), inRange(c, bounds.texts),
                  d == -1 || inRange(d, bounds.texts), let kind = CentreKind(rawValue: small) else { return nil }
            payload = .centreOpened(centre: CentreIndex(rawValue: a), name: TextIndex(rawValue: b), kind: kind,
                                    city: TextIndex(rawValue: c), partner: TextIndex?(storedRawValue: d))
        case .centreClosed:
            guard inRange(a, bounds.centres), inRange(b, bounds.texts) else { return nil }
            payload = .centreClosed(centre: CentreIndex(rawValue: a), reason: TextIndex(rawValue: b))
        case .eventRetracted:
            guard a == -1 || (Int(a) >= logStart && Int(a) < index), inRange(b, bounds.texts) else { return nil }
            payload = .eventRetracted(target: EventIndex?(storedRawValue: a), reason: TextIndex(rawValue: b))
        }
        let event = DomainEvent(
            effective: CalendarDate(daysSinceEpoch: effective), recorded: Timestamp(secondsSinceEpoch: recorded),
            seq: seq, logRank: logRank, actor: TextIndex(rawValue: actor), source: TextIndex(rawValue: source),
            payload: payload)
        var canonical: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        let same = withUnsafeMutableBytes(of: &canonical) { written in
            guard let base = written.baseAddress else { return false }
            write(event, to: base)
            return memcmp(base, record, size) == 0
        }
        return same ? event : nil
    }

    /// No integer in an event line is larger (RFC 8785 numbers are exact only within 2^53 − 1).
    static let maximumAmountMagnitude: UInt64 = 9_007_199_254_740_991

    @inline(__always)
    private static func inRange(_ value: Int32, _ count: Int32) -> Bool {
        value >= 0 && value < count
    }
}
