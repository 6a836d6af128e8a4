import Calendrical
import CatalogueLoader
import DutyCore
import Foundation

/// expand-county: the shipped catalogue for the example county and its townships over 10
/// years, through DutyCore's expansion and assignment, as a whole process; next to the
/// start-up floor (a Swift hello-world importing Foundation) and to the same work done by
/// the real `dutycal expand --unit all --format json`.
struct CountyExpansion {
    let context: Context

    init(_ context: Context) { self.context = context }

    static let from = "2026-01-01"

    func measure() throws -> [Row] {
        let through = context.quick ? "2026-12-31" : "2035-12-31"
        let calendars = "\(context.package)/Calendars"
        let library = try context.measure("dutycal-bench child expand-county", context.executable,
                                          ["child", "expand-county", calendars, Self.from, through])
        let out = "\(try context.folder("county"))/expand.json"
        let command = try context.measure("dutycal expand --unit all --format json", try context.sibling("dutycal"),
                                          ["expand", "--catalogue", calendars, "--unit", "all", "--from", Self.from, "--to", through,
                                           "--format", "json"], redirect: out)
        let hello = try context.measure("hello-baseline", try context.sibling("hello-baseline"), [])
        let printed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        let printedCount = (printed?["occurrences"] as? [Any])?.count
        let assignments = library.int("assignments") ?? 0
        guard printedCount == assignments else {
            throw BenchError("expand-county: dutycal expand printed \(printedCount ?? -1) occurrences, DutyCore assigned \(assignments)")
        }
        let phases = library.phases(["load", "expand", "assign"])
        return [
            Row(workload: "expand-county", figure: "DutyCore: load, expand, assign", seconds: library.median, maxRSSKB: library.maxRSSKB,
                ratio: library.median / hello.median,
                note: "\(library.int("duties") ?? 0) duties, \(library.int("units") ?? 0) units, \(Self.from)…\(through): \(library.int("occurrences") ?? 0) occurrences, \(assignments) unit/body assignments; \(phases); ratio to the start-up floor"),
            Row(workload: "expand-county", figure: "dutycal expand --unit all --format json", seconds: command.median, maxRSSKB: command.maxRSSKB,
                ratio: command.median / hello.median,
                note: "the same \(assignments) records printed as JSON (checked equal in number); ratio to the start-up floor"),
            Row(workload: "expand-county", figure: "baseline: hello-baseline (Swift, imports Foundation)", seconds: hello.median,
                maxRSSKB: hello.maxRSSKB, note: "the start-up floor of a Swift process"),
        ]
    }
}

extension Child {
    /// The measured piece of expand-county: the shipped catalogue and deployment, expanded
    /// and assigned, every assignment folded into a checksum.
    static func expandCounty(calendars: String, from: String, through: String) throws {
        let started = ChildProcess.monotonicSeconds()
        let (loaded, deployment, range) = try load([calendars], from: from, through: through)
        let loadedAt = ChildProcess.monotonicSeconds()
        let occurrences = loaded.expander.occurrences(in: range)
        let expandedAt = ChildProcess.monotonicSeconds()
        let assignments = deployment.assign(occurrences, catalogue: loaded.catalogue)
        var checksum: UInt64 = 0
        for assignment in assignments { checksum &+= mix(fnv1a(assignment.id) ^ UInt64(assignment.occurrence.due.date.dayNumber)) }
        let assignedAt = ChildProcess.monotonicSeconds()
        emit(["duties": loaded.catalogue.duties.count, "units": deployment.units.count, "occurrences": occurrences.count,
              "assignments": assignments.count, "checksum": hex(checksum),
              "load_us": micros(loadedAt - started), "expand_us": micros(expandedAt - loadedAt), "assign_us": micros(assignedAt - expandedAt)])
    }
}
