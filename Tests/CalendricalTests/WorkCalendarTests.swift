@testable import Calendrical
import Testing

/// The official years, typed in from the State Council General Office notices.
enum Notices {
    /// 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）.
    static let year2025 = HolidayYear(
        year: 2025,
        notice: "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
        holidays: [
            // 一、元旦：1月1日（周三）放假1天，不调休。
            holiday("元旦", "2025-01-01", "2025-01-01"),
            // 二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。
            holiday("春节", "2025-01-28", "2025-02-04"),
            // 三、清明节：4月4日（周五）至6日（周日）放假，共3天。
            holiday("清明节", "2025-04-04", "2025-04-06"),
            // 四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。
            holiday("劳动节", "2025-05-01", "2025-05-05"),
            // 五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
            holiday("端午节", "2025-05-31", "2025-06-02"),
            // 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天 (中秋 on October 6).
            holiday("国庆节", "2025-10-01", "2025-10-05"),
            holiday("中秋节", "2025-10-06", "2025-10-06"),
            holiday("国庆节", "2025-10-07", "2025-10-08"),
        ],
        makeUpWorkdays: [
            makeUp("2025-01-26", "春节"), makeUp("2025-02-08", "春节"),
            makeUp("2025-04-27", "劳动节"),
            makeUp("2025-09-28", "国庆节"), makeUp("2025-10-11", "国庆节"),
        ])

    /// 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）.
    static let year2026 = HolidayYear(
        year: 2026,
        notice: "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）",
        holidays: [
            // 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
            holiday("元旦", "2026-01-01", "2026-01-03"),
            // 二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
            holiday("春节", "2026-02-15", "2026-02-23"),
            // 三、清明节：4月4日（周六）至6日（周一）放假，共3天。
            holiday("清明节", "2026-04-04", "2026-04-06"),
            // 四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
            holiday("劳动节", "2026-05-01", "2026-05-05"),
            // 五、端午节：6月19日（周五）至21日（周日）放假，共3天。
            holiday("端午节", "2026-06-19", "2026-06-21"),
            // 六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
            holiday("中秋节", "2026-09-25", "2026-09-27"),
            // 七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。
            holiday("国庆节", "2026-10-01", "2026-10-07"),
        ],
        makeUpWorkdays: [
            makeUp("2026-01-04", "元旦"),
            makeUp("2026-02-14", "春节"), makeUp("2026-02-28", "春节"),
            makeUp("2026-05-09", "劳动节"),
            makeUp("2026-09-20", "国庆节"), makeUp("2026-10-10", "国庆节"),
        ])

    static let calendar = WorkCalendar(official: [year2025, year2026])
}

@Suite("WorkCalendar")
struct WorkCalendarTests {
    let calendar = Notices.calendar

    @Test("official years come from the notices; other years are provisional")
    func officialYears() {
        #expect(calendar.officialYears == [2025, 2026])
        #expect(!calendar.isProvisional(year: 2025))
        #expect(!calendar.isProvisional(year: 2026))
        #expect(calendar.isProvisional(year: 2024))
        #expect(calendar.isProvisional(year: 2027))
        #expect(calendar.year(2026).notice == "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）")
        #expect(!calendar.year(2026).isProvisional)
        #expect(calendar.year(2027).isProvisional)
        #expect(calendar.year(2027).notice == nil)
    }

    @Test("every day of 2025 and 2026 has the kind the notices give it", arguments: [2025, 2026])
    func everyDay(year: Int) {
        let notice = year == 2025 ? Notices.year2025 : Notices.year2026
        var expected: [CivilDate: DayKind] = [:]
        for holiday in notice.holidays {
            for day in holiday.from.dayNumber...holiday.through.dayNumber {
                expected[CivilDate(dayNumber: day)] = .holiday(holiday.name)
            }
        }
        for makeUp in notice.makeUpWorkdays {
            #expect(makeUp.date.isWeekend, "\(makeUp.date) is a weekend day")
            expected[makeUp.date] = .makeUpWorkday(makeUp.holiday)
        }
        var counts: [String: Int] = [:]
        for day in days("\(year)-01-01", "\(year)-12-31") {
            let kind = calendar.kind(of: day)
            #expect(kind == expected[day] ?? (day.isWeekend ? .weekend : .workday), "\(day)")
            #expect(calendar.isWorkingDay(day) == kind.isWorking)
            if case .holiday(let name) = kind { counts[name, default: 0] += 1 }
        }
        // Days off per break, as the notices count them (共N天).
        let total = year == 2025
            ? ["元旦": 1, "春节": 8, "清明节": 3, "劳动节": 5, "端午节": 3, "国庆节": 7, "中秋节": 1]
            : ["元旦": 3, "春节": 9, "清明节": 3, "劳动节": 5, "端午节": 3, "中秋节": 3, "国庆节": 7]
        #expect(counts == total)
    }

