import IncentivesDomain
import LedgerLog

/// What every printed page shares: the head with its style, the window and provenance block,
/// and number formats. Self-contained: no external files, fonts or scripts; also well-formed
/// XML, so that any XML reader (and the tests) can take a page apart.
enum PageFrame {
    /// A4 print: margins, a new page before each section, rows and charts kept whole, headers
    /// repeated. Fonts are the system's: Noto Sans CJK SC first so Chinese renders everywhere.
    static let style: StaticString = """
    @page { size: A4; margin: 14mm 12mm 16mm 12mm; }
    html { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "PingFang SC", \
    "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans", "DejaVu Sans", sans-serif; font-size: 10pt; color: #111; }
    body { max-width: 186mm; margin: 0 auto; padding: 6mm 0; line-height: 1.4; }
    h1 { font-size: 17pt; margin: 0 0 2mm 0; }
    h2 { font-size: 13pt; margin: 6mm 0 2mm 0; border-bottom: 1.5px solid #4e79a7; padding-bottom: 1mm; }
    h3 { font-size: 11pt; margin: 4mm 0 1.5mm 0; }
    h2, h3 { break-after: avoid; page-break-after: avoid; }
    p.note { color: #444; font-size: 8.5pt; margin: 1mm 0 2mm 0; }
    section.page { break-before: page; page-break-before: always; }
    table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm 0; font-size: 8.5pt; }
    th, td { border-bottom: 0.5px solid #bbb; padding: 1px 4px; text-align: left; vertical-align: top; }
    th { background: #eef2f7; font-weight: 600; }
    td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.k { white-space: nowrap; }
    tfoot td { font-weight: 600; border-top: 1px solid #555; }
    thead { display: table-header-group; }
    tr, figure, svg, dl, .keep { break-inside: avoid; page-break-inside: avoid; }
    dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.5mm 4mm; margin: 1mm 0 3mm 0; }
    dl.facts dt { color: #444; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
    code, .id { font-family: "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace; font-size: 8pt; overflow-wrap: anywhere; }
    figure { margin: 2mm 0 4mm 0; }
    svg.chart { width: 100%; height: auto; display: block; }
    svg text { font-family: inherit; font-size: 10px; fill: #222; }
    svg .chart-title { font-size: 12px; font-weight: 600; }
    svg .tick, svg .unit { font-size: 9px; fill: #444; }
    svg .value { font-size: 8px; fill: #111; }
    svg .grid { stroke: #ddd; stroke-width: 0.6; }
    svg .axis { stroke: #333; stroke-width: 1; }
    .error { color: #b00020; } .warning { color: #8a5a00; } .info { color: #2d5f8a; }
    """

    static func begin(_ document: inout HTMLDocument, title: String) {
        document.markup("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        document.markup("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        document.element("title", text: title)
        document.markup("\n<style>\n")
        document.markup(style)
        document.markup("\n</style>\n</head>\n<body>\n")
    }

    static func end(_ document: inout HTMLDocument) {
        document.markup("\n</body>\n</html>\n")
    }

    /// The window, ledger id and log heads a page was computed from, and the command that redoes it.
    static func provenance(_ document: inout HTMLDocument, window: TimeWindow, ledgerId: String?, logs: [LogSummary],
                           command: String) {
        document.open("dl", [("class", "facts")])
        fact(&document, "账本 Ledger id", ledgerId ?? "—", id: true)
        fact(&document, "截至 As of (valid time)", window.asOf?.description ?? "无限制 no limit")
        fact(&document, "已知时点 Known at (transaction time)", window.knownAt.description)
        for log in logs {
            fact(&document, "日志 Log \(log.log.rawValue)", "\(log.events) events 条, head \(log.head.hex)", id: true)
        }
        fact(&document, "复现 Reproduce", command, id: true)
        document.close("dl")
    }

    static func fact(_ document: inout HTMLDocument, _ term: String, _ value: String, id: Bool = false) {
        document.element("dt", text: term)
        document.element("dd", id ? [("class", "id")] : [], text: value)
    }

    static func money(_ fen: Int64) -> String { MoneyFormat.format(fen: fen, unit: .yuan) }
    static func money(_ fen: Int128) -> String { MoneyFormat.format(fen: fen, unit: .yuan) }

    /// Fen as 万元 for chart values (1 万元 = 10,000 yuan = 1,000,000 fen).
    static func wan(_ fen: Int64) -> Double { Double(fen) / 1_000_000 }
    static func wan(_ fen: Int128) -> Double { Double(fen) / 1_000_000 }

    static func signed(_ fen: Int64) -> String { fen > 0 ? "+" + money(fen) : money(fen) }
    static func signed(_ fen: Int128) -> String { fen > 0 ? "+" + money(fen) : money(fen) }
    static func signed(_ count: Int) -> String { count > 0 ? "+\(count)" : String(count) }

    /// A chart in a figure that prints whole.
    static func figure(_ document: inout HTMLDocument, draw: (inout HTMLDocument) -> Void) {
        document.open("figure")
        draw(&document)
        document.close("figure")
    }

    /// Bilingual tier names.
    static func tierLabel(_ tier: Tier) -> String {
        switch tier {
        case .none: return "无 none"
        case .startup: return "初创 startup"
        case .sme: return "中小 sme"
        case .highTech: return "高新 high-tech"
        case .influential: return "领军 influential"
        }
    }

    static let tierColours = ["#9d9d9d", "#76b7b2", "#4e79a7", "#f28e2b", "#e15759"]
}
