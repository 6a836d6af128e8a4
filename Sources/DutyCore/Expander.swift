public import Calendrical
import Libical

/// Which duties to expand: every filter that is set must match.
public struct Selection: Sendable {
    /// Only these levels.
    public var levels: Set<Level>?
    /// Only these bodies.
    public var bodies: Set<String>?
    /// Only these duties.
    public var duties: Set<DutyID>?
    /// Only duties carrying one of these tags.
    public var tags: Set<String>?

    /// A selection; nil filters match everything.
    public init(levels: Set<Level>? = nil, bodies: Set<String>? = nil, duties: Set<DutyID>? = nil, tags: Set<String>? = nil) {
        self.levels = levels
        self.bodies = bodies
        self.duties = duties
        self.tags = tags
    }

    /// Everything.
    public static let all = Selection()

    func matches(_ duty: Duty) -> Bool {
        if let duties, !duties.contains(duty.id) { return false }
        if let tags, tags.isDisjoint(with: duty.tags) { return false }
        return true
    }

    func matches(_ entry: ScheduleEntry) -> Bool {
        if let levels, levels.isDisjoint(with: entry.levels) { return false }
        if let bodies, !bodies.contains(entry.body) { return false }
        return true
    }
}

/// Expands a catalogue's duties into dated occurrences on China's working-day calendar.
///
/// Expansion does not depend on the unit: each schedule is expanded once and the result is
/// shared by every unit it applies to (see `Deployment`), so a national deployment runs
/// libical once per rule, not once per unit.
public struct Expander: Sendable {
    /// The duties.
    public let catalogue: Catalogue
    /// Holidays and make-up working days.
    public let workCalendar: WorkCalendar

    /// An expander over a catalogue.
    public init(catalogue: Catalogue, workCalendar: WorkCalendar) {
        self.catalogue = catalogue
        self.workCalendar = workCalendar
    }

    /// Occurrences whose span meets `range` (a deadline: whose due date, after rolling, lies
    /// in it), sorted by due date, then start, duty and period.
    public func occurrences(in range: DateRange, selection: Selection = .all, events: [RecordedEvent] = []) -> [Occurrence] {
        var result: [Occurrence] = []
        for duty in catalogue.duties where selection.matches(duty) {
            for (index, entry) in duty.entries.enumerated() where selection.matches(entry) {
                result += occurrences(of: duty, entry: index, in: range, events: events, visiting: [])
                    .filter { occurrence in selection.levels.map { !$0.isDisjoint(with: occurrence.levels) } ?? true }
            }
        }
        return result.sorted(by: Expander.order)
    }

    /// The display order: due date, start, duty, period, levels.
    public static func order(_ a: Occurrence, _ b: Occurrence) -> Bool {
        if a.due.date != b.due.date { return a.due.date < b.due.date }
        if a.start != b.start { return a.start < b.start }
        if a.duty != b.duty { return a.duty < b.duty }
        if a.period != b.period { return a.period < b.period }
        return a.levels.lexicographicallyPrecedes(b.levels)
    }

    /// Occurrences of one schedule entry meeting `range`.
    func occurrences(of duty: Duty, entry index: Int, in range: DateRange, events: [RecordedEvent],
                     visiting: Set<DutyID>) -> [Occurrence] {
        let entry = duty.entries[index]
        // Rolling moves a due date by at most a holiday break; look a little wider and keep
        // what lands in the range after rolling.
        let margin = 21
        let wide = DateRange(from: range.from.adding(days: -margin), through: range.through.adding(days: margin))!
        let made: [Occurrence]
        switch entry.schedule {
        case .periodic(let periodic):
            made = expand(periodic, duty, index, entry, wide)
        case .quota(let quota):
            made = expand(quota, duty, index, entry, wide)
        case .window(let window):
            made = expand(window, duty, index, entry, wide)
        case .relative(let relative):
            made = expand(relative, duty, index, entry, range, events, visiting)
        case .phase(let phase):
            made = expand(phase, duty, index, entry, wide)
        case .milestone(let milestone):
            made = [deadline(duty, index, entry, .milestone, due: milestone.due, start: milestone.from,
                             period: milestone.due.description, label: milestone.due.chinese)]
        case .holiday(let anchored):
            made = expand(anchored, duty, index, entry, wide)
        case .workday(let nth):
            made = expand(nth, duty, index, entry, wide)
        }
        return made.filter { range.overlaps(start: min($0.start, $0.due.date), end: $0.due.date) }
    }

    // MARK: - Kinds

