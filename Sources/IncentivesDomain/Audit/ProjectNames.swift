import LedgerColumns

/// Project names compared ignoring case and white space (including the ideographic space),
/// each distinct name normalised once.
struct ProjectNames {
    private var byText: [TextIndex: PlainIndex] = [:]
    private var normalised = Interner<PlainIndex>()

    mutating func key(of project: TextIndex, in ledger: Ledger) -> PlainIndex {
        if let key = byText[project] { return key }
        let text = ledger.texts.string(project)
        let folded = String(text.filter { !$0.isWhitespace }).lowercased()
        let key = normalised.intern(folded)
        byText[project] = key
        return key
    }
}
