import GRDB

extension Ledger {
    /// A small setting kept in the ledger (the `meta` table), or nil when unset.
    public func setting(_ key: String) throws(LedgerError) -> String? {
        try read("reading the setting \(key)") { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
        }
    }

    /// Sets a small setting kept in the ledger; nil removes it.
    public func setSetting(_ key: String, to value: String?) throws(LedgerError) {
        guard !key.isEmpty else { throw LedgerError(.invalidInput, path: path, "a setting needs a name") }
        try write("storing the setting \(key)") { db in
            if let value {
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               arguments: [key, value])
            } else {
                try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
            }
        }
    }

    /// The migrations applied to this ledger, in order (`v1-initial`, …): its format version.
    public func schemaVersion() throws(LedgerError) -> [String] {
        try read("reading the schema version") { db in try Ledger.migrator.appliedMigrations(db) }
    }

    /// Checks the whole file (SQLite's integrity check and every foreign key); throws ``LedgerError/Kind/damaged`` listing the first problems.
    public func verifyIntegrity() throws(LedgerError) {
        let problems = try read("checking the ledger's integrity") { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check(10)").filter { $0 != "ok" }
            let keys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").prefix(10).map { row in
                "a row of \(row[0] as String) refers to a missing row of \(row[2] as String)"
            }
            return integrity + keys
        }
        guard problems.isEmpty else {
            throw LedgerError(.damaged, path: path, "the ledger is damaged: \(problems.joined(separator: "; ")); \(LedgerError.restoreAdvice)")
        }
    }
}
