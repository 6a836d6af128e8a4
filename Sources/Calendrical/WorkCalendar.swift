import Foundation

/// A public holiday break as announced: 春节 from 2026-02-15 through 2026-02-23.
public struct Holiday: Hashable, Sendable {
    /// The holiday's Chinese name: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节.
    public let name: String
    /// First day off.
    public let from: CivilDate
    /// Last day off (inclusive).
    public let through: CivilDate

    /// A holiday break.
    public init(name: String, from: CivilDate, through: CivilDate) {
        self.name = name
        self.from = from
        self.through = through
    }

    /// True when `date` is one of the break's days.
    public func contains(_ date: CivilDate) -> Bool { from <= date && date <= through }
}

/// A weekend day that is a working day to make up for a holiday (调休上班).
public struct MakeUpWorkday: Hashable, Sendable {
    /// The weekend day worked.
    public let date: CivilDate
    /// The holiday it makes up for.
    public let holiday: String

    /// A make-up working day.
    public init(date: CivilDate, holiday: String) {
        self.date = date
        self.holiday = holiday
    }
}

/// One year of China's working-day calendar.
public struct HolidayYear: Hashable, Sendable {
    /// The year.
    public let year: Int
    /// The State Council General Office notice it comes from; nil for a year derived from
    /// the statutory rules because no notice exists yet (a provisional year).
    public let notice: String?
    /// The holiday breaks, in date order.
    public let holidays: [Holiday]
    /// Weekend days that are working days.
    public let makeUpWorkdays: [MakeUpWorkday]

    /// A year's calendar.
    public init(year: Int, notice: String?, holidays: [Holiday], makeUpWorkdays: [MakeUpWorkday]) {
        self.year = year
        self.notice = notice
        self.holidays = holidays.sorted { $0.from < $1.from }
        self.makeUpWorkdays = makeUpWorkdays.sorted { $0.date < $1.date }
    }

    /// True when the year is derived from the rules rather than an official notice.
    public var isProvisional: Bool { notice == nil }
}

/// What kind of day a date is on the working-day calendar.
public enum DayKind: Hashable, Sendable {
    /// An ordinary Monday–Friday working day.
    case workday
    /// Saturday or Sunday, no make-up.
    case weekend
    /// A day of a holiday break.
    case holiday(String)
    /// A weekend day worked to make up for a holiday.
    case makeUpWorkday(String)

    /// True when offices work that day.
    public var isWorking: Bool {
        switch self {
        case .workday, .makeUpWorkday: true
        case .weekend, .holiday: false
        }
    }
}

/// Where a due date that falls on a non-working day goes.
public enum RollingPolicy: String, CaseIterable, Sendable, Codable {
    /// To the next working day (the default, as statutory periods under 民法典 第二百零三条).
    case next
    /// To the previous working day.
    case previous
    /// It stays where it is.
    case none
}

/// A due date after rolling, with why it moved.
public struct RolledDate: Hashable, Sendable {
    /// The date the schedule gave.
    public let original: CivilDate
    /// The date after rolling (equal to `original` when it did not move).
    public let date: CivilDate
    /// Why it moved, in Chinese; nil when it did not move.
    public let reason: String?
    /// True when a day looked at lies in a year with no official notice yet.
    public let isProvisional: Bool

    /// A rolled date; `reason` says why `date` differs from `original`.
    public init(original: CivilDate, date: CivilDate, reason: String?, isProvisional: Bool) {
        self.original = original
        self.date = date
        self.reason = reason
        self.isProvisional = isProvisional
    }

    /// True when the date moved.
    public var moved: Bool { date != original }
}

/// China's official working-day calendar: weekends, public holidays and make-up working
/// days, from the State Council General Office notices where they exist and derived from
/// the statutory rules (provisionally) where they do not.
public struct WorkCalendar: Sendable {
    private let official: [Int: HolidayYear]
    private let derived: DerivedYears

    /// A calendar from the official years; other years are derived by `HolidayRules`.
    public init(official years: [HolidayYear]) {
        official = Dictionary(years.map { ($0.year, $0) }, uniquingKeysWith: { _, last in last })
        derived = DerivedYears()
    }

    /// Years that have an official notice, in order.
    public var officialYears: [Int] { official.keys.sorted() }

    /// The calendar for `year`: the official one, or the provisional one from the rules.
    public func year(_ year: Int) -> HolidayYear {
        official[year] ?? derived.year(year)
    }

    /// True when `year` has no official notice and its holidays are provisional.
    public func isProvisional(year: Int) -> Bool { official[year] == nil }

