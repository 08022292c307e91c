// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "IncentiveLedger",
    products: [
        .executable(name: "incentives", targets: ["incentives"]),
        .library(name: "IncentivesCLI", targets: ["IncentivesCLI"]),
    ],
    // The whole trusted code base of an audit tool is ours to read.
    dependencies: [],
    targets: [
        // MARK: Log layer: stores, chains, reads and verifies events of any type.
        .target(name: "CSHA256"),
        .target(name: "CMemoryHints"),
        .target(name: "LedgerLog", dependencies: ["CSHA256", "CMemoryHints"],
                // Spans of a line's bytes whose lifetimes the compiler checks (`LogLine.span`).
                swiftSettings: [.enableExperimentalFeature("Lifetimes")]),

        // MARK: Storage: column files read in place, interning, the private cache; knows nothing of incentives.
        .target(name: "LedgerColumns", dependencies: ["LedgerLog", "CMemoryHints"]),

        // MARK: Domain: incentives, tiers, centres; knows nothing of terminals.
        .target(name: "IncentivesDomain", dependencies: ["LedgerLog", "LedgerColumns"],
                // No unsafe code: the log layer hands over a line's bytes as spans.
                swiftSettings: [.strictMemorySafety(), .treatWarning("StrictMemorySafety", as: .error),
                                .enableExperimentalFeature("Lifetimes")]),

        // MARK: Command line: parsing, formatting, a thin executable.
        .target(name: "IncentivesCLI", dependencies: ["IncentivesDomain", "LedgerLog", "LedgerColumns"]),
        .executableTarget(name: "incentives", dependencies: ["IncentivesCLI"]),

        // MARK: Tools
        .executableTarget(
            name: "generate-events",
            dependencies: ["IncentivesDomain", "LedgerLog", "IncentivesTestSupport"],
            path: "Tools/generate-events"
        ),
        .executableTarget(
            name: "benchmark",
            dependencies: ["IncentivesDomain", "LedgerLog"],
            path: "Tools/benchmark/Runner"
        ),

        // MARK: Tests
        // What every suite shares: the seeded generator and scratch directories that clean up after
        // themselves. Plain POSIX, no dependencies (the story generator uses the generator too).
        .target(name: "IncentivesTestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "IncentivesTestSupportTests", dependencies: ["IncentivesTestSupport"], path: "Tests/TestSupportTests"),
        .testTarget(name: "LedgerColumnsTests", dependencies: ["LedgerColumns", "LedgerLog", "IncentivesTestSupport"]),
        .testTarget(name: "LedgerLogTests", dependencies: ["LedgerLog", "IncentivesTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "IncentivesDomainTests", dependencies: ["IncentivesDomain", "LedgerLog", "IncentivesTestSupport"]),
        .testTarget(
            name: "IncentivesCLITests",
            dependencies: ["IncentivesCLI", "IncentivesDomain", "LedgerLog", "incentives", "generate-events", "benchmark",
                           "IncentivesTestSupport"],
            exclude: ["Golden", "Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