    @Test("holiday and make-up days, spot checks")
    func spotChecks() {
        #expect(calendar.kind(of: date("2026-01-03")) == .holiday("元旦"))  // a Saturday in the break
        #expect(calendar.kind(of: date("2026-01-04")) == .makeUpWorkday("元旦"))  // a Sunday worked
        #expect(calendar.kind(of: date("2026-02-14")) == .makeUpWorkday("春节"))
        #expect(calendar.kind(of: date("2026-02-15")) == .holiday("春节"))
        #expect(calendar.kind(of: date("2026-02-23")) == .holiday("春节"))
        #expect(calendar.kind(of: date("2026-02-24")) == .workday)
        #expect(calendar.kind(of: date("2026-02-28")) == .makeUpWorkday("春节"))
        #expect(calendar.kind(of: date("2026-03-01")) == .weekend)
        #expect(calendar.kind(of: date("2026-09-20")) == .makeUpWorkday("国庆节"))
        #expect(calendar.kind(of: date("2026-10-10")) == .makeUpWorkday("国庆节"))
        #expect(calendar.kind(of: date("2025-01-27")) == .workday)
        #expect(calendar.kind(of: date("2025-01-28")) == .holiday("春节"))
        #expect(calendar.kind(of: date("2025-10-06")) == .holiday("中秋节"))
        #expect(calendar.kind(of: date("2025-10-08")) == .holiday("国庆节"))
        #expect(calendar.kind(of: date("2025-10-11")) == .makeUpWorkday("国庆节"))
        #expect(calendar.kind(of: date("2025-12-31")) == .workday)
        #expect(DayKind.workday.isWorking && DayKind.makeUpWorkday("春节").isWorking)
        #expect(!DayKind.weekend.isWorking && !DayKind.holiday("春节").isWorking)
    }

    /// (month, working days, first working day, last working day), as chinesecalendar counts.
    static let months2025: [(Int, Int, String, String)] = [
        (1, 19, "2025-01-02", "2025-01-27"), (2, 19, "2025-02-05", "2025-02-28"),
        (3, 21, "2025-03-03", "2025-03-31"), (4, 22, "2025-04-01", "2025-04-30"),
        (5, 19, "2025-05-06", "2025-05-30"), (6, 20, "2025-06-03", "2025-06-30"),
        (7, 23, "2025-07-01", "2025-07-31"), (8, 21, "2025-08-01", "2025-08-29"),
        (9, 23, "2025-09-01", "2025-09-30"), (10, 18, "2025-10-09", "2025-10-31"),
        (11, 20, "2025-11-03", "2025-11-28"), (12, 23, "2025-12-01", "2025-12-31"),
    ]
    static let months2026: [(Int, Int, String, String)] = [
        (1, 21, "2026-01-04", "2026-01-30"), (2, 16, "2026-02-02", "2026-02-28"),
        (3, 22, "2026-03-02", "2026-03-31"), (4, 21, "2026-04-01", "2026-04-30"),
        (5, 19, "2026-05-06", "2026-05-29"), (6, 21, "2026-06-01", "2026-06-30"),
        (7, 23, "2026-07-01", "2026-07-31"), (8, 21, "2026-08-03", "2026-08-31"),
        (9, 22, "2026-09-01", "2026-09-30"), (10, 18, "2026-10-08", "2026-10-30"),
        (11, 21, "2026-11-02", "2026-11-30"), (12, 23, "2026-12-01", "2026-12-31"),
    ]

