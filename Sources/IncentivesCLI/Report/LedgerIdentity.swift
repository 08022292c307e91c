#if canImport(Glibc)
import Glibc
#endif
import LedgerLog

/// The ledger's id from `DIR/ledger.json` (member `ledgerId`), shown on every page so a reader
/// knows which ledger the figures are of. Nil when the file or the member is absent.
enum LedgerIdentity {
    /// More than any identity file needs; a bound on what a stray file can make us read.
    static let maximumBytes = 1 << 16

    static func read(directory: String) throws(LedgerError) -> String? {
        let path = directory + "/ledger.json"
        let descriptor = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw .inputOutput("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { _ = close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= maximumBytes {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .inputOutput("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        guard bytes.count <= maximumBytes else { throw .badData("\(path) is larger than \(maximumBytes) bytes; it is not a ledger identity file") }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            throw .badData("\(path) is not valid JSON (\(error.message)); restore it from a copy")
        }
        guard case .string(let id)? = value["ledgerId"] else { return nil }
        return id
    }
}
