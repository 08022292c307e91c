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
    static func grantRow(_ key: String, name: String? = nil, count: Int, awardedFen: Int64, disbursedFen: Int64 = 0, recoveredFen: Int64 = 0) -> String {
        "{\"key\": \"\(key)\", " + (name.map { "\"name\": \"\($0)\", " } ?? "") + "\"count\": \(count), \"awardedFen\": \(awardedFen), \"disbursedFen\": \(disbursedFen), \"recoveredFen\": \(recoveredFen)}"
    }

    static func array(_ elements: [String]) -> String { "[" + elements.joined(separator: ", ") + "]" }

    /// `grants --format json`: the window and these rows.
    static func rows(_ elements: [String], asOf: String? = nil, knownAt: String = "2025-01-15T09:00:00Z") -> String {
        answer("rows", array(elements), asOf: asOf, knownAt: knownAt)
    }
}

extension ExpectedJSON {
    /// A query's answer around `body`: its window first, then `body` as the member `key`
    /// (grants' rows, centres' register, history's events). The heads are checked by `then`.
    static func answer(_ key: String, _ body: String, asOf: String? = nil, knownAt: String = "2025-01-15T09:00:00Z") -> String {
        "{\"asOf\": \(asOf.map { "\"\($0)\"" } ?? "null"), \"knownAt\": \"\(knownAt)\", \"\(key)\": \(body)}"
    }

    /// A query's answer whose body is an object: its window members, then `members` (the
    /// object's text without its braces).
    static func answer(members: String, asOf: String? = nil, knownAt: String = "2025-01-15T09:00:00Z") -> String {
        "{\"asOf\": \(asOf.map { "\"\($0)\"" } ?? "null"), \"knownAt\": \"\(knownAt)\", \(members)}"
    }
}
