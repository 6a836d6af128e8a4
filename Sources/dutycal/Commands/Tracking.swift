import ArgumentParser
import Calendrical
import CatalogueLoader
import Diagnostics
import DutyCore
import Foundation
import Ledger
import Reminders

extension DutyCal {
    /// `dutycal done`: records that an occurrence was done (quotas count each call).
    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that an occurrence was done (for a quota, one more of its N).",
            discussion: """
            OCCURRENCE-ID is unit/body/duty@period as `dutycal status` and `expand --format json` show it, \
            e.g. county/anweiban/shenzhen-aqsc-fuzeren-xiaceng@2026-03. Done items leave the digests; a \
            quota counts each call against its N. --undo removes the completion recorded last.
            """)

        @OptionGroup var options: DeploymentOptions

        @Argument(help: "The occurrence, unit/body/duty@period.")
        var occurrence: String

        @Option(help: "The day it was done, YYYY-MM-DD (default: today in Asia/Shanghai).")
        var on: String?

        @Option(help: "A note (what was done, a document number).")
        var note: String?

        @Flag(help: "Remove the completion of this occurrence recorded last (a mistake).")
        var undo = false

        func run() throws {
            let today = Clock.today()
            let day = try on.map { try RangeOptions.parse($0, "--on") } ?? today
            let (loaded, deploymentPath, deployment) = try options.load()
            let ledgerPath = try options.ledgerPath(deploymentPath, deployment)
            try withLedger {
                let ledger = try DeploymentOptions.open(ledgerPath, createIfMissing: !undo)
                let tracked = TrackedOccurrences(loaded: loaded, deployment: deployment, events: try ledger.recordedEvents())
                guard let record = tracked.record(occurrence, near: day) else {
                    Console.error("error: \(tracked.unknown(occurrence, near: day))")
                    throw ExitCode(ExitStatus.usage)
                }
                if undo {
                    guard let removed = try ledger.undoLatestCompletion(of: record.id) else {
                        Console.error("error: \(record.id) has no completion to undo")
                        throw ExitCode(ExitStatus.usage)
                    }
                    Console.out("已撤销 \(record.id) 于 \(removed.date) 的完成记录\n")
                } else {
                    try ledger.recordCompletion(of: record.id, on: day, note: note, at: Date())
                }
                let count = try ledger.completionSummary(of: record.id).count
                let required = record.count ?? 1
                let progress = record.count == nil ? (count >= 1 ? "已完成" : "未完成") : "\(count)/\(required)"
                Console.out("\(record.unitName ?? "")\(record.bodyName ?? "")「\(record.title)」\(record.periodLabel)（截止\(record.due)）：\(progress)\n")
            }
        }
    }

    /// `dutycal record-event`: records an event a relative duty follows.
    struct RecordEvent: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record-event",
            abstract: "Record an event (e.g. a penalty decision) from which a relative duty's deadline follows.",
            discussion: "DUTY is a duty whose schedule follows a named event; its deadline then appears in expand, feeds, status and digests.")

        @OptionGroup var options: DeploymentOptions

        @Argument(help: "The duty that follows the event (its id).")
        var duty: String

        @Option(help: "The day the event happened, YYYY-MM-DD.")
        var on: String

        @Option(help: "A reference, e.g. the decision's number.")
        var ref: String?

        @Option(help: "The unit it happened at (default: every unit the duty applies to).")
        var unit: String?

        func run() throws {
            let day = try RangeOptions.parse(on, "--on")
            let (loaded, deploymentPath, deployment) = try options.load()
            let catalogue = loaded.catalogue
            guard let found = catalogue.duty(DutyID(duty)) else {
                let hint = Suggestion.nearest(to: duty, in: catalogue.duties.map(\.id.rawValue)).map { " (did you mean '\($0)'?)" } ?? ""
                Console.error("error: unknown duty '\(duty)'\(hint); `dutycal expand --format json` lists duty ids")
                throw ExitCode(ExitStatus.usage)
            }
            let events = found.entries.compactMap { entry -> String? in
                if case .relative(let relative) = entry.schedule, case .event(let name) = relative.anchor { return name }
                return nil
            }
            guard let event = events.first else {
                let followers = catalogue.duties.filter { duty in
                    duty.entries.contains { if case .relative(let r) = $0.schedule, case .event = r.anchor { true } else { false } }
                }.map(\.id.rawValue)
                Console.error("error: duty '\(duty)' does not follow an event, so there is nothing to record; duties that do: \(followers.joined(separator: " "))")
                throw ExitCode(ExitStatus.usage)
            }
            if let unit, deployment.unit(UnitID(unit)) == nil {
                let hint = Suggestion.nearest(to: unit, in: deployment.units.map(\.id.rawValue)).map { " (did you mean '\($0)'?)" } ?? ""
                Console.error("error: unknown unit '\(unit)'\(hint); units: \(deployment.units.map(\.id.rawValue).joined(separator: " "))")
                throw ExitCode(ExitStatus.usage)
            }
            let ledgerPath = try options.ledgerPath(deploymentPath, deployment)
            try withLedger {
                let ledger = try DeploymentOptions.open(ledgerPath, createIfMissing: true)
                let recorded = try ledger.recordEvent(event, forDuty: found.id, on: day, reference: ref, unit: unit.map { UnitID($0) }, at: Date())
                let tracked = TrackedOccurrences(loaded: loaded, deployment: deployment, events: try ledger.recordedEvents())
                let range = DateRange(from: day, through: day.adding(days: 800))!
                let deadlines = tracked.records(in: range, duties: [found.id]).filter { $0.period == "event-\(recorded.id)" }
                Console.out("已记录 \(recorded.id)：\(day.chinese)\(event)\(ref.map { "（\($0)）" } ?? "")\n")
                for record in deadlines {
                    Console.out("  \(record.unitName ?? "")\(record.bodyName ?? "")「\(record.title)」截止 \(record.due)\(record.adjustment.map { "（\($0)）" } ?? "")  \(record.id)\n")
                }
                if deadlines.isEmpty {
                    Console.out("  （部署中没有承担该事项的单位）\n")
                }
            }
        }
    }

    /// `dutycal status`: what is open, overdue and how far the quotas are.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show overdue and upcoming occurrences and quota progress from the ledger.",
            discussion: "Overdue items are those due since the first reminder run (or --since) and not done.")

        @OptionGroup var options: DeploymentOptions

        @Option(help: "Only this unit (repeatable).")
        var unit: [String] = []

        @Flag(help: "Only overdue items.")
        var overdue = false

        @Option(name: .customLong("as-of"), help: "The day to report for (default: today in Asia/Shanghai).")
        var asOf: String?

        @Option(help: "Count items due since this day as overdue (default: the first reminder run).")
        var since: String?

        func run() throws {
            let asOf = try asOf.map { try RangeOptions.parse($0, "--as-of") } ?? Clock.today()
            let (loaded, deploymentPath, deployment) = try options.load()
            for id in unit where deployment.unit(UnitID(id)) == nil {
                let hint = Suggestion.nearest(to: id, in: deployment.units.map(\.id.rawValue)).map { " (did you mean '\($0)'?)" } ?? ""
                Console.error("error: unknown unit '\(id)'\(hint); units: \(deployment.units.map(\.id.rawValue).joined(separator: " "))")
                throw ExitCode(ExitStatus.usage)
            }
            let ledgerPath = try options.ledgerPath(deploymentPath, deployment)
            try withLedger {
                let exists = FileManager.default.fileExists(atPath: ledgerPath)
                let ledger = exists ? try DeploymentOptions.open(ledgerPath, createIfMissing: false) : nil
                let start = try since.map { try RangeOptions.parse($0, "--since") } ?? ledger?.firstRun() ?? asOf
                let completions = try ledger?.completionCounts() ?? [:]
                let tracked = TrackedOccurrences(loaded: loaded, deployment: deployment, events: try ledger?.recordedEvents() ?? [])
                let units = unit.isEmpty ? nil : Set(unit)
                let records = tracked.records(in: ReminderPlanner.window(asOf: asOf, trackingStart: start))
                    .filter { units?.contains($0.unit ?? "") ?? true }
                let items = records.map { record in
                    let due = CivilDate(record.due)!
                    let done = completions[record.id] ?? 0
                    let progress = record.count.map { count in
                        QuotaProgress(done: done, required: count,
                                      workingDaysLeft: asOf <= due ? loaded.workCalendar.workingDays(from: max(asOf, CivilDate(record.start)!), through: due) : 0)
                    }
                    return DigestItem(record: record, completions: done, daysLeft: asOf.days(to: due), progress: progress)
                }
                let sections = ReminderPlanner.sections(items, asOf: asOf, trackingStart: start)
                var table = TextTable(header: ["状态", "截止日期", "单位/责任主体", "事项", "进度", "编号"])
                func add(_ label: String, _ items: [DigestItem]) {
                    for item in items.sorted(by: { ($0.record.due, $0.record.id) < ($1.record.due, $1.record.id) }) {
                        let progress = item.progress.map { p in
                            "\(p.done)/\(p.required)" + (p.shortfall > 0 ? "，差\(p.shortfall)次，剩\(p.workingDaysLeft ?? 0)个工作日" : "，已达标")
                        } ?? ""
                        let overdueBy = item.daysLeft < 0 ? "（逾期\(-item.daysLeft)天）" : ""
                        table.rows.append([label, item.record.due + overdueBy, "\(item.record.unitName ?? "")/\(item.record.bodyName ?? "")",
                                           item.record.title, progress, item.record.id])
                    }
                }
                add("已逾期", sections.overdue)
                if !overdue {
                    add("今日到期", sections.dueToday)
                    add("本周到期", sections.thisWeek)
                    add("未来30天", sections.next30Days)
                    add("指标进度", sections.quotas)
                }
                Console.out("\(asOf) \(deployment.name) 履职状态（逾期自 \(start) 起计；台账 \(exists ? ledgerPath : "尚未建立")）\n")
                Console.out(table.rows.isEmpty ? (overdue ? "没有逾期事项。\n" : "没有待办事项。\n") : table.render())
            }
        }
    }
}

