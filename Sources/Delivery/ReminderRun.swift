public import Calendrical
public import DutyCore
public import Foundation
public import Digest
public import Mail
public import Reminders

/// What a reminder run needs from the ledger. The ledger keeps every fact across runs, so
/// each step is recorded before the next one starts: a digest and its reminders are stored
/// (with the complete message) before the message is handed to the mail system, and marked
/// sent only after the mail system accepted it.
public protocol ReminderLedger {
    /// Completion counts by occurrence id.
    func completionCounts() throws -> [String: Int]
    /// Events users recorded (relative duties follow them).
    func recordedEvents() throws -> [RecordedEvent]
    /// True when the reminder was already delivered or is queued.
    func hasReminder(_ key: ReminderKey) throws -> Bool
    /// Stores a digest and the reminders it delivers, in one transaction; false when a
    /// digest for the recipient and day already exists (nothing stored then).
    func enqueue(_ digest: OutgoingDigest, reminders: [ReminderKey]) throws -> Bool
    /// Digests stored for earlier days and never sent: they are withdrawn and their
    /// reminders freed, so today's digest carries what is still useful (one digest, not several).
    func supersedeUnsent(before day: CivilDate) throws
    /// Digests not yet accepted by the mail system, oldest first.
    func unsentDigests() throws -> [StoredDigest]
    func markSending(_ id: Int64) throws
    func markSent(_ id: Int64, at: Date) throws
    func markFailed(_ id: Int64, error: String, at: Date) throws
    /// The first day reminders ran (overdue tracking starts then), or nil before any run.
    func firstRun() throws -> CivilDate?
    /// The day of the last run that sent everything, or nil.
    func lastSuccessfulRun() throws -> CivilDate?
    /// Records a run's outcome.
    func recordRun(asOf: CivilDate, startedAt: Date, finishedAt: Date, outcome: String) throws
}

/// A digest about to be stored: who, which day, and the complete message.
public struct OutgoingDigest: Sendable {
    public let recipient: String
    public let asOf: CivilDate
    public let kinds: [Cadence]
    public let messageID: String
    public let subject: String
    public let message: Data

    /// A digest to store.
    public init(recipient: String, asOf: CivilDate, kinds: [Cadence], messageID: String, subject: String, message: Data) {
        self.recipient = recipient
        self.asOf = asOf
        self.kinds = kinds
        self.messageID = messageID
        self.subject = subject
        self.message = message
    }
}

/// A stored digest waiting to be sent (or re-sent after a failure or an interrupted run).
public struct StoredDigest: Sendable {
    public let id: Int64
    public let recipient: String
    public let asOf: CivilDate
    public let messageID: String
    public let subject: String
    public let message: Data
    /// pending, sending (interrupted while handed over) or failed.
    public let state: String

    /// A stored digest.
    public init(id: Int64, recipient: String, asOf: CivilDate, messageID: String, subject: String, message: Data, state: String) {
        self.id = id
        self.recipient = recipient
        self.asOf = asOf
        self.messageID = messageID
        self.subject = subject
        self.message = message
        self.state = state
    }
}

/// What a run did.
public struct RunReport: Sendable {
    /// Digests planned today (stored, or shown in a dry run).
    public var planned: [DigestPlan] = []
    /// Message-IDs handed to the mail system and accepted.
    public var sent: [String] = []
    /// Digests the mail system did not accept, with why.
    public var failures: [(messageID: String, recipient: String, error: MailError)] = []
    /// Rendered digests (dry run only), for printing.
    public var previews: [RenderedDigest] = []

    /// True when every digest went out.
    public var succeeded: Bool { failures.isEmpty }
}

/// One `dutycal remind` run: plan the day's digests, store them, send what is unsent.
public struct ReminderRun {
    public let deployment: Deployment
    public let expander: Expander
    public let sender: MailMessage.Address
    public let renderer: DigestRenderer
    /// Renders the iCalendar attachment (METHOD:PUBLISH with ORGANIZER) of a digest's items.
    public let calendar: ([OccurrenceRecord], Date) -> Data?

