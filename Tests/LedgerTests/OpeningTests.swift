import Calendrical
import DutyCore
import Foundation
import Ledger
import Testing

/// Opening: new files are migrated, data survives reopening, and anything that is not a
/// ledger this version may write is refused without being touched.
@Suite struct OpeningTests {
    @Test func aNewLedgerIsCreatedCompleteWithItsFolder() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("state/dutycal/ledger.sqlite")
        let ledger = try Ledger.open(at: path)
        #expect(try ledger.schemaVersion() == ["v1-initial", "v2-feed-tokens"])
        #expect(try bytes(path).prefix(16) == Data("SQLite format 3\u{0}".utf8))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path("state/dutycal")).filter { $0.contains("creating") }
        #expect(leftovers.isEmpty)
        try ledger.verifyIntegrity()
    }

    @Test func theNewFileIsInWALModeWithTheLedgersApplicationID() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        _ = try Ledger.open(at: path)
        try #require(python3 != nil)
        let answer = try runPython("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA application_id').fetchone()[0])
            print(','.join(r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")))
            """, [path])
        #expect(answer == "wal 1145266540\ncompletion,digest,event,feed_change,feed_token,grdb_migrations,meta,reminder,run,sqlite_sequence\n")
    }

    @Test func reopeningKeepsEverything() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        do {
            let ledger = try Ledger.open(at: path)
            try ledger.recordCompletion(of: "county/yingji/zhifanian-2016-yuebao@2026-01", on: day("2026-01-09"), note: "已报送", at: monday)
            try ledger.recordEvent("行政处罚决定", forDuty: "punishment-disclosure", on: day("2026-02-27"), reference: "X应急罚〔2026〕3号",
                                   unit: "county", at: monday)
            try ledger.recordRun(asOf: day("2026-03-02"), startedAt: monday, finishedAt: later(5), outcome: .succeeded)
            try ledger.setSetting("deployment", to: "example-county")
        }
        let ledger = try Ledger.open(at: path, createIfMissing: false)
        let summary = try ledger.completionSummary(of: "county/yingji/zhifanian-2016-yuebao@2026-01")
        #expect(summary.count == 1)
        #expect(summary.latest?.note == "已报送")
        #expect(summary.latest?.recordedAt == monday)
        #expect(try ledger.recordedEvents().map(\.reference) == ["X应急罚〔2026〕3号"])
        #expect(try ledger.lastSuccessfulRun() == day("2026-03-02"))
        #expect(try ledger.setting("deployment") == "example-county")
        #expect(try ledger.schemaVersion() == ["v1-initial", "v2-feed-tokens"])
    }

    @Test func aMissingLedgerIsNotCreatedWhenNotAllowed() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        let error = ledgerError { _ = try Ledger.open(at: path, createIfMissing: false) }
        #expect(error?.kind == .missing)
        #expect(error?.description.hasPrefix(path) == true)
        #expect(folder.contents.isEmpty)
    }

    @Test(arguments: [
        Data("这不是数据库\nnot a database at all\n".utf8),
        Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }),
        Data("PK\u{3}\u{4}".utf8) + Data(repeating: 0, count: 600),
    ])
    func garbageIsRefusedAndLeftUnchanged(garbage: Data) throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        try garbage.write(to: URL(fileURLWithPath: path))
        let error = try #require(ledgerError { _ = try Ledger.open(at: path) })
        #expect(error.kind == .notALedger)
        #expect(error.description.hasPrefix("\(path): "))
        #expect(error.message.contains("not an SQLite database"))
        #expect(error.message.contains("left unchanged"))
        #expect(try bytes(path) == garbage)
        #expect(folder.contents == ["ledger.sqlite"])  // no -wal, -shm or lock beside it
    }

    @Test func anEmptyFileIsRefusedNotTreatedAsNew() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let error = try #require(ledgerError { _ = try Ledger.open(at: path) })
        #expect(error.kind == .notALedger)
        #expect(error.message.contains("empty (0 bytes)"))
        #expect(error.message.contains("backup"))
        #expect(try bytes(path).isEmpty)
        #expect(folder.contents == ["ledger.sqlite"])
    }

    @Test func aFileWithAnSQLiteHeaderAndGarbageAfterIsRefusedUnchanged() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        let garbage = Data("SQLite format 3\u{0}".utf8) + Data((0..<4080).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) })
        try garbage.write(to: URL(fileURLWithPath: path))
        let error = try #require(ledgerError { _ = try Ledger.open(at: path) })
        #expect(error.kind == .notALedger || error.kind == .damaged)
        #expect(error.description.hasPrefix(path))
        #expect(try bytes(path) == garbage)
    }

    @Test func aDamagedLedgerIsRefusedUnchanged() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        do {
            let ledger = try Ledger.open(at: path)
            for n in 1...50 {
                try ledger.recordCompletion(of: "county/yingji/duty-\(n)@2026-01", on: day("2026-01-09"), at: monday)
            }
        }
        // Scribble over page 1 after the 100-byte header: the schema's b-tree.
        var damaged = try bytes(path)
        #expect(damaged.count >= 8192)
        for index in 100..<4096 { damaged[index] = 0xA5 }
        try damaged.write(to: URL(fileURLWithPath: path))
        let error = try #require(ledgerError { _ = try Ledger.open(at: path) })
        #expect(error.kind == .damaged || error.kind == .notALedger)
        #expect(error.message.contains("backup"))
        #expect(error.description.hasPrefix(path))
        #expect(try bytes(path) == damaged)
    }

    @Test(.enabled(if: python3 != nil)) func anotherProgramsDatabaseIsRefusedUnchanged() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("photos.sqlite")
        try runPython("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute('CREATE TABLE photo (id INTEGER PRIMARY KEY, name TEXT)')
            c.execute("INSERT INTO photo (name) VALUES ('长城.jpg')")
            c.commit()
            """, [path])
        let before = try bytes(path)
        let error = try #require(ledgerError { _ = try Ledger.open(at: path) })
        #expect(error.kind == .notALedger)
        #expect(error.message.contains("photo"))
        #expect(try bytes(path) == before)
    }

    @Test(.enabled(if: python3 != nil)) func aLedgerFromANewerDutyCalendarIsRefusedUnchanged() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        do {
            let ledger = try Ledger.open(at: path)
            try ledger.recordCompletion(of: "county/yingji/zhifanian-2016-yuebao@2026-01", on: day("2026-01-09"), at: monday)
        }
        try runPython("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("INSERT INTO grdb_migrations VALUES ('v2-recipients')")
            c.execute('CREATE TABLE recipient (email TEXT PRIMARY KEY)')
            c.commit()
            c.close()
            """, [path])
        let before = try bytes(path)
        let error = try #require(ledgerError { _ = try Ledger.open(at: path) })
        #expect(error.kind == .newerSchema)
        #expect(error.message.contains("newer DutyCalendar"))
        #expect(error.message.contains("v2-recipients"))
        #expect(error.message.contains("Upgrade dutycal"))
        #expect(error.description.hasPrefix(path))
        #expect(try bytes(path) == before)
    }

    @Test(.enabled(if: python3 != nil)) func aLockHeldTooLongGivesALockedError() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        let ledger = try Ledger.open(at: path, busyTimeout: 0.3)
        try ledger.recordCompletion(of: "county/yingji/a@2026-01", on: day("2026-01-09"), at: monday)
        let holder = try Holder(try #require(python3), ["-c", """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute('BEGIN EXCLUSIVE')
            print('held', flush=True)
            time.sleep(60)
            """, path])
        let started = Date()
        let error = try #require(ledgerError { try ledger.recordCompletion(of: "county/yingji/a@2026-01", on: day("2026-01-10"), at: monday) })
        #expect(Date().timeIntervalSince(started) >= 0.25)
        #expect(error.kind == .locked)
        #expect(error.description.hasPrefix(path))
        #expect(error.message.contains("locked by another process"))
        // WAL: readers are not blocked by the other writer, so a reopen and reads still work.
        #expect(try Ledger.open(at: path, busyTimeout: 0.3).completionSummary(of: "county/yingji/a@2026-01").count == 1)
        holder.stop(signal: SIGKILL)
        try ledger.recordCompletion(of: "county/yingji/a@2026-01", on: day("2026-01-10"), at: monday)
        #expect(try ledger.completionSummary(of: "county/yingji/a@2026-01").count == 2)
    }
}
