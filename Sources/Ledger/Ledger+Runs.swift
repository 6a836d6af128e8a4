public import Calendrical
public import Foundation
import GRDB

extension Ledger {
    /// How a reminder run ended.
    public enum RunOutcome: String, Hashable, Sendable, CaseIterable {
        /// Begun and not finished: still going, or interrupted (the machine stopped).
        case running
        /// Every digest was accepted by the mail system.
        case succeeded
        /// At least one digest was not.
        case failed
    }

    /// One `dutycal remind` run.
    public struct Run: Hashable, Sendable {
        /// The run's id in the ledger.
        public let id: Int64
        /// The day the run reminded for.
        public let asOf: CivilDate
        /// When it started.
        public let startedAt: Date
        /// When it finished, or nil while running (or when interrupted).
        public let finishedAt: Date?
        /// How it ended.
        public let outcome: RunOutcome

        init(row: Row) throws {
            id = row["id"]
            asOf = try row.civilDate("as_of")
            startedAt = row["started_at"]
            finishedAt = row["finished_at"]
            let text: String = row["outcome"]
            guard let outcome = RunOutcome(rawValue: text) else { throw LedgerDataError(column: "outcome", value: text) }
            self.outcome = outcome
        }
    }

    /// Records a finished run in one step.
    @discardableResult
    public func recordRun(asOf: CivilDate, startedAt: Date, finishedAt: Date, outcome: RunOutcome) throws(LedgerError) -> Int64 {
        guard outcome != .running else {
            throw LedgerError(.invalidInput, path: path, "a finished run needs the outcome succeeded or failed")
        }
        return try write("recording the run of \(asOf)") { db in
            try db.execute(sql: "INSERT INTO run (as_of, started_at, finished_at, outcome) VALUES (?, ?, ?, ?)",
                           arguments: [asOf.ledgerText, startedAt, finishedAt, outcome.rawValue])
            return db.lastInsertedRowID
        }
    }

    /// Records that a run started, so an interrupted run stays visible; finish it with ``finishRun(_:outcome:at:)``.
    public func beginRun(asOf: CivilDate, at startedAt: Date) throws(LedgerError) -> Int64 {
        try write("recording the start of the run of \(asOf)") { db in
            try db.execute(sql: "INSERT INTO run (as_of, started_at, outcome) VALUES (?, ?, 'running')",
                           arguments: [asOf.ledgerText, startedAt])
            return db.lastInsertedRowID
        }
    }

    /// Records how a run begun with ``beginRun(asOf:at:)`` ended.
    public func finishRun(_ id: Int64, outcome: RunOutcome, at finishedAt: Date) throws(LedgerError) {
        let path = self.path
        guard outcome != .running else {
            throw LedgerError(.invalidInput, path: path, "a finished run needs the outcome succeeded or failed")
        }
        try write("recording the end of run \(id)") { db in
            try db.execute(sql: "UPDATE run SET finished_at = ?, outcome = ? WHERE id = ? AND outcome = 'running'",
                           arguments: [finishedAt, outcome.rawValue, id])
            guard db.changesCount == 1 else {
                throw LedgerError(.invalidTransition, path: path, "run \(id) is not running, so it cannot be finished")
            }
        }
    }

    /// The day of the first run (any outcome), where overdue tracking starts; nil before any run.
    public func firstRun() throws(LedgerError) -> CivilDate? {
        try day("SELECT min(as_of) FROM run", "finding the first run")
    }

    /// The latest day a run succeeded for, so a run after days off can catch up; nil when none has.
    public func lastSuccessfulRun() throws(LedgerError) -> CivilDate? {
        try day("SELECT max(as_of) FROM run WHERE outcome = 'succeeded'", "finding the last successful run")
    }

    /// The runs recorded, newest first, at most `limit`.
    public func runs(limit: Int = 30) throws(LedgerError) -> [Run] {
        try read("reading runs") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id DESC LIMIT ?", arguments: [limit]).map(Run.init(row:))
        }
    }

    private func day(_ sql: String, _ doing: String) throws(LedgerError) -> CivilDate? {
        try read(doing) { db in
            guard let text = try String.fetchOne(db, sql: sql) else { return nil }
            guard let date = CivilDate(text) else { throw LedgerDataError(column: "as_of", value: text) }
            return date
        }
    }
}
