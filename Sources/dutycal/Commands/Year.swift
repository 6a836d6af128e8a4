import ArgumentParser
import Calendrical
import CatalogueLoader
import DutyCore
import Export
import Foundation
import YearPage

extension DutyCal {
    /// `dutycal year`: the year-at-a-glance page of a unit or body, as an HTML file.
    struct Year: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the year-at-a-glance page (年度工作安排表) of a unit or body as HTML, printable on A4 landscape.")

        @OptionGroup var catalogue: CatalogueOptions

        @Option(help: "The year (default: this year in Asia/Shanghai).")
        var year: Int?

        @Option(help: "The unit of the deployment.")
        var unit: String

        @Option(help: "Only this body of the unit (its id or name).")
        var body: String?

        @Option(help: "The deployment file (default: the only one in the catalogue folders).")
        var deployment: String?

        @Option(help: "The output file, or - for standard output.")
        var out: String

        func run() throws {
            let loaded = try catalogue.load()
            let today = Clock.today()
            let year = year ?? today.year
            guard (1949...2100).contains(year) else { throw ValidationError("--year \(year) is out of range: give a year from 1949 to 2100") }
            let filters = try FilterOptions.parse(["--unit", unit] + (body.map { ["--body", $0] } ?? [])
                                                  + (deployment.map { ["--deployment", $0] } ?? []))
            _ = try filters.selection(in: loaded)
            guard let (deployment, units) = try filters.units(in: loaded), let chosen = units.first else { return }
            let html = try YearPlan.render(loaded: loaded, deployment: deployment, unit: chosen, body: body, year: year,
                                           asOf: today, completions: [:])
            if out == "-" {
                Console.out(html)
            } else {
                do {
                    try AtomicFile.write(Data(html.utf8), to: out)
                } catch {
                    Console.error("error: \(error.description)")
                    throw ExitCode(ExitStatus.cantCreate)
                }
            }
        }
    }
}

/// Builds the year page of a unit (or one body) from the catalogue and completions.
enum YearPlan {
    static func render(loaded: LoadedCatalogue, deployment: Deployment, unit: DutyCore.Unit, body: String?, year: Int,
                       asOf: CivilDate, completions: [String: Int]) throws -> String {
        let range = DateRange(from: CivilDate(year: year, month: 1, day: 1)!.adding(days: -31), through: CivilDate(year: year, month: 12, day: 31)!)!
        let occurrences = loaded.expander.occurrences(in: range)
        let assignments = deployment.assign(occurrences, catalogue: loaded.catalogue, units: [unit], bodies: body.map { [$0] })
        // One line per duty and date: a duty every department holds shows once, with how many.
        var groups: [String: [(Assignment, OccurrenceRecord)]] = [:]
        var order: [String] = []
        for assignment in assignments {
            let record = OccurrenceRecord(assignment.occurrence, catalogue: loaded.catalogue, assignment: assignment)
            let key = assignment.occurrence.key
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append((assignment, record))
        }
        let items = order.map { key -> YearPageItem in
            let members = groups[key]!
            let (first, record) = members[0]
            let states = members.map { _, record -> YearPageItem.State in
                let done = (completions[record.id] ?? 0) >= (record.count ?? 1)
                return done ? .done : first.occurrence.due.date < asOf ? .overdue : .pending
            }
            let state: YearPageItem.State = states.contains(.overdue) ? .overdue : states.allSatisfy { $0 == .done } ? .done : .pending
            var title = record.count.map { "\(record.title)≥\($0)次" } ?? record.title
            if body == nil { title = members.count == 1 ? "\(first.body.name)：\(title)" : "\(title)（\(members.count)个责任主体）" }
            return YearPageItem(title: title, kind: record.kind, start: first.occurrence.start, due: first.occurrence.due.date,
                                state: state, provisional: record.provisional)
        }
        let bodyName = body.flatMap { name in unit.bodies.first { $0.id == name || $0.name == name }?.name }
        let title = "\(unit.name)\(bodyName.map { " \($0)" } ?? "") \(year)年度安全生产工作安排表"
        return try YearPage().render(year: year, title: title, subtitle: "\(deployment.name) 履职日历", items: items,
                                     calendar: loaded.workCalendar, asOf: asOf)
    }
}
