import Calendrical
import DutyCore
import Foundation
import Ledger
import Reminders
import Testing

/// The outbox: one digest per recipient and day, each reminder stored once, and the
/// pending → sending → sent | failed cycle.
@Suite struct OutboxTests {
    let folder: TemporaryFolder
    let ledger: Ledger
    let wang = "wang@example.gov.cn"

    init() throws {
        folder = try TemporaryFolder()
        ledger = try Ledger.open(at: folder.path("ledger.sqlite"))
    }

    func key(_ occurrence: String, lead: Int, due: String = "2026-03-09", recipient: String? = nil) -> Ledger.ReminderKey {
        Ledger.ReminderKey(recipient: recipient ?? wang, occurrence: occurrence, lead: lead, due: day(due))
    }

    func digest(_ asOf: String, kinds: Set<Cadence> = [.daily], recipient: String? = nil) -> Ledger.OutgoingDigest {
        let recipient = recipient ?? wang
        return Ledger.OutgoingDigest(recipient: recipient, asOf: day(asOf), kinds: kinds,
                                     messageID: "dutycal.\(asOf).\(recipient.hashValue.magnitude)@example.gov.cn",
                                     subject: "【履职提醒】\(asOf)", message: Data("Subject: x\r\n\r\n提醒\r\n".utf8) + Data([0xFF, 0x00, 0x80]))
    }

    let monthly = "county/yingji/zhifanian-2016-yuebao@2026-03"
    let quarterly = "county/dangwei/changwei-anquan@2026-Q1"

    @Test func aSecondEnqueueOfTheSameRemindersStoresNothing() throws {
        let first = try ledger.enqueue(digest("2026-03-02"), reminders: [key(monthly, lead: 7), key(quarterly, lead: 7)], at: monday)
        let id = try #require(first.storedDigestID)
        #expect(first == .stored(digestID: id, newReminders: [key(monthly, lead: 7), key(quarterly, lead: 7)], alreadyRecorded: []))
        #expect(try ledger.hasReminder(recipient: wang, occurrence: monthly, lead: 7))
        #expect(try !ledger.hasReminder(recipient: wang, occurrence: monthly, lead: 1))
        #expect(try !ledger.hasReminder(recipient: "li@example.gov.cn", occurrence: monthly, lead: 7))

        // Same day again (a second run): the day's digest exists, nothing is stored.
        let again = try ledger.enqueue(digest("2026-03-02"), reminders: [key(monthly, lead: 7)], at: later(60))
        #expect(again == .digestExists(digestID: id))
        // The next day with the same keys and no summary: no digest at all.
        let next = try ledger.enqueue(digest("2026-03-03"), reminders: [key(monthly, lead: 7), key(quarterly, lead: 7)], at: later(86_400))
        #expect(next == .nothingNew(alreadyRecorded: [key(monthly, lead: 7), key(quarterly, lead: 7)]))
        #expect(try ledger.digests(on: day("2026-03-03")).isEmpty)
        #expect(try ledger.reminderKeys() == [key(monthly, lead: 7), key(quarterly, lead: 7)])
        #expect(try ledger.digests(on: day("2026-03-02")).count == 1)
    }

    @Test func aSummaryIsStoredWithoutNewRemindersAndOnlyNewOnesAreAttached() throws {
        _ = try ledger.enqueue(digest("2026-03-02"), reminders: [key(monthly, lead: 7)], at: monday)
        let weekly = try ledger.enqueue(digest("2026-03-09", kinds: [.weekly]), reminders: [key(monthly, lead: 7)], at: later(7 * 86_400))
        let weeklyID = try #require(weekly.storedDigestID)
        #expect(weekly == .stored(digestID: weeklyID, newReminders: [], alreadyRecorded: [key(monthly, lead: 7)]))
        let mixed = try ledger.enqueue(digest("2026-03-10", kinds: [.daily, .monthly]),
                                       reminders: [key(monthly, lead: 7), key(monthly, lead: 0), key(monthly, lead: 0)], at: later(8 * 86_400))
        let mixedID = try #require(mixed.storedDigestID)
        #expect(mixed == .stored(digestID: mixedID, newReminders: [key(monthly, lead: 0)], alreadyRecorded: [key(monthly, lead: 7)]))
        #expect(try ledger.reminders(inDigest: mixedID) == [key(monthly, lead: 0)])
        #expect(try ledger.digest(id: mixedID)?.kinds == [.daily, .monthly])
    }