    private func expand(_ periodic: Schedule.Periodic, _ duty: Duty, _ index: Int, _ entry: ScheduleEntry,
                        _ range: DateRange) -> [Occurrence] {
        let through = min(range.through, periodic.until ?? range.through)
        guard let bounded = DateRange(from: range.from, through: through) else { return [] }
        let unit = periodic.keyPeriod
        return periodic.rule.dates(anchoredAt: periodic.start, in: bounded, adding: periodic.rdates, removing: periodic.exdates)
            .map { date in
                let period = Period(containing: date, unit: unit)
                return deadline(duty, index, entry, .periodic, due: date, start: nil, period: period.key, label: period.chinese)
            }
    }

    private func expand(_ quota: Schedule.Quota, _ duty: Duty, _ index: Int, _ entry: ScheduleEntry,
                        _ range: DateRange) -> [Occurrence] {
        var result: [Occurrence] = []
        var period = Period(containing: max(range.from, quota.start ?? range.from), unit: quota.per)
        let last = min(range.through, quota.until ?? range.through)
        while period.start <= last {
            // A quota counts within its period: its end is the deadline as written.
            let due = RolledDate(original: period.end, date: period.end, reason: nil, isProvisional: false)
            result.append(Occurrence(duty: duty.id, entry: index, kind: .quota, levels: entry.levels, period: period.key,
                                     periodLabel: period.chinese, start: period.start, due: due, count: quota.count))
            period = period.next
        }
        return result
    }

    private func expand(_ window: Schedule.Window, _ duty: Duty, _ index: Int, _ entry: ScheduleEntry,
                        _ range: DateRange) -> [Occurrence] {
        spans(window.span, years: nil, range).compactMap { from, to in
            if let start = window.start, from < start { return nil }
            if let until = window.until, from > until { return nil }
            return deadline(duty, index, entry, .window, due: to, start: from, period: String(from.year), label: "\(from.year)年度")
        }
    }

    private func expand(_ phase: Schedule.Phase, _ duty: Duty, _ index: Int, _ entry: ScheduleEntry,
                        _ range: DateRange) -> [Occurrence] {
        spans(phase.span, years: phase.years, range).map { from, to in
            let due = RolledDate(original: to, date: to, reason: nil, isProvisional: false)
            return Occurrence(duty: duty.id, entry: index, kind: .phase, levels: entry.levels, period: String(from.year),
                              periodLabel: "\(from.year)年\(phase.name)", start: from, due: due)
        }
    }

    private func expand(_ anchored: Schedule.HolidayAnchored, _ duty: Duty, _ index: Int, _ entry: ScheduleEntry,
                        _ range: DateRange) -> [Occurrence] {
        var result: [Occurrence] = []
        for year in range.from.year...(range.through.year + 1) {
            for name in anchored.holidays {
                guard let holiday = workCalendar.holiday(named: name, in: year) else { continue }
                // Count from the first day of the whole break: 中秋节 inside a joint
                // 国庆/中秋 break, or a holiday joined to the weekend before it.
                var breakStart = holiday.from
                while !workCalendar.isWorkingDay(breakStart.adding(days: -1)) { breakStart = breakStart.adding(days: -1) }
                let date: CivilDate = switch anchored.lead {
                case .workdays(let n): workCalendar.adding(workdays: -n, to: breakStart)
                case .days(let n): breakStart.adding(days: -n)
                }
                guard range.contains(date) else { continue }
                if let start = anchored.start, date < start { continue }
                if let until = anchored.until, date > until { continue }
                let due = RolledDate(original: date, date: date, reason: nil,
                                     isProvisional: workCalendar.touchesProvisional(date, holiday.through))
                result.append(Occurrence(duty: duty.id, entry: index, kind: .holiday, levels: entry.levels,
                                         period: "\(year)-\(HolidayNames.slug(name))", periodLabel: "\(year)年\(name)前",
                                         start: date, due: due))
            }
        }
        return result
    }

    private func expand(_ nth: Schedule.NthWorkday, _ duty: Duty, _ index: Int, _ entry: ScheduleEntry,
                        _ range: DateRange) -> [Occurrence] {
        var result: [Occurrence] = []
        var period = Period(containing: range.from, unit: nth.per)
        while period.start <= range.through {
            if let date = workCalendar.workingDay(nth.nth, of: period),
               nth.start.map({ date >= $0 }) ?? true, nth.until.map({ date <= $0 }) ?? true {
                let due = RolledDate(original: date, date: date, reason: nil,
                                     isProvisional: workCalendar.touchesProvisional(period.start, period.end))
                result.append(Occurrence(duty: duty.id, entry: index, kind: .workday, levels: entry.levels,
                                         period: period.key, periodLabel: period.chinese, start: date, due: due))
            }
            period = period.next
        }
        return result
    }

