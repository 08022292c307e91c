import LedgerLog

extension AuditContext {
    mutating func checkPayments() {
        if runs(.paymentBeforeAward) || runs(.afterDeregistration) {
            // `paymentsBeforeAward` is a subsequence of `payments`: walked beside it.
            var early = replay.paymentsBeforeAward[...]
            // Read once: a mutating method reading `ledger.events` or `models` for each of
            // millions of payments copies them (a retain and release of each column) every time.
            let events = ledger.events, grants = models.grants, enterprises = models.enterprises
            let afterDeregistration = runs(.afterDeregistration), beforeAwards = runs(.paymentBeforeAward)
            let payments = replay.payments
            for (place, payment) in payments.enumerated() {
                // A payment's grant and its enterprise lie anywhere in tables of a million states:
                // the grant of a payment further ahead is asked for, and the enterprise of one
                // nearer, whose grant was asked for before.
                if afterDeregistration {
                    if place + AuditContext.lookahead * 2 < payments.count {
                        grants.prefetch(events.subject(at: payments[place + AuditContext.lookahead * 2].offset))
                    }
                    if place + AuditContext.lookahead < payments.count,
                       let enterprise = grants[events.subject(at: payments[place + AuditContext.lookahead].offset)]?.enterprise {
                        enterprises.prefetch(enterprise.offset)
                    }
                }
                let beforeAward = early.first == payment
                if beforeAward { early.removeFirst() }
                let reportsEarly = beforeAwards && beforeAward
                let deregistered = afterDeregistration
                    ? AuditContext.deregistrationBefore(payment, events: events, grants: grants, enterprises: enterprises) : nil
                if reportsEarly || deregistered != nil {
                    reportPayment(payment, beforeAward: reportsEarly, deregisteredOn: deregistered, events: events)
                }
            }
            precondition(early.isEmpty, "every payment before its award is one of the payments")
        }
        guard runs(.overDisbursed) || runs(.unrecoveredRevocation) else { return }
        for (index, state) in models.grants.enumerated() {
            guard let state else { continue }
            let netFen = state.disbursedFen - state.recoveredFen
            let grant = GrantIndex(offset: index)
            if let revoked = state.revoked {
                guard runs(.unrecoveredRevocation), netFen > 0 else { continue }
                let revocation = replay.revocationEvent(grant)
                add(.unrecoveredRevocation, subject: grantId(grant), event: revocation, effective: revoked,
                    "grant \(grantId(grant)) to \(enterpriseCode(state.enterprise)) under programme \(programmeId(state.programme)) was revoked on \(revoked); \(money(state.disbursedFen)) was paid and \(money(state.recoveredFen)) recovered, so \(money(netFen)) is owed back")
            } else if runs(.overDisbursed), let event = replay.overDisbursedSince(grant) {
                add(.overDisbursed, subject: grantId(grant), event: event, effective: ledger.events[event].effective,
                    "grant \(grantId(grant)) to \(enterpriseCode(state.enterprise)) under programme \(programmeId(state.programme)) has been paid \(money(state.disbursedFen)) less \(money(state.recoveredFen)) recovered, \(money(netFen)) net, \(money(netFen - Int128(state.awardedFen))) more than the \(money(state.awardedFen)) awarded")
            }
        }
    }

    /// When the enterprise a payment went to was deregistered, if that was before the payment's
    /// date: read from the columns, the whole event made only for a finding (`reportPayment`).
    private static func deregistrationBefore(_ index: EventIndex, events: EventTable, grants: [GrantState?],
                                             enterprises: [EnterpriseState?]) -> CalendarDate? {
        precondition(events.code[index.offset] == GrantDisbursed.recordCode, "a payment")
        guard let enterprise = grants[events.subject(at: index.offset)]?.enterprise,
              let deregistered = enterprises[enterprise.offset]?.deregistered,
              events.effectiveDate(at: index.offset) > deregistered else { return nil }
        return deregistered
    }

    /// The findings of a payment that has one: made before its award (`beforeAward`), or after its
    /// enterprise was deregistered (`deregisteredOn`), as the caller found.
    private mutating func reportPayment(_ index: EventIndex, beforeAward: Bool, deregisteredOn deregistered: CalendarDate?,
                                        events: EventTable) {
        let event = events[index]
        guard case .grantDisbursed(let grant, let amountFen) = event.payload else { preconditionFailure("a payment") }
        let state = models.grants[grant]
        if beforeAward {
            let paymentId = ledger.eventId(of: index.offset)
            let what = "payment \(paymentId) of \(money(amountFen)) on grant \(grantId(grant)), effective \(event.effective),"
            if let state {
                let why = state.awarded > event.effective
                    ? "is before the grant's award on \(state.awarded)"
                    : "was recorded before the grant's award of the same day"
                add(.paymentBeforeAward, subject: grantId(grant), event: index, effective: event.effective,
                    "\(what) \(why), so the grant's figures leave it out; record the award first or correct the payment's date")
            } else {
                add(.paymentBeforeAward, subject: grantId(grant), event: index, effective: event.effective,
                    "\(what) has no award of that grant to go with it (\(windowText)), so the grant's figures leave it out")
            }
        }
        if let deregistered, let state {
            let paymentId = ledger.eventId(of: index.offset)
            add(.afterDeregistration, subject: grantId(grant), event: index, effective: event.effective,
                "payment \(paymentId) of \(money(amountFen)) on grant \(grantId(grant)), effective \(event.effective), went to \(enterpriseCode(state.enterprise)), which was deregistered on \(deregistered)")
        }
    }
}
