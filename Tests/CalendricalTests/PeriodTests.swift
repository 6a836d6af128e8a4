@testable import Calendrical
import Foundation
import Testing

@Suite("Period")
struct PeriodTests {
    @Test("weeks run Monday to Sunday with ISO 8601 numbering across year ends", arguments: [
        // (a day, its week's Monday, key, label)
        ("2026-02-24", "2026-02-23", "2026-W09", "2026年第9周"),
        ("2026-01-01", "2025-12-29", "2026-W01", "2026年第1周"),
        ("2025-12-29", "2025-12-29", "2026-W01", "2026年第1周"),
        ("2025-12-28", "2025-12-22", "2025-W52", "2025年第52周"),
        ("2021-01-01", "2020-12-28", "2020-W53", "2020年第53周"),
        ("2021-01-03", "2020-12-28", "2020-W53", "2020年第53周"),
        ("2021-01-04", "2021-01-04", "2021-W01", "2021年第1周"),
        ("2024-12-30", "2024-12-30", "2025-W01", "2025年第1周"),
        ("2026-12-31", "2026-12-28", "2026-W53", "2026年第53周"),
        ("2027-01-03", "2026-12-28", "2026-W53", "2026年第53周"),
        ("2027-01-04", "2027-01-04", "2027-W01", "2027年第1周"),
        ("2016-01-03", "2015-12-28", "2015-W53", "2015年第53周"),
    ])
    func weeks(day: String, monday: String, key: String, label: String) {
        let week = Period(containing: date(day), unit: .week)
        #expect(week.start == date(monday))
        #expect(week.end == date(monday).adding(days: 6))
        #expect(week.start.weekday == 1)
        #expect(week.end.weekday == 7)
        #expect(week.key == key)
        #expect(week.chinese == label)
    }

