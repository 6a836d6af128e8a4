import ArgumentParser
import Calendrical
import CatalogueLoader
import CSVExport
import Digest
import DutyCore
import Export
import Foundation
import ICalendarExport

extension DutyCal {
    /// `dutycal export`: occurrences rendered by an exporter and written atomically.
    struct ExportOccurrences: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write occurrences as an iCalendar feed, a CSV sheet, or through an external exporter.",
            discussion: """
            Built-in formats: \(DutyCal.exporters.all.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")). \
            Any other NAME runs dutycal-export-NAME from PATH, which reads the occurrences as JSON Lines \
            on standard input and writes the file on standard output (see README.md). Files are written \
            to a temporary file and renamed: a failed export leaves the previous file as it was.
            """)

        @OptionGroup var catalogue: CatalogueOptions
        @OptionGroup var range: RangeOptions
        @OptionGroup var filters: FilterOptions

        @Option(help: "The format: ics, csv, or NAME for an external dutycal-export-NAME.")
        var format: String

        @Option(help: "The output file, - for standard output, or a folder with --split.")
        var out: String

        @Option(help: "One file per unit or per unit and body, written into the --out folder with an index.md.")
        var split: Split?

        @Option(help: "Calendar or sheet title (default: from the unit and body).")
        var title: String?

        @Flag(help: "iCalendar: add VALARM reminders from the duties' lead days.")
        var alarms = false

        @Option(help: "CSV: utf8 (with BOM, the default) or gb18030.")
        var encoding: Encoding = .utf8

        @Option(help: "iCalendar: hours between subscriber refreshes.")
        var refreshHours = 12

        enum Split: String, ExpressibleByArgument, CaseIterable {
            case unit, body
        }

        enum Encoding: String, ExpressibleByArgument, CaseIterable {
            case utf8, gb18030
        }

        func run() throws {
            let exporter = try resolveExporter()
            let loaded = try catalogue.load()
            let dates = try range.range(today: Clock.today())
            let selection = try filters.selection(in: loaded)
            let occurrences = loaded.expander.occurrences(in: dates, selection: selection)
            let options = ExportOptions(alarms: alarms, encoding: encoding == .gb18030 ? .gb18030 : .utf8, refreshHours: refreshHours)
            let now = Date()
            let units = try filters.units(in: loaded)
            let bodyFilter = filters.body.isEmpty ? nil : Set(filters.body)

            guard let split else {
                let items: [OccurrenceRecord]
                let name: String
                if let (deployment, selected) = units {
                    let assignments = deployment.assign(occurrences, catalogue: loaded.catalogue, units: selected, bodies: bodyFilter)
                    items = assignments.map { OccurrenceRecord($0.occurrence, catalogue: loaded.catalogue, assignment: $0) }
                    let unitNames = selected.count == deployment.units.count ? deployment.name : selected.map(\.name).joined(separator: "、")
                    name = ([unitNames] + filters.body).joined(separator: " ")
                } else {
                    items = occurrences.map { OccurrenceRecord($0, catalogue: loaded.catalogue) }
                    name = filters.body.joined(separator: " ")
                }
                let request = ExportRequest(items: items, range: dates, title: title ?? Self.title(name), now: now, options: options)
                try write(exporter, request, to: out)
                return
            }

            guard let (deployment, selected) = units else {
                throw ValidationError("--split needs units: add --unit all (or the units to split)")
            }
            guard out != "-" else { throw ValidationError("--split writes one file per \(split.rawValue) into a folder: give --out FOLDER, not -") }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            // Files are made one unit at a time, rendered a batch at a time on every core, and
            // replaced together at the end with one flush to disk for all of them.
            let progress = Progress(total: selected.count)
            var states = ExportStateFile.read(folder: out)
            var written: [(String, DutyCore.Unit, Body?, Int)] = []
            let batch = AtomicFileBatch()
            var pending: [SplitExport.File] = []
            var unitsDone = 0, lastUnit: UnitID?
            func flush() throws {
                let requests = pending.map { file in
                    let name = file.body.map { "\(file.unit.name) \($0.name)" } ?? file.unit.name
                    return ExportRequest(items: file.items, range: dates, title: title.map { "\($0) \(name)" } ?? Self.title(name),
                                         now: now, previousState: states[file.name], options: options)
                }
                // External programs run one at a time, as they may not expect company.
                let results = exporter is ExternalExporter
                    ? requests.map { request in Result { () throws(ExportError) -> ExportResult in try exporter.export(request) } }
                    : exporter.exportConcurrently(requests)
                for (file, result) in zip(pending, results) {
                    let result = try report(exporter, result)
                    try batch.write(result.data, to: "\(out)/\(file.name)")
                    if let state = result.state { states[file.name] = state }
                    written.append((file.name, file.unit, file.body, file.items.count))
                }
                pending.removeAll()
            }
            try SplitExport.forEachFile(occurrences, deployment: deployment, catalogue: loaded.catalogue, units: selected,
                                        bodies: bodyFilter, split: split == .unit ? .unit : .body,
                                        fileExtension: exporter.fileExtension) { (file) throws in
                if lastUnit != file.unit.id {
                    lastUnit = file.unit.id
                    unitsDone += 1
                    progress.show(unitsDone - 1, file.name)
                }
                pending.append(file)
                if pending.count >= 64 { try flush() }
            }
            try flush()
            try batch.commit()
            progress.finish()
            try ExportStateFile.write(states, folder: out)
            try AtomicFile.write(Data(Self.index(written, deployment: deployment, range: dates, format: exporter.name).utf8),
                                 to: "\(out)/index.md")
            Console.error("\(written.count) files written to \(out)")
        }

        /// The built-in exporter, or an external one from PATH; exit 64 naming the choices.
        func resolveExporter() throws -> any Exporter {
            if let builtIn = DutyCal.exporters.exporter(named: format) { return builtIn }
            if let external = ExternalExporter.find(format, path: ProcessInfo.processInfo.environment["PATH"]) { return external }
            throw ValidationError("unknown format '\(format)': built-in formats are \(DutyCal.exporters.names.joined(separator: ", ")); for another format put an executable dutycal-export-\(format) on PATH")
        }

        func render(_ exporter: any Exporter, _ request: ExportRequest) throws -> ExportResult {
            try report(exporter, Result { () throws(ExportError) -> ExportResult in try exporter.export(request) })
        }

        /// An exporter's result, with its messages shown; its error shown and turned into the exit status.
        func report(_ exporter: any Exporter, _ result: Result<ExportResult, ExportError>) throws -> ExportResult {
            switch result {
            case .success(let result):
                if let messages = result.messages {
                    FileHandle.standardError.write(Data((messages.hasSuffix("\n") ? messages : messages + "\n").utf8))
                }
                return result
            case .failure(let error):
                Console.error("error: \(error.description)")
                throw ExitCode(exporter is ExternalExporter ? ExitStatus.software : ExitStatus.dataError)
            }
        }

        /// Renders and writes one output (file or stdout), with its state beside a file.
        func write(_ exporter: any Exporter, _ request: ExportRequest, to path: String) throws {
            var request = request
            if path == "-" {
                let result = try render(exporter, request)
                FileHandle.standardOutput.write(result.data)
                return
            }
            let url = URL(fileURLWithPath: path)
            let folder = url.deletingLastPathComponent().path
            var states = ExportStateFile.read(folder: folder)
            request.previousState = states[url.lastPathComponent]
            let result = try render(exporter, request)
            do {
                try AtomicFile.write(result.data, to: path)
                if let state = result.state {
                    states[url.lastPathComponent] = state
                    try ExportStateFile.write(states, folder: folder)
                }
            } catch let error as ExportError {
                Console.error("error: \(error.description)")
                throw ExitCode(ExitStatus.cantCreate)
            }
        }

        static func title(_ name: String) -> String {
            name.isEmpty ? "履职日历" : "\(name) 履职日历"
        }

        static func index(_ files: [(String, DutyCore.Unit, Body?, Int)], deployment: Deployment, range: DateRange, format: String) -> String {
            var text = "# \(deployment.name) 履职日历（\(range.from) 至 \(range.through)）\n\n"
            text += "由 `dutycal export --format \(format)` 生成，请勿手工修改。订阅：把文件的网址加入日历应用（iCalendar 订阅）。\n\n"
            text += "| 单位 | 责任主体 | 文件 | 事项数 |\n|---|---|---|---:|\n"
            for (file, unit, body, count) in files {
                text += "| \(unit.name) | \(body?.name ?? "全部") | [\(file)](\(file)) | \(count) |\n"
            }
            return text
        }
    }

    /// The exporters built into the executable.
    static let exporters = ExporterRegistry([
        ICalendarExporter(), CSVExporter(),
        DigestExporter(attachment: { items, now in
            mailAttachment(items, now: now, organizer: .init(address: "dutycal@localhost", name: "履职日历"))
        }),
    ])

    /// The iCalendar attachment of a digest: the listed items, `METHOD:PUBLISH` with an
    /// ORGANIZER (the digest's sender) on every event.
    static func mailAttachment(_ items: [OccurrenceRecord], now: Date, organizer: ICalendarExporter.Organizer) -> Data? {
        guard let first = items.first.flatMap({ CivilDate($0.start) }) else { return nil }
        let range = DateRange(from: first, through: first)!
        return try? ICalendarExporter(publishingAs: organizer)
            .export(ExportRequest(items: items, range: range, title: "履职提醒", now: now)).data
    }
}

/// A one-line progress display on standard error, only when it is a terminal.
struct Progress {
    let total: Int
    let enabled = isatty(STDERR_FILENO) == 1

    func show(_ index: Int, _ item: String) {
        guard enabled, total > 1 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K导出 \(index + 1)/\(total) \(item)".utf8))
    }

    func finish() {
        guard enabled, total > 1 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