    private func expand(_ relative: Schedule.Relative, _ duty: Duty, _ index: Int, _ entry: ScheduleEntry,
                        _ range: DateRange, _ events: [RecordedEvent], _ visiting: Set<DutyID>) -> [Occurrence] {
        // The anchor can lie well before the range while its deadline falls inside it.
        let reach: Int = switch relative.offset {
        case .days(let n): n
        case .workdays(let n): n * 2 + 30
        case .months(let m, _): (m + 1) * 31
        }
        let earlier = DateRange(from: range.from.adding(days: -reach - 1), through: range.through)!
        switch relative.anchor {
        case .event(let name):
            return events.filter { $0.name == name && earlier.contains($0.date) }.map { event in
                let rolled = workCalendar.roll(offset(relative.offset, from: event.date), duty.rolling)
                return Occurrence(duty: duty.id, entry: index, kind: .relative, levels: entry.levels,
                                  period: "event-\(event.id)", periodLabel: "\(event.date.chinese)\(name)",
                                  start: event.date, due: rolled, event: event)
            }
        case .duty(let target):
            guard !visiting.contains(target), let anchorDuty = catalogue.duty(target) else { return [] }
            var result: [Occurrence] = []
            for (anchorIndex, anchorEntry) in anchorDuty.entries.enumerated() {
                let levels = entry.levels.filter(anchorEntry.levels.contains)
                guard !levels.isEmpty else { continue }
                for anchor in occurrences(of: anchorDuty, entry: anchorIndex, in: earlier, events: events,
                                          visiting: visiting.union([duty.id])) {
                    let base = relative.fromStart ? anchor.start : anchor.due.original
                    let rolled = workCalendar.roll(offset(relative.offset, from: base), duty.rolling)
                    result.append(Occurrence(duty: duty.id, entry: index, kind: .relative, levels: levels,
                                             period: anchor.period, periodLabel: anchor.periodLabel,
                                             start: rolled.date, due: rolled))
                }
            }
            return result
        }
    }

    // MARK: - Helpers

    /// The date `offset` after `date` on this calendar.
    public func offset(_ offset: Schedule.Offset, from date: CivilDate) -> CivilDate {
        switch offset {
        case .days(let n): return date.adding(days: n)
        case .workdays(let n): return workCalendar.adding(workdays: n, to: date)
        case .months(let m, let day?):
            let month = date.firstOfMonth.adding(months: m)
            return CivilDate(year: month.year, month: month.month, day: min(day, CivilDate.daysIn(month: month.month, year: month.year)))!
        case .months(let m, nil): return date.adding(months: m)
        }
    }

    /// A deadline whose due date rolls by the duty's policy.
    private func deadline(_ duty: Duty, _ index: Int, _ entry: ScheduleEntry, _ kind: ScheduleKind, due: CivilDate,
                          start: CivilDate?, period: String, label: String) -> Occurrence {
        let rolled = workCalendar.roll(due, duty.rolling)
        return Occurrence(duty: duty.id, entry: index, kind: kind, levels: entry.levels, period: period,
                          periodLabel: label, start: min(start ?? rolled.date, rolled.date), due: rolled)
    }

    /// The concrete spans of a yearly or one-off span that can meet `range`.
    private func spans(_ span: Span, years: [Int]?, _ range: DateRange) -> [(CivilDate, CivilDate)] {
        switch span {
        case .once(let from, let to):
            return [(from, to)]
        case .yearly(let from, let to):
            let candidates = years.flatMap { $0.isEmpty ? nil : $0 } ?? Array((range.from.year - 1)...range.through.year)
            return candidates.map { year in
                (from.date(in: year), to.date(in: to < from ? year + 1 : year))
            }
        }
    }
}

/// ASCII slugs for holiday names, used in period keys (and so in calendar UIDs).
public enum HolidayNames {
    /// The names the working-day calendar uses.
    public static let all = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]

    /// `chunjie` for 春节; names outside the list keep their Unicode scalars' hex.
    public static func slug(_ name: String) -> String {
        switch name {
        case "元旦": "yuandan"
        case "春节": "chunjie"
        case "清明节": "qingming"
        case "劳动节": "laodong"
        case "端午节": "duanwu"
        case "中秋节": "zhongqiu"
        case "国庆节": "guoqing"
        default: name.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: "-")
        }
    }
}
