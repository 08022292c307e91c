import LedgerLog

/// Sizes the story for benchmarks: `--events N` becomes a number of enterprises (and with them
/// grants, payments and R&D centres) found from a pilot plan of the same seed and years, since
/// the events of the story grow in proportion to its enterprises.
enum ScaleTarget {
    static let pilotEnterprises = 3_000

    static func enterprises(forEvents target: Int, seed: UInt64, start: CalendarDate, years: Int) throws(LedgerError) -> Int {
        let pilot = DistrictStory.plan(StoryParameters(seed: seed, start: start, years: years, enterprises: pilotEnterprises))
        // Integers only: the answer decides the bytes written, on every machine alike.
        let pilotEvents = pilot.events.count
        let estimate = (target * pilotEnterprises + pilotEvents / 2) / pilotEvents
        guard estimate <= DistrictStory.maximumEnterprises else {
            throw .usage("--events \(target) needs about \(estimate) enterprises over \(years) years; the story has at most \(DistrictStory.maximumEnterprises) (about \(DistrictStory.maximumEnterprises * pilotEvents / pilotEnterprises) events)")
        }
        guard estimate >= DistrictStory.minimumEnterprises else {
            throw .usage("--events \(target) is fewer than the story's \(DistrictStory.minimumEnterprises) enterprises make over \(years) years (about \(DistrictStory.minimumEnterprises * pilotEvents / pilotEnterprises) events)")
        }
        return estimate
    }
}