    @Test("week keys agree with Foundation's ISO 8601 calendar")
    func weekKeysAgreeWithFoundation() throws {
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = try #require(TimeZone(identifier: "UTC"))
        let first = date("1999-12-20").dayNumber, last = date("2041-01-10").dayNumber
        for number in first...last {
            let day = CivilDate(dayNumber: number)
            let instant = Date(timeIntervalSince1970: TimeInterval(number) * 86_400)
            let parts = iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: instant)
            let expected = "\(parts.yearForWeekOfYear ?? 0)-W\((parts.weekOfYear ?? 0) < 10 ? "0" : "")\(parts.weekOfYear ?? 0)"
            let key = Period(containing: day, unit: .week).key
            if key != expected {
                Issue.record("\(day): \(key), Foundation says \(expected)")
                return
            }
        }
    }

    @Test("two-month periods B1 through B6", arguments: [
        ("2026-01-15", "2026-01-01", "2026-02-28", "2026-B1", "2026年1—2月"),
        ("2024-02-29", "2024-01-01", "2024-02-29", "2024-B1", "2024年1—2月"),
        ("2026-03-01", "2026-03-01", "2026-04-30", "2026-B2", "2026年3—4月"),
        ("2026-04-30", "2026-03-01", "2026-04-30", "2026-B2", "2026年3—4月"),
        ("2026-05-31", "2026-05-01", "2026-06-30", "2026-B3", "2026年5—6月"),
        ("2026-08-01", "2026-07-01", "2026-08-31", "2026-B4", "2026年7—8月"),
        ("2026-10-10", "2026-09-01", "2026-10-31", "2026-B5", "2026年9—10月"),
        ("2026-12-31", "2026-11-01", "2026-12-31", "2026-B6", "2026年11—12月"),
    ])
    func bimonths(day: String, start: String, end: String, key: String, label: String) {
        let period = Period(containing: date(day), unit: .bimonth)
        #expect(period.start == date(start))
        #expect(period.end == date(end))
        #expect(period.key == key)
        #expect(period.chinese == label)
    }

    @Test("quarters", arguments: [
        ("2026-01-01", "2026-01-01", "2026-03-31", "2026-Q1", "2026年第1季度"),
        ("2026-03-31", "2026-01-01", "2026-03-31", "2026-Q1", "2026年第1季度"),
        ("2026-05-20", "2026-04-01", "2026-06-30", "2026-Q2", "2026年第2季度"),
        ("2026-07-01", "2026-07-01", "2026-09-30", "2026-Q3", "2026年第3季度"),
        ("2026-12-31", "2026-10-01", "2026-12-31", "2026-Q4", "2026年第4季度"),
    ])
    func quarters(day: String, start: String, end: String, key: String, label: String) {
        let period = Period(containing: date(day), unit: .quarter)
        #expect(period.start == date(start))
        #expect(period.end == date(end))
        #expect(period.key == key)
        #expect(period.chinese == label)
    }

    @Test("half-years", arguments: [
        ("2026-01-01", "2026-01-01", "2026-06-30", "2026-H1", "2026年上半年"),
        ("2026-06-30", "2026-01-01", "2026-06-30", "2026-H1", "2026年上半年"),
        ("2026-07-01", "2026-07-01", "2026-12-31", "2026-H2", "2026年下半年"),
        ("2026-12-31", "2026-07-01", "2026-12-31", "2026-H2", "2026年下半年"),
    ])
    func halfYears(day: String, start: String, end: String, key: String, label: String) {
        let period = Period(containing: date(day), unit: .halfYear)
        #expect(period.start == date(start))
        #expect(period.end == date(end))
        #expect(period.key == key)
        #expect(period.chinese == label)
    }

    @Test("days, months and years")
    func otherUnits() {
        let day = Period(containing: date("2026-03-05"), unit: .day)
        #expect(day.start == date("2026-03-05") && day.end == date("2026-03-05"))
        #expect(day.key == "2026-03-05")
        #expect(day.chinese == "2026年3月5日")

        let february = Period(containing: date("2024-02-10"), unit: .month)
        #expect(february.start == date("2024-02-01") && february.end == date("2024-02-29"))
        #expect(february.key == "2024-02")
        #expect(february.chinese == "2024年2月")
        #expect(Period(containing: date("2026-11-30"), unit: .month).key == "2026-11")

        let year = Period(containing: date("2026-07-14"), unit: .year)
        #expect(year.start == date("2026-01-01") && year.end == date("2026-12-31"))
        #expect(year.key == "2026")
        #expect(year.chinese == "2026年")
    }

    @Test("the next period follows on without a gap, across year ends")
    func next() {
        #expect(Period(containing: date("2026-12-31"), unit: .day).next.key == "2027-01-01")
        #expect(Period(containing: date("2026-12-31"), unit: .week).next.key == "2027-W01")
        #expect(Period(containing: date("2026-12-23"), unit: .week).next.key == "2026-W53")
        #expect(Period(containing: date("2026-12-31"), unit: .month).next.key == "2027-01")
        #expect(Period(containing: date("2026-12-31"), unit: .bimonth).next.key == "2027-B1")
        #expect(Period(containing: date("2026-12-31"), unit: .quarter).next.key == "2027-Q1")
        #expect(Period(containing: date("2026-12-31"), unit: .halfYear).next.key == "2027-H1")
        #expect(Period(containing: date("2026-12-31"), unit: .year).next.key == "2027")
        for unit in PeriodUnit.allCases {
            var period = Period(containing: date("2025-11-15"), unit: unit)
            for _ in 0..<30 {
                let next = period.next
                #expect(next.start == period.end.adding(days: 1), "\(unit) after \(period.key)")
                #expect(next.unit == unit)
                period = next
            }
        }
    }

    @Test("every day lies in exactly the period that contains it")
    func containment() {
        for day in days("2024-01-01", "2027-12-31") {
            for unit in PeriodUnit.allCases {
                let period = Period(containing: day, unit: unit)
                #expect(period.start <= day && day <= period.end, "\(day) \(unit)")
            }
        }
    }

    @Test("unit names")
    func units() {
        #expect(PeriodUnit(rawValue: "half-year") == .halfYear)
        #expect(PeriodUnit(rawValue: "bimonth") == .bimonth)
        #expect(PeriodUnit.allCases.map(\.chinese) == ["日", "周", "月", "两个月", "季度", "半年", "年"])
        #expect(PeriodUnit.allCases.map(\.months) == [nil, nil, 1, 2, 3, 6, 12])
    }
}
