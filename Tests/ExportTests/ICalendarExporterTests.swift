import Calendrical
import DutyCore
import Export
import Foundation
import ICalendarExport
import Libical
import Testing

/// An occurrence record as `dutycal expand --format json` documents it, with `changes`
/// applied (a value of NSNull removes the key).
func occurrenceRecord(_ id: String, start: String, due: String, _ changes: [String: Any] = [:]) throws -> OccurrenceRecord {
    var fields: [String: Any] = [
        "id": id, "duty": String(id.split(separator: "/").last!.split(separator: "@")[0]),
        "title": "安全生产月报表", "title_en": "Monthly safety report", "kind": "periodic", "kind_label": "定期",
        "period": "2026-03", "period_label": "2026年3月", "start": start, "due": due, "original_due": due,
        "provisional": false, "body": "县安委办", "levels": ["县级"], "unit": "county", "unit_name": "示例县",
        "body_id": "anweiban", "body_name": "县安委办", "document": "zhifanian-2016",
        "document_title": "安全生产“监管执法年”实施方案", "clause": "二(四)", "quote": "每月10日前报送上月执法情况",
        "note": "逢节假日顺延。", "tags": ["报告", "执法"], "lead_days": [3, 1],
    ]
    for (key, value) in changes { fields[key] = value is NSNull ? nil : value }
    return try JSONDecoder().decode(OccurrenceRecord.self, from: JSONSerialization.data(withJSONObject: fields))
}

private let march = DateRange(from: CivilDate("2026-03-01")!, through: CivilDate("2026-05-31")!)!
private let firstExport = Date(timeIntervalSince1970: 1_772_000_000)   // 2026-02-25T06:13:20Z
private let secondExport = Date(timeIntervalSince1970: 1_773_000_000)  // 2026-03-08T20:00:00Z

/// Three occurrences: a deadline, a quota period (a span) and a provisional window.
private func sampleItems() throws -> [OccurrenceRecord] {
    [
        try occurrenceRecord("county/anweiban/zhifanian-2016-yuebao@2026-03", start: "2026-03-10", due: "2026-03-10"),
        try occurrenceRecord("county/anweiban/jiancha@2026-Q2", start: "2026-04-01", due: "2026-06-30",
                             ["kind": "quota", "kind_label": "频次", "count": 2, "title": "深入基层检查", "period": "2026-Q2",
                              "period_label": "2026年第二季度", "lead_days": [7]]),
        try occurrenceRecord("qingming-2027-check@2027", start: "2027-03-29", due: "2027-04-02",
                             ["kind": "window", "kind_label": "时段", "provisional": true, "unit": NSNull(), "unit_name": NSNull(),
                              "body_id": NSNull(), "body_name": NSNull(), "body": "各级安委会", "tags": ["时段", "节前"],
                              "original_due": "2027-04-04", "adjustment": "原定2027年4月4日（清明节假期），提前至节前最后一个工作日4月2日"]),
    ]
}

private func text(_ result: ExportResult) -> String { String(decoding: result.data, as: UTF8.self) }

/// The lines of the VEVENT with `uid`.
private func eventLines(_ feed: String, uid: String) -> [String] {
    let unfolded = feed.replacingOccurrences(of: "\r\n ", with: "")
    guard let range = unfolded.range(of: "UID:\(uid)\r\n") else { return [] }
    let rest = unfolded[range.lowerBound...]
    return rest[..<(rest.range(of: "END:VEVENT")?.lowerBound ?? rest.endIndex)].components(separatedBy: "\r\n")
}

@Suite struct ICalendarExporterTests {
    let exporter = ICalendarExporter()

    func export(_ items: [OccurrenceRecord], now: Date = firstExport, state: ExportState? = nil, alarms: Bool = false) throws -> ExportResult {
        try exporter.export(ExportRequest(items: items, range: march, title: "示例县 县安委办 履职日历", now: now,
                                          previousState: state, options: ExportOptions(alarms: alarms, refreshHours: 12)))
    }