    @Test("working days per month, and each month's first and last working day")
    func months() {
        for (year, table) in [(2025, Self.months2025), (2026, Self.months2026)] {
            var yearTotal = 0
            for (month, count, first, last) in table {
                let period = Period(containing: date(first), unit: .month)
                #expect(period.start.month == month && period.start.year == year)
                let working = period.start.dayNumber...period.end.dayNumber
                let counted = working.filter { calendar.isWorkingDay(CivilDate(dayNumber: $0)) }.count
                #expect(counted == count, "\(period.key)")
                #expect(calendar.workingDay(1, of: period) == date(first), "\(period.key)")
                #expect(calendar.workingDay(-1, of: period) == date(last), "\(period.key)")
                #expect(calendar.workingDay(count, of: period) == date(last), "\(period.key)")
                #expect(calendar.workingDay(-count, of: period) == date(first), "\(period.key)")
                #expect(calendar.workingDay(count + 1, of: period) == nil)
                #expect(calendar.workingDay(-count - 1, of: period) == nil)
                yearTotal += count
            }
            #expect(yearTotal == 248)
        }
    }

    @Test("the last working day of a period can be a make-up day or fall before a holiday")
    func lastWorkingDays() {
        // February 2026 ends on a Saturday worked for 春节.
        #expect(calendar.workingDay(-1, of: Period(containing: date("2026-02-01"), unit: .month)) == date("2026-02-28"))
        // January 2025 ends inside 春节: the last working day is Monday the 27th, and the one
        // before it the Sunday worked on the 26th.
        let january2025 = Period(containing: date("2025-01-10"), unit: .month)
        #expect(calendar.workingDay(-1, of: january2025) == date("2025-01-27"))
        #expect(calendar.workingDay(-2, of: january2025) == date("2025-01-26"))
        #expect(calendar.workingDay(-3, of: january2025) == date("2025-01-24"))
        // 2026 starts with 元旦 and a Sunday worked.
        #expect(calendar.workingDay(1, of: Period(containing: date("2026-01-01"), unit: .quarter)) == date("2026-01-04"))
        // The third quarter ends on the last day before 国庆节.
        #expect(calendar.workingDay(-1, of: Period(containing: date("2026-08-01"), unit: .quarter)) == date("2026-09-30"))
        #expect(calendar.workingDay(-1, of: Period(containing: date("2025-08-01"), unit: .quarter)) == date("2025-09-30"))
        #expect(calendar.workingDay(-1, of: Period(containing: date("2026-12-01"), unit: .quarter)) == date("2026-12-31"))
        #expect(calendar.workingDay(-1, of: Period(containing: date("2026-06-01"), unit: .halfYear)) == date("2026-06-30"))
        #expect(calendar.workingDay(-1, of: Period(containing: date("2026-06-01"), unit: .year)) == date("2026-12-31"))
        // Weeks with a make-up Saturday.
        #expect(calendar.workingDay(-1, of: Period(containing: date("2026-02-09"), unit: .week)) == date("2026-02-14"))
        #expect(calendar.workingDay(1, of: Period(containing: date("2025-10-06"), unit: .week)) == date("2025-10-09"))
        #expect(calendar.workingDay(-1, of: Period(containing: date("2025-10-06"), unit: .week)) == date("2025-10-11"))
        // A week with no working day at all.
        #expect(calendar.workingDay(1, of: Period(containing: date("2026-02-16"), unit: .week)) == nil)
        #expect(calendar.workingDay(-1, of: Period(containing: date("2026-02-16"), unit: .week)) == nil)
        #expect(calendar.workingDay(0, of: Period(containing: date("2026-03-16"), unit: .week)) == nil)
    }

