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
            // Per grant, the day its enterprise was deregistered: a payment's grant lies anywhere
            // in a table of a million states (96 bytes each) and its enterprise in another; the
            // days, 4 bytes a grant, stay in the cache. Nil when no enterprise was deregistered.
            let deregisteredDays = afterDeregistration
                ? AuditContext.deregistrationDaysByGrant(grants: grants, enterprises: enterprises) : nil
            for payment in payments {
                let beforeAward = early.first == payment
                if beforeAward { early.removeFirst() }
                let reportsEarly = beforeAwards && beforeAward
                var deregistered: CalendarDate? = nil
                if let deregisteredDays {
                    let day = deregisteredDays[events.subject(at: payment.offset)]
                    if events.effective[payment.offset] > day { deregistered = CalendarDate(daysSinceEpoch: day) }
                }
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

    /// Per grant, the day its enterprise was deregistered (`Int32.max`: not deregistered, or no
    /// state), or nil when no enterprise was: read in two passes in order over the states. A
    /// payment is after its enterprise's deregistration when its effective day is later.
    static func deregistrationDaysByGrant(grants: [GrantState?], enterprises: [EnterpriseState?]) -> [Int32]? {
        var byEnterprise = [Int32](repeating: .max, count: enterprises.count)
        var any = false
        for index in enterprises.indices {
            guard let day = enterprises[index]?.deregistered?.daysSinceEpoch else { continue }
            byEnterprise[index] = day
            any = true
        }
        guard any else { return nil }
        var byGrant = [Int32](repeating: .max, count: grants.count)
        for index in grants.indices {
            guard let enterprise = grants[index]?.enterprise else { continue }
            byGrant[index] = byEnterprise[enterprise.offset]
        }
        return byGrant
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
