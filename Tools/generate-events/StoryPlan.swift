import IncentivesDomain
import LedgerLog

/// A tier an enterprise holds from a date on.
struct TierStep {
    var date: CalendarDate
    var tier: Tier
}

struct PlanEnterprise {
    var code: String
    var name: String
    var sector: Int
    var enrolled: CalendarDate
    var enrolledRecorded: Int64 = 0
    var registeredEvent: Int32 = -1
    var deregistered: CalendarDate? = nil
    var deregisteredEvent: Int32 = -1
    var steps: [TierStep] = []
    /// Set for the scripted enterprises of the deliberate cases: random rounds leave them alone.
    var scripted = false
    /// The day its R&D centre opened, if it has one.
    var centreOpened: CalendarDate? = nil

    func tier(on date: CalendarDate) -> Tier {
        var tier = Tier.none
        for step in steps where step.date <= date { tier = step.tier }
        return tier
    }
}

/// What becomes of a grant after its award.
enum GrantFate: Equatable {
    case plain
    /// Amended to `finalFen` (down or up) before the first payment.
    case amended
    case revoked
    /// Planned event by event by a deliberate case.
    case scripted
}

struct PlanGrant {
    var enterprise: Int32
    var programme: Int
    var awarded: CalendarDate
    var originalFen: Int64
    /// The amount after any planned amendment (the award's amount when there is none).
    var finalFen: Int64
    var fate: GrantFate
    /// Revoked in the story (by its fate or by a deliberate case): its amount no longer counts.
    var revoked = false
    var product: Int
    var template: Int
    var quantity: Int
    /// Another spelling of the same project (the duplicate-award case).
    var projectOverride: String? = nil
    var document: Int32
    /// `JY-G2022-0042`: numbered by year once every award is planned.
    var id: String = ""
}

struct PlanCentre {
    var id: String
    var name: String
    var kind: CentreKind
    var city: String
    var partner: String?
}

/// The whole story before it is written: entities, documents, and every event in compact form.
struct StoryPlan {
    var calendar: StoryCalendar
    var enterprises: [PlanEnterprise] = []
    var grants: [PlanGrant] = []
    var centres: [PlanCentre] = []
    var documents: [PlanDocument] = []
    var texts: [String] = []
    var events: [PlannedEvent] = []
    /// The deliberate cases and the events that make them, for the summary and the README.
    var cases: [DeliberateCase] = []

    init(calendar: StoryCalendar) {
        self.calendar = calendar
    }

    /// Adds an event and returns its sequence.
    @discardableResult
    mutating func add(_ kind: EventKind, effective: CalendarDate, recorded: Int64, subject: Int,
                      amount: Int64 = 0, detail: Int = 0, document: Int32 = -1) -> Int32 {
        precondition(events.count < Int(Int32.max), "the plan fits in Int32 sequences")
        precondition(recorded >= moment(effective, second: 0), "an event is recorded on or after its effective date")
        let sequence = Int32(events.count)
        events.append(PlannedEvent(recorded: recorded, sequence: sequence, effective: effective, kind: kind,
                                   subject: Int32(subject), amount: amount, detail: Int32(detail), document: document))
        return sequence
    }

    mutating func document(_ series: DocumentSeries, _ date: CalendarDate) -> Int32 {
        documents.append(PlanDocument(series: series, date: date))
        return Int32(documents.count - 1)
    }

    mutating func text(_ text: String) -> Int {
        texts.append(text)
        return texts.count - 1
    }

    func project(of grant: PlanGrant) -> String {
        if let override = grant.projectOverride { return override }
        let sector = enterprises[Int(grant.enterprise)].sector
        let product = NamePools.sectors[sector].products[grant.product]
        if grant.programme == ProgrammeCatalogue.rnd {
            return "\(enterprises[Int(grant.enterprise)].name)工程技术研究中心建设项目"
        }
        return NamePools.project(product: product, template: grant.template, quantity: grant.quantity)
    }
}