    @Test("rolling across Spring Festival 2026")
    func springFestival2026() {
        let forward = calendar.roll(date("2026-02-15"), .next)
        #expect(forward.original == date("2026-02-15"))
        #expect(forward.date == date("2026-02-24"))
        #expect(forward.moved)
        #expect(forward.reason == "原定2026年2月15日（春节假期），顺延至节后第一个工作日2月24日")
        #expect(!forward.isProvisional)

        // The Saturday before the break, 2026-02-14, is worked (调休上班), so a due date in the
        // break rolls back to it rather than to Friday the 13th.
        let backward = calendar.roll(date("2026-02-15"), .previous)
        #expect(backward.date == date("2026-02-14"))
        #expect(backward.reason == "原定2026年2月15日（春节假期），提前至节前最后一个工作日2月14日")
        #expect(!backward.isProvisional)
        // On Friday the 13th's own terms: the day before the worked Saturday.
        #expect(calendar.workingDay(onOrBefore: date("2026-02-14").adding(days: -1)) == date("2026-02-13"))

        for day in days("2026-02-15", "2026-02-23") {
            #expect(calendar.roll(day, .next).date == date("2026-02-24"), "\(day)")
            #expect(calendar.roll(day, .previous).date == date("2026-02-14"), "\(day)")
            let stay = calendar.roll(day, .none)
            #expect(stay.date == day && !stay.moved && stay.reason == nil && !stay.isProvisional)
        }
        // Working days do not move, make-up days included.
        for text in ["2026-02-13", "2026-02-14", "2026-02-24", "2026-02-28"] {
            let rolled = calendar.roll(date(text), .next)
            #expect(rolled.date == date(text) && rolled.reason == nil && !rolled.moved)
        }
        // A Sunday after the make-up Saturday.
        let sunday = calendar.roll(date("2026-03-01"), .next)
        #expect(sunday.date == date("2026-03-02"))
        #expect(sunday.reason == "原定2026年3月1日（星期日），顺延至下一个工作日3月2日（星期一）")
        let sundayBack = calendar.roll(date("2026-03-01"), .previous)
        #expect(sundayBack.date == date("2026-02-28"))
        #expect(sundayBack.reason == "原定2026年3月1日（星期日），提前至上一个工作日2月28日（星期六）")
    }

    @Test("rolling across National Day 2025 (joined with 中秋节)")
    func nationalDay2025() {
        let first = calendar.roll(date("2025-10-01"), .next)
        #expect(first.date == date("2025-10-09"))
        #expect(first.reason == "原定2025年10月1日（国庆节假期），顺延至节后第一个工作日10月9日")
        let midAutumn = calendar.roll(date("2025-10-06"), .next)
        #expect(midAutumn.date == date("2025-10-09"))
        #expect(midAutumn.reason == "原定2025年10月6日（中秋节假期），顺延至节后第一个工作日10月9日")
        let back = calendar.roll(date("2025-10-08"), .previous)
        #expect(back.date == date("2025-09-30"))
        #expect(back.reason == "原定2025年10月8日（国庆节假期），提前至节前最后一个工作日9月30日")
        for day in days("2025-10-01", "2025-10-08") {
            #expect(calendar.roll(day, .next).date == date("2025-10-09"))
            #expect(calendar.roll(day, .previous).date == date("2025-09-30"))
        }
        // Saturday the 27th rolls forward onto the Sunday worked for the break.
        #expect(calendar.roll(date("2025-09-27"), .next).date == date("2025-09-28"))
        #expect(calendar.roll(date("2025-10-12"), .previous).date == date("2025-10-11"))
    }

    @Test("rolling across National Day 2026")
    func nationalDay2026() {
        let forward = calendar.roll(date("2026-10-03"), .next)
        #expect(forward.date == date("2026-10-08"))
        #expect(forward.reason == "原定2026年10月3日（国庆节假期），顺延至节后第一个工作日10月8日")
        let backward = calendar.roll(date("2026-10-03"), .previous)
        #expect(backward.date == date("2026-09-30"))
        #expect(backward.reason == "原定2026年10月3日（国庆节假期），提前至节前最后一个工作日9月30日")
        for day in days("2026-10-01", "2026-10-07") {
            #expect(calendar.roll(day, .next).date == date("2026-10-08"))
            #expect(calendar.roll(day, .previous).date == date("2026-09-30"))
        }
        #expect(!calendar.roll(date("2026-10-10"), .next).moved)  // a Saturday worked
        let sunday = calendar.roll(date("2026-10-11"), .next)
        #expect(sunday.date == date("2026-10-12"))
        #expect(sunday.reason == "原定2026年10月11日（星期日），顺延至下一个工作日10月12日（星期一）")
        #expect(calendar.roll(date("2026-10-11"), .previous).date == date("2026-10-10"))
        // 中秋节 is a separate break in 2026 (September 25–27), with a Sunday worked before.
        #expect(calendar.roll(date("2026-09-26"), .next).date == date("2026-09-28"))
        #expect(calendar.roll(date("2026-09-19"), .next).date == date("2026-09-20"))
    }

