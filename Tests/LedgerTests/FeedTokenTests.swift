import DutyCore
import Foundation
import Ledger
import Testing

/// Feed tokens (`v2-feed-tokens`): random secrets, idempotent issuing, revocation once, and
/// the rules kept in the schema even against another SQLite client.
@Suite struct FeedTokenTests {
    @Test func tokensAreLongRandomBase64URLAndIssuedOncePerScopeWithAll() throws {
        let folder = try TemporaryFolder()
        let ledger = try Ledger.open(at: folder.path("ledger.sqlite"))
        let scopes = [Ledger.Scope(unit: "county"), Ledger.Scope(unit: "county", body: "anweiban"),
                      Ledger.Scope(unit: "county", body: "anweiban", subscriber: "anweiban@example-county.gov.cn")]
        let first = try ledger.issueMissingFeedTokens(for: scopes, at: monday)
        #expect(first.map(\.scope) == scopes)
        #expect(try ledger.issueMissingFeedTokens(for: scopes, at: later(60)).isEmpty)  // idempotent
        let tokens = first.map(\.token)
        #expect(Set(tokens).count == 3)
        for token in tokens {
            #expect(token.count == 32)  // 24 bytes = 192 bits
            #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        }
        // A second token for the same scope may be issued on purpose (e.g. for a second leader).
        let extra = try ledger.issueFeedToken(for: scopes[1], at: later(120))
        #expect(try ledger.feedTokens().map(\.token) == tokens + [extra.token])
        #expect(try ledger.feedToken(extra.token)?.createdAt == later(120))
        // Revoking a scope's token lets --all issue it a fresh one.
        try ledger.revokeFeedToken(tokens[0], at: later(180))
        let again = try ledger.issueMissingFeedTokens(for: scopes, at: later(240))
        #expect(again.map(\.scope) == [scopes[0]])
        #expect(again[0].token != tokens[0])
    }

    @Test func aTokenIsRevokedOnceAndUnknownTokensAreNil() throws {
        let folder = try TemporaryFolder()
        let ledger = try Ledger.open(at: folder.path("ledger.sqlite"))
        let token = try ledger.issueFeedToken(for: Ledger.Scope(unit: "county"), at: monday)
        #expect(token.isValid)
        let revoked = try #require(try ledger.revokeFeedToken(token.token, at: later(10)))
        #expect(revoked.revokedAt == later(10))
        #expect(!revoked.isValid)
        // Revoking again keeps the first revocation.
        #expect(try ledger.revokeFeedToken(token.token, at: later(20))?.revokedAt == later(10))
        #expect(try ledger.revokeFeedToken("no_such_token_0123456789abcdef", at: later(30)) == nil)
    }

    @Test func theChangeCounterMovesWithCompletionsEventsAndTokensOnly() throws {
        let folder = try TemporaryFolder()
        let ledger = try Ledger.open(at: folder.path("ledger.sqlite"))
        var last = try ledger.feedChangeCounter()
        func moved() throws -> Bool {
            let now = try ledger.feedChangeCounter()
            defer { last = now }
            return now > last
        }
        try ledger.recordCompletion(of: "county/anweiban/zhifanian-2016-yuebao@2026-01", on: day("2026-01-09"), at: monday)
        #expect(try moved())
        try ledger.undoLatestCompletion(of: "county/anweiban/zhifanian-2016-yuebao@2026-01")
        #expect(try moved())
        try ledger.recordEvent("行政处罚决定", forDuty: "punishment-disclosure", on: day("2026-02-27"), at: monday)
        #expect(try moved())
        let token = try ledger.issueFeedToken(for: Ledger.Scope(unit: "county"), at: monday)
        #expect(try moved())
        try ledger.revokeFeedToken(token.token, at: later(1))
        #expect(try moved())
        try ledger.setSetting("deployment", to: "example-county")
        try ledger.recordRun(asOf: day("2026-03-02"), startedAt: monday, finishedAt: later(5), outcome: .succeeded)
        #expect(try !moved())  // reminder runs and settings do not change feeds
    }

    /// The watch reads the counter again only after a commit, made here by another process.
    @Test func theChangeWatchSeesCommitsOfOtherProcesses() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        let ledger = try Ledger.open(at: path)
        let watch = try Ledger.ChangeWatch(ledger)
        #expect(watch.isMapped)
        let start = try watch.feedChangeCounter()
        #expect(try watch.feedChangeCounter() == start)
        try #require(python3 != nil)
        let insert = """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            with c:
                c.execute("INSERT INTO completion (occurrence_id, done_on, recorded_at) VALUES ('county/anweiban/x@2026-01', '2026-01-09', '2026-01-09 08:00:00.000')")
            """
        try runPython(insert, [path])
        #expect(try watch.feedChangeCounter() == start + 1)
        // A commit that does not touch feeds moves the index but not the counter.
        try runPython("import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nwith c: c.execute(\"INSERT INTO meta VALUES ('k', 'v')\")", [path])
        #expect(try watch.feedChangeCounter() == start + 1)
        for _ in 0..<3 { try runPython(insert, [path]) }
        #expect(try watch.feedChangeCounter() == start + 4)
        #expect(try watch.feedChangeCounter() == ledger.feedChangeCounter())
    }

