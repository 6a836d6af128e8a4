public import Calendrical
public import DutyCore

/// One reminder: an occurrence brought to a recipient at a lead time before its due date
/// (7, 1, 0 = due today) or on a day it is overdue (negative: days overdue). The ledger
/// keeps each key once, so no reminder is sent twice.
public struct ReminderKey: Hashable, Sendable {
    /// The recipient's address.
    public let recipient: String
    /// `unit/body/duty@period`.
    public let occurrence: String
    /// Days before the due date; negative when overdue.
    public let lead: Int
    /// The due date it refers to.
    public let due: CivilDate

    /// A reminder key.
    public init(recipient: String, occurrence: String, lead: Int, due: CivilDate) {
        self.recipient = recipient
        self.occurrence = occurrence
        self.lead = lead
        self.due = due
    }
}

/// How far a quota has got in its period.
public struct QuotaProgress: Hashable, Sendable {
    /// Completions recorded so far.
    public let done: Int
    /// The minimum required.
    public let required: Int
    /// Working days left in the period, today included; nil when not known (a preview).
    public let workingDaysLeft: Int?

    /// A progress value.
    public init(done: Int, required: Int, workingDaysLeft: Int?) {
        self.done = done
        self.required = required
        self.workingDaysLeft = workingDaysLeft
    }

    /// How many more are needed (0 when met).
    public var shortfall: Int { max(0, required - done) }
}

/// An occurrence as a digest shows it.
public struct DigestItem: Hashable, Sendable {
    /// The occurrence.
    public let record: OccurrenceRecord
    /// Completions recorded for it.
    public let completions: Int
    /// Days from the as-of date to the due date (negative when overdue).
    public let daysLeft: Int
    /// For a quota of the current period: its progress.
    public let progress: QuotaProgress?

    /// An item.
    public init(record: OccurrenceRecord, completions: Int, daysLeft: Int, progress: QuotaProgress?) {
        self.record = record
        self.completions = completions
        self.daysLeft = daysLeft
        self.progress = progress
    }

    /// True when the completions meet the occurrence (its count, or once).
    public var isDone: Bool { completions >= (record.count ?? 1) }
}

/// What one recipient's digest holds on a day.
public struct DigestPlan: Hashable, Sendable {
    /// The recipient.
    public let recipient: Recipient
    /// The unit and body whose duties it lists.
    public let unit: Unit
    public let body: Body
    /// The day it is for.
    public let asOf: CivilDate
    /// Why it is sent: daily reminders, the Monday summary, the monthly overview.
    public let kinds: Set<Cadence>
    /// Not done and due before the as-of date (since tracking began).
    public let overdue: [DigestItem]
    /// Not done and due on the as-of date.
    public let dueToday: [DigestItem]
    /// Not done and due later this week (through Sunday).
    public let thisWeek: [DigestItem]
    /// Not done and due after this week, within 30 days.
    public let next30Days: [DigestItem]
    /// Quotas of the current periods with their progress.
    public let quotas: [DigestItem]
    /// The reminders this digest delivers for the first time.
    public let newReminders: [ReminderKey]

    /// A plan.
    public init(recipient: Recipient, unit: Unit, body: Body, asOf: CivilDate, kinds: Set<Cadence>, overdue: [DigestItem],
                dueToday: [DigestItem], thisWeek: [DigestItem], next30Days: [DigestItem], quotas: [DigestItem], newReminders: [ReminderKey]) {
        self.recipient = recipient
        self.unit = unit
        self.body = body
        self.asOf = asOf
        self.kinds = kinds
        self.overdue = overdue
        self.dueToday = dueToday
        self.thisWeek = thisWeek
        self.next30Days = next30Days
        self.quotas = quotas
        self.newReminders = newReminders
    }

    /// Every item the digest lists, in section order.
    public var allItems: [DigestItem] { overdue + dueToday + thisWeek + next30Days + quotas }
}

/// Works out, for a day, which recipients get a digest and what it holds. Pure: the ledger
/// facts (completions, reminders already sent, the last run) come in as values.
public struct ReminderPlanner: Sendable {
    /// The working-day calendar (for working days left in a quota's period).
    public let workCalendar: WorkCalendar

    /// A planner.
    public init(workCalendar: WorkCalendar) { self.workCalendar = workCalendar }

    /// The dates a plan for `asOf` needs occurrences for: overdue ones since `trackingStart`
    /// and everything due within 30 days (quota periods run up to a year).
    public static func window(asOf: CivilDate, trackingStart: CivilDate) -> DateRange {
        DateRange(from: min(trackingStart, asOf), through: asOf.adding(days: 366))!
    }

