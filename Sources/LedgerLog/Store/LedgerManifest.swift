#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `ledger.json`: what makes an events directory a ledger rather than any folder. It names the
/// ledger (a random id, so that a checkpoint or a copy can say which ledger it belongs to) and the
/// time zone its calendar dates are meant in. One line of RFC 8785 canonical JSON:
/// `{"formatVersion":1,"ledgerId":"<32 lowercase hex>","timeZone":"+08:00"}`.
public struct LedgerManifest: Sendable, Equatable {
    public static let fileName = "ledger.json"
    public static let formatVersion = 1
    /// A manifest is a few dozen bytes; anything much larger is not one.
    static let maximumBytes = 4096

    /// 128 random bits as 32 lowercase hexadecimal digits.
    public let ledgerId: String
    /// The offset from UTC of the ledger's civil time, in minutes (east positive), within ±14:00.
    public let timeZoneOffsetMinutes: Int

    public init(ledgerId: String, timeZoneOffsetMinutes: Int) throws(LedgerError) {
        guard LedgerManifest.isLedgerId(ledgerId) else {
            throw .badData("ledger id \"\(ledgerId)\" is not 32 lowercase hexadecimal digits")
        }
        guard abs(timeZoneOffsetMinutes) <= 14 * 60 else {
            throw .badData("time zone offset \(timeZoneOffsetMinutes) minutes is beyond ±14:00")
        }
        self.ledgerId = ledgerId
        self.timeZoneOffsetMinutes = timeZoneOffsetMinutes
    }

    /// A new manifest whose id is 16 bytes of `random`.
    public init(random: LedgerIdSource, timeZoneOffsetMinutes: Int) throws(LedgerError) {
        let bytes = random.next()
        precondition(bytes.count == 16, "a ledger id is 16 bytes")
        try self.init(ledgerId: LedgerManifest.hex(bytes), timeZoneOffsetMinutes: timeZoneOffsetMinutes)
    }

    /// The offset as written: `+08:00`, `-03:30`, `+00:00`.
    public var timeZone: String { LedgerManifest.formatOffset(timeZoneOffsetMinutes) }

    /// The canonical JSON and a newline: the whole file.
    public var bytes: [UInt8] {
        let value = JSONValue.object(JSONObject(members: [
            JSONMember(key: "formatVersion", value: .number(JSONNumber(LedgerManifest.formatVersion))),
            JSONMember(key: "ledgerId", value: .string(ledgerId)),
            JSONMember(key: "timeZone", value: .string(timeZone)),
        ]))
        // Two strings checked on construction and a small integer: serialisation cannot fail.
        let json = (try? JSONCanonical.serialize(value)) ?? []
        precondition(!json.isEmpty, "a manifest serialises")
        return json + [UInt8(ascii: "\n")]
    }

    // MARK: Reading

    /// Reads a manifest file's bytes, accepting only the canonical form this type writes (with
    /// or without the final newline), and naming what is wrong otherwise.
    public static func parse(_ bytes: [UInt8], path: String) throws(LedgerError) -> LedgerManifest {
        func refuse(_ why: String) -> LedgerError {
            .badData("\(path) is not a ledger manifest: \(why); it must be {\"formatVersion\":1,\"ledgerId\":\"<32 lowercase hex>\",\"timeZone\":\"+08:00\"}")
        }
        guard bytes.count <= maximumBytes else { throw refuse("it has \(bytes.count) bytes") }
        let body = bytes.last == UInt8(ascii: "\n") ? Array(bytes.dropLast()) : bytes
        let value: JSONValue
        do { value = try JSONParser.parse(body) } catch { throw refuse(error.message) }
        guard case .object(let object) = value else { throw refuse("it is not a JSON object") }
        let known = ["formatVersion", "ledgerId", "timeZone"]
        if let unknown = object.members.first(where: { !known.contains($0.key) }) {
            throw refuse("unknown member \"\(unknown.key)\"")
        }
        guard case .number(let number)? = object["formatVersion"], let version = number.integerValue else {
            throw refuse("formatVersion is missing or not an integer")
        }
        guard version == Int64(formatVersion) else {
            throw .badData("\(path) has format version \(version); this build reads version \(formatVersion) (a newer build wrote it?)")
        }
        guard case .string(let id)? = object["ledgerId"] else { throw refuse("ledgerId is missing or not a string") }
        guard case .string(let zone)? = object["timeZone"], let offset = parseOffset(zone) else {
            throw refuse("timeZone is missing or not ±HH:MM")
        }
        let manifest: LedgerManifest
        do { manifest = try LedgerManifest(ledgerId: id, timeZoneOffsetMinutes: offset) } catch { throw refuse(error.message) }
        guard manifest.bytes.dropLast().elementsEqual(body) else {
            throw refuse("it is not in canonical form (RFC 8785: members sorted, no spaces)")
        }
        return manifest
    }

