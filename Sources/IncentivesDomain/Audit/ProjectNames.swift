/// Project names compared ignoring case and white space (including the ideographic space),
/// each distinct name normalised once.
struct ProjectNames {
    private var byText: [Int32: Int32] = [:]
    private var normalised = Interner()

    mutating func key(of project: Int32, in ledger: Ledger) -> Int32 {
        if let key = byText[project] { return key }
        let text = ledger.texts.string(project)
        let folded = String(text.filter { !$0.isWhitespace }).lowercased()
        let key = normalised.intern(folded)
        byText[project] = key
        return key
    }
}
