import Calendrical
import CSVExport
import DutyCore
@testable import Export
import Foundation
import ICalendarExport
import Libical
import Testing

private let range = DateRange(from: CivilDate("2026-01-01")!, through: CivilDate("2026-12-31")!)!
private let firstExport = Date(timeIntervalSince1970: 1_772_000_000)
private let secondExport = Date(timeIntervalSince1970: 1_773_000_000)

/// Units whose names and ids have different lengths (so the folds of the lines that hold
/// them fall in different places), long enough to fold, and with characters libical or
/// CSV.swift escape (so those occurrences take the whole-serialization path).
private let units: [(id: String, name: String?, body: String?)] = [
    ("county", "示例县", "县安委办"),
    ("town01", "第一镇", "安委办（安监站）"),
    ("town-with-a-much-longer-identifier-0042", "某某自治县某某某某某某某某乡某某村民委员会联合工作组", "党政领导班子"),
    ("x", "乡", nil),                         // no body name: the summary shows the unit's
    ("unit9", "", "安委会"),                   // an empty unit name
    ("semi", "东区;西区,北区", "政府"),          // libical escapes ; and , in text
    ("quote", "\"=SUM\" 镇", "政府"),           // CSV.swift quotes, and a formula-like start
    ("lead", " 前有空格", "党委"),               // white space at an end is trimmed by the builder
    ("back", "a\\b", "党委"),
]

/// Occurrence records for every unit: deadlines, spans, quotas, provisional dates, an
/// adjustment, long quotes and notes that fold many times, and one done occurrence.
private func items(for unit: (id: String, name: String?, body: String?)) throws -> [OccurrenceRecord] {
    var items: [OccurrenceRecord] = []
    for index in 0..<12 {
        let day = CivilDate("2026-01-05")!.adding(days: index * 23)
        var changes: [String: Any] = [
            "unit": unit.id, "unit_name": unit.name.map { $0 as Any } ?? NSNull(), "body_id": "b\(index % 2)",
            "body_name": unit.body.map { $0 as Any } ?? NSNull(), "title": String(repeating: "安全生产“大排查大整治”", count: index % 4 + 1),
            "quote": String(repeating: "各级党委和政府要认真贯彻执行，落实“党政同责、一岗双责”；", count: index % 5),
            "note": index % 3 == 0 ? NSNull() : "逢节假日顺延, 以通知为准\\说明" as Any,
            "period": "2026-\(index)", "period_label": "2026年第\(index)期",
        ]
        if index % 4 == 1 { changes["kind"] = "quota"; changes["kind_label"] = "频次"; changes["count"] = index }
        if index % 5 == 2 { changes["provisional"] = true }
        if index % 6 == 3 { changes["adjustment"] = "原定2026年2月15日（春节假期），顺延至节后第一个工作日2月24日"; changes["original_due"] = "2026-02-15" }
        if index == 7 { changes["completed_on"] = "2026-06-01"; changes["completions"] = 2 }
        items.append(try occurrenceRecord("\(unit.id)/b\(index % 2)/duty-\(index)@2026-\(index)", start: day.description,
                                          due: day.adding(days: index % 3 * 9).description, changes))
    }
    return items
}

/// The feed as the exporter wrote it before templates: every event built and the whole
/// document serialized by libical in one piece.
private func wholeFeed(_ request: ExportRequest, organizer: ICalendarExporter.Organizer?) throws -> (Data, ExportState) {
    let now = Timestamp.utc(request.now)
    let stamp = try #require(ICalendarTimestamp(now))
    var state = ExportState()
    var events: [ICalendarEvent] = []
    for item in request.items {
        var event = try ICalendarExporter.event(for: item, alarms: request.options.alarms, stamp: stamp)
        if let organizer { event.organizer = ICalendarOrganizer(address: "mailto:\(organizer.address)", commonName: organizer.name) }
        let record = (request.previousState ?? ExportState()).updated(event.uid, fingerprint: ICalendarExporter.fingerprint(of: event), now: now)
        let modified = try #require(ICalendarTimestamp(record.modified))
        event.sequence = record.sequence
        event.lastModified = modified
        event.stamp = modified
        state.items[event.uid] = ExportState.Item(fingerprint: record.fingerprint, sequence: record.sequence, modified: modified.description)
        events.append(event)
    }
    let document = ICalendarDocument(productID: ICalendarExporter.productID, name: request.title,
                                     refreshHours: organizer == nil ? request.options.refreshHours : nil,
                                     method: organizer == nil ? nil : "PUBLISH", timeZone: ICalendarExporter.timeZone, events: events)
    return (Data(try document.serializedUTF8()), state)
}

/// Templates filled in per unit give exactly the bytes of serializing every event whole.
@Suite struct SharedRenderingTests {
    @Test(arguments: [false, true])
    func splicedFeedsEqualLibicalsWholeSerialization(alarms: Bool) throws {
        // One exporter for every unit, so later units reuse the templates earlier ones made.
        let exporter = ICalendarExporter()
        for unit in units {
            let request = ExportRequest(items: try items(for: unit), range: range, title: "\(unit.name ?? "") \(unit.body ?? "") 履职日历",
                                        now: firstExport, options: ExportOptions(alarms: alarms, refreshHours: 6))
            let result = try exporter.export(request)
            let (whole, state) = try wholeFeed(request, organizer: nil)
            #expect(result.data == whole, "unit \(unit.id)")
            #expect(result.state == state, "unit \(unit.id)")
            #expect(ICalendarLint.problems(result.data) == [])
        }
    }

