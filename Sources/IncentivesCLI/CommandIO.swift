#if canImport(Glibc)
import Glibc
#endif

/// Where a command's output goes and where its input comes from; replaceable so that tests
/// run commands in-process and read what they printed.
public protocol CommandIO: AnyObject {
    func write(_ text: String)
    func writeError(_ text: String)
    /// The whole of standard input (for `append -`).
    func readStandardInput() -> [UInt8]
}

/// The process's own standard streams, written with `write(2)` so that a failure is seen.
public final class StandardIO: CommandIO {
    private var failed = false

    public init() {}

    public func write(_ text: String) { send(text, to: 1) }

    public func writeError(_ text: String) { send(text, to: 2) }

    private func send(_ text: String, to descriptor: Int32) {
        var copy = text
        copy.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    if descriptor == 1 { failed = true }
                    return
                }
                offset += written
            }
        }
    }

    public func readStandardInput() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }

    /// Whether all output reached its destination (a closed pipe or a full disk is an error).
    public func finish() -> Bool { !failed }
}

/// Collects output in memory: the sink tests use.
public final class CapturedIO: CommandIO {
    public private(set) var output = ""
    public private(set) var errors = ""
    public var input: [UInt8]

    public init(input: [UInt8] = []) { self.input = input }

    public func write(_ text: String) { output += text }
    public func writeError(_ text: String) { errors += text }
    public func readStandardInput() -> [UInt8] { input }
}