    /// A run over a deployment.
    public init(deployment: Deployment, expander: Expander, sender: MailMessage.Address, renderer: DigestRenderer,
                calendar: @escaping ([OccurrenceRecord], Date) -> Data?) {
        self.deployment = deployment
        self.expander = expander
        self.sender = sender
        self.renderer = renderer
        self.calendar = calendar
    }

    /// The digests due on `asOf`, planned against the ledger's facts.
    public func plan(asOf: CivilDate, ledger: some ReminderLedger) throws -> [DigestPlan] {
        let trackingStart = try ledger.firstRun() ?? asOf
        let window = ReminderPlanner.window(asOf: asOf, trackingStart: trackingStart)
        let occurrences = expander.occurrences(in: window, events: try ledger.recordedEvents())
        let assignments = deployment.assign(occurrences, catalogue: expander.catalogue)
        let records = assignments.map { OccurrenceRecord($0.occurrence, catalogue: expander.catalogue, assignment: $0) }
        let planner = ReminderPlanner(workCalendar: expander.workCalendar)
        var failure: (any Error)?
        let plans = planner.plan(asOf: asOf, assignments: assignments, records: records, completions: try ledger.completionCounts(),
                                 lastRun: try ledger.lastSuccessfulRun(), trackingStart: trackingStart) { key in
            do { return try ledger.hasReminder(key) } catch { failure = error; return true }
        }
        if let failure { throw failure }
        return plans
    }

    /// Renders a plan as the message to send.
    public func render(_ plan: DigestPlan, now: Date, timeZone: TimeZone) -> RenderedDigest {
        renderer.render(plan, sender: sender, now: now, timeZone: timeZone,
                        calendar: calendar(plan.allItems.map(\.record), now),
                        footer: "\(deployment.name) 履职日历（DutyCalendar）自动发送，请勿直接回复")
    }

    /// Plans, stores and sends; with `dryRun` only plans and renders (nothing is stored or sent).
    public func run(asOf: CivilDate, now: Date, timeZone: TimeZone, ledger: some ReminderLedger,
                    transport: any MailTransport, dryRun: Bool) throws -> RunReport {
        var report = RunReport()
        if dryRun {
            report.planned = try plan(asOf: asOf, ledger: ledger)
            report.previews = report.planned.map { render($0, now: now, timeZone: timeZone) }
            return report
        }
        // Digests of earlier days that never went out are withdrawn; their reminders are
        // planned again into today's digest (a failed run is not a successful one, so the
        // weekly and monthly summaries are caught up too).
        try ledger.supersedeUnsent(before: asOf)
        report.planned = try plan(asOf: asOf, ledger: ledger)
        // Intent first: every digest and its reminders are stored before anything is sent.
        for plan in report.planned {
            let digest = render(plan, now: now, timeZone: timeZone)
            _ = try ledger.enqueue(OutgoingDigest(recipient: plan.recipient.email, asOf: asOf, kinds: plan.kinds.sorted(),
                                                  messageID: digest.messageID, subject: digest.subject, message: digest.bytes),
                                   reminders: plan.newReminders)
        }
        for digest in try ledger.unsentDigests() {
            try ledger.markSending(digest.id)
            do {
                try transport.send(digest.message, messageID: digest.messageID, from: sender.address, to: [digest.recipient])
                try ledger.markSent(digest.id, at: Date())
                report.sent.append(digest.messageID)
            } catch let error as MailError {
                try ledger.markFailed(digest.id, error: error.description, at: Date())
                report.failures.append((digest.messageID, digest.recipient, error))
            }
        }
        try ledger.recordRun(asOf: asOf, startedAt: now, finishedAt: Date(), outcome: report.succeeded ? "sent" : "failed")
        return report
    }
}
