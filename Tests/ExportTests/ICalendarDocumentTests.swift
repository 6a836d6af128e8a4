import Calendrical
import Foundation
import Libical
import Testing

private func date(_ text: String) -> CivilDate { CivilDate(text)! }
private let stamp = ICalendarTimestamp("20260301T020304Z")!

/// An event with everything the builder can write.
private func fullEvent(uid: String = "a_2Fb@2026-03@dutycal") -> ICalendarEvent {
    ICalendarEvent(
        uid: uid, summary: "【县安委办】月报表（不少于1次）[暂定]",
        description: "责任主体：示例县 县安委办\n依据：《安全生产“监管执法年”实施方案》二(四)\n“每月10日前报送”; a, b \\ c",
        categories: ["定期", "报告"], start: date("2026-03-01"), end: date("2026-03-11"), stamp: stamp,
        lastModified: stamp, sequence: 3, status: .tentative, transparency: .transparent,
        url: "https://example.org/duties?id=a;b", organizer: ICalendarOrganizer(address: "mailto:dutycal@example.org", commonName: "履职日历: 县安委办"),
        xProperties: [ICalendarXProperty(name: "X-DUTYCAL-KIND", value: "quota, 频次; \\x")],
        alarms: [ICalendarAlarm(daysBefore: 8, related: .end, hour: 9, description: "月报表：7天后到期"),
                 ICalendarAlarm(daysBefore: 0, related: .start, hour: 9, description: "当天")])
}

/// The libical-backed builder and parser (`Sources/Libical/ICalendar*.swift`).
@Suite struct ICalendarDocumentTests {
    @Test func anEmptyCalendarHasOnlyTheRequiredProperties() throws {
        let text = try ICalendarDocument(productID: "-//DutyCalendar//dutycal 1.0//ZH").serialized()
        #expect(text == "BEGIN:VCALENDAR\r\nPRODID:-//DutyCalendar//dutycal 1.0//ZH\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n")
        #expect(ICalendarLint.problems(Data(text.utf8)) == [])
        #expect(try ICalendarDocument(parsing: text) == ICalendarDocument(productID: "-//DutyCalendar//dutycal 1.0//ZH"))
    }

    @Test func feedPropertiesAndTheTimeZoneWithItsPlainTZID() throws {
        let document = ICalendarDocument(productID: "-//T//T//ZH", name: "示例县 县安委办 履职日历", refreshHours: 6,
                                         timeZone: "Asia/Shanghai")
        let text = try document.serialized()
        for line in ["NAME:示例县 县安委办 履职日历", "X-WR-CALNAME:示例县 县安委办 履职日历", "X-WR-TIMEZONE:Asia/Shanghai",
                     "REFRESH-INTERVAL;VALUE=DURATION:PT6H", "X-PUBLISHED-TTL:PT6H", "BEGIN:VTIMEZONE", "TZID:Asia/Shanghai", "TZOFFSETTO:+0800"] {
            #expect(text.contains("\r\n\(line)\r\n"), "missing \(line)")
        }
        #expect(!text.contains("freeassociation"))
        #expect(!text.contains("METHOD"))
        #expect(ICalendarLint.problems(Data(text.utf8)) == [])
        #expect(try ICalendarDocument(parsing: text) == document)
    }

