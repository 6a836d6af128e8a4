import ArgumentParser
import Calendrical
import CatalogueLoader
import DutyCore
import Foundation

extension DutyCal {
    /// `dutycal expand`: the dated occurrences of the catalogue's duties in a date range.
    struct Expand: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List duty occurrences in date order (table or JSON).",
            discussion: """
            Without --unit the whole catalogue is expanded; with --unit (and a deployment) each \
            occurrence is listed for the unit and body it falls to. JSON output is documented in README.md.
            """)

        @OptionGroup var catalogue: CatalogueOptions
        @OptionGroup var range: RangeOptions
        @OptionGroup var filters: FilterOptions

        @Option(help: "table (readable Chinese) or json (stable, documented).")
        var format: OutputFormat = .table

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case table, json
        }

        func run() throws {
            let loaded = try catalogue.load()
            let dates = try range.range(today: Clock.today())
            let selection = try filters.selection(in: loaded)
            let occurrences = loaded.expander.occurrences(in: dates, selection: selection)
            var records: [OccurrenceRecord]
            if let (deployment, units) = try filters.units(in: loaded) {
                let assignments = deployment.assign(occurrences, catalogue: loaded.catalogue, units: units,
                                                    bodies: filters.body.isEmpty ? nil : Set(filters.body))
                records = assignments.map { OccurrenceRecord($0.occurrence, catalogue: loaded.catalogue, assignment: $0) }
            } else {
                records = occurrences.map { OccurrenceRecord($0, catalogue: loaded.catalogue) }
            }
            switch format {
            case .json:
                Console.out(try ExpansionJSON.render(records, range: dates))
            case .table:
                Console.out(ExpansionTable.render(records, range: dates))
            }
        }
    }
}

/// The JSON document `expand --format json` prints.
enum ExpansionJSON {
    struct Document: Encodable {
        let format = "dutycal-occurrences"
        let version = OccurrenceRecord.version
        let from: String
        let to: String
        let occurrences: [OccurrenceRecord]
    }

    static func render(_ records: [OccurrenceRecord], range: DateRange) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(from: range.from.description, to: range.through.description, occurrences: records))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// The terminal table `expand` prints.
enum ExpansionTable {
    static func render(_ records: [OccurrenceRecord], range: DateRange) -> String {
        let withUnits = records.contains { $0.unit != nil }
        var table = TextTable(header: ["截止日期", "开始日期", "事项", withUnits ? "单位/责任主体" : "责任主体", "层级", "类型", "周期", "依据", "调整"])
        for record in records {
            let title = record.count.map { "\(record.title)（不少于\($0)次）" } ?? record.title
            let body = withUnits ? "\(record.unitName ?? "")/\(record.bodyName ?? record.body)" : record.body
            let mark = record.provisional ? "（暂定）" : ""
            table.rows.append([
                record.due + mark,
                record.start == record.due ? "" : record.start,
                title,
                body,
                record.levels.joined(separator: "、"),
                record.kindLabel,
                record.periodLabel,
                "\(record.document) \(record.clause)",
                record.adjustment ?? "",
            ])
        }
        let summary = "\(range.from) 至 \(range.through)：共 \(records.count) 项"
            + (records.contains { $0.provisional } ? "；标注（暂定）的日期所在年份尚无国务院办公厅放假安排，按法定节假日规则推算" : "")
        return table.render() + summary + "\n"
    }
}
