public import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB

extension Ledger {
    /// A secret feed token (`dutycal token issue`) and what it opens.
    ///
    /// A token opens a unit's feed (`body` nil), one body's, or a subscriber's: the body whose
    /// digests the recipient `subscriber` receives (`unit` and `body` are then that body).
    public struct FeedToken: Hashable, Sendable {
        /// The secret: 32 characters of base64url (192 random bits).
        public let token: String
        /// The unit id.
        public let unit: String
        /// The body id within the unit, or nil for the whole unit.
        public let body: String?
        /// The recipient's address for a subscriber's token.
        public let subscriber: String?
        /// When it was issued.
        public let createdAt: Date
        /// When it was revoked; nil while it is valid.
        public let revokedAt: Date?

        /// The shortest token the ledger accepts: 22 base64url characters are 128 bits.
        public static let minimumLength = 22

        /// A token value.
        public init(token: String, unit: String, body: String?, subscriber: String?, createdAt: Date, revokedAt: Date?) {
            self.token = token
            self.unit = unit
            self.body = body
            self.subscriber = subscriber
            self.createdAt = createdAt
            self.revokedAt = revokedAt
        }

        /// What the token opens, as a ``Scope``.
        public var scope: Scope { Scope(unit: unit, body: body, subscriber: subscriber) }

        /// True while it opens its feed.
        public var isValid: Bool { revokedAt == nil }

        init(row: Row) {
            self.init(token: row["token"], unit: row["unit_id"], body: row["body_id"], subscriber: row["subscriber"],
                      createdAt: row["created_at"], revokedAt: row["revoked_at"])
        }

