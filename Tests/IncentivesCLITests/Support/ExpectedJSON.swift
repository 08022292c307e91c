/// Builders for the JSON the queries print, so that expectations state every member and stay readable.
enum ExpectedJSON {
    struct Grants {
        var count = 0, revoked = 0
        var awardedFen: Int64 = 0, disbursedFen: Int64 = 0, recoveredFen: Int64 = 0
    }

    /// `summary --format json`. `byTier` is none, startup, sme, high-tech, influential;
    /// `byKind` is innovation, offshore, rnd.
    static func summary(asOf: String? = nil, knownAt: String = "2025-01-15T09:00:00Z", events: Int, grants: Grants = Grants(),
                        registered: Int = 0, byTier: [Int] = [0, 0, 0, 0, 0], open: Int = 0, byKind: [Int] = [0, 0, 0]) -> String {
        """
        {"asOf": \(asOf.map { "\"\($0)\"" } ?? "null"), "knownAt": "\(knownAt)", "events": \(events),
         "grants": {"count": \(grants.count), "revoked": \(grants.revoked), "awardedFen": \(grants.awardedFen),
                    "disbursedFen": \(grants.disbursedFen), "recoveredFen": \(grants.recoveredFen)},
         "enterprises": {"registered": \(registered), "byTier": {"none": \(byTier[0]), "startup": \(byTier[1]), "sme": \(byTier[2]),
                         "high-tech": \(byTier[3]), "influential": \(byTier[4])}},
         "centres": {"open": \(open), "byKind": {"innovation": \(byKind[0]), "offshore": \(byKind[1]), "rnd": \(byKind[2])}}}
        """
    }

    /// One row of `grants --format json`.
    static func grantRow(_ key: String, count: Int, awardedFen: Int64, disbursedFen: Int64 = 0, recoveredFen: Int64 = 0) -> String {
        "{\"key\": \"\(key)\", \"count\": \(count), \"awardedFen\": \(awardedFen), \"disbursedFen\": \(disbursedFen), \"recoveredFen\": \(recoveredFen)}"
    }

    static func array(_ elements: [String]) -> String { "[" + elements.joined(separator: ", ") + "]" }
}
