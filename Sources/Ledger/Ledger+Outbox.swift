public import Calendrical
public import DutyCore
public import Foundation
import GRDB
public import Reminders

// The outbox: digests stored with their complete message before they are sent, and the
// reminders each carries. With the run lock, this gives exactly-once delivery as far as
// the mail system allows: a digest interrupted while being handed over stays `sending` and
// is handed over again with the same Message-ID (receivers and Maildir drop the duplicate).
extension Ledger {
    /// A reminder's identity: one recipient is reminded of one occurrence at one lead time at
    /// most once. The planner's key; the due date it carries is not part of the uniqueness.
    public typealias ReminderKey = Reminders.ReminderKey

    /// Where a digest is on its way out.
    public enum DigestState: String, Hashable, Sendable, CaseIterable {
        /// Stored, not yet handed to the mail system.
        case pending
        /// Being handed over; still so after a crash mid-hand-over, and then sent again.
        case sending
        /// Accepted by the mail system. Final.
        case sent
        /// Refused by the mail system; sent again on the next attempt.
        case failed
        /// Never sent and replaced by a later day's digest, which carries its reminders. Final.
        case superseded
    }

    /// A digest to store: who, which day, what it summarises, and the complete message.
    public struct OutgoingDigest: Hashable, Sendable {
        /// The recipient's email address.
        public let recipient: String
        /// The day the digest is for.
        public let asOf: CivilDate
        /// What it carries: daily reminders and/or the weekly and monthly summaries.
        public let kinds: Set<Cadence>
        /// The Message-ID without angle brackets (`dutycal.2026-03-02.ab12@example.gov.cn`).
        public let messageID: String
        /// The subject, for listings.
        public let subject: String
        /// The complete RFC 5322 message, exactly as it will be sent.
        public let message: Data

        /// A digest to store.
        public init(recipient: String, asOf: CivilDate, kinds: Set<Cadence>, messageID: String, subject: String, message: Data) {
            self.recipient = recipient
            self.asOf = asOf
            self.kinds = kinds
            self.messageID = messageID
            self.subject = subject
            self.message = message
        }

        /// True when it carries a weekly or monthly summary, worth sending without new reminders.
        public var hasSummary: Bool { kinds.contains { $0 != .daily } }
    }

    /// A digest in the outbox.
    public struct StoredDigest: Hashable, Sendable {
        /// The digest's id in the ledger.
        public let id: Int64
        /// The recipient's email address.
        public let recipient: String
        /// The day the digest is for.
        public let asOf: CivilDate
        /// What it carries.
        public let kinds: Set<Cadence>
        /// The Message-ID without angle brackets.
        public let messageID: String
        /// The subject.
        public let subject: String
        /// The complete message, byte for byte as stored before sending.
        public let message: Data
        /// Where it is on its way out.
        public let state: DigestState
        /// Hand-overs to the mail system begun (each ``Ledger/markSending(_:)`` counts one).
        public let attempts: Int
        /// The mail system's last refusal, if any.
        public let lastError: String?
        /// When it was last refused.
        public let lastErrorAt: Date?
        /// When it was stored.
        public let createdAt: Date
        /// When the mail system accepted it.
        public let sentAt: Date?

        init(row: Row) throws {
            id = row["id"]
            recipient = row["recipient"]
            asOf = try row.civilDate("as_of")
            kinds = try Ledger.kinds(from: row["kinds"])
            messageID = row["message_id"]
            subject = row["subject"]
            message = row["body"]
            let stateText: String = row["state"]
            guard let state = DigestState(rawValue: stateText) else { throw LedgerDataError(column: "state", value: stateText) }
            self.state = state
            attempts = row["attempts"]
            lastError = row["last_error"]
            lastErrorAt = row["last_error_at"]
            createdAt = row["created_at"]
            sentAt = row["sent_at"]
        }
    }

    /// What ``Ledger/enqueue(_:reminders:at:)`` stored.
    public enum EnqueueResult: Hashable, Sendable {
        /// The digest was stored with the reminders that were new; `alreadyRecorded` were left
        /// out because an earlier digest carries them.
        case stored(digestID: Int64, newReminders: [ReminderKey], alreadyRecorded: [ReminderKey])
        /// Nothing stored: every reminder was already recorded and the digest carries no summary.
        case nothingNew(alreadyRecorded: [ReminderKey])
        /// Nothing stored: the recipient already has a digest for that day (the one with this id).
        case digestExists(digestID: Int64)

        /// The stored digest's id, or nil when nothing was stored.
        public var storedDigestID: Int64? {
            if case .stored(let id, _, _) = self { id } else { nil }
        }
    }