    /// The manifest of `directory`, or nil when it has none.
    public static func read(directory: String) throws(LedgerError) -> LedgerManifest? {
        let path = directory + "/" + fileName
        guard let file = try FileDescriptor.openIfExists(path) else { return nil }
        let size = try file.size()
        guard size <= maximumBytes else {
            throw .badData("\(path) is not a ledger manifest: it has \(size) bytes")
        }
        return try parse(try file.readBytes(count: size, at: 0), path: path)
    }

    // MARK: Writing

    /// Writes `ledger.json` into `directory` whole or not at all, and never over an existing one:
    /// a temporary file is written and synced, then linked to its name (which fails if the name
    /// is taken), and the directory is synced.
    public func write(directory: String) throws(LedgerError) {
        let path = directory + "/" + LedgerManifest.fileName
        // A name of this process's own, created new: what is removed afterwards is only that file,
        // never a file someone else left under a fixed name.
        let temporary = directory + "/." + LedgerManifest.fileName + ".new-\(getpid())"
        let file = try FileDescriptor.open(temporary, .createNew)
        defer { _ = temporary.withCString { unlink($0) } }
        try file.write(bytes, at: 0)
        try file.synchronize()
        let linked = temporary.withCString { from in path.withCString { to in link(from, to) } }
        guard linked == 0 else {
            if errno == EEXIST { throw .usage("\(path) already exists: this directory already is a ledger") }
            throw systemError("cannot create \(path)")
        }
        try synchronizeDirectory(directory)
    }

    // MARK: Text forms

    static func isLedgerId(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `±HH:MM` within ±14:00, minutes below 60; `-00:00` is written `+00:00` and refused.
    public static func parseOffset(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 6, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"),
              bytes[3] == UInt8(ascii: ":"),
              [1, 2, 4, 5].allSatisfy({ (0x30...0x39).contains(bytes[$0]) }) else { return nil }
        let digit = { (index: Int) in Int(bytes[index] - 0x30) }
        let hours = digit(1) * 10 + digit(2), minutes = digit(4) * 10 + digit(5)
        guard minutes < 60 else { return nil }
        let magnitude = hours * 60 + minutes
        guard magnitude <= 14 * 60 else { return nil }
        if bytes[0] == UInt8(ascii: "-") {
            guard magnitude > 0 else { return nil }
            return -magnitude
        }
        return magnitude
    }

    static func formatOffset(_ minutes: Int) -> String {
        let magnitude = abs(minutes)
        let two = { (value: Int) in value < 10 ? "0\(value)" : String(value) }
        return (minutes < 0 ? "-" : "+") + two(magnitude / 60) + ":" + two(magnitude % 60)
    }
}

/// Where new ledger ids come from: the system's random generator in use, a fixed or seeded
/// source where the result must be reproducible (tests, the generator of the bundled data).
public struct LedgerIdSource: Sendable {
    let next: @Sendable () -> [UInt8]

    public init(_ next: @escaping @Sendable () -> [UInt8]) {
        self.next = next
    }

    /// 16 bytes of the system's cryptographic randomness.
    public static let system = LedgerIdSource {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Always the same 16 bytes.
    public static func fixed(_ bytes: [UInt8]) -> LedgerIdSource {
        precondition(bytes.count == 16, "a ledger id is 16 bytes")
        return LedgerIdSource { bytes }
    }

    /// 16 bytes derived from `seed` by SplitMix64: the same seed, the same id.
    public static func seeded(_ seed: UInt64) -> LedgerIdSource {
        LedgerIdSource {
            var state = seed
            var bytes: [UInt8] = []
            for _ in 0..<2 {
                state &+= 0x9E37_79B9_7F4A_7C15
                var mixed = state
                mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
                mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
                mixed ^= mixed >> 31
                for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: mixed >> UInt64(shift))) }
            }
            return bytes
        }
    }
}
