import LedgerLog

/// Where a source comes from: an official document series, numbered within its year.
enum DocumentSeries: UInt8 {
    case districtGovernment, technologyBureau, budget, treasury, recovery

    func format(year: Int, number: Int) -> String {
        switch self {
        case .districtGovernment: return "泰姜政发〔\(year)〕\(number)号"
        case .technologyBureau: return "姜科发〔\(year)〕\(number)号"
        case .budget: return "姜财教〔\(year)〕\(number)号"
        case .treasury: return "姜财国库支〔\(year)〕\(number)号"
        case .recovery: return "姜财缴〔\(year)〕\(number)号"
        }
    }
}

struct PlanDocument {
    var series: DocumentSeries
    var date: CalendarDate
    var number: Int32 = 0
}
