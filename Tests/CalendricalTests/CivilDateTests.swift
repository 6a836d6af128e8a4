@testable import Calendrical
import Foundation
import Testing

@Suite("CivilDate")
struct CivilDateTests {
    @Test("parses YYYY-MM-DD")
    func parses() throws {
        let parsed = try #require(CivilDate("2026-02-24"))
        #expect(parsed.year == 2026)
        #expect(parsed.month == 2)
        #expect(parsed.day == 24)
        #expect(parsed.description == "2026-02-24")
        #expect(CivilDate("2024-02-29") != nil)
        #expect(CivilDate("2000-02-29") != nil)
        #expect(CivilDate("0001-01-01")?.description == "0001-01-01")
        #expect(CivilDate("9999-12-31")?.description == "9999-12-31")
        // Works on any string-like value.
        #expect(CivilDate("x2026-03-05".dropFirst()) == CivilDate(year: 2026, month: 3, day: 5))
    }

    @Test("rejects malformed text and days that do not exist", arguments: [
        "", "2026", "2026-02", "2026-2-24", "2026-02-4", "26-02-24", "02026-02-24",
        "2026/02/24", "2026-02-24 ", " 2026-02-24", "2026-02-24T00:00", "+026-02-24",
        "2026--2-24", "-2026-02-24", "２０２６-02-24", "2026-0２-24", "abcd-ef-gh",
        "2026-02-29", "2025-02-29", "1900-02-29", "2100-02-29", "2026-04-31", "2026-06-31",
        "2026-09-31", "2026-11-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32",
        "0000-01-01",
    ])
    func rejects(text: String) {
        #expect(CivilDate(text) == nil)
    }

    @Test("the field initializer validates")
    func fieldInitializer() {
        #expect(CivilDate(year: 2026, month: 2, day: 28) != nil)
        #expect(CivilDate(year: 2026, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2026, month: 4, day: 31) == nil)
        #expect(CivilDate(year: 2026, month: 0, day: 1) == nil)
        #expect(CivilDate(year: 2026, month: 13, day: 1) == nil)
        #expect(CivilDate(year: 2026, month: 1, day: 0) == nil)
        #expect(CivilDate(year: 0, month: 1, day: 1) == nil)
        #expect(CivilDate(year: 10_000, month: 1, day: 1) == nil)
    }

    @Test("day numbers count from 1970-01-01", arguments: [
        ("1970-01-01", 0), ("1969-12-31", -1), ("1970-01-02", 1), ("2000-03-01", 11_017),
        ("2024-02-29", 19_782), ("2026-02-24", 20_508), ("0001-01-01", -719_162),
        ("9999-12-31", 2_932_896),
    ])
    func dayNumbers(text: String, number: Int) {
        let day = date(text)
        #expect(day.dayNumber == number)
        #expect(CivilDate(dayNumber: number) == day)
    }

    @Test("day numbers round-trip and run without gaps")
    func dayNumberRoundTrip() {
        var previous = CivilDate(dayNumber: -719_163)
        for number in stride(from: -719_162, through: 2_932_896, by: 1) {
            let day = CivilDate(dayNumber: number)
            guard day.dayNumber == number,
                  CivilDate(year: day.year, month: day.month, day: day.day) == day,
                  previous < day,
                  previous.adding(days: 1) == day else {
                Issue.record("day number \(number) gave \(day)")
                return
            }
            previous = day
        }
        #expect(previous.description == "9999-12-31")
    }

    @Test("ISO weekdays", arguments: [
        ("1970-01-01", 4), ("1969-12-28", 7), ("1969-12-29", 1), ("2000-01-01", 6),
        ("2024-02-29", 4), ("2026-02-14", 6), ("2026-02-15", 7), ("2026-02-24", 2),
        ("2026-10-01", 4), ("0001-01-01", 1), ("9999-12-31", 5),
    ])
    func weekdays(text: String, weekday: Int) {
        let day = date(text)
        #expect(day.weekday == weekday)
        #expect(day.isWeekend == (weekday >= 6))
    }

    @Test("weekdays agree with Foundation's Gregorian calendar")
    func weekdaysAgreeWithFoundation() throws {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = try #require(TimeZone(identifier: "UTC"))
        for number in stride(from: -30_000, through: 60_000, by: 7) {
            let day = CivilDate(dayNumber: number)
            let instant = Date(timeIntervalSince1970: TimeInterval(number) * 86_400)
            let parts = gregorian.dateComponents([.year, .month, .day, .weekday], from: instant)
            #expect(parts.year == day.year && parts.month == day.month && parts.day == day.day)
            // Foundation counts Sunday as 1.
            #expect(parts.weekday.map { ($0 + 5) % 7 + 1 } == day.weekday)
        }
    }