    @Test func anUnknownTimeZoneIsAnError() {
        #expect(throws: ICalendarError.self) {
            try ICalendarDocument(productID: "-//T//T//ZH", timeZone: "Asia/Nowhere").serialized()
        }
    }

    @Test func everyFieldReadsBackEqual() throws {
        let document = ICalendarDocument(productID: "-//T//T//ZH", name: "n", method: "PUBLISH", timeZone: "Asia/Shanghai",
                                         events: [fullEvent()])
        let text = try document.serialized()
        #expect(ICalendarLint.problems(Data(text.utf8)) == [])
        #expect(try ICalendarDocument(parsing: text) == document)
        for line in ["DTSTART;VALUE=DATE:20260301", "DTEND;VALUE=DATE:20260311", "DTSTAMP:20260301T020304Z",
                     "LAST-MODIFIED:20260301T020304Z", "SEQUENCE:3", "STATUS:TENTATIVE", "TRANSP:TRANSPARENT",
                     "CATEGORIES:定期,报告", "ACTION:DISPLAY", "TRIGGER;RELATED=END:-P7DT15H", "TRIGGER:PT9H", "METHOD:PUBLISH"] {
            #expect(text.contains("\r\n\(line)\r\n"), "missing \(line)")
        }
        // A double quote cannot stand in a parameter value; a colon can, quoted.
        #expect(text.contains("ORGANIZER;CN=\"履职日历: 县安委办\":mailto:dutycal@example.org"))
        // Feeds' refresh properties are left out of an iTIP message.
        #expect(!text.contains("REFRESH-INTERVAL"))
    }

    @Test func publishRequiresAnOrganizerOnEveryEvent() {
        var event = fullEvent()
        event.organizer = nil
        let document = ICalendarDocument(productID: "-//T//T//ZH", method: "PUBLISH", events: [event])
        #expect {
            try document.serialized()
        } throws: { error in
            (error as? ICalendarError)?.description.contains("has no ORGANIZER, which METHOD:PUBLISH requires") == true
        }
    }

    @Test func invalidEventsAreReportedTogether() {
        var backwards = fullEvent(uid: "x@dutycal")
        backwards.end = backwards.start
        let document = ICalendarDocument(productID: "-//T//T//ZH", events: [fullEvent(), fullEvent(), backwards])
        #expect {
            try document.serialized()
        } throws: { error in
            let message = (error as? ICalendarError)?.description ?? ""
            return message.contains("two events have the UID a_2Fb@2026-03@dutycal")
                && message.contains("event x@dutycal: DTEND 2026-03-01 is not after DTSTART 2026-03-01")
        }
    }

    /// Long Chinese text folds at 75 octets without splitting a character, with CRLF and a
    /// single space before each continuation, and reads back whole.
    @Test func longChineseTextFoldsOnCharacterBoundaries() throws {
        let pieces = ["安全生产", "“监管执法年”", "a", "；", ",", ";", "\\", "😀", "é", " ", "\n", "12345", "“各级党委和政府要认真贯彻执行”"]
        var generator = SystemRandomNumberGenerator()
        var events: [ICalendarEvent] = []
        for index in 0..<300 {
            // libical's parser drops white space at the ends of a value, so the builder trims it.
            let text = "安" + (0..<(index % 97)).map { _ in pieces.randomElement(using: &generator)! }.joined() + "全"
            var event = fullEvent(uid: "e\(index)@dutycal")
            event.summary = text
            event.description = String(repeating: text, count: index % 4 + 1)
            events.append(event)
        }
        let document = ICalendarDocument(productID: "-//T//T//ZH", timeZone: "Asia/Shanghai", events: events)
        let text = try document.serialized()
        #expect(ICalendarLint.problems(Data(text.utf8)) == [])
        #expect(try ICalendarDocument(parsing: text) == document)
        // The folds use the room they have: a continuation is cut short only to keep a
        // character (at most 3 more octets) or a backslash escape whole.
        let physical = text.components(separatedBy: "\r\n")
        for (line, next) in zip(physical, physical.dropFirst()) where next.hasPrefix(" ") {
            #expect(line.utf8.count >= 72, "a folded line of \(line.utf8.count) octets: \(line)")
        }
    }

    /// libical 3.0.16 folds a 73-octet continuation inside its CRLF and leaves a 74-octet
    /// one followed by an empty continuation; the serializer refolds both.
    @Test func valuesAtLibicalsFoldingEdgesComeOutClean() throws {
        var events: [ICalendarEvent] = []
        for length in 60...240 {
            for unit in ["a", "中", "😀", "é"] {
                var event = fullEvent(uid: "\(unit.unicodeScalars.first!.value)-\(length)@dutycal")
                event.summary = String(repeating: unit, count: length / unit.utf8.count)
                event.description = String(repeating: "a", count: length) + "\n" + String(repeating: "中", count: length / 3)
                events.append(event)
            }
        }
        let text = try ICalendarDocument(productID: "-//T//T//ZH", events: events).serialized()
        #expect(ICalendarLint.problems(Data(text.utf8)) == [])
        #expect(!text.contains("\r\n \r\n"))
        let read = try ICalendarDocument(parsing: text)
        #expect(read.events.map(\.summary) == events.map(\.summary))
    }

    @Test func lineBreaksOfEveryKindBecomeEscapedNewlinesAndControlsAreDropped() throws {
        var event = fullEvent()
        event.description = "一\r\n二\r三\n四\u{7}五\u{0}"
        event.summary = "标题\n第二行"
        let text = try ICalendarDocument(productID: "-//T//T//ZH", events: [event]).serialized()
        #expect(ICalendarLint.problems(Data(text.utf8)) == [])
        #expect(text.contains("DESCRIPTION:一\\n二\\n三\\n四五\r\n"))
        #expect(try ICalendarDocument(parsing: text).events[0].description == "一\n二\n三\n四五")
    }

    @Test func textIsTrimmedAndEmptyValuesAreLeftOut() throws {
        var event = fullEvent()
        event.summary = "  标题 \n"
        event.description = " \n "
        event.url = ""
        event.xProperties = [ICalendarXProperty(name: "X-EMPTY", value: "  ")]
        event.alarms = [ICalendarAlarm(daysBefore: 1, related: .end, description: "")]
        let text = try ICalendarDocument(productID: "-//T//T//ZH", events: [event]).serialized()
        #expect(ICalendarLint.problems(Data(text.utf8)) == [])
        #expect(text.contains("\r\nSUMMARY:标题\r\n"))
        #expect(!text.contains("URL") && !text.contains("X-EMPTY"))
        #expect(text.components(separatedBy: "DESCRIPTION:").count == 2)  // the alarm's, from the summary
        let read = try ICalendarDocument(parsing: text).events[0]
        #expect(read.description == nil)
        #expect(read.alarms[0].description == "标题")
    }

    @Test func categoriesKeepTheirItemsWhole() throws {
        var event = fullEvent()
        event.categories = ["执法, 检查", "a;b", "", "报告"]
        let text = try ICalendarDocument(productID: "-//T//T//ZH", events: [event]).serialized()
        #expect(text.contains("\r\nCATEGORIES:执法， 检查,a；b,报告\r\n"))
        #expect(try ICalendarDocument(parsing: text).events[0].categories == ["执法， 检查", "a；b", "报告"])
    }

    @Test func alarmTriggersCountWholeDaysAndHours() throws {
        let cases: [(ICalendarAlarm, String)] = [
            (ICalendarAlarm(daysBefore: 1, related: .end, hour: 9, description: "d"), "TRIGGER;RELATED=END:-PT15H"),
            (ICalendarAlarm(daysBefore: 4, related: .end, hour: 9, description: "d"), "TRIGGER;RELATED=END:-P3DT15H"),
            (ICalendarAlarm(daysBefore: 15, related: .end, hour: 0, description: "d"), "TRIGGER;RELATED=END:-P15D"),
            (ICalendarAlarm(daysBefore: 0, related: .start, hour: 9, description: "d"), "TRIGGER:PT9H"),
        ]
        for (alarm, line) in cases {
            var event = fullEvent()
            event.alarms = [alarm]
            let text = try ICalendarDocument(productID: "-//T//T//ZH", events: [event]).serialized()
            #expect(text.contains("\r\n\(line)\r\n"), "expected \(line)")
            #expect(try ICalendarDocument(parsing: text).events[0].alarms == [alarm])
        }
    }

    @Test func theParserReportsLibicalsErrors() {
        let broken = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:2026013\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        #expect(throws: ICalendarError.self) { try ICalendarDocument(parsing: broken) }
        #expect(throws: ICalendarError.self) { try ICalendarDocument(parsing: "BEGIN:VEVENT\r\nEND:VEVENT\r\n") }
    }

    /// Builtin time-zone lookups are serialized behind a lock: many threads at once give the
    /// same bytes.
    @Test func serializingFromManyThreadsAtOnceIsSafe() async throws {
        let document = ICalendarDocument(productID: "-//T//T//ZH", timeZone: "Asia/Shanghai", events: [fullEvent()])
        let expected = try document.serialized()
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<32 { group.addTask { try document.serialized() } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(results.count == 32)
        #expect(results.allSatisfy { $0 == expected })
    }
}

