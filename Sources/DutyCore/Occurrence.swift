public import Calendrical

/// One dated instance of a duty: the committee meeting of 2026-Q3, the report due 2026-03-10.
public struct Occurrence: Hashable, Sendable {
    /// The duty.
    public let duty: DutyID
    /// Which of the duty's schedule entries produced it.
    public let entry: Int
    /// The schedule kind.
    public let kind: ScheduleKind
    /// The levels it applies to (the entry's, narrowed for relative duties to the levels of
    /// the occurrence they follow).
    public let levels: [Level]
    /// Stable key of the period it belongs to: `2026-Q3`, `2026-03`, `2026-chunjie`…
    public let period: String
    /// The period in Chinese: 2026年第3季度.
    public let periodLabel: String
    /// First day of the span (equal to the due date for a plain deadline).
    public let start: CivilDate
    /// The due date, as scheduled and after rolling off non-working days.
    public let due: RolledDate
    /// For a quota: the minimum number of times in the period.
    public let count: Int?
    /// For a duty relative to a recorded event: the event's reference.
    public let event: RecordedEvent?

    /// An occurrence.
    public init(duty: DutyID, entry: Int, kind: ScheduleKind, levels: [Level], period: String, periodLabel: String,
                start: CivilDate, due: RolledDate, count: Int? = nil, event: RecordedEvent? = nil) {
        self.duty = duty
        self.entry = entry
        self.kind = kind
        self.levels = levels
        self.period = period
        self.periodLabel = periodLabel
        self.start = start
        self.due = due
        self.count = count
        self.event = event
    }

    /// `duty@period`: stable across runs; with the unit it identifies an occurrence.
    public var key: String { "\(duty)@\(period)" }

    /// True when it covers more than its due day (a window, phase, quota period).
    public var isSpan: Bool { start < due.date }

    /// True when its date depends on a year whose holidays are not yet announced.
    public var isProvisional: Bool { due.isProvisional }
}

/// An event a user records, from which relative deadlines follow (a penalty decision on a day).
public struct RecordedEvent: Hashable, Sendable {
    /// Stable id of the record.
    public let id: String
    /// The event name as a relative schedule names it (行政处罚决定).
    public let name: String
    /// The day it happened.
    public let date: CivilDate
    /// The user's reference (a decision number).
    public let reference: String?
    /// The unit it happened at, if recorded for one.
    public let unit: UnitID?

    /// An event record.
    public init(id: String, name: String, date: CivilDate, reference: String? = nil, unit: UnitID? = nil) {
        self.id = id
        self.name = name
        self.date = date
        self.reference = reference
        self.unit = unit
    }
}
