import Foundation
import Testing

/// The README's "Layers": the domain imports no Glibc, Dispatch, Synchronization or memory hints;
/// threads, locks and memory are the storage and log layers' (`SharedPieces`, `ParallelWork`).
/// And it holds no unsafe code: compiled under strict memory-safety checking with its warnings
/// errors, any unsafe construct would need an `unsafe` mark (or `@safe`/`@unsafe`), which no
/// line of it has; bytes reach it as spans.
@Suite struct LayerImportTests {
    static let forbidden = ["Glibc", "Dispatch", "Synchronization", "CMemoryHints", "Darwin"]

    static var domainSources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/IncentivesDomain")
    }

    @Test("no file of the domain imports a system, thread or memory module")
    func domainImportsNoSystemModule() throws {
        let files = FileManager.default.enumerator(atPath: Self.domainSources.path)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") } ?? []
        #expect(files.count > 50, "the domain's sources were found")
        for file in files {
            let text = try String(contentsOf: Self.domainSources.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.contains(" import ") {
                let module = line.split(separator: " ").last.map(String.init) ?? ""
                #expect(!Self.forbidden.contains(module), "\(file): \(line)")
            }
        }
    }

    /// Marks and names that only unsafe code needs, outside comments.
    static let unsafeMarks = ["unsafe", "@safe", "Unsafe", "Unmanaged", "_overrideLifetime", "unsafeAddress", "unsafeBitCast"]

    static func domainFiles() -> [String] {
        FileManager.default.enumerator(atPath: domainSources.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
            .sorted() ?? []
    }

    @Test("no line of the domain marks or names unsafe code, and the check finds such a line")
    func domainHoldsNoUnsafeCode() throws {
        let files = Self.domainFiles()
        #expect(files.count > 50, "the domain's sources were found")
        for file in files {
            let text = try String(contentsOf: Self.domainSources.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                #expect(Self.unsafeMark(in: String(line)) == nil, "\(file):\(number + 1): \(line)")
            }
        }
        // The check itself: it sees the marks the domain once had, and not words in comments.
        #expect(Self.unsafeMark(in: "        guard let kind = unsafe EventKind.from(typeBytes: line.typeBytes)") == "unsafe")
        #expect(Self.unsafeMark(in: "    init(line: UnsafeRawBufferPointer) {") == "Unsafe")
        #expect(Self.unsafeMark(in: "    /// handed over as spans, with no unsafe code") == nil)
        #expect(Self.unsafeMark(in: "        let offset = 1 // not unsafe") == nil)
    }

    /// The first unsafe mark on `line` outside a comment, as a whole word (or a name's start).
    static func unsafeMark(in line: String) -> String? {
        let code = line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? line
        let words = code.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "@") }).map(String.init)
        for word in words {
            if let mark = unsafeMarks.first(where: { word == $0 || ($0 == "Unsafe" && word.hasPrefix("Unsafe")) }) { return mark }
        }
        return nil
    }
}
