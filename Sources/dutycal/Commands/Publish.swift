import ArgumentParser
import CalDAV
import Calendrical
import CatalogueLoader
import DutyCore
import Export
import Foundation
import ICalendarExport

extension DutyCal {
    /// `dutycal publish`: puts each occurrence as its own object into a CalDAV calendar.
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish occurrences to a CalDAV calendar: one object per occurrence, changed ones updated, withdrawn ones deleted.",
            discussion: "The calendar collection is created if missing. Updates use If-Match, creations If-None-Match: *, so nothing another client changed meanwhile is overwritten.")

        @OptionGroup var catalogue: CatalogueOptions
        @OptionGroup var range: RangeOptions
        @OptionGroup var filters: FilterOptions

        @Option(help: "The calendar collection URL, e.g. http://127.0.0.1:5232/user/duties/.")
        var caldav: String

        @Option(help: "User for HTTP basic authentication.")
        var user: String?

        @Option(help: "Environment variable holding the password.")
        var passwordEnv = "DUTYCAL_CALDAV_PASSWORD"

        @Option(help: "File holding the password (first line), instead of the environment.")
        var passwordFile: String?

        @Option(help: "The calendar's display name (default: from the unit and body).")
        var name: String?

        func run() async throws {
            guard let url = URL(string: caldav), ["http", "https"].contains(url.scheme ?? "") else {
                throw ValidationError("--caldav '\(caldav)' is not an http(s) URL of a calendar collection")
            }
            let password = try readPassword()
            let loaded = try catalogue.load()
            let dates = try range.range(today: Clock.today())
            let selection = try filters.selection(in: loaded)
            let occurrences = loaded.expander.occurrences(in: dates, selection: selection)
            let records: [OccurrenceRecord]
            var title = "履职日历"
            if let (deployment, units) = try filters.units(in: loaded) {
                let assignments = deployment.assign(occurrences, catalogue: loaded.catalogue, units: units,
                                                    bodies: filters.body.isEmpty ? nil : Set(filters.body))
                records = assignments.map { OccurrenceRecord($0.occurrence, catalogue: loaded.catalogue, assignment: $0) }
                title = ([units.count == deployment.units.count ? deployment.name : units.map(\.name).joined(separator: "、")] + filters.body + ["履职日历"]).joined(separator: " ")
            } else {
                records = occurrences.map { OccurrenceRecord($0, catalogue: loaded.catalogue) }
            }
            let client = CalDAVClient(collection: url, user: user, password: password)
            do {
                let summary = try await CalDAVPublisher(client: client).publish(records, range: dates, title: name ?? title, now: Date())
                Console.out("\(summary.created) created, \(summary.updated) updated, \(summary.deleted) deleted, \(summary.unchanged) unchanged\n")
            } catch let error as CalDAVError {
                Console.error("error: \(error.description)")
                throw ExitCode(ExitStatus.tempFail)
            }
        }

        func readPassword() throws -> String? {
            if let passwordFile {
                guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                    throw ValidationError("cannot read the password file \(passwordFile)")
                }
                return text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
            }
            return ProcessInfo.processInfo.environment[passwordEnv]
        }
    }
}

/// Publishes records to a CalDAV collection, object by object.
struct CalDAVPublisher {
    let client: CalDAVClient

    struct Summary {
        var created = 0, updated = 0, deleted = 0, unchanged = 0
    }

    func publish(_ records: [OccurrenceRecord], range: DateRange, title: String, now: Date) async throws -> Summary {
        try await client.ensureCollection(displayName: title)
        var existing: [String: CalDAVObject] = [:]
        for object in try await client.objects() {
            if let uid = ICalendarText.value(of: "UID", in: object.data) { existing[uid] = object }
        }
        var summary = Summary()
        var wanted: Set<String> = []
        let exporter = ICalendarExporter()
        for record in records {
            let uid = ICalendarExporter.uid(for: record.id)
            wanted.insert(uid)
            let old = existing[uid]
            // Render once as if unchanged; compare what the event shows, not its timestamps.
            var state: ExportState?
            if let old {
                let sequence = Int(ICalendarText.value(of: "SEQUENCE", in: old.data) ?? "0") ?? 0
                state = ExportState(items: [uid: .init(fingerprint: "server", sequence: sequence, modified: Timestamp.utc(now))])
            }
            let text = String(decoding: try exporter.export(ExportRequest(items: [record], range: range, title: title, now: now,
                                                                          previousState: state)).data, as: UTF8.self)
            if let old {
                if ICalendarText.content(of: old.data) == ICalendarText.content(of: text) {
                    summary.unchanged += 1
                    continue
                }
                try await client.put(name: "\(uid).ics", data: text, replacing: old.etag)
                summary.updated += 1
            } else {
                try await client.put(name: "\(uid).ics", data: text, replacing: nil)
                summary.created += 1
            }
        }
        for (uid, object) in existing where !wanted.contains(uid) {
            try await client.delete(href: object.href, etag: object.etag)
            summary.deleted += 1
        }
        return summary
    }
}

/// Reading properties out of iCalendar text (unfolded), for comparing published objects.
enum ICalendarText {
    static func unfolded(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\n ", with: "")
            .replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map(String.init)
    }

    /// The value of the first property named `name`.
    static func value(of name: String, in text: String) -> String? {
        for line in unfolded(text) {
            let head = line.prefix { $0 != ":" && $0 != ";" }
            if head == name, let colon = line.firstIndex(of: ":") { return String(line[line.index(after: colon)...]) }
        }
        return nil
    }

    /// What a VEVENT shows: its properties without the timestamps and sequence that record
    /// when it changed, sorted.
    static func content(of text: String) -> [String] {
        var inEvent = false
        var lines: [String] = []
        for line in unfolded(text) {
            if line == "BEGIN:VEVENT" { inEvent = true; continue }
            if line == "END:VEVENT" { inEvent = false; continue }
            guard inEvent else { continue }
            let head = String(line.prefix { $0 != ":" && $0 != ";" })
            if ["DTSTAMP", "LAST-MODIFIED", "SEQUENCE", "CREATED"].contains(head) { continue }
            lines.append(line)
        }
        return lines.sorted()
    }
}