/// The lint catches what it is there to catch.
@Suite struct ICalendarLintTests {
    static let good = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260105\r\nDTEND;VALUE=DATE:20260106\r\nSUMMARY:安全\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

    @Test func aCleanFilePasses() {
        #expect(ICalendarLint.problems(Data(Self.good.utf8)) == [])
    }

    @Test func eachKnownFaultIsFound() {
        func problems(_ from: String, _ to: String) -> [String] {
            ICalendarLint.problems(Data(Self.good.replacingOccurrences(of: from, with: to).utf8))
        }
        #expect(problems("VERSION:2.0\r\n", "VERSION:2.0\n").contains { $0.hasPrefix("bare LF") })
        #expect(problems("DTSTAMP:20260101T000000Z", "DTSTAMP:20260101T000000").contains { $0.contains("DTSTAMP missing or not UTC") })
        #expect(problems("DTEND;VALUE=DATE:20260106", "DTEND;VALUE=DATE:20260105").contains { $0.contains("is not after DTSTART") })
        #expect(problems("UID:u\r\n", "").contains { $0.contains("0 UIDs") })
        #expect(problems("DTSTART;VALUE=DATE:20260105", "DTSTART;TZID=Asia/Shanghai:20260105T090000").contains { $0.contains("TZID=Asia/Shanghai has no VTIMEZONE") })
        #expect(problems("SUMMARY:安全", "SUMMARY:" + String(repeating: "a", count: 70)).contains { $0.contains("more than 75") })
        // A fold between the bytes of 安 (E5 AE 89).
        var split = Array(Self.good.utf8)
        let at = split.firstIndex(of: 0xE5)! + 1
        split.insert(contentsOf: [0x0D, 0x0A, 0x20], at: at)
        #expect(ICalendarLint.problems(Data(split)).contains { $0.contains("not valid UTF-8 on its own") })
    }
}
