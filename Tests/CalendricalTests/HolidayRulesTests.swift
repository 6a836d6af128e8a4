@testable import Calendrical
import Testing

@Suite("HolidayRules")
struct HolidayRulesTests {
    @Test("2027 from the statutory rules")
    func year2027() {
        let year = HolidayRules.provisionalYear(2027)
        #expect(year.year == 2027)
        #expect(year.notice == nil)
        #expect(year.isProvisional)
        #expect(year.makeUpWorkdays.isEmpty)
        #expect(year.holidays.map(\.name) == ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"])
        let spans = year.holidays.map { "\($0.from)..\($0.through)" }
        #expect(spans == [
            "2027-01-01..2027-01-01",
            "2027-02-05..2027-02-08",  // 除夕 (腊月三十) through 正月初三
            "2027-04-05..2027-04-05",
            "2027-05-01..2027-05-02",
            "2027-06-09..2027-06-09",
            "2027-09-15..2027-09-15",
            "2027-10-01..2027-10-03",
        ])
        // 13 statutory days off (11 before 2025, plus one each for 春节 and 劳动节).
        #expect(year.holidays.map { $0.from.days(to: $0.through) + 1 }.reduce(0, +) == 13)
    }

    @Test("every year has the seven festivals with their statutory lengths")
    func shape() {
        for number in 1901...2099 {
            let year = HolidayRules.provisionalYear(number)
            // In date order; 中秋 can fall after October 1 (in 2028 on October 3).
            let lengths = Dictionary(
                year.holidays.map { ($0.name, $0.from.days(to: $0.through) + 1) }, uniquingKeysWith: +)
            #expect(year.holidays.count == 7, "\(number)")
            #expect(lengths == ["元旦": 1, "春节": 4, "清明节": 1, "劳动节": 2, "端午节": 1, "中秋节": 1, "国庆节": 3],
                    "\(number)")
            #expect(zip(year.holidays, year.holidays.dropFirst()).allSatisfy { $0.from <= $1.from })
            #expect(year.holidays.allSatisfy { $0.from.year == number && $0.through.year == number })
            #expect(year.makeUpWorkdays.isEmpty)
        }
    }

    @Test("正月初一 (Spring Festival)", arguments: [
        ("2000-02-05"), ("2001-01-24"), ("2010-02-14"), ("2020-01-25"), ("2021-02-12"),
        ("2022-02-01"), ("2023-01-22"), ("2024-02-10"), ("2025-01-29"), ("2026-02-17"),
        ("2027-02-06"), ("2028-01-26"), ("2029-02-13"), ("2030-02-03"), ("2031-01-23"),
        ("2032-02-11"), ("2033-01-31"), ("2034-02-19"), ("2035-02-08"),
    ])
    func springFestival(text: String) {
        let day = date(text)
        #expect(HolidayRules.lunarNewYear(day.year) == day)
        let spring = HolidayRules.provisionalYear(day.year).holidays.first { $0.name == "春节" }
        #expect(spring?.from == day.adding(days: -1))
        #expect(spring?.through == day.adding(days: 2))
    }

    @Test("除夕 is the last day of the twelfth month, the 29th or the 30th", arguments: [
        // 2024: 除夕 (2月9日) in the 2024 notice, 腊月三十; 2025: 1月28日（农历除夕）; 2026:
        // 2月15日 is 腊月二十八, so 除夕 is 腊月二十九, February 16.
        ("2024", "2024-02-09"), ("2025", "2025-01-28"), ("2026", "2026-02-16"),
        ("2027", "2027-02-05"),
    ])
    func newYearsEve(year: String, eve: String) {
        let spring = HolidayRules.provisionalYear(Int(year) ?? 0).holidays.first { $0.name == "春节" }
        #expect(spring?.from == date(eve))
    }

    @Test("端午 (五月初五) and 中秋 (八月十五)", arguments: [
        ("2024-06-10", "2024-09-17"), ("2025-05-31", "2025-10-06"), ("2026-06-19", "2026-09-25"),
        ("2027-06-09", "2027-09-15"), ("2028-05-28", "2028-10-03"), ("2029-06-16", "2029-09-22"),
        ("2030-06-05", "2030-09-12"),
        // Years with a leap fifth month (2009, 2028) or a leap eighth month (1995): the
        // festival is in the ordinary month.
        ("2009-05-28", "2009-10-03"), ("1995-06-02", "1995-09-09"),
    ])
    func festivals(dragonBoat: String, midAutumn: String) {
        let year = date(dragonBoat).year
        #expect(HolidayRules.dragonBoatFestival(year) == date(dragonBoat))
        #expect(HolidayRules.midAutumnFestival(year) == date(midAutumn))
        let derived = HolidayRules.provisionalYear(year).holidays
        #expect(derived.first { $0.name == "端午节" }?.from == date(dragonBoat))
        #expect(derived.first { $0.name == "中秋节" }?.from == date(midAutumn))
    }

    /// 清明 2000–2050, as almanacs give it.
    static let qingming: [String] = [
        "2000-04-04", "2001-04-05", "2002-04-05", "2003-04-05", "2004-04-04", "2005-04-05",
        "2006-04-05", "2007-04-05", "2008-04-04", "2009-04-04", "2010-04-05", "2011-04-05",
        "2012-04-04", "2013-04-04", "2014-04-05", "2015-04-05", "2016-04-04", "2017-04-04",
        "2018-04-05", "2019-04-05", "2020-04-04", "2021-04-04", "2022-04-05", "2023-04-05",
        "2024-04-04", "2025-04-04", "2026-04-05", "2027-04-05", "2028-04-04", "2029-04-04",
        "2030-04-05", "2031-04-05", "2032-04-04", "2033-04-04", "2034-04-05", "2035-04-05",
        "2036-04-04", "2037-04-04", "2038-04-05", "2039-04-05", "2040-04-04", "2041-04-04",
        "2042-04-04", "2043-04-05", "2044-04-04", "2045-04-04", "2046-04-04", "2047-04-05",
        "2048-04-04", "2049-04-04", "2050-04-04",
    ]

    @Test("清明 2000–2050")
    func qingmingKnownDates() {
        #expect(Self.qingming.count == 51)
        for text in Self.qingming {
            let day = date(text)
            #expect(HolidayRules.qingming(day.year) == day, "\(day.year)")
            #expect(HolidayRules.provisionalYear(day.year).holidays.first { $0.name == "清明节" }?.from == day)
            #expect(day.month == 4 && (4...5).contains(day.day))
        }
    }

    @Test("the 清明 formula agrees with the Sun's longitude, 1900–2099")
    func qingmingFormulaMatchesAstronomy() {
        for year in 1900...2099 {
            let byFormula = HolidayRules.qingming(year)
            let byLongitude = HolidayRules.solarTermDay(longitude: 15, year: year, near: (4, 4))
            #expect(byFormula == byLongitude, "\(year)")
        }
    }

    @Test("清明 outside the formula's centuries comes from the Sun's longitude")
    func qingmingOutsideFormula() {
        // 2100 is not a leap year, so 清明 moves to April 5 (the 21st-century formula, with
        // Y = 0, would say April 4).
        #expect(HolidayRules.qingming(2100) == date("2100-04-05"))
        #expect(HolidayRules.qingming(2150).map { $0.month == 4 && (4...6).contains($0.day) } == true)
        #expect(HolidayRules.qingming(1899).map { $0.month == 4 && (4...6).contains($0.day) } == true)
    }

    @Test("the Sun's longitude at known instants")
    func solarLongitude() {
        // Meeus, example 25.a: 1992-10-13 0h TD, apparent longitude 199.90895°.
        let longitude = HolidayRules.apparentSolarLongitude(julianEphemerisDay: 2_448_908.5)
        #expect(abs(longitude - 199.909) < 0.01)
        // March equinox 2026 (longitude 0°) is on March 20, Beijing time.
        #expect(HolidayRules.solarTermDay(longitude: 0, year: 2026, near: (3, 20)) == date("2026-03-20"))
        // December solstice 2026 (270°) is on December 22, Beijing time.
        #expect(HolidayRules.solarTermDay(longitude: 270, year: 2026, near: (12, 21)) == date("2026-12-22"))
    }

    @Test("the derived days fall inside the official breaks of 2025 and 2026")
    func derivedInsideOfficial() {
        for official in [Notices.year2025, Notices.year2026] {
            for statutory in HolidayRules.provisionalYear(official.year).holidays {
                for day in statutory.from.dayNumber...statutory.through.dayNumber {
                    let civil = CivilDate(dayNumber: day)
                    let covering = official.holidays.first { $0.contains(civil) }
                    #expect(covering?.name == statutory.name, "\(civil) \(statutory.name)")
                }
            }
        }
    }

    @Test("years beyond the calendar's range have no holidays")
    func outOfRange() {
        #expect(HolidayRules.provisionalYear(0).holidays.isEmpty)
        #expect(HolidayRules.provisionalYear(10_000).holidays.isEmpty)
        #expect(HolidayRules.provisionalYear(-5).isProvisional)
    }
}
