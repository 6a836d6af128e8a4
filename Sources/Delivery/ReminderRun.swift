public import Calendrical
public import DutyCore
public import Foundation
public import Digest
public import Ledger
public import Mail
public import Reminders

/// What a run did.
public struct RunReport: Sendable {
    /// Digests planned for the day (stored, or only shown in a dry run).
    public var planned: [DigestPlan] = []
    /// Digests stored for the day (a plan whose reminders an earlier run already stored is not).
    public var stored = 0
    /// Digests handed to the mail system and accepted: (Message-ID, recipient).
    public var sent: [(messageID: String, recipient: String)] = []
    /// Digests the mail system did not accept, with why; they stay in the ledger for the next run.
    public var failures: [(messageID: String, recipient: String, error: MailError)] = []
    /// Rendered digests (dry run only), for printing.
    public var previews: [RenderedDigest] = []

    /// True when every digest went out.
    public var succeeded: Bool { failures.isEmpty }
}

/// One `dutycal remind` run: plan the day's digests against the ledger, store them, send
/// every unsent one.
///
/// Each step is recorded before the next starts: a digest is stored with its reminders and
/// its complete message before anything is sent, marked `sending` just before the hand-over
/// and `sent` once the mail system accepted it. A run killed at any point leaves the ledger
/// saying what still has to go, and the next run sends exactly that, byte for byte with the
/// same Message-ID. Runs must not overlap: the caller holds the ledger's ``RunLock``.
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

    /// The digests due on `asOf`, planned against the ledger's facts (completions, recorded
    /// events, reminders already stored, the last successful run).
    public func plan(asOf: CivilDate, ledger: Ledger) throws(LedgerError) -> [DigestPlan] {
        let trackingStart = try ledger.firstRun() ?? asOf
        let window = ReminderPlanner.window(asOf: asOf, trackingStart: trackingStart)
        let occurrences = expander.occurrences(in: window, events: try ledger.recordedEvents())
        let assignments = deployment.assign(occurrences, catalogue: expander.catalogue)
        let records = assignments.map { OccurrenceRecord($0.occurrence, catalogue: expander.catalogue, assignment: $0) }
        let recorded = Set(try ledger.reminderKeys().map(\.identity))
        let planner = ReminderPlanner(workCalendar: expander.workCalendar)
        return planner.plan(asOf: asOf, assignments: assignments, records: records, completions: try ledger.completionCounts(),
                            // Before any successful run, the summaries due since tracking began are caught up.
                            lastRun: try ledger.lastSuccessfulRun() ?? trackingStart.adding(days: -1),
                            trackingStart: trackingStart) { recorded.contains($0.identity) }
    }

    /// Renders a plan as the message to send.
    public func render(_ plan: DigestPlan, now: Date, timeZone: TimeZone) -> RenderedDigest {
        renderer.render(plan, sender: sender, now: now, timeZone: timeZone,
                        calendar: calendar(plan.allItems.map(\.record), now),
                        footer: "\(deployment.name) 履职日历（DutyCalendar）自动发送，请勿直接回复")
    }

    /// Plans and renders the day's digests without writing anything.
    public func preview(asOf: CivilDate, now: Date, timeZone: TimeZone, ledger: Ledger) throws(LedgerError) -> RunReport {
        var report = RunReport()
        report.planned = try plan(asOf: asOf, ledger: ledger)
        report.previews = report.planned.map { render($0, now: now, timeZone: timeZone) }
        return report
    }

    /// Plans, stores and sends the digests of `asOf`, and sends what earlier runs left unsent.
    ///
    /// - Parameters:
    ///   - now: the run's start, for the messages' Date header and the ledger.
    ///   - clock: the current time, read when a digest is accepted or refused.
    /// - Throws: ``LedgerError`` when the ledger cannot be read or written; the mail system's
    ///   refusals are not thrown but reported in ``RunReport/failures``.
    public func run(asOf: CivilDate, now: Date, timeZone: TimeZone, ledger: Ledger, transport: any MailTransport,
                    clock: () -> Date) throws(LedgerError) -> RunReport {
        var report = RunReport()
        let runID = try ledger.beginRun(asOf: asOf, at: now)
        // Digests of earlier days that never went out are withdrawn and their reminders freed:
        // today's digest carries what is still useful (one digest, not one per missed day).
        try ledger.supersedeUnsent(before: asOf)
        report.planned = try plan(asOf: asOf, ledger: ledger)
        // Intent first: every digest and its reminders are stored before anything is sent.
        for plan in report.planned {
            let digest = render(plan, now: now, timeZone: timeZone)
            let outgoing = Ledger.OutgoingDigest(recipient: plan.recipient.email, asOf: asOf, kinds: plan.kinds,
                                                 messageID: digest.messageID, subject: digest.subject, message: digest.bytes)
            if try ledger.enqueue(outgoing, reminders: plan.newReminders, at: now).storedDigestID != nil { report.stored += 1 }
        }
        for digest in try ledger.unsentDigests() {
            try ledger.markSending(digest.id)
            do throws(MailError) {
                try transport.send(digest.message, messageID: digest.messageID, from: sender.address, to: [digest.recipient])
            } catch {
                try ledger.markFailed(digest.id, error: error.description, at: clock())
                report.failures.append((digest.messageID, digest.recipient, error))
                continue
            }
            try ledger.markSent(digest.id, at: clock())
            report.sent.append((digest.messageID, digest.recipient))
        }
        try ledger.finishRun(runID, outcome: report.succeeded ? .succeeded : .failed, at: clock())
        return report
    }
}

extension ReminderKey {
    /// What the ledger keeps unique: recipient, occurrence and lead (not the due date).
    var identity: String { "\(recipient)\u{0}\(occurrence)\u{0}\(lead)" }
}
