import Foundation
import Testing

/// The README's "Layers": the domain imports no Glibc, Dispatch, Synchronization or memory hints;
/// threads, locks and memory are the storage and log layers' (`SharedPieces`, `ParallelWork`).
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
}
