#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import LedgerLog

/// Spawns one command at a time and measures it: wall time on CLOCK_MONOTONIC from just before
/// `posix_spawn` to the child's SIGCHLD, processor time and peak resident memory from `wait4`.
///
/// SIGCHLD is blocked in this process and awaited with `sigtimedwait`, which wakes the moment the
/// child ends: no polling delay is added to the wall time. The short waits between wake-ups only
/// enforce the time-out and the memory limit.
struct ProcessRunner {
    let timeoutSeconds: Int
    let memoryLimitBytes: Int

    /// How often the limits are checked while a child runs.
    static let checkIntervalNanoseconds = 50_000_000

    init(timeoutSeconds: Int, memoryLimitBytes: Int) {
        precondition(timeoutSeconds > 0 && memoryLimitBytes > 0, "limits are positive")
        self.timeoutSeconds = timeoutSeconds
        self.memoryLimitBytes = memoryLimitBytes
        var childSignal = sigset_t()
        sigemptyset(&childSignal)
        sigaddset(&childSignal, SIGCHLD)
        pthread_sigmask(SIG_BLOCK, &childSignal, nil)
    }

    /// Runs `command` once with standard input from /dev/null and its output in the given files.
    func run(_ command: MeasuredCommand, standardOutput: String, standardError: String) throws(LedgerError) -> RunMeasurement {
        try run(executable: command.executable, arguments: command.arguments, standardOutput: standardOutput,
                standardError: standardError)
    }

    /// Runs `executable` (searched in PATH when it has no slash) with `arguments` once, as above.
    func run(executable: String, arguments: [String], standardOutput: String,
             standardError: String) throws(LedgerError) -> RunMeasurement {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child must not inherit our blocked SIGCHLD (a shell or a runtime may rely on it).
        var nothingBlocked = sigset_t()
        sigemptyset(&nothingBlocked)
        posix_spawnattr_setsigmask(&attributes, &nothingBlocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        var argumentPointers: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) }
        argumentPointers.append(nil)
        defer { for pointer in argumentPointers { free(pointer) } }

        var child: pid_t = 0
        let started = monotonicNanoseconds()
        let spawnResult = posix_spawnp(&child, executable, &actions, &attributes, argumentPointers, environ)
        guard spawnResult == 0 else {
            throw .inputOutput("cannot start \(executable): \(String(cString: strerror(spawnResult)))")
        }

        var stoppedFor: RunMeasurement.Termination? = nil
        var childSignal = sigset_t()
        sigemptyset(&childSignal)
        sigaddset(&childSignal, SIGCHLD)
        while true {
            var interval = timespec(tv_sec: 0, tv_nsec: ProcessRunner.checkIntervalNanoseconds)
            if sigtimedwait(&childSignal, nil, &interval) == SIGCHLD { break }
            guard stoppedFor == nil else { continue }
            let elapsedSeconds = Int((monotonicNanoseconds() - started) / 1_000_000_000)
            if elapsedSeconds >= timeoutSeconds {
                stoppedFor = .timedOut(timeoutSeconds)
                kill(child, SIGKILL)
            } else if let resident = residentBytes(of: child), resident > memoryLimitBytes {
                stoppedFor = .overMemory(memoryLimitBytes)
                kill(child, SIGKILL)
            }
        }
        let ended = monotonicNanoseconds()

        var status: Int32 = 0
        var usage = rusage()
        while wait4(child, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw .inputOutput("cannot wait for \(executable): \(String(cString: strerror(errno)))") }
        }
        let termination: RunMeasurement.Termination
        if let stoppedFor {
            termination = stoppedFor
        } else if status & 0x7f == 0 {
            termination = .exited((status >> 8) & 0xff)
        } else {
            termination = .signalled(status & 0x7f)
        }
        return RunMeasurement(
            wallNanoseconds: ended - started,
            userNanoseconds: nanoseconds(usage.ru_utime),
            systemNanoseconds: nanoseconds(usage.ru_stime),
            maximumResidentBytes: Int(usage.ru_maxrss) * 1024,
            termination: termination,
            reportedQuerySeconds: nil)
    }

    private func nanoseconds(_ time: timeval) -> UInt64 {
        UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_usec) * 1_000
    }

    /// The child's resident set now, from /proc (nil if it cannot be read: the child just ended).
    private func residentBytes(of child: pid_t) -> Int? {
        guard let bytes = BenchmarkFiles.read("/proc/\(child)/statm", limitBytes: 4096) else { return nil }
        let fields = bytes.split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
