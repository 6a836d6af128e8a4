import Foundation
import GRDB

// The ledger's schema: named, append-only migrations. Never edit or reorder a registered
// migration once released; add `v2-…` after it. The rules the outbox depends on are kept
// in the schema itself (UNIQUE constraints, CHECKs, triggers), so no code path, present or
// future, can store a reminder twice or change a message after it was stored.
extension Ledger {
    /// Every migration, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial") { db in
            try db.execute(sql: v1Initial)
        }
        migrator.registerMigration("v2-feed-tokens") { db in
            try db.execute(sql: v2FeedTokens)
        }
        return migrator
    }

    /// The identifiers of the migrations this version knows, in order.
    static var knownMigrations: [String] { migrator.migrations }

    /// A civil date column: `YYYY-MM-DD` naming a real day.
    private static func isCivilDate(_ column: String) -> String {
        "\(column) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(\(column), '+0 days') IS \(column)"
    }

    /// A UTC timestamp column as GRDB stores `Date` (`YYYY-MM-DD HH:MM:SS.SSS`), or NULL
    /// (`NOT NULL` says when a column needs one).
    private static func isTimestamp(_ column: String) -> String {
        "\(column) IS NULL OR julianday(\(column)) IS NOT NULL"
    }

    private static let v1Initial = """
        PRAGMA application_id = \(applicationID);

        -- Small settings that outlive runs.
        CREATE TABLE meta (
            key   TEXT NOT NULL PRIMARY KEY CHECK (key <> ''),
            value TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;

        -- `dutycal done`: a quota occurrence may be completed several times, so each is a row.
        CREATE TABLE completion (
            id            INTEGER PRIMARY KEY,
            occurrence_id TEXT NOT NULL CHECK (instr(occurrence_id, '@') > 1),
            done_on       TEXT NOT NULL CHECK (\(isCivilDate("done_on"))),
            note          TEXT CHECK (note <> ''),
            recorded_at   TEXT NOT NULL CHECK (\(isTimestamp("recorded_at")))
        ) STRICT;
        CREATE INDEX completion_by_occurrence ON completion (occurrence_id, id);

        -- `dutycal record-event`: the events relative duties count from. AUTOINCREMENT: an
        -- id (`ev-3`) is never given to another event, even after a removal.
        CREATE TABLE event (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            event_name  TEXT NOT NULL CHECK (event_name <> ''),
            duty_id     TEXT NOT NULL CHECK (duty_id <> ''),
            unit_id     TEXT CHECK (unit_id <> ''),
            happened_on TEXT NOT NULL CHECK (\(isCivilDate("happened_on"))),
            reference   TEXT CHECK (reference <> ''),
            recorded_at TEXT NOT NULL CHECK (\(isTimestamp("recorded_at")))
        ) STRICT;

        -- The outbox. A digest is stored with its complete message before it is handed to the
        -- mail system (intent first), marked sending while it is handed over, and sent once
        -- accepted. At most one digest per recipient and day.
        CREATE TABLE digest (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            recipient     TEXT NOT NULL CHECK (instr(recipient, '@') > 1),
            as_of         TEXT NOT NULL CHECK (\(isCivilDate("as_of"))),
            kinds         TEXT NOT NULL CHECK (kinds NOT GLOB '*[^a-z,]*'),
            message_id    TEXT NOT NULL UNIQUE CHECK (message_id GLOB '?*@?*' AND message_id NOT GLOB '*[<> ]*'),
            subject       TEXT NOT NULL,
            body          BLOB NOT NULL CHECK (length(body) > 0),
            state         TEXT NOT NULL DEFAULT 'pending'
                          CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'superseded')),
            attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            last_error    TEXT,
            last_error_at TEXT CHECK (\(isTimestamp("last_error_at"))),
            created_at    TEXT NOT NULL CHECK (\(isTimestamp("created_at"))),
            sent_at       TEXT CHECK (\(isTimestamp("sent_at"))),
            UNIQUE (recipient, as_of),
            UNIQUE (id, recipient),
            CHECK ((state = 'sent') = (sent_at IS NOT NULL)),
            CHECK ((last_error IS NULL) = (last_error_at IS NULL))
        ) STRICT;
        CREATE INDEX digest_unsent ON digest (id) WHERE state IN ('pending', 'sending', 'failed');

        -- The message stored is the message sent.
        CREATE TRIGGER digest_message_is_immutable
        BEFORE UPDATE OF recipient, as_of, kinds, message_id, subject, body, created_at ON digest
        BEGIN SELECT RAISE(ABORT, 'a stored digest''s message never changes'); END;

        -- A sent or superseded digest is final.
        CREATE TRIGGER digest_final_states_are_final
        BEFORE UPDATE ON digest WHEN OLD.state IN ('sent', 'superseded')
        BEGIN SELECT RAISE(ABORT, 'a sent or superseded digest never changes'); END;

        -- pending → sending → sent | failed; failed → sending (retry); sending → sending (an
        -- interrupted hand-over retried); pending | failed → superseded.
        CREATE TRIGGER digest_state_follows_the_outbox
        BEFORE UPDATE OF state ON digest
        WHEN NOT ((NEW.state = 'sending' AND OLD.state IN ('pending', 'sending', 'failed'))
               OR (NEW.state IN ('sent', 'failed') AND OLD.state = 'sending')
               OR (NEW.state = 'superseded' AND OLD.state IN ('pending', 'failed')))
        BEGIN SELECT RAISE(ABORT, 'a digest''s state may only go pending → sending → sent or failed'); END;

        -- Each reminder a digest delivers: unique per recipient, occurrence and lead time, so
        -- a second run on the same day finds every reminder taken and sends nothing.
        CREATE TABLE reminder (
            id            INTEGER PRIMARY KEY,
            recipient     TEXT NOT NULL,
            occurrence_id TEXT NOT NULL CHECK (instr(occurrence_id, '@') > 1),
            lead          INTEGER NOT NULL,
            due           TEXT NOT NULL CHECK (\(isCivilDate("due"))),
            digest_id     INTEGER NOT NULL,
            UNIQUE (recipient, occurrence_id, lead),
            FOREIGN KEY (digest_id, recipient) REFERENCES digest (id, recipient)
        ) STRICT;
        CREATE INDEX reminder_by_digest ON reminder (digest_id, recipient);

        CREATE TRIGGER reminder_joins_only_a_pending_digest
        BEFORE INSERT ON reminder
        WHEN (SELECT state FROM digest WHERE id = NEW.digest_id) IS NOT 'pending'
        BEGIN SELECT RAISE(ABORT, 'reminders join a digest only before it is handed to the mail system'); END;

        CREATE TRIGGER reminder_is_immutable
        BEFORE UPDATE ON reminder
        BEGIN SELECT RAISE(ABORT, 'a stored reminder never changes'); END;

        -- A reminder handed to the mail system is never forgotten (only those of a digest
        -- that never went out may be freed, when the digest is superseded).
        CREATE TRIGGER reminder_handed_over_is_kept
        BEFORE DELETE ON reminder
        WHEN (SELECT state FROM digest WHERE id = OLD.digest_id) NOT IN ('pending', 'failed')
        BEGIN SELECT RAISE(ABORT, 'a reminder handed to the mail system is never removed'); END;

        -- `dutycal remind` runs: the first one starts overdue tracking; the last successful
        -- one tells a run after days off how far to catch up.
        CREATE TABLE run (
            id          INTEGER PRIMARY KEY,
            as_of       TEXT NOT NULL CHECK (\(isCivilDate("as_of"))),
            started_at  TEXT NOT NULL CHECK (\(isTimestamp("started_at"))),
            finished_at TEXT CHECK (\(isTimestamp("finished_at"))),
            outcome     TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed')),
            CHECK ((outcome = 'running') = (finished_at IS NULL)),
            CHECK (finished_at >= started_at)
        ) STRICT;
        CREATE INDEX run_by_day ON run (as_of);
        """

    private static let v2FeedTokens = """
        -- `dutycal token issue`: the secret of a feed URL (/feeds/<token>.ics) and what it
        -- opens: a unit, one body of it, or the body whose digests a recipient receives. A
        -- token is never deleted or changed, only revoked, once.
        CREATE TABLE feed_token (
            token      TEXT NOT NULL PRIMARY KEY
                       CHECK (length(token) BETWEEN \(FeedToken.minimumLength) AND 128 AND token NOT GLOB '*[^A-Za-z0-9_-]*'),
            unit_id    TEXT NOT NULL CHECK (unit_id <> ''),
            body_id    TEXT CHECK (body_id <> ''),
            subscriber TEXT CHECK (instr(subscriber, '@') > 1),
            created_at TEXT NOT NULL CHECK (\(isTimestamp("created_at"))),
            revoked_at TEXT CHECK (\(isTimestamp("revoked_at"))),
            CHECK (subscriber IS NULL OR body_id IS NOT NULL),
            CHECK (revoked_at IS NULL OR revoked_at >= created_at)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX feed_token_by_scope ON feed_token (unit_id, body_id, subscriber) WHERE revoked_at IS NULL;

        CREATE TRIGGER feed_token_scope_is_immutable
        BEFORE UPDATE OF token, unit_id, body_id, subscriber, created_at ON feed_token
        BEGIN SELECT RAISE(ABORT, 'a feed token''s scope never changes; revoke it and issue another'); END;

        CREATE TRIGGER feed_token_is_revoked_once
        BEFORE UPDATE OF revoked_at ON feed_token WHEN OLD.revoked_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a feed token is revoked only once'); END;

        CREATE TRIGGER feed_token_is_kept
        BEFORE DELETE ON feed_token
        BEGIN SELECT RAISE(ABORT, 'a feed token is revoked, never deleted'); END;

        -- What served feeds are made of changed (a completion, an event, a token): one row
        -- whose counter a running server compares, so it rebuilds feeds only then.
        CREATE TABLE feed_change (
            id      INTEGER PRIMARY KEY CHECK (id = 1),
            counter INTEGER NOT NULL CHECK (counter >= 0)
        ) STRICT;
        INSERT INTO feed_change (id, counter) VALUES (1, 0);
        \(["completion", "event", "feed_token"].flatMap { table in ["INSERT", "UPDATE", "DELETE"].map { operation in """
            CREATE TRIGGER \(table)_\(operation.lowercased())_changes_feeds AFTER \(operation) ON \(table)
            BEGIN UPDATE feed_change SET counter = counter + 1 WHERE id = 1; END;
            """ } }.joined(separator: "\n"))
        """
}

