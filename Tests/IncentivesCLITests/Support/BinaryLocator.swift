import Foundation
import Testing

/// Finds the built `incentives` executable: `swift build --build-tests` puts it in the same folder
/// as the test bundle, which is the folder of this process's own executable.
enum BinaryLocator {
    static let incentives: String? = locate("incentives")

    static func locate(_ name: String) -> String? {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let folder = (executable as NSString).deletingLastPathComponent
        // On some platforms the bundle is a directory and the executable sits deeper inside it.
        var candidates = [folder + "/" + name]
        var walk = folder
        for _ in 0..<4 {
            walk = (walk as NSString).deletingLastPathComponent
            candidates.append(walk + "/" + name)
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The path, or a recorded issue that says why the end-to-end test cannot run.
    static func requireIncentives(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        guard let path = incentives else {
            Issue.record("the incentives executable is not next to the test bundle; run `swift build --build-tests` (the IncentivesCLITests target depends on it)",
                         sourceLocation: sourceLocation)
            throw BinaryMissing()
        }
        return path
    }

    struct BinaryMissing: Error {}
}
