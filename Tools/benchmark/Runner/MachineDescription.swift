#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where and when the figures were measured. The date comes from the system clock: it is shown,
/// never hashed or compared.
struct MachineDescription: Sendable {
    var date: String
    var processors: Int
    var processorModel: String
    var memoryBytes: Int
    var kernel: String
    /// The 1-minute load average when the run began: the machine may be shared.
    var loadAverage: String

    static func current() -> MachineDescription {
        MachineDescription(
            date: currentDate(),
            processors: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            processorModel: field("model name", in: BenchmarkFiles.readText("/proc/cpuinfo") ?? "") ?? "unknown",
            memoryBytes: (field("MemTotal", in: BenchmarkFiles.readText("/proc/meminfo") ?? "")
                .flatMap { Int($0.split(separator: " ").first ?? "") } ?? 0) * 1024,
            kernel: kernelRelease(),
            loadAverage: (BenchmarkFiles.readText("/proc/loadavg") ?? "").split(separator: " ").prefix(3).joined(separator: " "))
    }

    var memoryDescription: String {
        let gibibytes = Double(memoryBytes) / Double(1 << 30)
        return "\(BenchmarkFormat.decimal(gibibytes, digits: 1)) GiB"
    }

    /// The value after "name:" on the first line that starts with `name` ("model name : …").
    static func field(_ name: String, in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return String(line[line.index(after: colon)...]).trimmingSpaces()
        }
        return nil
    }

    private static func currentDate() -> String {
        var now = time_t(0)
        time(&now)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)) UTC"
    }

    private static func kernelRelease() -> String {
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: &names.release) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let machine = withUnsafeBytes(of: &names.machine) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return "Linux \(release) \(machine)"
    }
}

extension String {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
