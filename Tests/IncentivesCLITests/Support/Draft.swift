import IncentivesDomain
import LedgerLog

/// Draft JSON lines as a clerk would write them for `incentives append`, one builder per event
/// type. `data` members are given as JSON text so that tests read like the files they stand for.
enum Draft {
    /// One draft line. `recorded` is omitted when nil, as `append` needs (the ledger's clock decides);
    /// given, the line is history for `import` (or a draft `append` must refuse).
    static func line(_ id: String, _ type: String, effective: String, recorded: String? = nil,
                     actor: String = "clerk Li", source: String = "notice 2022-1", data: String) -> String {
        var members = [
            "\"id\":\(quoted(id))", "\"type\":\(quoted(type))", "\"effective\":\(quoted(effective))",
            "\"actor\":\(quoted(actor))", "\"source\":\(quoted(source))", "\"data\":\(data)",
        ]
        if let recorded { members.append("\"recorded\":\(quoted(recorded))") }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONCanonical.appendString(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func programme(_ id: String, _ programme: String, name: String, effective: String, recorded: String? = nil,
                          extra: String = "") -> String {
        line(id, "ProgrammeEstablished", effective: effective, recorded: recorded,
             data: "{\"programme\":\(quoted(programme)),\"name\":\(quoted(name))\(extra)}")
    }

    static func register(_ id: String, _ enterprise: String, name: String, sector: String = "machinery",
                         effective: String, recorded: String? = nil) -> String {
        line(id, "EnterpriseRegistered", effective: effective, recorded: recorded,
             data: "{\"enterprise\":\(quoted(enterprise)),\"name\":\(quoted(name)),\"sector\":\(quoted(sector))}")
    }

    static func award(_ id: String, grant: String, enterprise: String, programme: String, amountFen: Int64,
                      project: String = "precision parts line", effective: String, recorded: String? = nil) -> String {
        line(id, "GrantAwarded", effective: effective, recorded: recorded,
             data: "{\"grant\":\(quoted(grant)),\"enterprise\":\(quoted(enterprise)),\"programme\":\(quoted(programme)),\"amountFen\":\(amountFen),\"project\":\(quoted(project))}")
    }

    static func grantAmount(_ id: String, _ type: String, grant: String, amountFen: Int64, effective: String,
                            recorded: String? = nil) -> String {
        line(id, type, effective: effective, recorded: recorded,
             data: "{\"grant\":\(quoted(grant)),\"amountFen\":\(amountFen)}")
    }

    static func revoke(_ id: String, grant: String, reason: String = "false declaration", effective: String,
                       recorded: String? = nil) -> String {
        line(id, "GrantRevoked", effective: effective, recorded: recorded,
             data: "{\"grant\":\(quoted(grant)),\"reason\":\(quoted(reason))}")
    }

    static func tier(_ id: String, _ type: String = "TierPromoted", enterprise: String, tier: String, effective: String,
                     recorded: String? = nil) -> String {
        line(id, type, effective: effective, recorded: recorded,
             data: "{\"enterprise\":\(quoted(enterprise)),\"tier\":\(quoted(tier))}")
    }

    static func openCentre(_ id: String, centre: String, name: String, kind: String = "innovation", city: String = "泰州",
                           partner: String? = nil, effective: String, recorded: String? = nil) -> String {
        let partnerMember = partner.map { ",\"partner\":\(quoted($0))" } ?? ""
        return line(id, "CentreOpened", effective: effective, recorded: recorded,
                    data: "{\"centre\":\(quoted(centre)),\"name\":\(quoted(name)),\"kind\":\(quoted(kind)),\"city\":\(quoted(city))\(partnerMember)}")
    }

    static func closeCentre(_ id: String, centre: String, reason: String = "lease ended", effective: String,
                            recorded: String? = nil) -> String {
        line(id, "CentreClosed", effective: effective, recorded: recorded,
             data: "{\"centre\":\(quoted(centre)),\"reason\":\(quoted(reason))}")
    }

    static func retract(_ id: String, target: String, reason: String = "recorded in error", effective: String,
                        recorded: String? = nil) -> String {
        line(id, "EventRetracted", effective: effective, recorded: recorded,
             data: "{\"target\":\(quoted(target)),\"reason\":\(quoted(reason))}")
    }
}
