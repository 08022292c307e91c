#if canImport(Glibc)
import Glibc
#endif
import IncentivesDomain
import LedgerLog

/// Makes sure the events directory can take a fresh story: created when missing, refused when it
/// already holds events unless `--force`, in which case only the three logs, the lock and the
/// ledger's manifest go (the story is a new ledger, with the id its seed gives).
enum OutputDirectory {
    static let journalName = ".ledger-journal"

    static func prepare(_ path: String, force: Bool) throws(LedgerError) {
        var status = stat()
        if stat(path, &status) != 0 {
            guard errno == ENOENT else { throw .inputOutput("cannot look at \(path): \(errorText())") }
            guard mkdir(path, 0o755) == 0 else {
                throw .inputOutput("cannot create the directory \(path): \(errorText()) (its parent must exist)")
            }
            return
        }
        guard (status.st_mode & S_IFMT) == S_IFDIR else {
            throw .usage("--output \(path) is not a directory")
        }
        var occupied: [String] = []
        for log in IncentiveLogs.all {
            let file = path + "/" + log.fileName
            var fileStatus = stat()
            if stat(file, &fileStatus) == 0 && fileStatus.st_size > 0 { occupied.append("\(log.fileName) has \(fileStatus.st_size) bytes") }
        }
        if !occupied.isEmpty && !force {
            throw .usage("\(path) already holds events (\(occupied.joined(separator: ", "))); generate into a new or empty directory, or pass --force to replace the three logs")
        }
        // Without --force the logs are empty: a manifest made by `incentives init` stays.
        for name in IncentiveLogs.all.map(\.fileName) + [journalName] + (force ? [LedgerManifest.fileName] : []) {
            let file = path + "/" + name
            if unlink(file) != 0 && errno != ENOENT {
                throw .inputOutput("cannot remove \(file): \(errorText())")
            }
        }
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