extension Ledger {
    /// What the file holds before anything is written: enough to recognise a ledger.
    struct SchemaState {
        var applicationID: Int32
        var tables: [String]
        var applied: Set<String>
        var journalMode: String

        init(_ db: Database) throws {
            applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name
                """)
            applied = tables.contains("grdb_migrations") ? try Ledger.migrator.appliedIdentifiers(db) : []
            journalMode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
        }

        /// True when every known migration has been applied.
        var isCurrent: Bool { Set(Ledger.knownMigrations).isSubset(of: applied) }

        /// Refuses what is not a ledger this version may write to.
        func validate(path: String) throws(LedgerError) {
            if applicationID != 0, applicationID != Ledger.applicationID {
                throw LedgerError(.notALedger, path: path, """
                    this file is an SQLite database of another program (application id \
                    \(String(format: "0x%08X", UInt32(bitPattern: applicationID)))), not a DutyCalendar ledger; \
                    check the ledger path, or move this file away. The file was left unchanged
                    """)
            }
            let others = tables.filter { $0 != "grdb_migrations" }
            if applicationID != Ledger.applicationID, !applied.isEmpty || !others.isEmpty {
                throw LedgerError(.notALedger, path: path, """
                    this file is an SQLite database but not a DutyCalendar ledger (it has the tables \
                    \(others.joined(separator: ", "))); check the ledger path, or move this file away. \
                    The file was left unchanged
                    """)
            }
            let unknown = applied.subtracting(Ledger.knownMigrations)
            if !unknown.isEmpty {
                throw LedgerError(.newerSchema, path: path, """
                    this ledger was written by a newer DutyCalendar: its schema has the migrations \
                    \(unknown.sorted().joined(separator: ", ")), which this dutycal does not know \
                    (it knows \(Ledger.knownMigrations.joined(separator: ", "))). Upgrade dutycal to use it; \
                    an older dutycal must not write to it. The file was left unchanged
                    """)
            }
        }
    }

    /// Recognises the file, then (and only then) switches it to WAL and applies missing migrations.
    func prepare() throws(LedgerError) {
        let state = try read("reading the ledger's schema") { db in try SchemaState(db) }
        try state.validate(path: path)
        if state.journalMode.lowercased() != "wal" {
            // Persistent in the file: only a new ledger needs it. Where WAL is impossible
            // (some network filesystems) SQLite keeps its rollback journal, which is also safe.
            do {
                _ = try queue.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
            } catch {
                throw failure(error, "switching the ledger to WAL mode")
            }
        }
        guard !state.isCurrent else { return }
        do {
            try Ledger.migrator.migrate(queue)
        } catch {
            // Another process may have migrated the same file at the same moment.
            let again = try read("reading the ledger's schema") { db in try SchemaState(db) }
            if again.isCurrent, again.applicationID == Ledger.applicationID { return }
            throw failure(error, "bringing the ledger's schema up to date")
        }
    }
}
