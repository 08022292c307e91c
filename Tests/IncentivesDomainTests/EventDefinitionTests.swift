@testable import IncentivesDomain
import LedgerLog
import Testing

/// Each event type's definition (Model/Events/) agrees with the kind that dispatches to it, and
/// what snapshots depend on stays fixed.
@Suite("Event type definitions")
struct EventDefinitionTests {
    /// Snapshot record codes as format version 3 wrote them: a code once given is never changed.
    static let recordCodes: [(EventKind, UInt8)] = [
        (.programmeEstablished, 1), (.programmeAmended, 2), (.budgetAppropriated, 3),
        (.grantAwarded, 4), (.grantAmended, 5), (.grantDisbursed, 6), (.grantRevoked, 7), (.grantRecovered, 8),
        (.enterpriseRegistered, 9), (.capabilityEvaluated, 10), (.tierPromoted, 11), (.tierDemoted, 12),
        (.enterpriseDeregistered, 13), (.centreOpened, 14), (.centreClosed, 15), (.eventRetracted, 16),
    ]

    @Test("every kind has its own definition, found again by its type name and its record code")
    func definitionsRoundTrip() {
        for kind in EventKind.allCases {
            #expect(kind.definition.kind == kind)
            #expect(EventKind(typeName: kind.typeName) == kind)
            #expect(EventKind(recordCode: kind.recordCode) == kind)
        }
        #expect(Set(EventKind.allCases.map(\.recordCode)).count == EventKind.allCases.count)
        #expect(EventKind(recordCode: 0) == nil && EventKind(recordCode: 17) == nil && EventKind(recordCode: 255) == nil)
    }

    @Test("a line's type bytes name the kind whose type name they are, and nothing else does")
    func typeBytesFindTheirKind() {
        func kind(_ bytes: [UInt8]) -> EventKind? { EventKind.from(typeBytes: bytes.span) }
        for expected in EventKind.allCases {
            let name = Array(expected.typeName.utf8)
            #expect(kind(name) == expected, "\(expected)")
            // Every byte changed, the name cut short or made longer, names nothing.
            for offset in name.indices {
                for replacement in [name[offset] ^ 0x20, name[offset] &+ 1, UInt8(ascii: "x")] where replacement != name[offset] {
                    var changed = name
                    changed[offset] = replacement
                    #expect(kind(changed) == nil, "\(String(decoding: changed, as: UTF8.self))")
                }
            }
            #expect(kind(Array(name.dropLast())) == nil && kind(name + [UInt8(ascii: "d")]) == nil && kind(Array(name.dropFirst())) == nil)
        }
        #expect(kind([]) == nil && kind(Array("Grant".utf8)) == nil)
    }

    @Test("a line's tier bytes name the tier whose name they are, and nothing else does")
    func tierBytesFindTheirTier() {
        func tier(_ bytes: [UInt8]) -> Tier? { Tier(nameBytes: bytes.span) }
        for expected in Tier.allCases {
            let name = Array(expected.name.utf8)
            #expect(tier(name) == expected, "\(expected)")
            for offset in name.indices {
                var changed = name
                changed[offset] ^= 0x20
                #expect(tier(changed) == nil, "\(String(decoding: changed, as: UTF8.self))")
            }
            #expect(tier(Array(name.dropLast())) == nil && tier(name + [UInt8(ascii: "s")]) == nil)
        }
        #expect(tier([]) == nil && tier(Array("hightech".utf8)) == nil)
    }

    @Test("record codes are the ones snapshots of this format were written with")
    func recordCodesAreFixed() {
        #expect(Self.recordCodes.count == EventKind.allCases.count)
        for (kind, code) in Self.recordCodes { #expect(kind.recordCode == code, "\(kind)") }
        #expect(LedgerSnapshot.formatVersion == 10)
    }

    @Test("members are listed in canonical order, as the one-pass decoder expects, each once")
    func membersInCanonicalOrder() {
        for kind in EventKind.allCases {
            let names = kind.members.map(\.name)
            #expect(!names.isEmpty)
            #expect(names == names.sorted { Array($0.utf16).lexicographicallyPrecedes(Array($1.utf16)) }, "\(kind)")
            #expect(Set(names).count == names.count, "\(kind)")
        }
    }

    @Test("retractions alone have no log of their own; the rest belong to grants, tiers or centres")
    func logs() {
        for kind in EventKind.allCases {
            if kind == .eventRetracted {
                #expect(kind.log == nil)
            } else {
                #expect(kind.log.map { IncentiveLogs.all.contains($0) } == true, "\(kind)")
            }
        }
    }

    @Test("typed indexes are bare Int32s: payloads and events keep their size")
    func indexesStayCompact() {
        #expect(MemoryLayout<GrantIndex>.size == MemoryLayout<Int32>.size)
        #expect(MemoryLayout<TextIndex?>.size == MemoryLayout<Int32?>.size)
        #expect(MemoryLayout<Fen>.size == MemoryLayout<Int64>.size)
        // 72 with raw Int32 indexes and Int64 amounts too: the wrappers add nothing.
        #expect(MemoryLayout<DomainEvent>.stride <= 72)
        // A slot of the grants' table (millions of them): widest fields first, no padding before the 128-bit sums.
        #expect(MemoryLayout<GrantState?>.stride == 96)
    }
}