    @Test func theFeedIsCleanAndCarriesTheCalendarProperties() throws {
        let feed = text(try export(try sampleItems()))
        #expect(ICalendarLint.problems(Data(feed.utf8)) == [])
        #expect(feed.hasPrefix("BEGIN:VCALENDAR\r\nPRODID:-//DutyCalendar//dutycal 1.0//ZH\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\n"))
        for line in ["NAME:示例县 县安委办 履职日历", "X-WR-CALNAME:示例县 县安委办 履职日历", "X-WR-TIMEZONE:Asia/Shanghai",
                     "REFRESH-INTERVAL;VALUE=DURATION:PT12H", "X-PUBLISHED-TTL:PT12H", "TZID:Asia/Shanghai"] {
            #expect(feed.contains("\r\n\(line)\r\n"), "missing \(line)")
        }
        #expect(!feed.contains("METHOD"))
        #expect(!feed.contains("ORGANIZER"))
        #expect(!feed.contains("VALARM"))
        let document = try ICalendarDocument(parsing: feed)
        #expect(document.method == nil)
        #expect(document.timeZone == "Asia/Shanghai")
        // In the request's order.
        #expect(document.events.map(\.uid) == [
            "county_2Fanweiban_2Fzhifanian-2016-yuebao@2026-03@dutycal",
            "county_2Fanweiban_2Fjiancha@2026-Q2@dutycal",
            "qingming-2027-check@2027@dutycal",
        ])
    }

    @Test func deadlinesShowOnTheirDayAndSpansAcrossTheirDays() throws {
        let events = try ICalendarDocument(parsing: text(try export(try sampleItems()))).events
        #expect(events.map { "\($0.start)..\($0.end)" } == ["2026-03-10..2026-03-11", "2026-04-01..2026-07-01", "2027-03-29..2027-04-03"])
        #expect(events.allSatisfy { $0.transparency == .transparent })
        #expect(events.map(\.status) == [.confirmed, .confirmed, .tentative])
        let feed = text(try export(try sampleItems()))
        #expect(feed.contains("\r\nDTSTART;VALUE=DATE:20260401\r\nDTEND;VALUE=DATE:20260701\r\n"))
    }

    @Test func summariesAndDescriptionsAreInChinese() throws {
        let events = try ICalendarDocument(parsing: text(try export(try sampleItems()))).events
        #expect(events.map(\.summary) == ["【县安委办】安全生产月报表", "【县安委办】深入基层检查（不少于2次）", "安全生产月报表[暂定]"])
        let deadline = try #require(events[0].description)
        #expect(deadline == """
            责任主体：示例县 县安委办
            层级：县级
            类型：定期
            周期：2026年3月
            截止日期：2026年3月10日（星期二）
            依据：《安全生产“监管执法年”实施方案》二(四)
            “每月10日前报送上月执法情况”
            说明：逢节假日顺延。
            事项编号：county/anweiban/zhifanian-2016-yuebao@2026-03
            """)
        let window = try #require(events[2].description)
        #expect(window.contains("责任主体：各级安委会\n"))
        #expect(window.contains("时段：2027年3月29日至2027年4月2日\n"))
        #expect(window.contains("日期调整：原定2027年4月4日（清明节假期），提前至节前最后一个工作日4月2日\n"))
        #expect(window.contains("日期暂定："))
        #expect(events[1].description?.contains("频次：本周期内不少于2次") == true)
        #expect(events.map(\.categories) == [["定期", "报告", "执法"], ["频次", "报告", "执法"], ["时段", "节前"]])
    }

    @Test func uidsAreTheIdsEscapedAndReversible() {
        let cases = [
            "county/yingji/zhifanian-2016-yuebao@2026-01": "county_2Fyingji_2Fzhifanian-2016-yuebao@2026-01@dutycal",
            "duty@2026-Q3": "duty@2026-Q3@dutycal",
            "town_1/body x/安全@2026": "town_5F1_2Fbody_20x_2F_E5_AE_89_E5_85_A8@2026@dutycal",
        ]
        for (id, uid) in cases {
            #expect(ICalendarExporter.uid(for: id) == uid)
            #expect(ICalendarExporter.id(fromUID: uid) == id)
            #expect(uid.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "@._-".contains($0)) })
        }
        #expect(ICalendarExporter.uid(for: "a/b") != ICalendarExporter.uid(for: "a_2Fb"))
        #expect(ICalendarExporter.id(fromUID: "someone-else@example.org") == nil)
    }

    @Test func reExportingWithTheStateGivesTheSameBytes() throws {
        let first = try export(try sampleItems())
        let state = try #require(first.state)
        #expect(state.items.count == 3)
        #expect(state.items.values.allSatisfy { $0.sequence == 0 && $0.modified == "20260225T061320Z" })
        let feed = text(first)
        #expect(feed.contains("\r\nDTSTAMP:20260225T061320Z\r\n"))
        #expect(feed.contains("\r\nLAST-MODIFIED:20260225T061320Z\r\n"))
        #expect(feed.contains("\r\nSEQUENCE:0\r\n"))

        let again = try export(try sampleItems(), now: secondExport, state: state)
        #expect(again.data == first.data)
        #expect(again.state == state)
    }

    @Test func onlyAChangedEventGetsANewSequenceAndTimestamps() throws {
        let first = try export(try sampleItems())
        var items = try sampleItems()
        items[1].count = 3           // the quota changed
        items.remove(at: 2)          // the window is gone
        let second = try export(items, now: secondExport, state: first.state)
        let feed = text(second)
        #expect(ICalendarLint.problems(second.data) == [])
        let unchanged = eventLines(feed, uid: "county_2Fanweiban_2Fzhifanian-2016-yuebao@2026-03@dutycal")
        #expect(unchanged.contains("SEQUENCE:0"))
        #expect(unchanged.contains("DTSTAMP:20260225T061320Z"))
        #expect(unchanged.contains("LAST-MODIFIED:20260225T061320Z"))
        let changed = eventLines(feed, uid: "county_2Fanweiban_2Fjiancha@2026-Q2@dutycal")
        #expect(changed.contains("SEQUENCE:1"))
        #expect(changed.contains("DTSTAMP:20260308T200000Z"))
        #expect(changed.contains("LAST-MODIFIED:20260308T200000Z"))
        #expect(changed.contains("SUMMARY:【县安委办】深入基层检查（不少于3次）"))
        let state = try #require(second.state)
        #expect(Set(state.items.keys) == ["county_2Fanweiban_2Fzhifanian-2016-yuebao@2026-03@dutycal", "county_2Fanweiban_2Fjiancha@2026-Q2@dutycal"])
        #expect(state.items["county_2Fanweiban_2Fjiancha@2026-Q2@dutycal"]?.sequence == 1)
        // A third export of the same items keeps the bumped sequence and its timestamp.
        let third = try export(items, now: Date(timeIntervalSince1970: 1_774_000_000), state: state)
        #expect(third.data == second.data)
    }

    @Test func alarmsFireAt9OnEachLeadDayBeforeTheDueDate() throws {
        let items = try sampleItems()
        #expect(!text(try export(items, alarms: false)).contains("BEGIN:VALARM"))
        let feed = text(try export(items, alarms: true))
        #expect(ICalendarLint.problems(Data(feed.utf8)) == [])
        let events = try ICalendarDocument(parsing: feed).events
        // The deadline of 2026-03-10 (DTEND 03-11), lead days 3 and 1: 03-07 and 03-09 at 09:00.
        #expect(events[0].alarms.map(\.daysBefore) == [4, 2])
        #expect(events[0].alarms.allSatisfy { $0.related == .end && $0.hour == 9 })
        #expect(events[0].alarms[0].description == "【县安委办】安全生产月报表：3天后到期（2026年3月10日，星期二）")
        let deadline = eventLines(feed, uid: events[0].uid)
        #expect(deadline.contains("TRIGGER;RELATED=END:-P3DT15H"))
        #expect(deadline.contains("TRIGGER;RELATED=END:-PT15H") == false)
        #expect(deadline.contains("TRIGGER;RELATED=END:-P1DT15H"))
        // The quota period ending 06-30: 7 days before the end, not the start.
        #expect(eventLines(feed, uid: events[1].uid).contains("TRIGGER;RELATED=END:-P7DT15H"))
        // Alarms are content: switching them on bumps the sequence.
        let plain = try export(items)
        let withAlarms = try export(items, now: secondExport, state: plain.state, alarms: true)
        #expect(withAlarms.state?.items.values.allSatisfy { $0.sequence == 1 } == true)
    }

    @Test func theEmailFormPublishesWithAnOrganizer() throws {
        let publisher = ICalendarExporter(publishingAs: .init(address: "dutycal@example.org", name: "履职日历"))
        let result = try publisher.export(ExportRequest(items: try sampleItems(), range: march, title: "履职提醒", now: firstExport))
        let feed = text(result)
        #expect(ICalendarLint.problems(result.data) == [])
        #expect(feed.contains("\r\nMETHOD:PUBLISH\r\n"))
        #expect(feed.components(separatedBy: "\r\nORGANIZER;CN=履职日历:mailto:dutycal@example.org\r\n").count == 4)
        #expect(!feed.contains("REFRESH-INTERVAL"))
        #expect(publisher.name == "ics")
    }

    @Test func anEmptyRequestGivesAnEmptyCalendar() throws {
        let result = try export([])
        #expect(ICalendarLint.problems(result.data) == [])
        #expect(!text(result).contains("BEGIN:VEVENT"))
        #expect(result.state == ExportState())
    }

    @Test func twoOccurrencesWithOneIdAreAnError() throws {
        let item = try sampleItems()[0]
        #expect {
            try export([item, item])
        } throws: { error in
            (error as? ExportError)?.description.contains("two occurrences have the id county/anweiban/zhifanian-2016-yuebao@2026-03") == true
        }
    }

    @Test func aThousandOccurrencesExportQuicklyAndCleanly() throws {
        var items: [OccurrenceRecord] = []
        for index in 0..<1000 {
            let day = CivilDate("2026-01-01")!.adding(days: index % 365)
            items.append(try occurrenceRecord("county/body\(index % 7)/duty-\(index)@2026", start: day.description,
                                              due: day.adding(days: index % 40).description,
                                              ["note": String(repeating: "说明文字，含标点“引号”; and ASCII, ", count: index % 9)]))
        }
        let clock = ContinuousClock()
        var result: ExportResult?
        let elapsed = try clock.measure { result = try export(items, alarms: true) }
        let feed = try #require(result)
        #expect(ICalendarLint.problems(feed.data) == [])
        #expect(try ICalendarDocument(parsing: text(feed)).events.count == 1000)
        #expect(elapsed < .seconds(10))
    }
}

/// The feed checked by independent programs: python `icalendar` with
/// `recurring_ical_events` (Tests/peers/ics_check.py) and, when installed, khal
/// (Tests/peers/khal_check.sh).
@Suite struct ICalendarPeerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var khalInstalled: Bool {
        ["/usr/bin/khal", "/usr/local/bin/khal"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Writes the feed and the `expand --format json` document of `items` into a new folder.
    func writeFeed(_ items: [OccurrenceRecord], range: DateRange) throws -> (feed: URL, json: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ics-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let result = try ICalendarExporter().export(ExportRequest(items: items, range: range, title: "示例县 履职日历", now: firstExport,
                                                                  options: ExportOptions(alarms: true)))
        let feed = folder.appendingPathComponent("feed.ics"), json = folder.appendingPathComponent("occurrences.json")
        try result.data.write(to: feed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let occurrences = try JSONSerialization.jsonObject(with: encoder.encode(items))
        let document: [String: Any] = ["format": "dutycal-occurrences", "version": 1, "from": range.from.description,
                                       "to": range.through.description, "occurrences": occurrences]
        try JSONSerialization.data(withJSONObject: document).write(to: json)
        return (feed, json)
    }

    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func longItems() throws -> [OccurrenceRecord] {
        var items = try sampleItems()
        for index in 0..<60 {
            let day = CivilDate("2026-03-01")!.adding(days: index)
            items.append(try occurrenceRecord("town\(index % 3)/镇安办/duty_\(index)@2026-\(index)", start: day.description,
                                              due: day.adding(days: index % 5).description,
                                              ["title": String(repeating: "安全生产“大排查大整治”", count: index % 6 + 1),
                                               "body_name": "镇安办", "quote": String(repeating: "各级党委和政府要认真贯彻执行，", count: index % 8)]))
        }
        return items
    }

    @Test func pythonIcalendarAndRecurringIcalEventsSeeExactlyTheOccurrences() throws {
        let range = DateRange(from: CivilDate("2026-03-01")!, through: CivilDate("2027-04-30")!)!
        let (feed, json) = try writeFeed(try longItems(), range: range)
        defer { try? FileManager.default.removeItem(at: feed.deletingLastPathComponent()) }
        let check = try run(["python3", Self.root.appendingPathComponent("Tests/peers/ics_check.py").path, feed.path, json.path])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("ics: 63 passed, 0 failed"), "\(check.output)")
    }

    @Test func pythonCheckFailsOnAFeedThatLostAnEvent() throws {
        let range = DateRange(from: CivilDate("2026-03-01")!, through: CivilDate("2027-04-30")!)!
        let (feed, json) = try writeFeed(try longItems(), range: range)
        defer { try? FileManager.default.removeItem(at: feed.deletingLastPathComponent()) }
        var text = try String(contentsOf: feed, encoding: .utf8)
        let start = try #require(text.range(of: "BEGIN:VEVENT", options: .backwards))
        let end = try #require(text.range(of: "END:VEVENT\r\n", range: start.upperBound..<text.endIndex))
        text.removeSubrange(start.lowerBound..<end.upperBound)
        try text.write(to: feed, atomically: true, encoding: .utf8)
        let check = try run(["python3", Self.root.appendingPathComponent("Tests/peers/ics_check.py").path, feed.path, json.path])
        #expect(check.status == 1)
        #expect(check.output.contains("missing from the feed: town"), "\(check.output)")
    }

    @Test(.enabled(if: ICalendarPeerTests.khalInstalled, "khal is not installed (apt-get install -y khal)"))
    func khalImportsTheFeedAndListsEveryEvent() throws {
        let range = DateRange(from: CivilDate("2026-03-01")!, through: CivilDate("2027-04-30")!)!
        let items = try longItems()
        let (feed, _) = try writeFeed(items, range: range)
        defer { try? FileManager.default.removeItem(at: feed.deletingLastPathComponent()) }
        let check = try run(["bash", Self.root.appendingPathComponent("Tests/peers/khal_check.sh").path, feed.path,
                             "2026-03-01", "2027-04-30", String(items.count)])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("khal: \(items.count) imported, \(items.count) listed"), "\(check.output)")
        #expect(check.output.contains("2026-04-01 2026-06-30 【县安委办】深入基层检查（不少于2次）"), "\(check.output)")
        #expect(check.output.contains("2026-03-10 2026-03-10 【县安委办】安全生产月报表"), "\(check.output)")
    }
}
