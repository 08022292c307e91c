#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a directory is a ledger: it holds `ledger.json`, or (an older ledger, from before
/// manifests) at least one of the store's logs. Anything else is some other folder, and reading
/// it as an empty ledger would answer zeros for a mistyped path.
public enum LedgerPresence: Sendable, Equatable {
    case manifest(LedgerManifest)
    case logsWithoutManifest
    /// Not a ledger, and why (in a few words: the directory is missing, or holds neither).
    case absent(String)
}

/// What creating a ledger did.
public enum LedgerCreation: Sendable, Equatable {
    /// The manifest was written into a directory without logs: an empty ledger.
    case created
    /// The logs were already there (an older ledger): only the manifest was written.
    case manifestAdded
}

extension EventStore {
    public func ledgerPresence() throws(LedgerError) -> LedgerPresence {
        guard isDirectory(directory) else {
            return .absent(fileExists(directory) ? "it is not a directory" : "the directory does not exist")
        }
        if let manifest = try LedgerManifest.read(directory: directory) { return .manifest(manifest) }
        if logs.contains(where: { fileExists(path(of: $0)) }) { return .logsWithoutManifest }
        let names = ([LedgerManifest.fileName] + logs.map(\.fileName)).joined(separator: ", ")
        return .absent("it holds none of \(names)")
    }

    /// Refuses (code `noLedger`) a directory that is not a ledger; returns the manifest if any.
    @discardableResult
    public func requireLedger(advice: String) throws(LedgerError) -> LedgerManifest? {
        switch try ledgerPresence() {
        case .manifest(let manifest): return manifest
        case .logsWithoutManifest: return nil
        case .absent(let why): throw .noLedger("no ledger in \(directory) (\(why)); \(advice)")
        }
    }

    /// Makes `directory` (created if missing; its parent must exist) a ledger by writing its
    /// manifest, whole or not at all. The logs are not created: a missing log is an empty log,
    /// and a zero-byte file is not a log every reader of the format accepts (a file that exists
    /// is read as lines). On logs without a manifest, only the manifest is added. Refuses a
    /// directory that has a manifest.
    public func createLedger(_ manifest: LedgerManifest) throws(LedgerError) -> LedgerCreation {
        if !fileExists(directory) {
            guard directory.withCString({ mkdir($0, 0o755) }) == 0 || errno == EEXIST else {
                throw systemError("cannot create the directory \(directory) (its parent must exist)")
            }
            if let parent = parentDirectory { try synchronizeDirectory(parent) }
        }
        switch try ledgerPresence() {
        case .manifest(let existing):
            throw .usage("\(directory) already holds a ledger (\(LedgerManifest.fileName): id \(existing.ledgerId)); nothing was written")
        case .logsWithoutManifest:
            try manifest.write(directory: directory)
            return .manifestAdded
        case .absent:
            guard isDirectory(directory) else { throw .usage("\(directory) is not a directory") }
            try manifest.write(directory: directory)
            return .created
        }
    }

    private var parentDirectory: String? {
        guard let slash = directory.lastIndex(of: "/") else { return "." }
        let parent = String(directory[..<slash])
        return parent.isEmpty ? "/" : parent
    }
}