/// The deployment's occurrences with the ledger's events, as JSON records.
struct TrackedOccurrences {
    let loaded: LoadedCatalogue
    let deployment: Deployment
    let events: [RecordedEvent]

    /// Every assignment's record in `range`, optionally of some duties only.
    func records(in range: DateRange, duties: Set<DutyID>? = nil) -> [OccurrenceRecord] {
        let occurrences = loaded.expander.occurrences(in: range, selection: Selection(duties: duties), events: events)
        return deployment.assign(occurrences, catalogue: loaded.catalogue)
            .map { OccurrenceRecord($0.occurrence, catalogue: loaded.catalogue, assignment: $0) }
    }

    /// The occurrence with this id, looked for within two years of `day`.
    func record(_ id: String, near day: CivilDate) -> OccurrenceRecord? {
        guard let duty = dutyID(of: id) else { return nil }
        return records(in: window(near: day), duties: [duty]).first { $0.id == id }
    }

    /// Why `id` names no occurrence, with the nearest ids that exist.
    func unknown(_ id: String, near day: CivilDate) -> String {
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].contains("@") else {
            return "'\(id)' is not an occurrence id: write unit/body/duty@period, e.g. county/anweiban/<duty>@2026-03 (dutycal status lists them)"
        }
        let candidates: [OccurrenceRecord]
        if let duty = dutyID(of: id) {
            candidates = records(in: window(near: day), duties: [duty])
        } else {
            candidates = records(in: DateRange(from: day.adding(days: -45), through: day.adding(days: 45))!)
        }
        let hint = Suggestion.nearest(to: id, in: candidates.map(\.id)).map { " (did you mean '\($0)'?)" } ?? ""
        return "there is no occurrence '\(id)' in \(deployment.name) within two years of \(day)\(hint); dutycal status lists open ones with their ids"
    }

    private func dutyID(of id: String) -> DutyID? {
        guard let slash = id.lastIndex(of: "/"), let at = id.lastIndex(of: "@"), slash < at else { return nil }
        let duty = DutyID(String(id[id.index(after: slash)..<at]))
        return loaded.catalogue.duty(duty) == nil ? nil : duty
    }

    private func window(near day: CivilDate) -> DateRange {
        DateRange(from: day.adding(days: -731), through: day.adding(days: 731))!
    }
}