    @Test("working-day periods skip holidays and count make-up days", arguments: [
        ("2026-09-30", 5, "2026-10-13"),  // 10-08, 10-09, 10-10 (Sat, worked), 10-12, 10-13
        ("2025-09-30", 5, "2025-10-14"),  // 10-09, 10-10, 10-11 (Sat, worked), 10-13, 10-14
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-14", 1, "2026-02-24"),
        ("2026-02-16", 1, "2026-02-24"),  // counted from inside the break
        ("2026-02-13", 10, "2026-03-05"),
        ("2026-02-24", -5, "2026-02-10"),  // back over the break and its Saturday worked
        ("2026-10-08", -1, "2026-09-30"),
        ("2026-10-08", 0, "2026-10-08"),
        ("2026-10-03", 0, "2026-10-03"),
        ("2025-12-31", 1, "2026-01-04"),  // over 元旦 into the Sunday worked
        ("2026-01-05", -1, "2026-01-04"),
        ("2026-01-04", -1, "2025-12-31"),
    ])
    func workingDayArithmetic(start: String, count: Int, expected: String) {
        #expect(calendar.adding(workdays: count, to: date(start)) == date(expected))
    }

    @Test("going forward and back by working days returns to a working day")
    func workingDayRoundTrip() {
        for day in days("2025-01-01", "2026-11-30") where calendar.isWorkingDay(day) {
            for count in [1, 3, 5, 10, 15] {
                let later = calendar.adding(workdays: count, to: day)
                #expect(calendar.isWorkingDay(later))
                #expect(calendar.adding(workdays: -count, to: later) == day, "\(day) + \(count)")
            }
        }
    }

    @Test("next and previous working day")
    func onOrAfter() {
        #expect(calendar.workingDay(onOrAfter: date("2026-02-15")) == date("2026-02-24"))
        #expect(calendar.workingDay(onOrAfter: date("2026-02-24")) == date("2026-02-24"))
        #expect(calendar.workingDay(onOrBefore: date("2026-02-23")) == date("2026-02-14"))
        #expect(calendar.workingDay(onOrBefore: date("2026-02-14")) == date("2026-02-14"))
        #expect(calendar.workingDay(onOrAfter: date("2025-12-31")) == date("2025-12-31"))
        #expect(calendar.workingDay(onOrAfter: date("2026-01-01")) == date("2026-01-04"))
    }

    @Test("dates in a year with no notice are provisional; 2027 from the rules")
    func provisional2027() throws {
        let spring = try #require(calendar.holiday(named: "春节", in: 2027))
        #expect(spring.from == date("2027-02-05"))
        #expect(spring.through == date("2027-02-08"))
        #expect(calendar.kind(of: date("2027-02-05")) == .holiday("春节"))
        #expect(calendar.kind(of: date("2027-02-09")) == .workday)
        // No make-up days are predicted: the Saturday before is an ordinary weekend.
        #expect(calendar.kind(of: date("2027-01-30")) == .weekend)

        let rolled = calendar.roll(date("2027-02-06"), .next)
        #expect(rolled.date == date("2027-02-09"))
        #expect(rolled.isProvisional)
        #expect(rolled.reason == "原定2027年2月6日（春节假期），顺延至节后第一个工作日2月9日")
        #expect(calendar.roll(date("2027-02-06"), .previous).date == date("2027-02-04"))

        let newYear = calendar.roll(date("2027-01-01"), .next)
        #expect(newYear.date == date("2027-01-04"))
        #expect(newYear.isProvisional)
        // Rolled back into 2026, it still leans on 2027's provisional holidays.
        let back = calendar.roll(date("2027-01-01"), .previous)
        #expect(back.date == date("2026-12-31"))
        #expect(back.isProvisional)
        #expect(back.reason == "原定2027年1月1日（元旦假期），提前至节前最后一个工作日2026年12月31日")
        // A working day of 2027 that does not move is still a provisional answer.
        let monday = calendar.roll(date("2027-03-01"), .next)
        #expect(!monday.moved && monday.isProvisional)
        // Without rolling, nothing depends on the calendar.
        #expect(!calendar.roll(date("2027-01-01"), .none).isProvisional)
        // Official years are not provisional.
        #expect(!calendar.roll(date("2026-10-01"), .next).isProvisional)
        #expect(!calendar.roll(date("2026-12-30"), .next).isProvisional)

        #expect(calendar.touchesProvisional(date("2026-12-31"), date("2027-01-04")))
        #expect(calendar.touchesProvisional(date("2027-01-04"), date("2026-12-31")))
        #expect(!calendar.touchesProvisional(date("2025-01-01"), date("2026-12-31")))
        #expect(calendar.touchesProvisional(date("2024-12-31"), date("2025-01-02")))
    }

