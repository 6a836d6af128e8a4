import Calendrical

/// The documented, versioned JSON form of an occurrence, shared by `dutycal expand --format
/// json` and the JSON Lines stream external exporters read. Fields are only ever added.
public struct OccurrenceRecord: Codable, Hashable, Sendable {
    /// Version of this record format.
    public static let version = 1

    /// `unit/body/duty@period` for a deployment's occurrence, `duty@period` otherwise.
    public var id: String
    public var duty: String
    public var title: String
    public var titleEn: String?
    public var kind: String
    public var kindLabel: String
    public var period: String
    public var periodLabel: String
    public var start: String
    public var due: String
    public var originalDue: String
    public var adjustment: String?
    public var provisional: Bool
    public var count: Int?
    public var body: String
    public var levels: [String]
    public var unit: String?
    public var unitName: String?
    public var bodyId: String?
    public var bodyName: String?
    public var document: String
    public var documentTitle: String
    public var clause: String
    public var quote: String
    public var note: String?
    public var tags: [String]
    public var leadDays: [Int]
    public var event: String?
    public var eventRef: String?
    /// When the occurrence was done (the latest completion), from the ledger; absent otherwise.
    public var completedOn: String?
    /// Completions recorded (a quota counts them toward its minimum); absent when none.
    public var completions: Int?

    enum CodingKeys: String, CodingKey {
        case id, duty, title, titleEn = "title_en", kind, kindLabel = "kind_label", period
        case periodLabel = "period_label", start, due, originalDue = "original_due", adjustment, provisional
        case count, body, levels, unit, unitName = "unit_name", bodyId = "body_id", bodyName = "body_name"
        case document, documentTitle = "document_title", clause, quote, note, tags, leadDays = "lead_days"
        case event, eventRef = "event_ref", completedOn = "completed_on", completions
    }

    /// Encodes every field, absent values as `null`, so the schema is the same on every line.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(duty, forKey: .duty)
        try c.encode(title, forKey: .title)
        try c.encode(titleEn, forKey: .titleEn)
        try c.encode(kind, forKey: .kind)
        try c.encode(kindLabel, forKey: .kindLabel)
        try c.encode(period, forKey: .period)
        try c.encode(periodLabel, forKey: .periodLabel)
        try c.encode(start, forKey: .start)
        try c.encode(due, forKey: .due)
        try c.encode(originalDue, forKey: .originalDue)
        try c.encode(adjustment, forKey: .adjustment)
        try c.encode(provisional, forKey: .provisional)
        try c.encode(count, forKey: .count)
        try c.encode(body, forKey: .body)
        try c.encode(levels, forKey: .levels)
        try c.encode(unit, forKey: .unit)
        try c.encode(unitName, forKey: .unitName)
        try c.encode(bodyId, forKey: .bodyId)
        try c.encode(bodyName, forKey: .bodyName)
        try c.encode(document, forKey: .document)
        try c.encode(documentTitle, forKey: .documentTitle)
        try c.encode(clause, forKey: .clause)
        try c.encode(quote, forKey: .quote)
        try c.encode(note, forKey: .note)
        try c.encode(tags, forKey: .tags)
        try c.encode(leadDays, forKey: .leadDays)
        try c.encode(event, forKey: .event)
        try c.encode(eventRef, forKey: .eventRef)
        try c.encode(completedOn, forKey: .completedOn)
        try c.encode(completions, forKey: .completions)
    }

    /// The record of an occurrence, for a unit's body when `assignment` is given.
    public init(_ occurrence: Occurrence, catalogue: Catalogue, assignment: Assignment? = nil) {
        let duty = catalogue.duty(occurrence.duty)
        let entry = duty?.entries[occurrence.entry]
        id = occurrence.key
        self.duty = occurrence.duty.rawValue
        title = duty?.title ?? occurrence.duty.rawValue
        titleEn = duty?.englishTitle
        kind = occurrence.kind.rawValue
        kindLabel = occurrence.kind.chinese
        period = occurrence.period
        periodLabel = occurrence.periodLabel
        start = occurrence.start.description
        due = occurrence.due.date.description
        originalDue = occurrence.due.original.description
        adjustment = occurrence.due.reason
        provisional = occurrence.isProvisional
        count = occurrence.count
        body = entry?.body ?? ""
        levels = occurrence.levels.map(\.rawValue)
        document = entry?.citation.document.rawValue ?? ""
        documentTitle = entry.flatMap { catalogue.documents[$0.citation.document]?.title } ?? ""
        clause = entry?.citation.clause ?? ""
        quote = entry?.citation.quote ?? ""
        note = entry?.note
        tags = duty?.tags ?? []
        leadDays = duty?.leadDays ?? []
        event = occurrence.event?.name
        eventRef = occurrence.event?.reference
        if let assignment { self = assigned(to: assignment) }
    }

    /// This record (of the occurrence alone) for `assignment`'s unit and body: the id, the
    /// unit's level, the unit and the body; the same as `init(_:catalogue:assignment:)`
    /// without looking the duty up again, for the many units receiving one occurrence.
    public func assigned(to assignment: Assignment) -> OccurrenceRecord {
        var record = self
        record.id = assignment.id
        record.levels = [assignment.unit.level.rawValue]
        record.unit = assignment.unit.id.rawValue
        record.unitName = assignment.unit.name
        record.bodyId = assignment.body.id
        record.bodyName = assignment.body.name
        return record
    }
}