    /// The digests to send on `asOf`.
    ///
    /// - Parameters:
    ///   - assignments: the deployment's occurrences per unit and body, covering `window`.
    ///   - records: the JSON record of each assignment (same order).
    ///   - completions: completion counts by occurrence id.
    ///   - lastRun: the as-of date of the last successful run (for catching up the weekly
    ///     and monthly digests after days without a run); nil on the first run.
    ///   - trackingStart: overdue items are those due on or after this day.
    ///   - isRecorded: whether the ledger already holds a reminder.
    public func plan(asOf: CivilDate, assignments: [Assignment], records: [OccurrenceRecord], completions: [String: Int],
                     lastRun: CivilDate?, trackingStart: CivilDate, isRecorded: (ReminderKey) -> Bool) -> [DigestPlan] {
        var byBody: [String: [(Assignment, OccurrenceRecord)]] = [:]
        for (assignment, record) in zip(assignments, records) {
            byBody["\(assignment.unit.id)/\(assignment.body.id)", default: []].append((assignment, record))
        }
        var plans: [DigestPlan] = []
        let units = Dictionary(assignments.map { ($0.unit.id, $0.unit) }, uniquingKeysWith: { first, _ in first })
        for unit in units.values.sorted(by: { $0.id < $1.id }) {
            for body in unit.bodies where !body.recipients.isEmpty {
                let items = (byBody["\(unit.id)/\(body.id)"] ?? []).map { assignment, record in
                    DigestItem(record: record, completions: completions[record.id] ?? 0, daysLeft: asOf.days(to: assignment.occurrence.due.date),
                               progress: progress(assignment.occurrence, completions: completions[record.id] ?? 0, asOf: asOf))
                }
                let (overdue, today, week, later, quotas) = ReminderPlanner.sections(items, asOf: asOf, trackingStart: trackingStart)
                for recipient in body.recipients.sorted(by: { $0.email < $1.email }) {
                    var fresh: [ReminderKey] = []
                    for item in overdue + today + week + later + quotas where !item.isDone {
                        guard let lead = reminderLead(daysLeft: item.daysLeft, leads: item.record.leadDays) else { continue }
                        let key = ReminderKey(recipient: recipient.email, occurrence: item.record.id, lead: lead,
                                              due: CivilDate(item.record.due)!)
                        if !isRecorded(key) { fresh.append(key) }
                    }
                    var kinds: Set<Cadence> = []
                    if recipient.cadence.contains(.daily), !fresh.isEmpty { kinds.insert(.daily) }
                    if recipient.cadence.contains(.weekly), passed(asOf: asOf, lastRun: lastRun, where: { $0.weekday == 1 }) { kinds.insert(.weekly) }
                    if recipient.cadence.contains(.monthly), passed(asOf: asOf, lastRun: lastRun, where: { $0.day == 1 }) { kinds.insert(.monthly) }
                    // A summary with nothing to list is not sent.
                    guard !kinds.isEmpty, !(overdue.isEmpty && today.isEmpty && week.isEmpty && later.isEmpty && quotas.isEmpty) else { continue }
                    plans.append(DigestPlan(recipient: recipient, unit: unit, body: body, asOf: asOf, kinds: kinds,
                                            overdue: overdue, dueToday: today, thisWeek: week, next30Days: later,
                                            quotas: quotas, newReminders: fresh))
                }
            }
        }
        return plans
    }

    /// Sorts items into a digest's sections as of a day: overdue (since `trackingStart`),
    /// due today, due later this week (through Sunday), due within 30 days, and quotas of
    /// the current periods (done quotas stay there to show their progress; other done
    /// items are left out).
    public static func sections(_ items: [DigestItem], asOf: CivilDate, trackingStart: CivilDate)
        -> (overdue: [DigestItem], dueToday: [DigestItem], thisWeek: [DigestItem], next30Days: [DigestItem], quotas: [DigestItem]) {
        let weekEnd = asOf.adding(days: 7 - asOf.weekday)
        let horizon = asOf.adding(days: 30)
        var overdue: [DigestItem] = [], today: [DigestItem] = [], week: [DigestItem] = []
        var later: [DigestItem] = [], quotas: [DigestItem] = []
        for item in items {
            guard let due = CivilDate(item.record.due), let start = CivilDate(item.record.start) else { continue }
            let isQuota = item.record.kind == ScheduleKind.quota.rawValue
            if item.isDone && !(isQuota && start <= asOf && asOf <= due) { continue }
            if due < asOf {
                if due >= trackingStart { overdue.append(item) }
            } else if isQuota {
                if start <= asOf { quotas.append(item) }
            } else if due == asOf {
                today.append(item)
            } else if due <= weekEnd {
                week.append(item)
            } else if due <= horizon {
                later.append(item)
            }
        }
        return (overdue, today, week, later, quotas)
    }

    /// The reminder stage an item is at: the smallest lead time (or 0, due today) not
    /// shorter than the days left; negative days overdue once past due; nil when no lead
    /// time has been reached yet.
    public func reminderLead(daysLeft: Int, leads: [Int]) -> Int? {
        if daysLeft < 0 { return daysLeft }
        return (Set(leads).union([0])).sorted().first { $0 >= daysLeft }
    }

    /// True when `asOf`, or a day after the last run and before `asOf`, matches.
    func passed(asOf: CivilDate, lastRun: CivilDate?, where matches: (CivilDate) -> Bool) -> Bool {
        if matches(asOf) { return true }
        guard let lastRun, lastRun < asOf else { return false }
        var day = lastRun.adding(days: 1)
        while day < asOf {
            if matches(day) { return true }
            day = day.adding(days: 1)
        }
        return false
    }

    func progress(_ occurrence: Occurrence, completions: Int, asOf: CivilDate) -> QuotaProgress? {
        guard occurrence.kind == .quota, let count = occurrence.count else { return nil }
        let left = asOf <= occurrence.due.date ? workCalendar.workingDays(from: max(asOf, occurrence.start), through: occurrence.due.date) : 0
        return QuotaProgress(done: completions, required: count, workingDaysLeft: left)
    }
}
