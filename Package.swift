// swift-tools-version:6.0
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
        .target(name: "LedgerLog", dependencies: ["CSHA256", "CMemoryHints"]),

        // MARK: Domain: incentives, tiers, centres; knows nothing of terminals.
        .target(name: "IncentivesDomain", dependencies: ["LedgerLog", "CMemoryHints"]),

        // MARK: Command line: parsing, formatting, a thin executable.
        .target(name: "IncentivesCLI", dependencies: ["IncentivesDomain", "LedgerLog"]),
        .executableTarget(name: "incentives", dependencies: ["IncentivesCLI"]),

        // MARK: Tools
        .executableTarget(
            name: "generate-events",
            dependencies: ["IncentivesDomain", "LedgerLog"],
            path: "Tools/generate-events"
        ),
        .executableTarget(
            name: "benchmark",
            dependencies: ["IncentivesDomain", "LedgerLog"],
            path: "Tools/benchmark/Runner"
        ),

        // MARK: Tests
        .testTarget(name: "LedgerLogTests", dependencies: ["LedgerLog"], exclude: ["Fixtures"]),
        .testTarget(name: "IncentivesDomainTests", dependencies: ["IncentivesDomain", "LedgerLog"]),
        .testTarget(
            name: "IncentivesCLITests",
            dependencies: ["IncentivesCLI", "IncentivesDomain", "LedgerLog", "incentives", "generate-events", "benchmark"],
            exclude: ["Golden", "Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
