import LedgerColumns
import LedgerLog

/// Names decoded straight into the ledger's interners (drafts, and lines not prepared).
extension Ledger: NameSink {
    mutating func name(_ bytes: Span<UInt8>, at offset: Int, table: NameTable) -> Int32 {
        intern(bytes, hash: FastHash.hash(bytes), table: table)
    }

    mutating func escapedName(_ quoted: Span<UInt8>, at offset: Int, table: NameTable) -> Int32 {
        let decoded = CanonicalString.decode(quoted)
        return name(decoded.utf8.span, at: offset, table: table)
    }

    /// Interns a name a worker found in `line`.
    mutating func intern(_ prepared: PreparedName, in line: Span<UInt8>) -> Int32 {
        let bytes = line.extracting(prepared.start..<(prepared.start + prepared.count))
        if prepared.isEscaped { return escapedName(bytes, at: prepared.start, table: prepared.table) }
        return intern(bytes, hash: prepared.hash, table: prepared.table)
    }

    /// Starts loading the slot a prepared name will probe.
    @inline(__always)
    func prefetch(_ prepared: PreparedName) {
        guard !prepared.isEscaped else { return }
        prefetch(hash: prepared.hash, table: prepared.table, step: .slot)
    }

    /// A step of asking for what interning `hash` in `table` reads (`Interner.prefetch(hash:step:)`).
    @inline(__always)
    func prefetch(hash: UInt64, table: NameTable, step: PrefetchStep) {
        switch table {
        case .programmes: programmes.prefetch(hash: hash, step: step)
        case .grants: grants.prefetch(hash: hash, step: step)
        case .enterprises: enterprises.prefetch(hash: hash, step: step)
        case .centres: centres.prefetch(hash: hash, step: step)
        case .texts: texts.prefetch(hash: hash, step: step)
        }
    }

    /// The bytes interning may touch in every table (`Interner.footprintBytes`).
    var namesFootprintBytes: Int {
        programmes.footprintBytes + grants.footprintBytes + enterprises.footprintBytes + centres.footprintBytes
            + texts.footprintBytes
    }

    /// Room in the interners for the names `bytes` of logs will hold. Texts (a source per
    /// event, a name per entity) and the entities' ids grow with the logs; a generous guess at
    /// the names costs address space only, since pages reserved but never filled are never
    /// touched. A hash table reserved is zeroed memory, touched, but so is each one it grows
    /// through (a doubling leaves the old one behind): guessed at an entity per 4 KiB of logs
    /// (the benchmark's ledgers have one per 3.5 KiB), a table is made once at its final size
    /// where the guess holds, and at most twice too large where it does not.
    mutating func reserveNames(forLogBytes bytes: Int, keptTexts: LedgerLoader.KeptTexts = .all) {
        let entities = bytes / 4096
        switch keptTexts {
        case .all:
            texts.reserveCapacity(names: texts.count + bytes / 512, bytes: texts.arena.count + bytes / 16,
                                  hashed: texts.count + bytes / 2048)
        case .payloads, .entities:
            // An entity's name, and texts that repeat (sectors, projects, reasons): about one per entity.
            texts.reserveCapacity(names: texts.count + entities, bytes: texts.arena.count + bytes / 64,
                                  hashed: texts.count + entities)
        case .none:
            break
        }
        enterprises.reserveCapacity(names: enterprises.count + bytes / 2048, bytes: enterprises.arena.count + bytes / 64,
                                    hashed: enterprises.count + entities)
        grants.reserveCapacity(names: grants.count + bytes / 2048, bytes: grants.arena.count + bytes / 64,
                               hashed: grants.count + entities)
    }

    @inline(__always)
    private mutating func intern(_ bytes: Span<UInt8>, hash: UInt64, table: NameTable) -> Int32 {
        switch table {
        case .programmes: return programmes.intern(bytes, hash: hash).rawValue
        case .grants: return grants.intern(bytes, hash: hash).rawValue
        case .enterprises: return enterprises.intern(bytes, hash: hash).rawValue
        case .centres: return centres.intern(bytes, hash: hash).rawValue
        case .texts: return texts.intern(bytes, hash: hash).rawValue
        }
    }
}
