public import Calendrical

/// A policy document duties are taken from.
public struct Document: Hashable, Sendable {
    /// Stable id, the prefix of its duties' ids.
    public let id: DocumentID
    /// Full title.
    public let title: String
    /// Who issued it.
    public let issuer: String?
    /// Where it applies.
    public let region: String?
    /// The year it applies from.
    public let year: Int?
    /// The source text the catalogue was read from (a file name).
    public let seed: String

    /// A document.
    public init(id: DocumentID, title: String, issuer: String?, region: String?, year: Int?, seed: String) {
        self.id = id
        self.title = title
        self.issuer = issuer
        self.region = region
        self.year = year
        self.seed = seed
    }
}

/// Where a duty's text stands: document, clause and the verbatim quote.
public struct Citation: Hashable, Sendable {
    /// The document.
    public let document: DocumentID
    /// The clause, e.g. `第九条(二)`.
    public let clause: String
    /// 10–80 characters exactly as in the source.
    public let quote: String
    /// The source text holding the quote.
    public let seed: String

    /// A citation.
    public init(document: DocumentID, clause: String, quote: String, seed: String) {
        self.document = document
        self.clause = clause
        self.quote = quote
        self.seed = seed
    }
}

/// One schedule of a duty: when it falls due for some levels, and who is responsible.
public struct ScheduleEntry: Hashable, Sendable {
    /// The levels this schedule applies to (no level is in two entries of one duty).
    public let levels: [Level]
    /// The responsible body at these levels.
    public let body: String
    /// Where the text says so.
    public let citation: Citation
    /// How an ambiguous sentence was read.
    public let note: String?
    /// When it falls due.
    public let schedule: Schedule

    /// A schedule entry.
    public init(levels: [Level], body: String, citation: Citation, note: String?, schedule: Schedule) {
        self.levels = levels
        self.body = body
        self.citation = citation
        self.note = note
        self.schedule = schedule
    }
}

/// A periodic duty a policy document imposes on a government body.
public struct Duty: Hashable, Sendable, Identifiable {
    /// Stable id, never reused.
    public let id: DutyID
    /// Short Chinese title.
    public let title: String
    /// English title, if given.
    public let englishTitle: String?
    /// The document it comes from.
    public let document: DocumentID
    /// Sector and topic words.
    public let tags: [String]
    /// Days before each due date on which to remind.
    public let leadDays: [Int]
    /// What happens to a due date on a non-working day.
    public let rolling: RollingPolicy
    /// Its schedules, one per group of levels.
    public let entries: [ScheduleEntry]

    /// A duty.
    public init(id: DutyID, title: String, englishTitle: String?, document: DocumentID, tags: [String],
                leadDays: [Int], rolling: RollingPolicy, entries: [ScheduleEntry]) {
        self.id = id
        self.title = title
        self.englishTitle = englishTitle
        self.document = document
        self.tags = tags
        self.leadDays = leadDays
        self.rolling = rolling
        self.entries = entries
    }

    /// Every level any schedule applies to.
    public var levels: [Level] { Array(Set(entries.flatMap(\.levels))).sorted() }

    /// Every responsible body named.
    public var bodies: [String] { Array(Set(entries.map(\.body))).sorted() }
}

/// The whole catalogue: documents and duties, checked for consistency.
public struct Catalogue: Sendable {
    /// Documents by id.
    public let documents: [DocumentID: Document]
    /// Duties in id order.
    public let duties: [Duty]
    private let index: [DutyID: Int]

    /// A catalogue. Ids are unique (the loader checks this and reports duplicates).
    public init(documents: [Document], duties: [Duty]) {
        self.documents = Dictionary(documents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.duties = duties.sorted { $0.id < $1.id }
        self.index = Dictionary(self.duties.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The duty with this id.
    public func duty(_ id: DutyID) -> Duty? { index[id].map { duties[$0] } }

    /// Every body any duty names, sorted.
    public var bodies: [String] { Array(Set(duties.flatMap(\.bodies))).sorted() }

    /// Every tag in use, sorted.
    public var tags: [String] { Array(Set(duties.flatMap(\.tags))).sorted() }
}
