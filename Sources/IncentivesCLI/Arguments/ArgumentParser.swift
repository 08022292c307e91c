import LedgerLog

/// The options one command accepts.
struct CommandSpec: Sendable {
    var name: String
    var summary: String
    var usage: String
    /// Options that take a value (`--as-of 2022-12-31` or `--as-of=2022-12-31`).
    var valueOptions: [String] = []
    /// Options that may be given more than once (`--rule a --rule b`).
    var repeatableOptions: [String] = []
    var flags: [String] = []
    var positionals: ClosedRange<Int> = 0...0
}

/// A command line split into options and positionals, checked against its command's spec.
struct ParsedArguments {
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []

    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func has(_ name: String) -> Bool { flags.contains(name) }

    static func parse(_ arguments: [String], spec: CommandSpec) throws(LedgerError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("--") || argument == "-" {
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" { optionsEnded = true; continue }
            var name = String(argument.dropFirst(2))
            var inlineValue: String? = nil
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if spec.valueOptions.contains(name) || spec.repeatableOptions.contains(name) {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else {
                        throw .usage("\(spec.name): option --\(name) needs a value; usage: \(spec.usage)")
                    }
                    value = arguments[index]
                    index += 1
                }
                parsed.values[name, default: []].append(value)
            } else if spec.flags.contains(name) {
                guard inlineValue == nil else { throw .usage("\(spec.name): --\(name) takes no value") }
                parsed.flags.insert(name)
            } else {
                let known = (spec.valueOptions + spec.repeatableOptions + spec.flags).sorted().map { "--" + $0 }
                throw .usage("\(spec.name): unknown option --\(name); it accepts \(known.joined(separator: ", ")); usage: \(spec.usage)")
            }
        }
        for name in spec.valueOptions where (parsed.values[name]?.count ?? 0) > 1 {
            throw .usage("\(spec.name): --\(name) is given more than once")
        }
        guard spec.positionals.contains(parsed.positionals.count) else {
            throw .usage("\(spec.name): expected \(describe(spec.positionals)) argument\(spec.positionals.upperBound == 1 ? "" : "s"), got \(parsed.positionals.count); usage: \(spec.usage)")
        }
        return parsed
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
    }
}
