public import Calendrical
public import Libical

/// A day of the year without a year: `12-20`.
public struct MonthDay: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// 1–12.
    public let month: Int
    /// 1–31 (29 for February: on a common year it means the 28th).
    public let day: Int

    /// Parses `MM-DD`; nil when the day never exists.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let month = Int(parts[0]), let day = Int(parts[1]),
              (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: 2024)).contains(day)
        else { return nil }
        self.month = month
        self.day = day
    }

    /// This day in `year` (Feb 29 falls back to Feb 28 in a common year).
    public func date(in year: Int) -> CivilDate {
        CivilDate(year: year, month: month, day: min(day, CivilDate.daysIn(month: month, year: year)))!
    }

    public var description: String { "\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)" }

    public static func < (lhs: MonthDay, rhs: MonthDay) -> Bool { (lhs.month, lhs.day) < (rhs.month, rhs.day) }
}

/// A span of days either every year (`12-20` to `01-10`, the end in the next year when it is
/// earlier) or once (two full dates).
public enum Span: Hashable, Sendable {
    /// Every year from one month-day to another.
    case yearly(from: MonthDay, to: MonthDay)
    /// Once, between two dates.
    case once(from: CivilDate, to: CivilDate)
}

/// The kinds of schedule, as named in catalogue files.
public enum ScheduleKind: String, CaseIterable, Sendable, Codable {
    case periodic, quota, window, relative, phase, milestone, holiday, workday

    /// Chinese name shown to offices.
    public var chinese: String {
        switch self {
        case .periodic: "定期"
        case .quota: "频次"
        case .window: "时段"
        case .relative: "限期"
        case .phase: "阶段"
        case .milestone: "节点"
        case .holiday: "节前"
        case .workday: "工作日"
        }
    }
}

/// When a duty falls due.
public enum Schedule: Hashable, Sendable {
    /// An RRULE anchored to a date: one occurrence per date the rule yields.
    case periodic(Periodic)
    /// At least `count` times per period: one occurrence per period, due at its end.
    case quota(Quota)
    /// A span of days, yearly or once, due on its last day.
    case window(Window)
    /// Due an offset after each occurrence of another duty or each recorded event.
    case relative(Relative)
    /// A dated campaign phase.
    case phase(Phase)
    /// A one-off deadline.
    case milestone(Milestone)
    /// Some working days before each of the named public holidays.
    case holiday(HolidayAnchored)
    /// The nth working day of each period.
    case workday(NthWorkday)

    /// The schedule's kind.
    public var kind: ScheduleKind {
        switch self {
        case .periodic: .periodic
        case .quota: .quota
        case .window: .window
        case .relative: .relative
        case .phase: .phase
        case .milestone: .milestone
        case .holiday: .holiday
        case .workday: .workday
        }
    }

    /// An RRULE schedule.
    public struct Periodic: Hashable, Sendable {
        /// The rule, checked by libical.
        public var rule: RecurrenceRule
        /// The anchor (DTSTART).
        public var start: CivilDate
        /// No occurrence after this day.
        public var until: CivilDate?
        /// Dates removed (EXDATE).
        public var exdates: [CivilDate]
        /// Dates added (RDATE).
        public var rdates: [CivilDate]
        /// The period occurrences are keyed by; nil to infer it from the rule.
        public var period: PeriodUnit?

        /// An RRULE schedule.
        public init(rule: RecurrenceRule, start: CivilDate, until: CivilDate? = nil,
                    exdates: [CivilDate] = [], rdates: [CivilDate] = [], period: PeriodUnit? = nil) {
            self.rule = rule
            self.start = start
            self.until = until
            self.exdates = exdates
            self.rdates = rdates
            self.period = period
        }

        /// The period occurrences are keyed by: the one set, else the one the rule repeats
        /// over (FREQ and INTERVAL), else single days when the rule can yield several dates
        /// per period.
        public var keyPeriod: PeriodUnit {
            if let period { return period }
            if rule.hasMultipleDatesPerInterval { return .day }
            switch (rule.frequency, rule.interval) {
            case (.yearly, 1): return .year
            case (.monthly, 1): return .month
            case (.monthly, 2): return .bimonth
            case (.monthly, 3): return .quarter
            case (.monthly, 6): return .halfYear
            case (.monthly, 12): return .year
            case (.weekly, 1): return .week
            default: return .day
            }
        }
    }

