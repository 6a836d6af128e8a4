// swift-tools-version: 6.1
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode plus the upcoming features
/// that keep module boundaries honest.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "DutyCalendar",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dutycal", targets: ["dutycal"]),
        .library(name: "DutyCore", targets: ["DutyCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.0.0"),
    ],
    targets: [
        // libical, the only C library: owned by the `Libical` module alone.
        .systemLibrary(
            name: "CLibical",
            pkgConfig: "libical",
            providers: [.apt(["libical-dev"])]
        ),
        .target(
            name: "Libical",
            dependencies: ["CLibical", "Calendrical", "Diagnostics"],
            swiftSettings: strictSettings
        ),
        // Located problems in user input, collected and reported all at once.
        .target(
            name: "Diagnostics",
            swiftSettings: strictSettings
        ),
        // Civil dates, periods and China's working-day calendar.
        .target(
            name: "Calendrical",
            swiftSettings: strictSettings
        ),
        // Duties, schedules and their expansion into dated occurrences.
        .target(
            name: "DutyCore",
            dependencies: ["Libical", "Calendrical", "Diagnostics"],
            swiftSettings: strictSettings
        ),
        // The YAML files in Calendars/: the only module that imports Yams.
        .target(
            name: "CatalogueLoader",
            dependencies: ["DutyCore", "Calendrical", "Diagnostics", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        // The exporter extension point: protocol, request, state, registry, atomic output.
        .target(
            name: "Export",
            dependencies: ["DutyCore", "Calendrical"],
            swiftSettings: strictSettings
        ),
        // iCalendar feeds, built with libical's component API (through the Libical module).
        .target(
            name: "ICalendarExport",
            dependencies: ["Export", "DutyCore", "Calendrical", "Libical"],
            swiftSettings: strictSettings
        ),
        // CSV for Excel and WPS: the only module that imports CSV.swift.
        .target(
            name: "CSVExport",
            dependencies: ["Export", "DutyCore", .product(name: "CSV", package: "CSV.swift")],
            swiftSettings: strictSettings
        ),
        // The completion and reminder ledger: the only module that imports GRDB (SQLite).
        .target(
            name: "Ledger",
            dependencies: ["DutyCore", "Calendrical", "Reminders", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        // libcurl, for direct SMTP: owned by the `Mail` module alone.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // MIME messages and their delivery: sendmail pipe, SMTP (libcurl), Maildir.
        .target(
            name: "Mail",
            dependencies: ["CCurl"],
            swiftSettings: strictSettings
        ),
        // Which reminders are due on a day and who gets which digest (pure planning).
        .target(
            name: "Reminders",
            dependencies: ["DutyCore", "Calendrical"],
            swiftSettings: strictSettings
        ),
        // The email digest: Chinese text and HTML from Mustache templates, with an
        // iCalendar attachment; also the `digest` exporter for .eml previews.
        .target(
            name: "Digest",
            dependencies: ["Reminders", "Mail", "Export", "DutyCore", "Calendrical", "ICalendarExport",
                           .product(name: "Mustache", package: "swift-mustache")],
            resources: [.copy("Templates")],
            swiftSettings: strictSettings
        ),
        // A reminder run: plan, store (intent first), send, record.
        .target(
            name: "Delivery",
            dependencies: ["Reminders", "Digest", "Mail", "Ledger", "DutyCore", "Calendrical"],
            swiftSettings: strictSettings
        ),
        // CalDAV publishing: the only module that speaks HTTP as a client (FoundationNetworking).
        .target(
            name: "CalDAV",
            swiftSettings: strictSettings
        ),
        // The year-at-a-glance page (年度工作安排表), HTML from a Mustache template.
        .target(
            name: "YearPage",
            dependencies: ["Calendrical", .product(name: "Mustache", package: "swift-mustache")],
            resources: [.copy("Templates")],
            swiftSettings: strictSettings
        ),
        // The subscription server: the only module that imports Hummingbird.
        .target(
            name: "FeedServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "dutycal",
            dependencies: [
                "DutyCore", "Calendrical", "CatalogueLoader", "Diagnostics", "Export",
                "ICalendarExport", "CSVExport", "Digest", "Delivery", "Ledger", "Mail", "Reminders", "FeedServer", "YearPage", "CalDAV",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Benchmarks: `swift run -c release dutycal-bench` (see BENCHMARKS.md).
        .executableTarget(
            name: "dutycal-bench",
            dependencies: ["DutyCore", "Calendrical", "CatalogueLoader", "Diagnostics", "Export", "ICalendarExport", "CSVExport",
                           "Ledger", "Delivery", "Digest", "Mail", "Reminders",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            // Python baselines the benchmark runs (python-dateutil, icalendar).
            exclude: ["peers"],
            swiftSettings: strictSettings
        ),
        // The baseline the benchmark compares with: libical's iterator driven from C, per unit.
        // Plain C over <libical/ical.h> (Debian libical-dev).
        .executableTarget(
            name: "libical-baseline",
            linkerSettings: [.linkedLibrary("ical")]
        ),
        // The start-up floor whole-process figures are compared with: Swift and Foundation, nothing else.
        .executableTarget(
            name: "hello-baseline",
            swiftSettings: strictSettings
        ),
        // Regenerates Calendars/feeds by running `dutycal feeds`.
        .plugin(
            name: "GenerateCalendars",
            capability: .command(
                intent: .custom(verb: "generate-calendars", description: "Regenerate the ready-to-subscribe feeds in Calendars/feeds"),
                permissions: [.writeToPackageDirectory(reason: "writes the iCalendar feeds and their index into Calendars/feeds")]
            ),
            dependencies: ["dutycal"]
        ),
        .testTarget(name: "LibicalTests", dependencies: ["Libical", "Calendrical"], swiftSettings: strictSettings),
        .testTarget(name: "CalendricalTests", dependencies: ["Calendrical"], swiftSettings: strictSettings),
        .testTarget(
            name: "DutyCoreTests",
            dependencies: ["DutyCore", "Calendrical", "CatalogueLoader"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FeedServerTests",
            dependencies: ["FeedServer", .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "MailTests", dependencies: ["Mail"], swiftSettings: strictSettings),
        .testTarget(name: "RemindersTests", dependencies: ["Reminders", "DutyCore", "Calendrical"], swiftSettings: strictSettings),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "Reminders", "DutyCore", "Calendrical"], swiftSettings: strictSettings),
        .testTarget(
            name: "ExportTests",
            dependencies: ["Export", "ICalendarExport", "CSVExport", "DutyCore", "Calendrical", "Libical"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DutycalTests",
            dependencies: ["dutycal"],
            swiftSettings: strictSettings
        ),
    ]
)