        /// A new secret from the system's cryptographically secure generator (getrandom on
        /// Linux): 24 random bytes in base64url without padding.
        public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> String {
            let bytes = (0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            return Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
    }

    /// What a feed token opens: a unit, a body of it, or a subscriber's body.
    public struct Scope: Hashable, Sendable {
        /// The unit id.
        public let unit: String
        /// The body id, or nil for the whole unit.
        public let body: String?
        /// The recipient's address, for a subscriber's token.
        public let subscriber: String?

        /// A scope; a subscriber's scope names the body whose digests they receive.
        public init(unit: String, body: String? = nil, subscriber: String? = nil) {
            self.unit = unit
            self.body = body
            self.subscriber = subscriber
        }
    }

    /// Issues a new token for `scope`, stored before it is returned.
    public func issueFeedToken(for scope: Scope, at now: Date) throws(LedgerError) -> FeedToken {
        var generator = SystemRandomNumberGenerator()
        return try issueFeedToken(for: scope, at: now, using: &generator)
    }

    /// Issues a new token for `scope` with secrets from `generator` (tests pass a seeded one).
    public func issueFeedToken<G: RandomNumberGenerator>(for scope: Scope, at now: Date, using generator: inout G) throws(LedgerError) -> FeedToken {
        try checkScope(scope)
        let token = FeedToken.generate(using: &generator)
        return try write("issuing a feed token for \(Self.describe(scope))") { db in
            try insert(token, scope, now, db)
        }
    }

    /// Issues a token for each of `scopes` that has no valid token yet, in one transaction,
    /// and returns the new ones (none when every scope has one: running it again changes nothing).
    public func issueMissingFeedTokens(for scopes: [Scope], at now: Date) throws(LedgerError) -> [FeedToken] {
        for scope in scopes { try checkScope(scope) }
        var generator = SystemRandomNumberGenerator()
        return try write("issuing feed tokens") { db in
            var issued: [FeedToken] = []
            for scope in scopes {
                let existing = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM feed_token
                    WHERE unit_id = ? AND body_id IS ? AND subscriber IS ? AND revoked_at IS NULL
                    """, arguments: [scope.unit, scope.body, scope.subscriber]) ?? 0
                if existing == 0 { issued.append(try insert(FeedToken.generate(using: &generator), scope, now, db)) }
            }
            return issued
        }
    }

    /// Every token, valid and revoked, in the order issued.
    public func feedTokens() throws(LedgerError) -> [FeedToken] {
        try read("reading the feed tokens") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM feed_token ORDER BY created_at, unit_id, body_id, subscriber, token").map(FeedToken.init(row:))
        }
    }

    /// The token with this secret (valid or revoked), or nil.
    public func feedToken(_ token: String) throws(LedgerError) -> FeedToken? {
        try read("looking up a feed token") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM feed_token WHERE token = ?", arguments: [token]).map(FeedToken.init(row:))
        }
    }

    /// Revokes a token and returns it as stored; nil for an unknown token. A token already
    /// revoked is returned unchanged (with its first revocation time).
    @discardableResult
    public func revokeFeedToken(_ token: String, at now: Date) throws(LedgerError) -> FeedToken? {
        try write("revoking a feed token") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM feed_token WHERE token = ?", arguments: [token]) else { return nil }
            let found = FeedToken(row: row)
            guard found.isValid else { return found }
            try db.execute(sql: "UPDATE feed_token SET revoked_at = max(?, created_at) WHERE token = ?", arguments: [now, token])
            return try Row.fetchOne(db, sql: "SELECT * FROM feed_token WHERE token = ?", arguments: [token]).map(FeedToken.init(row:))
        }
    }

    /// A number that grows whenever something feeds are made of changes (a completion, a
    /// recorded event, a feed token): one indexed read, cheap enough for every request.
    public func feedChangeCounter() throws(LedgerError) -> Int64 {
        try read("reading the feed change counter") { db in
            try Int64.fetchOne(db, sql: "SELECT counter FROM feed_change WHERE id = 1") ?? 0
        }
    }

    private func insert(_ token: String, _ scope: Scope, _ now: Date, _ db: Database) throws -> FeedToken {
        try db.execute(sql: "INSERT INTO feed_token (token, unit_id, body_id, subscriber, created_at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [token, scope.unit, scope.body, scope.subscriber, now])
        return FeedToken(row: try Row.fetchOne(db, sql: "SELECT * FROM feed_token WHERE token = ?", arguments: [token])!)
    }

    private func checkScope(_ scope: Scope) throws(LedgerError) {
        guard !scope.unit.isEmpty, scope.body.map({ !$0.isEmpty }) ?? true else {
            throw LedgerError(.invalidInput, path: path, "a feed token needs a unit (and, if given, a non-empty body)")
        }
        if let subscriber = scope.subscriber, !(subscriber.contains("@") && scope.body != nil) {
            throw LedgerError(.invalidInput, path: path,
                              "a subscriber's token needs the recipient's address and the body whose digests they receive (got \(subscriber))")
        }
    }

    /// `county/anweiban (wang@…)`.
    static func describe(_ scope: Scope) -> String {
        scope.unit + (scope.body.map { "/\($0)" } ?? "") + (scope.subscriber.map { " (\($0))" } ?? "")
    }
}

extension Ledger {
    /// Tells cheaply whether anything was committed to the ledger since the last look, so a
    /// server can poll ``feedChangeCounter()`` on every request without a query each time.
    ///
    /// In WAL mode every commit rewrites the header of the WAL index (the `-shm` file) before
    /// readers can see it (https://www.sqlite.org/walformat.html). The watch maps that header
    /// read-only and compares its 48 bytes with the last look: unchanged means no commit, so
    /// the counter read then is still right; changed (or a header caught mid-write) means one
    /// query. While this ledger value is open its connection keeps the index in place. Without
    /// a WAL index (a filesystem without shared memory) every call queries.
    public final class ChangeWatch: @unchecked Sendable {
        /// The ledger watched.
        public let ledger: Ledger
        private let lock = NSLock()
        private let header: UnsafeRawPointer?
        private var seen = [UInt8](repeating: 0, count: ChangeWatch.headerSize)
        private var counter: Int64 = -1
        static let headerSize = 48

        /// A watch over `ledger` (open: its connection holds the WAL index).
        public init(_ ledger: Ledger) throws(LedgerError) {
            self.ledger = ledger
            _ = try ledger.feedChangeCounter()  // a read, so the connection has mapped the index
            let descriptor = Glibc.open(ledger.path + "-shm", O_RDONLY)
            var mapped: UnsafeRawPointer?
            if descriptor >= 0 {
                var info = stat()
                if fstat(descriptor, &info) == 0, info.st_size >= ChangeWatch.headerSize,
                   let region = mmap(nil, ChangeWatch.headerSize, PROT_READ, MAP_SHARED, descriptor, 0), region != MAP_FAILED {
                    mapped = UnsafeRawPointer(region)
                }
                close(descriptor)
            }
            header = mapped
        }

        deinit { if let header { munmap(UnsafeMutableRawPointer(mutating: header), ChangeWatch.headerSize) } }

        /// True when the WAL index is mapped (otherwise every call queries).
        public var isMapped: Bool { header != nil }

        /// ``Ledger/feedChangeCounter()``, read again only when something was committed since the last call.
        public func feedChangeCounter() throws(LedgerError) -> Int64 {
            guard let header else { return try ledger.feedChangeCounter() }
            let now = [UInt8](UnsafeRawBufferPointer(start: header, count: ChangeWatch.headerSize))
            if let known = lock.withLock({ now == seen && counter >= 0 ? counter : nil }) { return known }
            let fresh = try ledger.feedChangeCounter()
            lock.withLock { seen = now; counter = fresh }
            return fresh
        }
    }
}
