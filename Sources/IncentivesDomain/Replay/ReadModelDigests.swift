import LedgerLog

/// Each read model as canonical JSON and its SHA-256: what a checkpoint publishes and a later
/// build must reproduce. Entities are keyed and sorted by their ids, never by interning order,
/// so a digest depends only on what the window contains.
///
/// Each digest has a version: the exact document it hashes. A read model that gains a field or
/// changes how it is written gets a new version, and the older versions stay computable here,
/// so that a checkpoint published years ago is re-checked with the version it names.
public struct ReadModelDigests: Sendable, Equatable {
    public static let names = ["summary", "programmes", "grants", "enterprises", "centres"]

    /// The version each read model is written with today, in the order of `names`.
    public static let currentVersions: [(name: String, version: Int)] = [
        ("summary", 1), ("programmes", 1), ("grants", 1), ("enterprises", 1), ("centres", 1),
    ]

    /// Every version of a read model this build can compute.
    public static func knownVersions(of name: String) -> ClosedRange<Int>? {
        guard let current = currentVersions.first(where: { $0.name == name }) else { return nil }
        return 1...current.version
    }

    public var digests: [(name: String, version: Int, digest: SHA256Digest)]

    /// Every read model at today's version.
    public init(ledger: Ledger, models: ReadModels, window: TimeWindow) {
        self.init(ledger: ledger, models: models, window: window, versions: ReadModelDigests.currentVersions)
    }

    /// The read models asked for, each at the version asked for; those this build does not know
    /// (see `knownVersions(of:)`) are left out. Each is hashed as it is written, entry by entry.
    public init(ledger: Ledger, models: ReadModels, window: TimeWindow, versions: [(name: String, version: Int)]) {
        digests = versions.compactMap { wanted in
            ReadModelDigests.document(wanted.name, version: wanted.version, ledger: ledger, models: models, window: window)
                .map { (wanted.name, wanted.version, $0.digest) }
        }
    }

    public static func == (left: ReadModelDigests, right: ReadModelDigests) -> Bool {
        left.digests.elementsEqual(right.digests, by: { $0.name == $1.name && $0.version == $1.version && $0.digest == $1.digest })
    }

    /// The document of one read model at one version, or nil when this build does not know it.
    static func document(_ name: String, version: Int, ledger: Ledger, models: ReadModels,
                         window: TimeWindow) -> Document? {
        switch (name, version) {
        case ("summary", 1): return .whole(summaryVersion1(models, window))
        case ("programmes", 1): return programmesVersion1(ledger, models)
        case ("grants", 1): return grantsVersion1(ledger, models)
        case ("enterprises", 1): return enterprisesVersion1(ledger, models)
        case ("centres", 1): return centresVersion1(ledger, models)
        default: return nil
        }
    }

    /// A read model's document: one value, or an array of entries (a grant, an enterprise) made
    /// one at a time as they are written, so that the document of millions of entries is never
    /// held whole, as a tree of values or as bytes.
    enum Document {
        case whole(JSONValue)
        /// The array of `entry(index)` for each index of `order`, in that order.
        case entries(order: [Int], entry: (Int) -> JSONValue)

        /// The document as one value: the tree the digest hashes the canonical bytes of.
        var value: JSONValue {
            switch self {
            case .whole(let value): return value
            case .entries(let order, let entry): return .array(order.map(entry))
            }
        }

        /// The SHA-256 of the document's RFC 8785 bytes, hashed piece by piece as they are written:
        /// an array is `[`, its entries' canonical bytes joined by `,`, and `]`, as
        /// `JSONCanonical.serialize(value)` writes it.
        var digest: SHA256Digest {
            var hasher = SHA256()
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Document.pieceBytes + 4096)
            // Every value here is built from integers of at most 128 bits (finite as doubles) and
            // strings, so serialisation cannot fail.
            func append(_ value: JSONValue) {
                do { try JSONCanonical.append(value, to: &bytes) } catch {
                    preconditionFailure("a read model serialises: \(error)")
                }
            }
            switch self {
            case .whole(let value):
                append(value)
            case .entries(let order, let entry):
                bytes.append(UInt8(ascii: "["))
                for (position, index) in order.enumerated() {
                    if position > 0 { bytes.append(UInt8(ascii: ",")) }
                    append(entry(index))
                    if bytes.count >= Document.pieceBytes {
                        hasher.update(bytes)
                        bytes.removeAll(keepingCapacity: true)
                    }
                }
                bytes.append(UInt8(ascii: "]"))
            }
            hasher.update(bytes)
            return hasher.finalize()
        }

        /// Bytes written before they are hashed and let go.
        static let pieceBytes = 1 << 16
    }
}