    @Test func overdueLeadsAreDistinctReminders() throws {
        _ = try ledger.enqueue(digest("2026-03-10"), reminders: [key(monthly, lead: -1, due: "2026-03-09")], at: monday)
        let later = try ledger.enqueue(digest("2026-03-16"), reminders: [key(monthly, lead: -7, due: "2026-03-09")], at: monday)
        #expect(later.storedDigestID != nil)
        #expect(try ledger.hasReminder(key(monthly, lead: -7, due: "2026-03-09")))
    }

    @Test func aReminderForAnotherRecipientIsRefused() throws {
        let error = try #require(ledgerError {
            _ = try ledger.enqueue(digest("2026-03-02"), reminders: [key(monthly, lead: 7, recipient: "li@example.gov.cn")], at: monday)
        })
        #expect(error.kind == .invalidInput)
        #expect(try ledger.digests(on: day("2026-03-02")).isEmpty)
    }

    @Test func theMessageIsStoredByteForByte() throws {
        let outgoing = digest("2026-03-02")
        let id = try #require(try ledger.enqueue(outgoing, reminders: [key(monthly, lead: 7)], at: monday).storedDigestID)
        let stored = try #require(try ledger.digest(id: id))
        #expect(stored.message == outgoing.message)
        #expect(stored.messageID == outgoing.messageID)
        #expect(stored.subject == outgoing.subject)
        #expect(stored.state == .pending)
        #expect(stored.attempts == 0)
        #expect(stored.createdAt == monday)
        #expect(stored.sentAt == nil)
    }

    @Test func pendingThenSendingThenSent() throws {
        let id = try #require(try ledger.enqueue(digest("2026-03-02"), reminders: [key(monthly, lead: 7)], at: monday).storedDigestID)
        #expect(try ledger.unsentDigests().map(\.id) == [id])
        #expect(try ledger.sentReminderKeys().isEmpty)
        try ledger.markSending(id)
        #expect(try ledger.unsentDigests().map(\.state) == [.sending])
        try ledger.markSent(id, at: later(3))
        #expect(try ledger.unsentDigests().isEmpty)
        let sent = try #require(try ledger.digest(id: id))
        #expect(sent.state == .sent)
        #expect(sent.sentAt == later(3))
        #expect(sent.attempts == 1)
        #expect(try ledger.sentReminderKeys() == [key(monthly, lead: 7)])

        // A sent digest is final.
        let attempts: [() throws -> Void] = [{ try ledger.markSending(id) },
                                             { try ledger.markFailed(id, error: "x", at: later(4)) },
                                             { try ledger.markSent(id, at: later(5)) }]
        for attempt in attempts {
            let error = try #require(ledgerError(attempt))
            #expect(error.kind == .invalidTransition)
            #expect(error.message.contains("is sent"))
        }
        #expect(try ledger.digest(id: id)?.sentAt == later(3))
    }

    @Test func failedDigestsAreRetried() throws {
        let id = try #require(try ledger.enqueue(digest("2026-03-02"), reminders: [key(monthly, lead: 7)], at: monday).storedDigestID)
        #expect(ledgerError { try ledger.markSent(id, at: later(1)) }?.kind == .invalidTransition)  // not sending yet
        try ledger.markSending(id)
        try ledger.markFailed(id, error: "SMTP 451 4.7.1 try again later", at: later(2))
        let failed = try #require(try ledger.unsentDigests().first)
        #expect(failed.state == .failed)
        #expect(failed.attempts == 1)
        #expect(failed.lastError == "SMTP 451 4.7.1 try again later")
        #expect(failed.lastErrorAt == later(2))
        // The reminder stays recorded: the retry delivers it, no new digest repeats it.
        #expect(try ledger.hasReminder(key(monthly, lead: 7)))
        try ledger.markSending(id)
        try ledger.markSent(id, at: later(600))
        let sent = try #require(try ledger.digest(id: id))
        #expect(sent.state == .sent)
        #expect(sent.attempts == 2)
        #expect(sent.lastError == "SMTP 451 4.7.1 try again later")
    }

    @Test func aHandOverInterruptedByACrashIsHandedOverAgain() throws {
        let path = folder.path("ledger.sqlite")
        let id = try #require(try ledger.enqueue(digest("2026-03-02"), reminders: [key(monthly, lead: 7)], at: monday).storedDigestID)
        try ledger.markSending(id)
        let reopened = try Ledger.open(at: path)
        let unsent = try reopened.unsentDigests()
        #expect(unsent.map(\.id) == [id])
        #expect(unsent.first?.state == .sending)
        try reopened.markSending(id)
        try reopened.markSent(id, at: later(60))
        #expect(try reopened.digest(id: id)?.attempts == 2)
    }

    @Test func unsentDigestsComeOldestFirst() throws {
        // No reminders and no summary: nothing stored.
        #expect(try ledger.enqueue(digest("2026-03-02", recipient: "zhao@example.gov.cn"), reminders: [], at: monday) == .nothingNew(alreadyRecorded: []))
        let first = try #require(try ledger.enqueue(digest("2026-03-02", kinds: [.weekly], recipient: "zhao@example.gov.cn"), reminders: [], at: monday).storedDigestID)
        let second = try #require(try ledger.enqueue(digest("2026-03-02"), reminders: [key(monthly, lead: 7)], at: later(1)).storedDigestID)
        let third = try #require(try ledger.enqueue(digest("2026-03-03"), reminders: [key(monthly, lead: 1)], at: later(86_400)).storedDigestID)
        #expect(try ledger.unsentDigests().map(\.id) == [first, second, third])
        #expect(try ledger.digests(on: day("2026-03-02")).map(\.recipient) == [wang, "zhao@example.gov.cn"])
    }

    @Test func earlierUnsentDigestsAreSupersededAndTheirRemindersFreed() throws {
        let stuck = try #require(try ledger.enqueue(digest("2026-03-02"), reminders: [key(monthly, lead: 7)], at: monday).storedDigestID)
        let failed = try #require(try ledger.enqueue(digest("2026-03-03"), reminders: [key(quarterly, lead: 7)], at: monday).storedDigestID)
        try ledger.markSending(failed)
        try ledger.markFailed(failed, error: "connection refused", at: monday)
        let handedOver = try #require(try ledger.enqueue(digest("2026-03-04"), reminders: [key(monthly, lead: 1)], at: monday).storedDigestID)
        try ledger.markSending(handedOver)

        #expect(try ledger.supersedeUnsent(before: day("2026-03-05")) == [stuck, failed])
        #expect(try ledger.digest(id: stuck)?.state == .superseded)
        #expect(try ledger.digest(id: failed)?.state == .superseded)
        #expect(try !ledger.hasReminder(key(monthly, lead: 7)))
        #expect(try !ledger.hasReminder(key(quarterly, lead: 7)))
        // A digest caught sending may have arrived: it keeps its reminders and is retried.
        #expect(try ledger.hasReminder(key(monthly, lead: 1)))
        #expect(try ledger.unsentDigests().map(\.id) == [handedOver])
        // Today's digest can carry the freed reminders.
        let today = try ledger.enqueue(digest("2026-03-05"), reminders: [key(monthly, lead: 7), key(quarterly, lead: 7)], at: monday)
        #expect(today.storedDigestID != nil)
        #expect(ledgerError { try ledger.markSending(stuck) }?.kind == .invalidTransition)
    }

    @Test(.enabled(if: python3 != nil)) func theSchemaItselfRefusesToForgetOrRepeatAReminder() throws {
        let id = try #require(try ledger.enqueue(digest("2026-03-02"), reminders: [key(monthly, lead: 7)], at: monday).storedDigestID)
        try ledger.markSending(id)
        try ledger.markSent(id, at: later(3))
        // Another SQLite client, bypassing this module: every shortcut is refused by the schema.
        let refused = try runPython("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            attempts = {
                'duplicate reminder': "INSERT INTO reminder (recipient, occurrence_id, lead, due, digest_id) "
                                      "SELECT recipient, occurrence_id, lead, due, digest_id FROM reminder",
                'forget sent reminder': "DELETE FROM reminder",
                'change sent message': "UPDATE digest SET body = x'00'",
                'resend sent digest': "UPDATE digest SET state = 'pending', sent_at = NULL",
                'second digest same day': "INSERT INTO digest (recipient, as_of, kinds, message_id, subject, body, created_at) "
                                          "SELECT recipient, as_of, kinds, 'other@x', subject, body, created_at FROM digest",
                'bad date': "INSERT INTO completion (occurrence_id, done_on, recorded_at) VALUES ('a@2026-02', '2026-02-30', '2026-03-02 00:00:00.000')",
            }
            for name, sql in attempts.items():
                try:
                    c.execute(sql)
                    print('ALLOWED', name)
                except sqlite3.DatabaseError as e:
                    print('refused', name)
            """, [folder.path("ledger.sqlite")])
        #expect(!refused.contains("ALLOWED"), "\(refused)")
        #expect(refused.split(separator: "\n").count == 6)
        #expect(try ledger.sentReminderKeys() == [key(monthly, lead: 7)])
        #expect(try ledger.digest(id: id)?.message == digest("2026-03-02").message)
        try ledger.verifyIntegrity()
    }

    @Test func unknownDigestsAreReported() throws {
        let error = try #require(ledgerError { try ledger.markSending(42) })
        #expect(error.kind == .invalidInput)
        #expect(error.message.contains("no digest 42"))
    }
}
