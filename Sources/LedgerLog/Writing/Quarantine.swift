#if canImport(Glibc)
import Glibc
#endif

/// Where bytes removed from a log go first: nothing the ledger removes is lost. Before a torn
/// line or an interrupted append is cut from a log, its bytes are copied into a new file in
/// `DIR/.ledger-quarantine/` and synced with that directory, so that a crash at any moment leaves
/// them in the log, in quarantine, or both, never nowhere.
struct Quarantine {
    static let directoryName = ".ledger-quarantine"
    /// Bytes copied per step: memory stays flat whatever a batch's size.
    static let chunkBytes = 1 << 20

    let eventsDirectory: String
    let clock: any LedgerClock
    let system: SystemCalls

    var directory: String { eventsDirectory + "/" + Quarantine.directoryName }

    /// The name of a quarantine file: when (the ledger's clock, to the second), which log, the
    /// byte offset the removed bytes started at, and why, e.g.
    /// `20261204T202329Z-grants-at-422598-torn-line.removed`.
    static func fileName(at moment: Timestamp, log: LogName, offset: Int, reason: String, attempt: Int) -> String {
        let time = String(moment.description.filter { $0 != "-" && $0 != ":" })
        return "\(time)-\(log.rawValue)-at-\(offset)-\(reason)" + (attempt > 1 ? "-\(attempt)" : "") + ".removed"
    }

    /// Copies bytes `from..<to` of `source` (the log at `log`) into a new quarantine file, syncs
    /// the file and the directory, and returns its path. Throws `.inputOutput` naming the file,
    /// having removed nothing from the log, when any step fails.
    func keep(_ source: borrowing FileDescriptor, log: LogName, from: Int, to: Int, reason: String) throws(LedgerError) -> String {
        precondition(from >= 0 && to > from, "a quarantine keeps at least one byte")
        let folder = try openDirectory()
        defer { _ = Glibc.close(folder) }
        let moment = clock.now()
        var attempt = 1
        var name = ""
        var raw: Int32 = -1
        while raw < 0 {
            name = Quarantine.fileName(at: moment, log: log, offset: from, reason: reason, attempt: attempt)
            raw = name.withCString { openat(folder, $0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o444) }
            if raw < 0 {
                guard errno == EEXIST, attempt < 1000 else { throw systemError("cannot create \(directory)/\(name)") }
                attempt += 1
            }
        }
        let path = directory + "/" + name
        let copy = FileDescriptor(raw: raw, path: path, system: system)
        do throws(LedgerError) {
            var offset = from
            while offset < to {
                let bytes = try source.readBytes(count: min(Quarantine.chunkBytes, to - offset), at: offset)
                guard !bytes.isEmpty else { throw .inputOutput("\(source.path) shrank while it was being copied to \(path)") }
                try copy.write(bytes, at: offset - from)
                offset += bytes.count
            }
            try copy.synchronize()
            guard system.synchronize(folder) == 0 || errno == EINVAL else { throw systemError("cannot sync directory \(directory)") }
        } catch {
            // The copy is incomplete and the log still holds every byte: the copy is no one's data.
            _ = name.withCString { unlinkat(folder, $0, 0) }
            throw LedgerError(error.code, error.message + "; nothing was removed from \(source.path)")
        }
        return path
    }

    /// The quarantine directory, created (and its entry synced) if missing; only a real directory.
    private func openDirectory() throws(LedgerError) -> Int32 {
        var status = stat()
        if directory.withCString({ lstat($0, &status) }) != 0 {
            guard errno == ENOENT else { throw systemError("cannot read the state of \(directory)") }
            guard directory.withCString({ mkdir($0, 0o755) }) == 0 || errno == EEXIST else {
                throw systemError("cannot create \(directory)")
            }
            try synchronizeDirectory(eventsDirectory)
        }
        let raw = directory.withCString { Glibc.open($0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        guard raw >= 0 else {
            if let kind = FileDescriptor.nonRegularKind(directory), kind != "a directory" {
                throw .inputOutput("\(directory) is \(kind), not a directory: removed bytes are kept only in a real directory there; move it aside")
            }
            if errno == ENOTDIR {
                throw .inputOutput("\(directory) is a file, not a directory: removed bytes are kept only in a real directory there; move it aside")
            }
            throw systemError("cannot open \(directory)")
        }
        return raw
    }
}