    @Test func aChangedOccurrenceKeepsMatchingAfterReExport() throws {
        let exporter = ICalendarExporter()
        for unit in units {
            var items = try items(for: unit)
            let first = try exporter.export(ExportRequest(items: items, range: range, title: "t", now: firstExport))
            items[2].due = "2026-12-30"
            items[4].quote = "改过的原文"
            let request = ExportRequest(items: items, range: range, title: "t", now: secondExport, previousState: first.state)
            let second = try exporter.export(request)
            let (whole, state) = try wholeFeed(request, organizer: nil)
            #expect(second.data == whole, "unit \(unit.id)")
            #expect(second.state == state)
            #expect(state.items.values.filter { $0.sequence == 1 }.count == 2)
        }
    }

    @Test func theEmailFormMatchesToo() throws {
        let organizer = ICalendarExporter.Organizer(address: "dutycal@example.org", name: "履职日历")
        let exporter = ICalendarExporter(publishingAs: organizer)
        for unit in units {
            let request = ExportRequest(items: try items(for: unit), range: range, title: "履职提醒", now: firstExport,
                                        options: ExportOptions(alarms: true))
            #expect(try exporter.export(request).data == (try wholeFeed(request, organizer: organizer)).0, "unit \(unit.id)")
        }
    }

    /// The long Chinese lines fold at different places for different units, so the sample
    /// really exercises refolding of filled-in lines.
    @Test func theSampleFoldsFilledInLines() throws {
        let feed = String(decoding: try ICalendarExporter().export(ExportRequest(items: try items(for: units[2]), range: range,
                                                                                 title: "t", now: firstExport)).data, as: UTF8.self)
        let description = try #require(feed.components(separatedBy: "\r\nDESCRIPTION:").dropFirst().first)
        #expect(description.components(separatedBy: "\r\n ").count > 5)
        #expect(feed.replacingOccurrences(of: "\r\n ", with: "").contains("\\n事项编号：town-with-a-much-longer-identifier-0042/b0/duty-0@2026-0\r\n"))
    }

    @Test func csvRowsEqualCSVSwiftsWholeRows() throws {
        let exporter = CSVExporter()
        for unit in units {
            let items = try items(for: unit)
            var text = String(decoding: try CSVExporter.encoded(CSVExporter.header), as: UTF8.self)
            for item in items { text += "\r\n" + String(decoding: try CSVExporter.encoded(CSVExporter.row(item)), as: UTF8.self) }
            text += "\r\n"
            let request = ExportRequest(items: items, range: range, title: "t", now: firstExport)
            #expect(try exporter.export(request).data == Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8), "unit \(unit.id)")
        }
    }
}

/// The state file written directly is what JSONEncoder writes.
@Suite struct ExportStateFileTests {
    @Test func directEncodingEqualsJSONEncoder() throws {
        func item(_ n: Int) -> ExportState.Item { ExportState.Item(fingerprint: String(format: "%016x", n * 7919), sequence: n % 3, modified: "2026112\(n % 10)T100014Z") }
        var states: [String: ExportState] = ["empty.ics": ExportState()]
        for file in ["county-anweiban.ics", "town10-a.ics", "town9-a.ics", "Town-B.csv"] {
            var state = ExportState()
            for n in 0..<40 { state.items["\(file.prefix(5))_2Fb\(n)@2026-B\(n)@dutycal"] = item(n) }
            states[file] = state
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        #expect(try ExportStateFile.encoded(states) == encoder.encode(states) + Data("\n".utf8))
        // Keys JSON escapes or Unicode orders take JSONEncoder's own path, with the same result.
        states["中文\"引号\".ics"] = ExportState(items: ["é": item(1), "a\\b": item(2)])
        #expect(try ExportStateFile.encoded(states) == encoder.encode(states) + Data("\n".utf8))
        #expect(ExportStateFile.decoded(try ExportStateFile.encoded(states)) == states)
        states["中文\"引号\".ics"] = nil
        #expect(ExportStateFile.directlyDecoded(Array(try ExportStateFile.encoded(states))) == states)
        // Any other layout of the same JSON reads through JSONDecoder.
        #expect(ExportStateFile.decoded(try JSONEncoder().encode(states)) == states)
        #expect(ExportStateFile.decoded(Data("{\"a\": 1}".utf8)) == nil)
    }
}

/// Files written in a batch replace their targets only at the commit, together.
@Suite struct AtomicFileBatchTests {
    /// A new folder holding `a.ics` with "old"; its path and the file's.
    func folderWithAFile() throws -> (folder: URL, old: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let old = folder.appendingPathComponent("a.ics").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: old))
        return (folder, old)
    }

    @Test func targetsChangeOnlyAtTheCommit() throws {
        let (folder, old) = try folderWithAFile()
        defer { try? FileManager.default.removeItem(at: folder) }
        let batch = AtomicFileBatch()
        try batch.write(Data("new a".utf8), to: old)
        try batch.write(Data("new b".utf8), to: folder.appendingPathComponent("b.ics").path)
        #expect(FileManager.default.contents(atPath: old) == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 3)
        try batch.commit()
        #expect(FileManager.default.contents(atPath: old) == Data("new a".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["a.ics", "b.ics"])
    }

    @Test func aBatchDroppedWithoutCommitLeavesEverythingAsItWas() throws {
        let (folder, old) = try folderWithAFile()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let batch = AtomicFileBatch()
            try batch.write(Data("new".utf8), to: old)
            #expect(throws: ExportError.self) { try batch.write(Data("x".utf8), to: folder.appendingPathComponent("missing/b.ics").path) }
        }
        #expect(FileManager.default.contents(atPath: old) == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.ics"])
    }
}