    @Test("adding days crosses months, years and leap days")
    func addingDays() {
        #expect(date("2026-02-28").adding(days: 1) == date("2026-03-01"))
        #expect(date("2024-02-28").adding(days: 1) == date("2024-02-29"))
        #expect(date("2026-12-31").adding(days: 1) == date("2027-01-01"))
        #expect(date("2026-01-01").adding(days: -1) == date("2025-12-31"))
        #expect(date("2026-02-24").adding(days: 0) == date("2026-02-24"))
        #expect(date("2026-01-01").adding(days: 365) == date("2027-01-01"))
        #expect(date("2024-01-01").adding(days: 366) == date("2025-01-01"))
        #expect(date("2026-02-15").days(to: date("2026-02-24")) == 9)
        #expect(date("2026-02-24").days(to: date("2026-02-15")) == -9)
    }

    @Test("adding months clamps to the end of a shorter month", arguments: [
        ("2026-01-31", 1, "2026-02-28"), ("2024-01-31", 1, "2024-02-29"),
        ("2026-03-31", -1, "2026-02-28"), ("2024-03-30", -1, "2024-02-29"),
        ("2026-05-31", 1, "2026-06-30"), ("2026-05-31", 4, "2026-09-30"),
        ("2026-12-15", 1, "2027-01-15"), ("2026-01-15", -1, "2025-12-15"),
        ("2026-01-15", -13, "2024-12-15"), ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"), ("2026-08-31", 0, "2026-08-31"),
        ("2026-10-31", 14, "2027-12-31"), ("2026-03-10", -24, "2024-03-10"),
    ])
    func addingMonths(start: String, months: Int, expected: String) {
        #expect(date(start).adding(months: months) == date(expected))
    }

    @Test("Gregorian leap years and month lengths")
    func leapYears() {
        #expect(CivilDate.isLeap(2000))
        #expect(CivilDate.isLeap(2024))
        #expect(CivilDate.isLeap(2028))
        #expect(!CivilDate.isLeap(1900))
        #expect(!CivilDate.isLeap(2100))
        #expect(!CivilDate.isLeap(2026))
        #expect(CivilDate.daysIn(month: 2, year: 2024) == 29)
        #expect(CivilDate.daysIn(month: 2, year: 2026) == 28)
        #expect(CivilDate.daysIn(month: 2, year: 2000) == 29)
        #expect(CivilDate.daysIn(month: 2, year: 1900) == 28)
        #expect((1...12).map { CivilDate.daysIn(month: $0, year: 2026) }
            == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
        #expect(date("2024-02-10").lastOfMonth == date("2024-02-29"))
        #expect(date("2026-02-10").lastOfMonth == date("2026-02-28"))
        #expect(date("2026-02-10").firstOfMonth == date("2026-02-01"))
        #expect(date("2026-12-31").firstOfMonth == date("2026-12-01"))
    }

    @Test("order follows the calendar")
    func ordering() {
        #expect(date("2025-12-31") < date("2026-01-01"))
        #expect(date("2026-01-31") < date("2026-02-01"))
        #expect(date("2026-02-01") < date("2026-02-02"))
        #expect(!(date("2026-02-02") < date("2026-02-02")))
        #expect([date("2026-03-01"), date("2025-12-31"), date("2026-01-15")].sorted()
            == [date("2025-12-31"), date("2026-01-15"), date("2026-03-01")])
    }

    @Test("Chinese forms")
    func chineseForms() {
        let day = date("2026-02-24")
        #expect(day.chinese == "2026年2月24日")
        #expect(day.chineseMonthDay == "2月24日")
        #expect(day.chineseWeekday == "星期二")
        #expect(date("2026-02-15").chineseWeekday == "星期日")
        #expect(date("2026-02-16").chineseWeekday == "星期一")
    }

    @Test("encodes and decodes as YYYY-MM-DD text")
    func codable() throws {
        let data = try JSONEncoder().encode([date("2026-02-24")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-02-24"]"#)
        #expect(try JSONDecoder().decode([CivilDate].self, from: data) == [date("2026-02-24")])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CivilDate].self, from: Data(#"["2026-02-30"]"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CivilDate].self, from: Data("[20260224]".utf8))
        }
    }

    @Test("date ranges are inclusive")
    func ranges() throws {
        #expect(DateRange(from: date("2026-02-24"), through: date("2026-02-23")) == nil)
        let single = try #require(DateRange(from: date("2026-02-24"), through: date("2026-02-24")))
        #expect(single.days == [date("2026-02-24")])
        let spring = try #require(DateRange(from: date("2026-02-15"), through: date("2026-02-23")))
        #expect(spring.days.count == 9)
        #expect(spring.days.first == date("2026-02-15"))
        #expect(spring.days.last == date("2026-02-23"))
        #expect(spring.contains(date("2026-02-15")))
        #expect(spring.contains(date("2026-02-23")))
        #expect(!spring.contains(date("2026-02-14")))
        #expect(!spring.contains(date("2026-02-24")))
        #expect(spring.overlaps(start: date("2026-02-01"), end: date("2026-02-15")))
        #expect(spring.overlaps(start: date("2026-02-23"), end: date("2026-03-01")))
        #expect(spring.overlaps(start: date("2026-02-01"), end: date("2026-03-01")))
        #expect(!spring.overlaps(start: date("2026-02-01"), end: date("2026-02-14")))
        #expect(!spring.overlaps(start: date("2026-02-24"), end: date("2026-03-01")))
    }
}