    @Test("a notice can reach into the year before or after")
    func crossYearNotices() {
        // 国务院办公厅关于2019年部分节假日安排的通知（国办发明电〔2018〕15号）：元旦：2018年12月30日
        // 至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。
        let year2019 = HolidayYear(
            year: 2019, notice: "国办发明电〔2018〕15号",
            holidays: [holiday("元旦", "2018-12-30", "2019-01-01")],
            makeUpWorkdays: [makeUp("2018-12-29", "元旦")])
        let listedForward = WorkCalendar(official: [year2019])
        #expect(listedForward.kind(of: date("2018-12-29")) == .makeUpWorkday("元旦"))
        #expect(listedForward.kind(of: date("2018-12-30")) == .holiday("元旦"))
        #expect(listedForward.kind(of: date("2018-12-31")) == .holiday("元旦"))
        #expect(listedForward.kind(of: date("2019-01-01")) == .holiday("元旦"))
        #expect(listedForward.roll(date("2018-12-30"), .next).date == date("2019-01-02"))
        #expect(listedForward.roll(date("2018-12-30"), .previous).date == date("2018-12-29"))

        // The same break listed under the year it starts in spills into January.
        let year2018 = HolidayYear(
            year: 2018, notice: "test",
            holidays: [holiday("元旦", "2018-12-30", "2019-01-01")],
            makeUpWorkdays: [makeUp("2018-12-29", "元旦")])
        let listedBack = WorkCalendar(official: [year2018, HolidayYear(year: 2019, notice: "test", holidays: [], makeUpWorkdays: [])])
        #expect(listedBack.kind(of: date("2019-01-01")) == .holiday("元旦"))
        #expect(listedBack.kind(of: date("2018-12-29")) == .makeUpWorkday("元旦"))
        #expect(listedBack.kind(of: date("2019-01-02")) == .workday)
    }

    @Test("years and holidays are kept in order; a repeated year keeps the last")
    func construction() {
        let year = HolidayYear(
            year: 2030, notice: "b",
            holidays: [holiday("国庆节", "2030-10-01", "2030-10-07"), holiday("元旦", "2030-01-01", "2030-01-01")],
            makeUpWorkdays: [makeUp("2030-10-12", "国庆节"), makeUp("2030-09-29", "国庆节")])
        #expect(year.holidays.map(\.name) == ["元旦", "国庆节"])
        #expect(year.makeUpWorkdays.map(\.date) == [date("2030-09-29"), date("2030-10-12")])
        let first = HolidayYear(year: 2030, notice: "a", holidays: [], makeUpWorkdays: [])
        let repeated = WorkCalendar(official: [first, year])
        #expect(repeated.year(2030).notice == "b")
        #expect(repeated.holiday(named: "国庆节", in: 2030)?.through == date("2030-10-07"))
        #expect(repeated.holiday(named: "春节", in: 2030) == nil)
        #expect(holiday("春节", "2026-02-15", "2026-02-23").contains(date("2026-02-23")))
        #expect(!holiday("春节", "2026-02-15", "2026-02-23").contains(date("2026-02-24")))
    }
}
