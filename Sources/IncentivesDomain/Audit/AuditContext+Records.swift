import LedgerLog

extension AuditContext {
    mutating func checkLateRecording() {
        guard runs(.lateRecording) else { return }
        for index in replay.lateEvents {
            let event = ledger.events[index]
            let days = Int(event.recorded.date.daysSinceEpoch) - Int(event.effective.daysSinceEpoch)
            add(.lateRecording, subject: ledger.auditSubject(of: event), event: index, effective: event.effective,
                "\(event.kind) \(ledger.eventId(of: index.offset)) effective \(event.effective) was recorded at \(event.recorded), \(days) days later, more than the \(options.lateDays) allowed")
        }
    }

    mutating func checkEnterpriseCodes() {
        guard runs(.usccCheckDigit) else { return }
        // Every code is checked from its bytes; Strings and messages only for one that fails. The
        // tables are read once: a mutating method reading them per enterprise copies them each time.
        let enterprises = models.enterprises, names = ledger.enterprises, checkDigits = EnterpriseCode.CheckDigits()
        var bytes: [UInt8] = []
        for index in enterprises.indices where enterprises[index] != nil {
            bytes.removeAll(keepingCapacity: true)
            names.appendBytes(of: EnterpriseIndex(offset: index), to: &bytes)
            guard !checkDigits.isValid(bytes), let state = enterprises[index] else { continue }
            let text = enterpriseCode(EnterpriseIndex(offset: index))
            let event = replay.registrationEvent(EnterpriseIndex(offset: index))
            let why: String
            // Of the right shape, so its check digit is what fails (`EnterpriseCode.isValid`).
            if EnterpriseCode(rawValue: text) != nil {
                let bytes = Array(text.utf8)
                let expected = EnterpriseCode.checkCharacter(forFirst17: bytes[0..<17]).map { String(UnicodeScalar($0)) } ?? "?"
                why = "fails the GB 32100-2015 check: its last character is \(String(UnicodeScalar(bytes[17]))), the first 17 call for \(expected)"
            } else {
                why = "is not a Unified Social Credit Code: \(EnterpriseCode.formatProblem(text) ?? "malformed")"
            }
            add(.usccCheckDigit, subject: text, event: event, effective: state.registered,
                "enterprise code \(text) (\(ledger.texts.string(state.name))) \(why); check the business licence and record the enterprise under its correct code")
        }
    }
}
