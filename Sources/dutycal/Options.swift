import ArgumentParser
import Calendrical
import CatalogueLoader
import Diagnostics
import DutyCore
import Foundation

/// Where the catalogue is: shared by every command that reads it.
struct CatalogueOptions: ParsableArguments {
    @Option(name: .customLong("catalogue"), help: "A catalogue file or folder (repeatable).")
    var paths: [String] = ["Calendars"]

    /// Loads the catalogue, printing every problem; exits 65 on errors.
    func load() throws -> LoadedCatalogue {
        let loaded = CatalogueLoader.load(paths: paths)
        for diagnostic in loaded.diagnostics { Console.error(diagnostic.description) }
        if loaded.hasErrors {
            let count = loaded.diagnostics.filter { $0.severity == .error }.count
            Console.error("\(count) error\(count == 1 ? "" : "s") in the catalogue; nothing was produced. Fix them and run again (dutycal validate lists them).")
            throw ExitCode(ExitStatus.dataError)
        }
        return loaded
    }
}

/// The date range of a command, defaulting to today and the next 90 days in Asia/Shanghai.
struct RangeOptions: ParsableArguments {
    @Option(help: "First day, YYYY-MM-DD (default: today in Asia/Shanghai).")
    var from: String?

    @Option(help: "Last day, YYYY-MM-DD (default: 90 days after --from).")
    var to: String?

    @Option(help: "Days after --from when --to is not given.")
    var days: Int = 90

    func range(today: CivilDate) throws -> DateRange {
        let start = try from.map { try Self.parse($0, "--from") } ?? today
        let end = try to.map { try Self.parse($0, "--to") } ?? start.adding(days: days)
        guard let range = DateRange(from: start, through: end) else {
            throw ValidationError("--from \(start) is after --to \(end); give a --from on or before --to")
        }
        return range
    }

    static func parse(_ text: String, _ option: String) throws -> CivilDate {
        guard let date = CivilDate(text) else {
            throw ValidationError("\(option) '\(text)' is not a date: write YYYY-MM-DD, e.g. 2026-01-01")
        }
        return date
    }
}

/// Which occurrences to show.
struct FilterOptions: ParsableArguments {
    @Option(help: "Only this responsible body (a catalogue body, or a deployment body's name or id); repeatable.")
    var body: [String] = []

    @Option(help: "Only this level: 国家 省级 市级 县级 乡镇 村 企业 (or national, province, prefecture, county, township, village, enterprise); repeatable.")
    var level: [String] = []

    @Option(help: "Only this duty id; repeatable.")
    var duty: [String] = []

    @Option(help: "Only duties with this tag; repeatable.")
    var tag: [String] = []

    @Option(help: "Only this unit of the deployment (its id, or all); repeatable.")
    var unit: [String] = []

    @Option(help: "The deployment file (default: the only one in the catalogue folders).")
    var deployment: String?

    /// The catalogue-level selection, checking every named value against the catalogue.
    func selection(in loaded: LoadedCatalogue) throws -> Selection {
        let catalogue = loaded.catalogue
        let levels = try level.map { name in
            guard let level = Level(name: name) else {
                throw ValidationError("unknown level '\(name)'\(hint(name, Level.allNames)): expected one of \(Level.allCases.map(\.rawValue).joined(separator: " "))")
            }
            return level
        }
        for id in duty where catalogue.duty(DutyID(id)) == nil {
            throw ValidationError("unknown duty '\(id)'\(hint(id, catalogue.duties.map(\.id.rawValue))); dutycal expand --format json lists duty ids")
        }
        for name in tag where !catalogue.tags.contains(name) {
            throw ValidationError("unknown tag '\(name)'\(hint(name, catalogue.tags)); tags in use: \(catalogue.tags.joined(separator: " "))")
        }
        // With a deployment, --body may also name a deployment body; that is applied later.
        let deploymentBodies = unit.isEmpty ? [] : (try? deploymentFile(loaded))?.1.units.flatMap { $0.bodies.flatMap { [$0.name, $0.id] } } ?? []
        for name in body where !catalogue.bodies.contains(name) && !deploymentBodies.contains(name) {
            throw ValidationError("unknown body '\(name)'\(hint(name, catalogue.bodies + deploymentBodies)); bodies in the catalogue: \(catalogue.bodies.joined(separator: " "))")
        }
        return Selection(levels: levels.isEmpty ? nil : Set(levels),
                         bodies: body.isEmpty || !unit.isEmpty ? nil : Set(body),
                         duties: duty.isEmpty ? nil : Set(duty.map { DutyID($0) }),
                         tags: tag.isEmpty ? nil : Set(tag))
    }

    /// The deployment and the units named by --unit; nil when no unit was asked for.
    func units(in loaded: LoadedCatalogue) throws -> (Deployment, [DutyCore.Unit])? {
        guard !unit.isEmpty else { return nil }
        let (_, deployment) = try deploymentFile(loaded)
        if unit == ["all"] { return (deployment, deployment.units) }
        let units = try unit.map { id in
            guard let found = deployment.unit(UnitID(id)) else {
                throw ValidationError("unknown unit '\(id)'\(hint(id, deployment.units.map(\.id.rawValue))); units: \(deployment.units.map(\.id.rawValue).joined(separator: " ")) or all")
            }
            return found
        }
        return (deployment, units)
    }

    func deploymentFile(_ loaded: LoadedCatalogue) throws -> (String, Deployment) {
        if let path = deployment {
            if let found = loaded.deployments.first(where: { $0.key == path || URL(fileURLWithPath: $0.key).standardized.path == URL(fileURLWithPath: path).standardized.path }) {
                return (found.key, found.value)
            }
            let extra = CatalogueLoader.load(paths: [path])
            for diagnostic in extra.diagnostics { Console.error(diagnostic.description) }
            guard !extra.hasErrors, let found = extra.deployments.first else {
                throw ValidationError("--deployment \(path) is not a readable deployment file (see the messages above)")
            }
            return (found.key, found.value)
        }
        switch loaded.deployments.count {
        case 1: return (loaded.deployments.first!.key, loaded.deployments.first!.value)
        case 0: throw ValidationError("--unit needs a deployment: give --deployment FILE (e.g. Calendars/deployments/example-county.yaml)")
        default: throw ValidationError("several deployments were found (\(loaded.deployments.keys.sorted().joined(separator: ", "))): choose one with --deployment")
        }
    }

    private func hint(_ word: String, _ options: [String]) -> String {
        Suggestion.nearest(to: word, in: options).map { " (did you mean '\($0)'?)" } ?? ""
    }
}

/// Exit statuses from sysexits(3), which cron wrappers and monitoring understand.
enum ExitStatus {
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    static let software: Int32 = 70
    static let cantCreate: Int32 = 73
    static let ioError: Int32 = 74
    static let tempFail: Int32 = 75
    static let unavailable: Int32 = 69
    static let config: Int32 = 78
}

/// The only place the executable reads the clock: today's civil date in Asia/Shanghai.
enum Clock {
    static var shanghai: TimeZone { TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)! }

    static func today() -> CivilDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CivilDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

/// Writing to the terminal.
enum Console {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
