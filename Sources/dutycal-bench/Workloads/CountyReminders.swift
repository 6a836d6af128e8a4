import Calendrical
import CatalogueLoader
import Delivery
import Digest
import DutyCore
import Foundation
import ICalendarExport
import Export
import Ledger
import Mail
import Reminders

/// remind-county: one `dutycal remind --dry-run` for the example county over a ledger of
/// 10,000 rows, as a whole process; next to the start-up floor (hello-baseline).
///
/// The ledger is made by the project's own code: day after day a real reminder run
/// (`ReminderRun`, delivering into a Maildir) stores and sends the day's digests, offices
/// record completions of most of what falls due, and now and then an event; until the
/// ledger holds the rows wanted (counted afterwards with Python's sqlite3).
struct CountyReminders {
    let context: Context

    init(_ context: Context) { self.context = context }

    static let from = "2025-03-03"

    func measure() throws -> [Row] {
        let wanted = context.quick ? 150 : context.scaled(10_000, minimum: 150)
        let folder = try context.folder("remind")
        let ledger = "\(folder)/ledger.sqlite"
        let calendars = "\(context.package)/Calendars"
        let made = try context.measure("dutycal-bench child make-ledger (\(wanted) rows)", context.executable,
                                       ["child", "make-ledger", calendars, ledger, "\(folder)/Maildir", Self.from, "--rows", "\(wanted)"],
                                       runs: 1)
        guard let next = made.string("next_day") else { throw BenchError("make-ledger did not say where it stopped") }
        let counted = try ChildProcess.run(try context.which("python3"), [
            "\(context.package)/Tests/peers/ledger_query.py", ledger,
            "SELECT (SELECT count(*) FROM completion) AS completions, (SELECT count(*) FROM event) AS events, (SELECT count(*) FROM digest) AS digests, (SELECT count(*) FROM reminder) AS reminders, (SELECT count(*) FROM run) AS runs",
        ], scratch: context.scratch)
        guard counted.status == 0, let data = counted.output.data(using: .utf8),
              let tables = (try JSONSerialization.jsonObject(with: data) as? [[String: Any]])?.first else {
            throw BenchError("cannot count the ledger's rows: \(counted.errors)")
        }
        let parts = ["completions", "events", "digests", "reminders", "runs"].map { ($0, (tables[$0] as? NSNumber)?.intValue ?? 0) }
        let rows = parts.reduce(0) { $0 + $1.1 }
        guard rows >= wanted else { throw BenchError("the ledger holds \(rows) rows, fewer than the \(wanted) wanted") }
        let remind = try context.measure("dutycal remind --dry-run", try context.sibling("dutycal"),
                                         ["remind", "--dry-run", "--as-of", next, "--catalogue", calendars, "--ledger", ledger])
        let hello = try context.measure("hello-baseline", try context.sibling("hello-baseline"), [])
        // Where the time goes: the dutycal binary starting and doing nothing.
        let help = try context.measure("dutycal --help", try context.sibling("dutycal"), ["--help"])
        let digests = remind.samples.last?.output.components(separatedBy: "\n收件人：").count ?? 1
        let ratio = remind.median / hello.median
        return [
            Row(workload: "remind-county", figure: "dutycal remind --dry-run", seconds: remind.median, maxRSSKB: remind.maxRSSKB,
                ratio: ratio,
                note: "example county as of \(next), ledger of \(rows) rows (\(parts.map { "\($0.1) \($0.0)" }.joined(separator: ", "))) from \(made.int("days") ?? 0) simulated days; \(digests - 1) digests previewed; whole process; ratio to the start-up floor",
                target: .withinTimes(4), checked: ratio),
            Row(workload: "remind-county", figure: "baseline: hello-baseline (Swift, imports Foundation)", seconds: hello.median,
                maxRSSKB: hello.maxRSSKB, note: "the start-up floor of a Swift process"),
            Row(workload: "remind-county", figure: "for comparison: dutycal --help", seconds: help.median, maxRSSKB: help.maxRSSKB,
                ratio: help.median / hello.median,
                note: "the dutycal binary starting, parsing its command line and exiting: its own start-up (dynamic libraries, Swift runtime metadata); ratio to the start-up floor"),
        ]
    }
}

extension Child {
    /// Builds a realistic ledger: daily reminder runs into a Maildir, completions of two in
    /// three occurrences on their due day, an event every 45 days; stops at `rows` rows.
    static func makeLedger(calendars: String, ledger path: String, maildir: String, from: String, rows wanted: Int) throws {
        let loaded = CatalogueLoader.load(paths: [calendars])
        try check(loaded)
        guard let deployment = loaded.deployments.values.first, let mail = deployment.mail, var day = CivilDate(from) else {
            throw BenchError("no deployment with mail settings in \(calendars)")
        }
        let ledger = try Ledger.open(at: path, createIfMissing: true)
        let sender = MailMessage.Address(name: mail.fromName, address: mail.fromAddress)
        let run = ReminderRun(deployment: deployment, expander: loaded.expander, sender: sender, renderer: try DigestRenderer()) { items, now in
            guard let first = items.first.flatMap({ CivilDate($0.start) }) else { return nil }
            return try? ICalendarExporter(publishingAs: .init(address: sender.address, name: sender.name))
                .export(ExportRequest(items: items, range: DateRange(from: first, through: first)!, title: "履职提醒", now: now)).data
        }
        let transport = MaildirTransport(folder: maildir)
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        let eventDuties: [(DutyID, String)] = loaded.catalogue.duties.flatMap { duty in
            duty.entries.compactMap { entry -> (DutyID, String)? in
                if case .relative(let relative) = entry.schedule, case .event(let name) = relative.anchor { return (duty.id, name) }
                return nil
            }
        }
        var rows = 0, days = 0
        while rows < wanted {
            let now = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 7))!
            let report = try run.run(asOf: day, now: now, timeZone: shanghai, ledger: ledger, transport: transport, clock: { now })
            guard report.succeeded else { throw BenchError("the reminder run of \(day) failed: \(report.failures.map { $0.error.description })") }
            rows += 1 + report.stored + report.planned.reduce(0) { $0 + $1.newReminders.count }
            let today = DateRange(from: day, through: day)!
            for assignment in deployment.assign(loaded.expander.occurrences(in: today), catalogue: loaded.catalogue)
                where assignment.occurrence.due.date == day && fnv1a(assignment.id) % 3 != 0 {
                _ = try ledger.recordCompletion(of: assignment.id, on: day, note: "已办结", at: now)
                rows += 1
            }
            if days % 45 == 0, let unit = deployment.units.first {
                for (duty, name) in eventDuties {
                    _ = try ledger.recordEvent(name, forDuty: duty, on: day, reference: "罚决字〔\(day.year)〕\(days)号", unit: unit.id, at: now)
                    rows += 1
                }
            }
            day = day.adding(days: 1)
            days += 1
        }
        emit(["rows": rows, "days": days, "next_day": day.description])
    }
}
