import ArgumentParser
import Calendrical
import CatalogueLoader
import Diagnostics
import DutyCore
import Foundation

/// The hidden subcommands the benchmark re-executes itself with, one measured piece each,
/// so every figure is a whole process with its own peak memory. Each prints its result as
/// one JSON line.
struct Child: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "child", abstract: "One measured piece (used by dutycal-bench itself).", shouldDisplay: false,
        subcommands: [ExpandNation.self, ExpandCounty.self, WriteFloor.self, MakeLedger.self])

    struct ExpandNation: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "expand-nation")
        @Argument var folder: String
        @Argument var workdays: String
        @Argument var from: String
        @Argument var through: String
        @Option(help: "Also report the count and checksum after this many units (repeatable).") var prefix: [Int] = []

        func run() throws { try Child.expandNation(folder: folder, workdays: workdays, from: from, through: through, prefixes: prefix) }
    }

    struct ExpandCounty: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "expand-county")
        @Argument var calendars: String
        @Argument var from: String
        @Argument var through: String

        func run() throws { try Child.expandCounty(calendars: calendars, from: from, through: through) }
    }

    struct WriteFloor: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "write-floor")
        @Argument var source: String
        @Argument var out: String
        @Flag(help: "Flush each file to disk (fsync) before closing it, as AtomicFile does.") var fsync = false

        func run() throws { try Child.writeFloor(source: source, out: out, flush: fsync) }
    }

    struct MakeLedger: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "make-ledger")
        @Argument var calendars: String
        @Argument var ledger: String
        @Argument var maildir: String
        @Argument var from: String
        @Option var rows: Int

        func run() throws { try Child.makeLedger(calendars: calendars, ledger: ledger, maildir: maildir, from: from, rows: rows) }
    }

    /// Loads catalogue and deployment files, failing on errors, and the window: what every
    /// expanding piece starts with.
    static func load(_ paths: [String], from: String, through: String) throws -> (LoadedCatalogue, Deployment, DateRange) {
        let loaded = CatalogueLoader.load(paths: paths)
        try check(loaded)
        guard let deployment = loaded.deployments.values.first else { throw BenchError("no deployment in \(paths)") }
        guard let first = CivilDate(from), let last = CivilDate(through), let range = DateRange(from: first, through: last) else {
            throw BenchError("the window \(from)…\(through) is not two dates in order")
        }
        return (loaded, deployment, range)
    }

    /// Fails on catalogue errors, naming them.
    static func check(_ loaded: LoadedCatalogue) throws {
        guard !loaded.hasErrors else {
            throw BenchError(loaded.diagnostics.prefix(10).map(\.description).joined(separator: "\n"))
        }
    }

    /// Prints the result line.
    static func emit(_ result: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    static func micros(_ seconds: Double) -> Int { Int((seconds * 1e6).rounded()) }
}
