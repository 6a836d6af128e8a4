/// The length of a reporting period: the unit a quota counts over or a rule repeats by.
public enum PeriodUnit: String, CaseIterable, Sendable, Codable {
    case day
    case week
    case month
    /// Two calendar months: January–February, March–April, and so on (两月一行动).
    case bimonth
    case quarter
    case halfYear = "half-year"
    case year

    /// Chinese name, as in 每季度.
    public var chinese: String {
        switch self {
        case .day: "日"
        case .week: "周"
        case .month: "月"
        case .bimonth: "两个月"
        case .quarter: "季度"
        case .halfYear: "半年"
        case .year: "年"
        }
    }

    /// Months per period for the month-based units.
    var months: Int? {
        switch self {
        case .month: 1
        case .bimonth: 2
        case .quarter: 3
        case .halfYear: 6
        case .year: 12
        case .day, .week: nil
        }
    }
}

/// One reporting period, e.g. the third quarter of 2026.
public struct Period: Hashable, Sendable {
    /// The period's unit.
    public let unit: PeriodUnit
    /// Its first day.
    public let start: CivilDate
    /// Its last day (inclusive).
    public let end: CivilDate

    /// The period of `unit` that contains `date`. Weeks run Monday to Sunday.
    public init(containing date: CivilDate, unit: PeriodUnit) {
        self.unit = unit
        switch unit {
        case .day:
            start = date
            end = date
        case .week:
            start = date.adding(days: 1 - date.weekday)
            end = start.adding(days: 6)
        case .month, .bimonth, .quarter, .halfYear, .year:
            let length = unit.months!
            let firstMonth = (date.month - 1) / length * length + 1
            start = CivilDate(unchecked: date.year, firstMonth, 1)
            end = start.adding(months: length).adding(days: -1)
        }
    }

    /// The period right after this one.
    public var next: Period { Period(containing: end.adding(days: 1), unit: unit) }

    /// A stable key: `2026`, `2026-H1`, `2026-Q3`, `2026-B2`, `2026-03`, `2026-W05`, `2026-03-05`.
    public var key: String {
        let year = CivilDate.pad(start.year, 4)
        switch unit {
        case .day: return start.description
        case .week:
            let (isoYear, week) = Period.isoWeek(of: start)
            return "\(CivilDate.pad(isoYear, 4))-W\(CivilDate.pad(week, 2))"
        case .month: return "\(year)-\(CivilDate.pad(start.month, 2))"
        case .bimonth: return "\(year)-B\((start.month - 1) / 2 + 1)"
        case .quarter: return "\(year)-Q\((start.month - 1) / 3 + 1)"
        case .halfYear: return "\(year)-H\((start.month - 1) / 6 + 1)"
        case .year: return year
        }
    }

    /// A Chinese label: 2026年, 2026年上半年, 2026年第3季度, 2026年3—4月, 2026年3月, 2026年第5周, 2026年3月5日.
    public var chinese: String {
        let y = start.year
        switch unit {
        case .day: return start.chinese
        case .week:
            let (isoYear, week) = Period.isoWeek(of: start)
            return "\(isoYear)年第\(week)周"
        case .month: return "\(y)年\(start.month)月"
        case .bimonth: return "\(y)年\(start.month)—\(start.month + 1)月"
        case .quarter: return "\(y)年第\((start.month - 1) / 3 + 1)季度"
        case .halfYear: return start.month == 1 ? "\(y)年上半年" : "\(y)年下半年"
        case .year: return "\(y)年"
        }
    }

    /// ISO 8601 week-numbering year and week of a date.
    static func isoWeek(of date: CivilDate) -> (year: Int, week: Int) {
        let thursday = date.adding(days: 4 - date.weekday)
        let jan1 = CivilDate(unchecked: thursday.year, 1, 1)
        return (thursday.year, jan1.days(to: thursday) / 7 + 1)
    }
}