    /// What kind of day `date` is.
    public func kind(of date: CivilDate) -> DayKind {
        // A notice can reach across the turn of the year: a break that began in December can
        // run into January, and a year's notice can name a late-December day (a 元旦 break
        // starting on December 30, or a make-up working day such as 2018-12-29 in the 2019
        // notice). So next to the date's own year, January looks at the year before and
        // December at the year after.
        var years = [year(date.year)]
        if date.month == 1 { years.append(year(date.year - 1)) }
        if date.month == 12 { years.append(year(date.year + 1)) }
        for calendar in years {
            if let holiday = calendar.holidays.first(where: { $0.contains(date) }) {
                return .holiday(holiday.name)
            }
        }
        for calendar in years {
            if let makeUp = calendar.makeUpWorkdays.first(where: { $0.date == date }) {
                return .makeUpWorkday(makeUp.holiday)
            }
        }
        return date.isWeekend ? .weekend : .workday
    }

    /// True when offices work on `date`.
    public func isWorkingDay(_ date: CivilDate) -> Bool { kind(of: date).isWorking }

    /// The number of working days from `start` through `end`, both included; 0 when `end` is earlier.
    public func workingDays(from start: CivilDate, through end: CivilDate) -> Int {
        var count = 0
        var day = start
        while day <= end {
            if isWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    /// The first working day on or after `date`.
    public func workingDay(onOrAfter date: CivilDate) -> CivilDate {
        var day = date
        while !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The last working day on or before `date`.
    public func workingDay(onOrBefore date: CivilDate) -> CivilDate {
        var day = date
        while !isWorkingDay(day) { day = day.adding(days: -1) }
        return day
    }

    /// The `count`th working day after `date` (before it when `count` is negative);
    /// `date` itself does not count. Zero gives `date`.
    public func adding(workdays count: Int, to date: CivilDate) -> CivilDate {
        var day = date
        var left = abs(count)
        let step = count >= 0 ? 1 : -1
        while left > 0 {
            day = day.adding(days: step)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }

    /// The `nth` working day of `period`: 1 is the first, -1 the last. Nil when the period
    /// has fewer working days.
    public func workingDay(_ nth: Int, of period: Period) -> CivilDate? {
        guard nth != 0 else { return nil }
        var day = nth > 0 ? period.start : period.end
        var left = abs(nth)
        while period.start <= day && day <= period.end {
            if isWorkingDay(day) {
                left -= 1
                if left == 0 { return day }
            }
            day = day.adding(days: nth > 0 ? 1 : -1)
        }
        return nil
    }

    /// True when any day from `a` through `b` (either order) lies in a provisional year.
    public func touchesProvisional(_ a: CivilDate, _ b: CivilDate) -> Bool {
        let (lo, hi) = a <= b ? (a.year, b.year) : (b.year, a.year)
        return (lo...hi).contains { isProvisional(year: $0) }
    }

    /// Moves `date` off a non-working day according to `policy`, saying why in Chinese.
    public func roll(_ date: CivilDate, _ policy: RollingPolicy) -> RolledDate {
        let kind = kind(of: date)
        guard policy != .none, !kind.isWorking else {
            return RolledDate(original: date, date: date, reason: nil,
                              isProvisional: policy != .none && isProvisional(year: date.year))
        }
        let target = policy == .next ? workingDay(onOrAfter: date) : workingDay(onOrBefore: date)
        let targetText = target.year == date.year ? target.chineseMonthDay : target.chinese
        let why: String
        switch kind {
        case .holiday:
            why = policy == .next
                ? "顺延至节后第一个工作日\(targetText)"
                : "提前至节前最后一个工作日\(targetText)"
        default:
            why = policy == .next
                ? "顺延至下一个工作日\(targetText)（\(target.chineseWeekday)）"
                : "提前至上一个工作日\(targetText)（\(target.chineseWeekday)）"
        }
        let reason = "原定\(date.chinese)（\(WorkCalendar.describe(kind, date))），\(why)"
        return RolledDate(original: date, date: target, reason: reason,
                          isProvisional: touchesProvisional(date, target))
    }

    /// The holiday break named `name` that starts in `year`, if the calendar has one.
    public func holiday(named name: String, in year: Int) -> Holiday? {
        self.year(year).holidays.first { $0.name == name }
    }

    static func describe(_ kind: DayKind, _ date: CivilDate) -> String {
        switch kind {
        case .holiday(let name): "\(name)假期"
        case .weekend: date.chineseWeekday
        case .workday, .makeUpWorkday: "工作日"
        }
    }
}

/// Provisional years derived from the rules, computed once per year and shared.
private final class DerivedYears: @unchecked Sendable {
    private let lock = NSLock()
    private var cache: [Int: HolidayYear] = [:]

    func year(_ year: Int) -> HolidayYear {
        lock.lock()
        defer { lock.unlock() }
        if let known = cache[year] { return known }
        let made = HolidayRules.provisionalYear(year)
        cache[year] = made
        return made
    }
}