    /// At least `count` times per period.
    public struct Quota: Hashable, Sendable {
        /// The minimum number of times.
        public var count: Int
        /// The period counted over.
        public var per: PeriodUnit
        /// The first period is the one containing this day.
        public var start: CivilDate?
        /// The last period is the one containing this day.
        public var until: CivilDate?

        /// A quota.
        public init(count: Int, per: PeriodUnit, start: CivilDate? = nil, until: CivilDate? = nil) {
            self.count = count
            self.per = per
            self.start = start
            self.until = until
        }
    }

    /// A span of days.
    public struct Window: Hashable, Sendable {
        /// The days.
        public var span: Span
        /// No span starting before this day.
        public var start: CivilDate?
        /// No span starting after this day.
        public var until: CivilDate?

        /// A window.
        public init(span: Span, start: CivilDate? = nil, until: CivilDate? = nil) {
            self.span = span
            self.start = start
            self.until = until
        }
    }

    /// What a relative deadline counts from.
    public enum Anchor: Hashable, Sendable {
        /// Each occurrence of another duty.
        case duty(DutyID)
        /// Each event of this name a user records (e.g. 行政处罚决定).
        case event(String)
    }

    /// How far after its anchor a relative deadline falls.
    public enum Offset: Hashable, Sendable, CustomStringConvertible {
        /// Calendar days; the anchor day does not count (民法典 第二百零一条).
        case days(Int)
        /// Working days after the anchor day.
        case workdays(Int)
        /// The given day of the month `months` months after the anchor's month, or the same
        /// day `months` months later (clamped) when `day` is nil.
        case months(Int, day: Int?)

        public var description: String {
            switch self {
            case .days(let n): "\(n)日内"
            case .workdays(let n): "\(n)个工作日内"
            case .months(1, let day?): "次月\(day)日前"
            case .months(let m, let day?): "\(m)个月后的\(day)日前"
            case .months(let m, nil): "\(m)个月内"
            }
        }
    }

    /// A deadline relative to another duty or an event.
    public struct Relative: Hashable, Sendable {
        /// What it counts from.
        public var anchor: Anchor
        /// How far after.
        public var offset: Offset
        /// Count from the anchor occurrence's start rather than its due date.
        public var fromStart: Bool

        /// A relative deadline.
        public init(anchor: Anchor, offset: Offset, fromStart: Bool = false) {
            self.anchor = anchor
            self.offset = offset
            self.fromStart = fromStart
        }
    }

    /// A campaign phase.
    public struct Phase: Hashable, Sendable {
        /// The campaign's name, if given.
        public var campaign: String?
        /// The phase's name (动员部署阶段).
        public var name: String
        /// Its days: once, or yearly in `years`.
        public var span: Span
        /// For a yearly span, the years it runs in.
        public var years: [Int]

        /// A phase.
        public init(campaign: String?, name: String, span: Span, years: [Int] = []) {
            self.campaign = campaign
            self.name = name
            self.span = span
            self.years = years
        }
    }

    /// A one-off deadline.
    public struct Milestone: Hashable, Sendable {
        /// The deadline.
        public var due: CivilDate
        /// When work on it starts, if given.
        public var from: CivilDate?

        /// A milestone.
        public init(due: CivilDate, from: CivilDate? = nil) {
            self.due = due
            self.from = from
        }
    }

    /// Before each of some public holidays.
    public struct HolidayAnchored: Hashable, Sendable {
        /// Holiday names as in the working-day calendar (春节, 国庆节…).
        public var holidays: [String]
        /// How far before the holiday's first day.
        public var lead: Lead
        /// No occurrence before this day.
        public var start: CivilDate?
        /// No occurrence after this day.
        public var until: CivilDate?

        /// Working days or calendar days.
        public enum Lead: Hashable, Sendable {
            case workdays(Int)
            case days(Int)
        }

        /// A holiday-anchored schedule.
        public init(holidays: [String], lead: Lead, start: CivilDate? = nil, until: CivilDate? = nil) {
            self.holidays = holidays
            self.lead = lead
            self.start = start
            self.until = until
        }
    }

    /// The nth working day of each period.
    public struct NthWorkday: Hashable, Sendable {
        /// 1 for the first, -1 for the last.
        public var nth: Int
        /// The period.
        public var per: PeriodUnit
        /// No occurrence before this day.
        public var start: CivilDate?
        /// No occurrence after this day.
        public var until: CivilDate?

        /// An nth-working-day schedule.
        public init(nth: Int, per: PeriodUnit, start: CivilDate? = nil, until: CivilDate? = nil) {
            self.nth = nth
            self.per = per
            self.start = start
            self.until = until
        }
    }
}
