import IncentivesDomain

/// The district's incentive programmes: the four tiers of the Yanzhen Plan each have a fund, and
/// two district programmes (R&D institutions, talent projects) are open to more enterprises.
struct ProgrammeTemplate {
    let id: String
    let name: String
    let minTier: Tier?
    let capFen: Int64
    let capYears: Int
    /// Award sizes: from, to, in steps of.
    let awardFen: ClosedRange<Int64>
    let stepFen: Int64
    /// Award rounds as (month, day); one decision document per round.
    let rounds: [(month: Int, day: Int)]
    /// Share of the district's awards, in percent.
    let sharePercent: Int
    /// Established on this (month, day) of the first year.
    let established: (month: Int, day: Int)
    /// A cap raised from (year offset, month, day) on, if any.
    let capAmendment: (yearOffset: Int, month: Int, day: Int, capFen: Int64)?
    /// Only enterprises with an open R&D centre apply.
    let needsCentre: Bool

    /// The lowest cap in force over the period: keeping awards within it keeps them within every cap.
    var lowestCapFen: Int64 { min(capFen, capAmendment?.capFen ?? capFen) }
}

enum ProgrammeCatalogue {
    static let yuan: Int64 = 100

    static let programmes: [ProgrammeTemplate] = [
        ProgrammeTemplate(
            id: "YZ-STARTUP", name: "雁阵计划·初创企业培育资金", minTier: .startup,
            capFen: 500_000 * yuan, capYears: 3, awardFen: (100_000 * yuan)...(400_000 * yuan), stepFen: 10_000 * yuan,
            rounds: [(4, 20), (10, 20)], sharePercent: 10, established: (1, 6), capAmendment: nil, needsCentre: false),
        ProgrammeTemplate(
            id: "YZ-SME", name: "雁阵计划·科技型中小企业研发费用补助", minTier: .sme,
            capFen: 1_000_000 * yuan, capYears: 3, awardFen: (200_000 * yuan)...(700_000 * yuan), stepFen: 10_000 * yuan,
            rounds: [(5, 18), (11, 16)], sharePercent: 25, established: (1, 6), capAmendment: nil, needsCentre: false),
        ProgrammeTemplate(
            id: "YZ-HIGHTECH", name: "雁阵计划·高新技术企业培育奖励", minTier: .highTech,
            capFen: 3_000_000 * yuan, capYears: 3, awardFen: (500_000 * yuan)...(2_000_000 * yuan), stepFen: 10_000 * yuan,
            rounds: [(6, 15), (12, 8)], sharePercent: 30, established: (1, 6),
            capAmendment: (yearOffset: 1, month: 7, day: 1, capFen: 5_000_000 * yuan), needsCentre: false),
        ProgrammeTemplate(
            id: "YZ-LEADER", name: "雁阵计划·创新型领军企业专项资金", minTier: .influential,
            capFen: 10_000_000 * yuan, capYears: 3, awardFen: (1_500_000 * yuan)...(5_000_000 * yuan), stepFen: 10_000 * yuan,
            rounds: [(7, 20)], sharePercent: 20, established: (1, 6), capAmendment: nil, needsCentre: false),
        ProgrammeTemplate(
            id: "JY-RND", name: "姜堰区企业研发机构建设补助", minTier: .sme,
            capFen: 2_000_000 * yuan, capYears: 5, awardFen: (300_000 * yuan)...(1_500_000 * yuan), stepFen: 10_000 * yuan,
            rounds: [(9, 10)], sharePercent: 5, established: (6, 1), capAmendment: nil, needsCentre: true),
        ProgrammeTemplate(
            id: "JY-TALENT", name: "姜堰区科技人才创新创业项目资助", minTier: nil,
            capFen: 800_000 * yuan, capYears: 3, awardFen: (100_000 * yuan)...(600_000 * yuan), stepFen: 10_000 * yuan,
            rounds: [(3, 25), (8, 25)], sharePercent: 10, established: (1, 6), capAmendment: nil, needsCentre: false),
    ]

    static func index(of id: String) -> Int { programmes.firstIndex { $0.id == id }! }

    static let startup = index(of: "YZ-STARTUP")
    static let sme = index(of: "YZ-SME")
    static let highTech = index(of: "YZ-HIGHTECH")
    static let leader = index(of: "YZ-LEADER")
    static let rnd = index(of: "JY-RND")
    static let talent = index(of: "JY-TALENT")
}