    /// Another SQLite client (Python's sqlite3) cannot break the rules either.
    @Test func theSchemaKeepsTheRules() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        let ledger = try Ledger.open(at: path)
        let token = try ledger.issueFeedToken(for: Ledger.Scope(unit: "county", body: "anweiban"), at: monday)
        try ledger.revokeFeedToken(token.token, at: later(5))
        try #require(python3 != nil)
        let answer = try runPython("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            tries = {
              'duplicate': "INSERT INTO feed_token (token, unit_id, created_at) VALUES ('%s', 'county', '2026-03-02 00:00:00.000')" % sys.argv[2],
              'short': "INSERT INTO feed_token (token, unit_id, created_at) VALUES ('abc', 'county', '2026-03-02 00:00:00.000')",
              'charset': "INSERT INTO feed_token (token, unit_id, created_at) VALUES ('../../etc/passwd/0123456789', 'county', '2026-03-02 00:00:00.000')",
              'subscriber-without-body': "INSERT INTO feed_token (token, unit_id, subscriber, created_at) VALUES ('abcdefghijklmnopqrstuvwxyz', 'county', 'a@b.cn', '2026-03-02 00:00:00.000')",
              'revoke-twice': "UPDATE feed_token SET revoked_at = '2027-01-01 00:00:00.000' WHERE token = '%s'" % sys.argv[2],
              'rescope': "UPDATE feed_token SET unit_id = 'xihe' WHERE token = '%s'" % sys.argv[2],
              'delete': "DELETE FROM feed_token WHERE token = '%s'" % sys.argv[2],
            }
            for name, sql in tries.items():
                try:
                    with c:
                        c.execute(sql)
                    print(name, 'allowed')
                except sqlite3.DatabaseError as e:
                    print(name, 'refused')
            """, [path, token.token])
        #expect(answer == """
            duplicate refused
            short refused
            charset refused
            subscriber-without-body refused
            revoke-twice refused
            rescope refused
            delete refused

            """)
        #expect(try ledger.feedToken(token.token)?.revokedAt == later(5))
    }

    /// A ledger made before tokens existed (only `v1-initial`) gains them, keeping its data.
    @Test func aVersion1LedgerIsUpgraded() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        do {
            let ledger = try Ledger.open(at: path)
            try ledger.recordCompletion(of: "county/anweiban/zhifanian-2016-yuebao@2026-01", on: day("2026-01-09"), at: monday)
        }
        try #require(python3 != nil)
        try runPython("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            names = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%changes_feeds'")]
            with c:
                for name in names: c.execute('DROP TRIGGER ' + name)
                c.execute("DROP TABLE feed_token"); c.execute("DROP TABLE feed_change")
                c.execute("DELETE FROM grdb_migrations WHERE identifier = 'v2-feed-tokens'")
            """, [path])
        let ledger = try Ledger.open(at: path, createIfMissing: false)
        #expect(try ledger.schemaVersion() == ["v1-initial", "v2-feed-tokens"])
        #expect(try ledger.completionCounts() == ["county/anweiban/zhifanian-2016-yuebao@2026-01": 1])
        #expect(try ledger.issueFeedToken(for: Ledger.Scope(unit: "county"), at: monday).isValid)
    }
}
