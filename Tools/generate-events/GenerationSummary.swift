import IncentivesDomain
import LedgerLog

/// What the generator tells its caller on standard output: the logs as verified, the awards by
/// year, and the deliberate audit cases with the ids of their events.
enum GenerationSummary {
    static func render(plan: StoryPlan, parameters: StoryParameters, directory: String, report: ReadReport,
                       caseIds: [Int32: String]) -> String {
        var text = "Jiangyan district story (illustrative, not official records): seed \(parameters.seed), "
            + "\(plan.calendar.start) to \(plan.calendar.end), \(parameters.enterprises) enterprises\n"
        text += "written to \(directory) and verified:\n"
        for log in report.logs {
            text += "  " + padded(log.log.rawValue, 8) + leftPadded(String(log.events), 10) + "  " + log.head.hex + "\n"
        }
        text += "  " + padded("total", 8) + leftPadded(String(report.totalEvents), 10) + "\n"
        text += "awards as they stand (amended amounts; revoked grants count nothing), by award year:\n"
        var total: Int64 = 0, grants = 0, revoked = 0
        for year in plan.calendar.years {
            var sum: Int64 = 0, count = 0
            for grant in plan.grants where grant.awarded.year == year {
                count += 1
                if grant.revoked { revoked += 1 } else { sum += grant.finalFen }
            }
            total += sum
            grants += count
            text += "  \(year)  " + leftPadded(MoneyText.yuan(sum), 24) + "  \(count) grants\n"
        }
        text += "  total " + leftPadded(MoneyText.yuan(total), 24) + "  \(grants) grants, \(revoked) revoked\n"
        text += "deliberate audit cases:\n"
        for deliberate in plan.cases.sorted(by: { $0.letter < $1.letter }) {
            let ids = deliberate.events.map { caseIds[$0] ?? "?" }.joined(separator: " ")
            text += "  (\(deliberate.letter)) \(deliberate.title): \(ids)\n      \(deliberate.describe(plan))\n"
        }
        return text
    }

    static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func leftPadded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
