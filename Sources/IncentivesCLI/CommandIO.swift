#if canImport(Glibc)
import Glibc
#endif

/// Where a command's output goes and where its input comes from; replaceable so that tests
/// run commands in-process and read what they printed.
public protocol CommandIO: AnyObject {
    func write(_ text: String)
    /// Output already encoded as UTF-8: large answers are written as bytes, never made a String.
    func write(_ bytes: [UInt8])
    func writeError(_ text: String)
    /// The whole of standard input (for `append -`).
    func readStandardInput() -> [UInt8]
}

/// The process's own standard streams, written with `write(2)` so that a failure is seen.
public final class StandardIO: CommandIO {
    private let output: Int32
    private let error: Int32
    private var failed = false
    /// The reader of the output went away (`incentives history X | head -2`): what it did not
    /// want is not written, and that is no failure.
    public private(set) var outputClosed = false

    /// The process's streams, or (for tests) other descriptors in their place.
    public init(output: Int32 = 1, error: Int32 = 2) {
        self.output = output
        self.error = error
    }

    public func write(_ text: String) { send(text, to: output) }

    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { send($0, to: output) }
    }

    public func writeError(_ text: String) { send(text, to: error) }

    private func send(_ text: String, to descriptor: Int32) {
        var copy = text
        copy.withUTF8 { send($0, to: descriptor) }
    }

    private func send(_ buffer: UnsafeBufferPointer<UInt8>, to descriptor: Int32) {
        if descriptor == output && outputClosed { return }
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                if descriptor == output {
                    if errno == EPIPE { outputClosed = true } else { failed = true }
                }
                return
            }
            offset += written
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

    /// Whether all output reached its destination or a reader that stopped reading: a full disk
    /// or any other write error is a failure, a closed pipe is not.
    public func finish() -> Bool { !failed }
}

/// Collects output in memory: the sink tests use.
public final class CapturedIO: CommandIO {
    public private(set) var output = ""
    public private(set) var errors = ""
    public var input: [UInt8]

    public init(input: [UInt8] = []) { self.input = input }

    public func write(_ text: String) { output += text }
    public func write(_ bytes: [UInt8]) { output += String(decoding: bytes, as: UTF8.self) }
    public func writeError(_ text: String) { errors += text }
    public func readStandardInput() -> [UInt8] { input }
}