    /// Stores a digest and the reminders it delivers, in one transaction, and reports what it stored.
    ///
    /// Reminders already recorded (by an earlier digest) are skipped. When none is new and the
    /// digest carries no weekly or monthly summary, nothing is stored; when the recipient
    /// already has a digest for the day, nothing is stored either. A reminder for another
    /// recipient than the digest's is refused with ``LedgerError/Kind/invalidInput``.
    public func enqueue(_ digest: OutgoingDigest, reminders: [ReminderKey], at now: Date) throws(LedgerError) -> EnqueueResult {
        if let stray = reminders.first(where: { $0.recipient != digest.recipient }) {
            throw LedgerError(.invalidInput, path: path, """
                the digest for \(digest.recipient) on \(digest.asOf) was given a reminder for \(stray.recipient) \
                (\(stray.occurrence)); a digest carries only its own recipient's reminders
                """)
        }
        for reminder in reminders { try checkOccurrenceID(reminder.occurrence, path: path) }
        var seen: Set<[String]> = []
        let reminders = reminders.filter { seen.insert($0.uniqueness).inserted }
        return try write("storing the digest for \(digest.recipient) on \(digest.asOf)") { db in
            if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM digest WHERE recipient = ? AND as_of = ?",
                                                 arguments: [digest.recipient, digest.asOf.ledgerText]) {
                return .digestExists(digestID: existing)
            }
            var fresh: [ReminderKey] = [], recorded: [ReminderKey] = []
            for reminder in reminders {
                if try Ledger.hasReminder(db, reminder.recipient, reminder.occurrence, reminder.lead) {
                    recorded.append(reminder)
                } else {
                    fresh.append(reminder)
                }
            }
            guard !fresh.isEmpty || digest.hasSummary else { return .nothingNew(alreadyRecorded: recorded) }
            try db.execute(sql: """
                INSERT INTO digest (recipient, as_of, kinds, message_id, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [digest.recipient, digest.asOf.ledgerText, Ledger.text(of: digest.kinds), digest.messageID,
                                 digest.subject, digest.message, now])
            let id = db.lastInsertedRowID
            for reminder in fresh {
                try db.execute(sql: "INSERT INTO reminder (recipient, occurrence_id, lead, due, digest_id) VALUES (?, ?, ?, ?, ?)",
                               arguments: [reminder.recipient, reminder.occurrence, reminder.lead, reminder.due.ledgerText, id])
            }
            return .stored(digestID: id, newReminders: fresh, alreadyRecorded: recorded)
        }
    }

    /// Digests not yet accepted by the mail system (pending, sending or failed), oldest first.
    public func unsentDigests() throws(LedgerError) -> [StoredDigest] {
        try read("reading unsent digests") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM digest WHERE state IN ('pending', 'sending', 'failed') ORDER BY id")
                .map(StoredDigest.init(row:))
        }
    }

    /// Every digest stored for a day, whatever its state, by recipient.
    public func digests(on day: CivilDate) throws(LedgerError) -> [StoredDigest] {
        try read("reading the digests of \(day)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM digest WHERE as_of = ? ORDER BY recipient, id", arguments: [day.ledgerText])
                .map(StoredDigest.init(row:))
        }
    }

    /// The digest with this id, or nil.
    public func digest(id: Int64) throws(LedgerError) -> StoredDigest? {
        try read("reading digest \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM digest WHERE id = ?", arguments: [id]).map(StoredDigest.init(row:))
        }
    }

    /// Marks a digest as being handed to the mail system, counting one attempt; call it just before handing it over.
    ///
    /// Allowed from pending, failed and sending (a hand-over interrupted by a crash).
    public func markSending(_ id: Int64) throws(LedgerError) {
        try transition(id, to: .sending, from: [.pending, .failed, .sending], "attempts = attempts + 1", [])
    }

    /// Marks a digest as accepted by the mail system at `at`; only a digest being sent can be.
    public func markSent(_ id: Int64, at: Date) throws(LedgerError) {
        try transition(id, to: .sent, from: [.sending], "sent_at = ?", [at])
    }

    /// Marks a digest as refused by the mail system with its error; only a digest being sent can be.
    public func markFailed(_ id: Int64, error: String, at: Date) throws(LedgerError) {
        try transition(id, to: .failed, from: [.sending], "last_error = ?, last_error_at = ?", [error, at])
    }

    /// Withdraws the digests of days before `day` that were never handed over (pending or
    /// failed) and frees their reminders, so that `day`'s digest can carry them; returns their ids.
    ///
    /// Digests caught `sending` are left alone: they may have reached the recipient, so they
    /// are handed over again rather than replaced.
    @discardableResult
    public func supersedeUnsent(before day: CivilDate) throws(LedgerError) -> [Int64] {
        try write("withdrawing unsent digests before \(day)") { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM digest WHERE state IN ('pending', 'failed') AND as_of < ? ORDER BY id",
                                         arguments: [day.ledgerText])
            for id in ids {
                try db.execute(sql: "DELETE FROM reminder WHERE digest_id = ?", arguments: [id])
                try db.execute(sql: "UPDATE digest SET state = 'superseded' WHERE id = ?", arguments: [id])
            }
            return ids
        }
    }

    /// True when the recipient was already reminded of the occurrence at that lead time, or the reminder is queued.
    public func hasReminder(recipient: String, occurrence: String, lead: Int) throws(LedgerError) -> Bool {
        try read("looking up a reminder") { db in try Ledger.hasReminder(db, recipient, occurrence, lead) }
    }

    /// True when this reminder was already delivered or is queued.
    public func hasReminder(_ key: ReminderKey) throws(LedgerError) -> Bool {
        try hasReminder(recipient: key.recipient, occurrence: key.occurrence, lead: key.lead)
    }

    /// Every reminder recorded, delivered or queued.
    public func reminderKeys() throws(LedgerError) -> Set<ReminderKey> {
        try read("reading reminders") { db in
            Set(try Row.fetchAll(db, sql: "SELECT * FROM reminder").map(Ledger.reminderKey(row:)))
        }
    }

    /// The reminders whose digest the mail system accepted.
    public func sentReminderKeys() throws(LedgerError) -> Set<ReminderKey> {
        try read("reading sent reminders") { db in
            Set(try Row.fetchAll(db, sql: """
                SELECT reminder.* FROM reminder JOIN digest ON digest.id = reminder.digest_id WHERE digest.state = 'sent'
                """).map(Ledger.reminderKey(row:)))
        }
    }

    /// The reminders a digest carries, by occurrence and lead.
    public func reminders(inDigest id: Int64) throws(LedgerError) -> [ReminderKey] {
        try read("reading the reminders of digest \(id)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM reminder WHERE digest_id = ? ORDER BY occurrence_id, lead DESC", arguments: [id])
                .map(Ledger.reminderKey(row:))
        }
    }
}

extension Ledger {
    /// Moves a digest to `target` when its state is one of `from`, also setting `assignments`.
    private func transition(_ id: Int64, to target: DigestState, from allowed: Set<DigestState>,
                            _ assignments: String, _ arguments: StatementArguments) throws(LedgerError) {
        let path = self.path
        try write("marking digest \(id) \(target.rawValue)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT state, message_id, sent_at FROM digest WHERE id = ?", arguments: [id]) else {
                throw LedgerError(.invalidInput, path: path, "there is no digest \(id) in the ledger")
            }
            let stateText: String = row["state"]
            let messageID: String = row["message_id"]
            guard let state = DigestState(rawValue: stateText), allowed.contains(state) else {
                let sentAt: Date? = row["sent_at"]
                let detail = sentAt.map { ", accepted by the mail system at \($0)" } ?? ""
                throw LedgerError(.invalidTransition, path: path, """
                    digest \(id) (Message-ID <\(messageID)>) is \(stateText)\(detail), so it cannot be marked \
                    \(target.rawValue); only a digest that is \(allowed.map(\.rawValue).sorted().joined(separator: " or ")) can
                    """)
            }
            try db.execute(sql: "UPDATE digest SET state = ?, \(assignments) WHERE id = ?",
                           arguments: [target.rawValue] + arguments + [id])
        }
    }

    static func hasReminder(_ db: Database, _ recipient: String, _ occurrence: String, _ lead: Int) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM reminder WHERE recipient = ? AND occurrence_id = ? AND lead = ?)",
                          arguments: [recipient, occurrence, lead]) ?? false
    }

    static func reminderKey(row: Row) throws -> ReminderKey {
        ReminderKey(recipient: row["recipient"], occurrence: row["occurrence_id"], lead: row["lead"], due: try row.civilDate("due"))
    }

    /// `daily,weekly`: the kinds in their natural order.
    static func text(of kinds: Set<Cadence>) -> String {
        kinds.sorted().map(\.rawValue).joined(separator: ",")
    }

    static func kinds(from text: String) throws -> Set<Cadence> {
        var kinds: Set<Cadence> = []
        for name in text.split(separator: ",") {
            guard let kind = Cadence(rawValue: String(name)) else { throw LedgerDataError(column: "kinds", value: text) }
            kinds.insert(kind)
        }
        return kinds
    }
}

extension ReminderKey {
    /// Recipient, occurrence and lead: what the ledger keeps unique.
    var uniqueness: [String] { [recipient, occurrence, String(lead)] }
}
