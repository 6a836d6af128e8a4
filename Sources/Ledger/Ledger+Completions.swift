public import Calendrical
public import Foundation
import GRDB

extension Ledger {
    /// One recorded completion of an occurrence (`dutycal done`).
    public struct Completion: Hashable, Sendable {
        /// The row's id, increasing in the order completions were recorded.
        public let id: Int64
        /// The occurrence completed, `unit/body/duty@period`.
        public let occurrence: String
        /// The day the work was done.
        public let date: CivilDate
        /// The user's note, if any.
        public let note: String?
        /// When it was recorded.
        public let recordedAt: Date

        /// A completion.
        public init(id: Int64, occurrence: String, date: CivilDate, note: String?, recordedAt: Date) {
            self.id = id
            self.occurrence = occurrence
            self.date = date
            self.note = note
            self.recordedAt = recordedAt
        }

        init(row: Row) throws {
            self.init(id: row["id"], occurrence: row["occurrence_id"], date: try row.civilDate("done_on"),
                      note: row["note"], recordedAt: row["recorded_at"])
        }
    }

    /// How often an occurrence was completed, and the last completion recorded.
    public struct CompletionSummary: Hashable, Sendable {
        /// Completions recorded (a quota occurrence needs at least its minimum).
        public let count: Int
        /// The completion recorded last, or nil when there is none.
        public let latest: Completion?

        /// A summary.
        public init(count: Int, latest: Completion?) {
            self.count = count
            self.latest = latest
        }
    }

    /// Records that an occurrence was done on `date`; each call adds one completion (quotas count them).
    @discardableResult
    public func recordCompletion(of occurrence: String, on date: CivilDate, note: String? = nil,
                                 at now: Date) throws(LedgerError) -> Completion {
        try checkOccurrenceID(occurrence, path: path)
        let note = nonEmpty(note)
        return try write("recording a completion of \(occurrence)") { db in
            try db.execute(sql: "INSERT INTO completion (occurrence_id, done_on, note, recorded_at) VALUES (?, ?, ?, ?)",
                           arguments: [occurrence, date.ledgerText, note, now])
            // Read back: the stored timestamp has millisecond precision.
            let row = try Row.fetchOne(db, sql: "SELECT * FROM completion WHERE id = ?", arguments: [db.lastInsertedRowID])!
            return try Completion(row: row)
        }
    }

    /// The completions of one occurrence, in the order they were recorded.
    public func completions(of occurrence: String) throws(LedgerError) -> [Completion] {
        try read("reading the completions of \(occurrence)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM completion WHERE occurrence_id = ? ORDER BY id", arguments: [occurrence])
                .map(Completion.init(row:))
        }
    }

    /// The number of completions of an occurrence and the one recorded last.
    public func completionSummary(of occurrence: String) throws(LedgerError) -> CompletionSummary {
        let all = try completions(of: occurrence)
        return CompletionSummary(count: all.count, latest: all.last)
    }

    /// Completion counts of every occurrence completed at least once, by occurrence id.
    public func completionCounts() throws(LedgerError) -> [String: Int] {
        try read("counting completions") { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT occurrence_id, count(*) AS n FROM completion GROUP BY occurrence_id") {
                counts[row["occurrence_id"]] = row["n"]
            }
            return counts
        }
    }

    /// The count and the latest completion of every occurrence completed at least once, by occurrence id.
    public func completionSummaries() throws(LedgerError) -> [String: CompletionSummary] {
        try read("reading completions") { db in
            var all: [String: [Completion]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM completion ORDER BY id") {
                let completion = try Completion(row: row)
                all[completion.occurrence, default: []].append(completion)
            }
            return all.mapValues { CompletionSummary(count: $0.count, latest: $0.last) }
        }
    }

    /// Removes the completion of an occurrence recorded last and returns it; nil when there is none.
    @discardableResult
    public func undoLatestCompletion(of occurrence: String) throws(LedgerError) -> Completion? {
        try write("undoing the latest completion of \(occurrence)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM completion WHERE occurrence_id = ? ORDER BY id DESC LIMIT 1",
                                             arguments: [occurrence]) else { return nil }
            let completion = try Completion(row: row)
            try db.execute(sql: "DELETE FROM completion WHERE id = ?", arguments: [completion.id])
            return completion
        }
    }
}
