import Foundation

/// Runs a program as a child process with `posix_spawn`, its standard output and error sent to
/// files (so that no pipe can fill and block it) and its standard input read from a file or
/// /dev/null. Safe to call from several threads at once.
struct ChildProcess {
    struct Outcome: Sendable {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs `executable` with `arguments` and waits for it, killing it after `timeoutSeconds`
    /// (a hung child fails its test instead of hanging the run). `outputDescriptor`, when given,
    /// is the child's standard output instead of a file (a pipe nobody reads, /dev/full).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                    input: [UInt8]? = nil, scratch: String, timeoutSeconds: Int = 300,
                    outputDescriptor: Int32? = nil) -> Outcome {
        let tag = "\(getpid())-\(nextTag())"
        let outputPath = scratch + "/.child-\(tag).out", errorPath = scratch + "/.child-\(tag).err"
        let inputPath = input.map { _ in scratch + "/.child-\(tag).in" } ?? "/dev/null"
        if let input { _ = FileManager.default.createFile(atPath: inputPath, contents: Data(input)) }
        defer {
            for path in [outputPath, errorPath] + (input == nil ? [] : [inputPath]) { unlink(path) }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
        if let outputDescriptor {
            posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        // A small, explicit environment: the child sees nothing of the test runner's settings.
        var environmentLines = ["PATH=" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"), "LANG=C.UTF-8"]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { environmentLines.append("\(key)=\(value)") }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environmentLines.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            return Outcome(status: -1, output: "", errors: "posix_spawn \(executable) failed: \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(TimeInterval(timeoutSeconds))
        var killed = false
        while true {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { break }
            if waited < 0 && errno != EINTR { return Outcome(status: -1, output: "", errors: "waitpid failed") }
            if !killed && Date() > deadline {
                kill(pid, SIGKILL)
                killed = true
            }
            usleep(2_000)
        }
        // WIFEXITED / WEXITSTATUS, spelled out (the C macros are not imported).
        let exited = status & 0x7F == 0
        let code = exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        func text(_ path: String) -> String {
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        let timedOut = killed ? "\n(killed after \(timeoutSeconds) s)" : ""
        return Outcome(status: code, output: text(outputPath), errors: text(errorPath) + timedOut)
    }

    /// Finds a program on PATH, as a shell would.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
            return "\(folder)/\(name)"
        }
        return nil
    }

    private static let counter = Counter()

    private static func nextTag() -> Int { counter.next() }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
